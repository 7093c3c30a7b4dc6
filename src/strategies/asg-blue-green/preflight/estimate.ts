// How long the deploy takes at least, as a sum whose every term is said.
import { formatDuration } from '../../../clock.js'

export interface EstimateInput {
  /** Assumed time for an instance to boot and turn InService. */
  bootSeconds: number
  main: { intervalSeconds: number; healthyThreshold: number }
  synthetic?: { intervalSeconds: number; healthyThreshold: number }
  validationWindowSeconds: number
  deregistrationDelaySeconds: number
}

/** The least time the deploy can take with these settings, and the sum that gives it. */
export function estimateMinimum(i: EstimateInput): { seconds: number; arithmetic: string } {
  const terms: Array<[number, string]> = [[i.bootSeconds, 'boot (assumed)']]
  if (i.synthetic) {
    terms.push([
      i.synthetic.intervalSeconds * i.synthetic.healthyThreshold,
      `healthy in the synthetic target group (${i.synthetic.intervalSeconds}s x ${i.synthetic.healthyThreshold})`
    ])
  }
  terms.push([
    i.main.intervalSeconds * i.main.healthyThreshold,
    `healthy in the main target group (${i.main.intervalSeconds}s x ${i.main.healthyThreshold})`
  ])
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
