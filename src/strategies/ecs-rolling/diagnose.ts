// What to fix when a rollout fails: AWS's own words (stopped tasks' reasons and exit codes, service
// events) through the shared failure signatures, else what the failure kind and settings suggest.
import type { Task } from '@aws-sdk/client-ecs'
import { formatDuration } from '../../clock.js'
import { Inputs } from '../../constants.js'
import { explainAwsText } from '../../explain.js'
import type { DurationEstimate, TargetGroupFacts } from './preflight-rules.js'
import type { RolloutFailureKind } from './rollout.js'
import { stoppedTaskLine } from './rollout-state.js'

export interface DiagnoseInput {
  kind: RolloutFailureKind
  stoppedTasks: Task[]
  /** Service events logged while the rollout was watched, oldest first. */
  events: string[]
  targetGroups: TargetGroupFacts[]
  estimate: DurationEstimate
  waitTimeoutSeconds: number
}

export interface Diagnosis {
  /** The cause, with the last stopped task as evidence; undefined when AWS said nothing telling. */
  cause: string | undefined
  hint: string
}

export function diagnoseRollout(x: DiagnoseInput): Diagnosis {
  // The most recent stop and the newest event first, so the evidence shown is the latest.
  const stopped = [...x.stoppedTasks].sort(
    (a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0)
  )
  const texts = [
    ...stopped.flatMap(t => [stoppedTaskLine(t), ...(t.containers ?? []).flatMap(c => c.reason ?? [])]),
    ...[...x.events].reverse()
  ]
  // The signatures go from most to least specific: the most specific one found in any text wins
  // (an event's "codes: [500]" says more than a task's "failed ELB health checks").
  const known = explainAwsText(texts.join('\n'))
  if (known) {
    const evidence = texts.find(t => explainAwsText(t)?.cause === known.cause)
    return { cause: `${known.cause}${evidence ? ` (${evidence})` : ''}`, hint: known.fix }
  }
  return { cause: stopped[0] ? stoppedTaskLine(stopped[0]) : undefined, hint: fallbackHint(x) }
}

function fallbackHint(x: DiagnoseInput): string {
  switch (x.kind) {
    case 'probe':
      return (
        `requests failed while tasks were replaced: make the app finish in-flight requests on SIGTERM, ` +
        `keep the deregistration delay above your slowest request, and check the health-check settings; ` +
        `or raise '${Inputs.MaxProbeErrors}' if some failures are acceptable.`
      )
    case 'timeout':
      return x.waitTimeoutSeconds < x.estimate.seconds ? waitTooShort(x) : neverHealthy(x)
    case 'failed':
    case 'replaced':
      return (
        `new tasks kept failing, so ECS stopped the rollout: check the service events above ` +
        `and the application logs of the new version.`
      )
  }
}

function waitTooShort(x: DiagnoseInput): string {
  const minimum = `${formatDuration(x.estimate.seconds)}: ${x.estimate.arithmetic}`
  return (
    `'${Inputs.WaitTimeout}' (${formatDuration(x.waitTimeoutSeconds)}) is shorter than this service's ` +
    `minimum rollout time (${minimum}): raise '${Inputs.WaitTimeout}'.`
  )
}

function neverHealthy(x: DiagnoseInput): string {
  return (
    `the new tasks never all turned healthy: check the service events above (capacity, placement) ` +
    `and the target group health checks (${healthCheckText(x.targetGroups)}); the app must answer them once started.`
  )
}

function healthCheckText(targetGroups: TargetGroupFacts[]): string {
  if (targetGroups.length === 0) return 'its container health check'
  return targetGroups.map(tg => `'${tg.healthCheckPath ?? '/'}' with ${tg.matcher}`).join(' and ')
}
