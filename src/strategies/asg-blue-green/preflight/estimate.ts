// How long the deploy takes at least, as a sum whose every term is said.
import { formatDuration } from '../../../clock.js'
import { firstCheckSeconds, type HealthCheckTiming } from '../../../preflight.js'
import type { HookView } from '../model.js'

// Assumed boot time of an instance, for the estimate and the hook arithmetic only.
export const BOOT_SECONDS = 60

export interface EstimateInput {
  /** Assumed time for an instance to boot and turn InService. */
  bootSeconds: number
  main: HealthCheckTiming
  synthetic?: HealthCheckTiming
  validationWindowSeconds: number
  deregistrationDelaySeconds: number
  /** The main target group's slow start: the old fleet stays until the new one's ramp is over. */
  slowStartSeconds?: number
  /**
   * Hooks that pause the new fleet's launch (the standby group's). The old fleet's terminate hooks
   * count for nothing: the run does not wait for its instances to terminate (deploy/finish.ts).
   */
  launchHooks?: HookView[]
}

/** The longest pause of these hooks, and the hook that makes it; undefined without hooks. */
export function longestHook(hooks: HookView[] | undefined): HookView | undefined {
  return (hooks ?? []).reduce<HookView | undefined>(
    (max, h) => (!max || h.heartbeatTimeoutSeconds > max.heartbeatTimeoutSeconds ? h : max),
    undefined
  )
}

function hookTerm(hook: HookView | undefined, state: string): Array<[number, string]> {
  if (!hook) return []
  return [[hook.heartbeatTimeoutSeconds, `up to ${state} (lifecycle hook ${hook.name}, heartbeat timeout)`]]
}

/** The least time the deploy can take with these settings, and the sum that gives it. */
export function estimateMinimum(i: EstimateInput): { seconds: number; arithmetic: string } {
  const terms: Array<[number, string]> = [[i.bootSeconds, 'boot (assumed)']]
  terms.push(...hookTerm(longestHook(i.launchHooks), 'Pending:Wait'))
  // The new instances are newly registered targets in each group: healthy after the first passing check.
  if (i.synthetic)
    terms.push([
      firstCheckSeconds(i.synthetic),
      'healthy in the synthetic target group (first passing check)'
    ])
  terms.push([firstCheckSeconds(i.main), 'healthy in the main target group (first passing check)'])
  if (i.slowStartSeconds)
    terms.push([i.slowStartSeconds, `slow start ramp of the new fleet before the old one leaves`])
  terms.push([i.validationWindowSeconds, 'validation window'])
  // The old fleet drains while the window runs; only what is left of the delay adds up.
  terms.push([
    Math.max(0, i.deregistrationDelaySeconds - i.validationWindowSeconds),
    `drain left after the window (deregistration delay ${i.deregistrationDelaySeconds}s)`
  ])
  const seconds = terms.reduce((sum, [s]) => sum + s, 0)
  return {
    seconds,
    arithmetic: `${terms.map(([s, what]) => `${formatDuration(s)} ${what}`).join(' + ')} = ${formatDuration(seconds)}`
  }
}
