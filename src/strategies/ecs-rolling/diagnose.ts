// What to fix when a rollout fails: read from the stopped tasks' reasons and exit codes (the causes
// users otherwise dig out of the ECS console), the target groups' settings and the failure kind.
import type { Task } from '@aws-sdk/client-ecs'
import { formatDuration } from '../../clock.js'
import { Inputs } from '../../constants.js'
import type { DurationEstimate, TargetGroupFacts } from './preflight-rules.js'
import type { RolloutFailureKind } from './rollout.js'

export interface DiagnoseInput {
  kind: RolloutFailureKind
  stoppedTasks: Task[]
  targetGroups: TargetGroupFacts[]
  estimate: DurationEstimate
  waitTimeoutSeconds: number
}

export function diagnoseRollout(x: DiagnoseInput): string {
  const fromTasks = diagnoseStoppedTasks(x.stoppedTasks, x.targetGroups)
  if (fromTasks) return fromTasks
  switch (x.kind) {
    case 'probe':
      return `requests failed while tasks were replaced: make the app finish in-flight requests on SIGTERM, keep the deregistration delay above your slowest request, and check the health-check settings; or raise '${Inputs.MaxProbeErrors}' if some failures are acceptable.`
    case 'timeout':
      return x.waitTimeoutSeconds < x.estimate.seconds
        ? `'${Inputs.WaitTimeout}' (${formatDuration(x.waitTimeoutSeconds)}) is shorter than this service's minimum rollout time (${formatDuration(x.estimate.seconds)}: ${x.estimate.arithmetic}): raise '${Inputs.WaitTimeout}'.`
        : `the new tasks never all turned healthy: check the service events above (capacity, placement) and the target group health checks (${healthCheckText(x.targetGroups)}); the app must answer them once started.`
    case 'failed':
    case 'replaced':
      return `new tasks kept failing, so ECS stopped the rollout: check the service events above and the application logs of the new version.`
  }
}

function diagnoseStoppedTasks(tasks: Task[], targetGroups: TargetGroupFacts[]): string | undefined {
  // The most recent stop is the most telling one.
  const ordered = [...tasks].sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
  for (const task of ordered) {
    const reason = task.stoppedReason ?? ''
    const pull = (task.containers ?? []).find(c => /CannotPullContainer/i.test(c.reason ?? ''))
    if (/CannotPullContainer/i.test(reason) || pull) {
      const image = pull?.image ?? task.containers?.[0]?.image
      return `the image${image ? ` '${image}'` : ''} could not be pulled (${pull?.reason ?? reason}): check that the image reference and tag exist, and that the task execution role may pull it (ecr:GetAuthorizationToken, ecr:BatchGetImage) over a route to the registry (NAT gateway or VPC endpoints).`
    }
    if (/ResourceInitializationError/i.test(reason)) {
      return `the tasks could not be initialised (${reason}): the task execution role must be able to read the secrets and parameters the task definition references and to write its log group, over a route to those services.`
    }
    if (/Essential container in task exited/i.test(reason)) {
      const exited = (task.containers ?? []).find(c => c.exitCode !== undefined && c.exitCode !== 0)
      if (exited?.exitCode === 137)
        return `container '${exited.name}' was killed with exit code 137 (out of memory or not stopping on SIGTERM): raise its memory in the task definition, or check its logs.`
      return `container '${exited?.name ?? '?'}' exited${exited?.exitCode !== undefined ? ` with code ${exited.exitCode}` : ''}${exited?.reason ? ` (${exited.reason})` : ''}: the new version crashes after starting; check its logs (e.g. CloudWatch Logs) and its configuration (environment, secrets).`
    }
    if (/health check/i.test(reason)) {
      return `the new tasks failed their health checks (${reason}): the app must answer ${healthCheckText(targetGroups)} once started; check its logs, the container port and the security groups.`
    }
  }
  const first = ordered[0]
  if (first?.stoppedReason)
    return `tasks stopped with: ${first.stoppedReason}. Check the service events and the application logs.`
  return undefined
}

function healthCheckText(targetGroups: TargetGroupFacts[]): string {
  if (targetGroups.length === 0) return 'its container health check'
  return targetGroups.map(tg => `'${tg.healthCheckPath ?? '/'}' with ${tg.matcher}`).join(' and ')
}
