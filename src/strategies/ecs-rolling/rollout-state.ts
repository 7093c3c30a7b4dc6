// Pure reading of a service while it rolls out: where our deployment stands, and the log lines for
// deployments, service events and stopped tasks (each logged once, or once per change).
import type { Deployment, Service, ServiceEvent, Task } from '@aws-sdk/client-ecs'

export type RolloutState =
  | { kind: 'in-progress' }
  /** Our deployment is COMPLETED and the old deployments are gone. */
  | { kind: 'completed' }
  /** ECS marked our deployment FAILED (circuit breaker). */
  | { kind: 'failed'; reason: string; primary: Deployment | undefined }
  /** Our deployment is gone or no longer PRIMARY: something else (the circuit breaker's rollback, another deploy) replaced it. */
  | { kind: 'replaced'; primary: Deployment | undefined }

export function primaryDeployment(service: Service): Deployment | undefined {
  return (service.deployments ?? []).find(d => d.status === 'PRIMARY')
}

/**
 * The deployment an UpdateService started: the PRIMARY one running our task definition. Emulators
 * such as moto keep the PRIMARY deployment and its old task definition in the response while the
 * service itself points at ours; that PRIMARY deployment is then the one to watch.
 */
export function startedDeployment(service: Service, taskDefinitionArn: string): Deployment | undefined {
  const primary = primaryDeployment(service)
  if (!primary) return undefined
  if (primary.taskDefinition === taskDefinitionArn || service.taskDefinition === taskDefinitionArn)
    return primary
  return undefined
}

function isSteady(d: Deployment): boolean {
  // Without rolloutState (deployments from before ECS reported it) steady means all tasks running.
  if (d.rolloutState !== undefined) return d.rolloutState === 'COMPLETED'
  return (d.runningCount ?? 0) === (d.desiredCount ?? 0) && (d.pendingCount ?? 0) === 0
}

export function rolloutState(service: Service, deploymentId: string): RolloutState {
  const deployments = service.deployments ?? []
  const ours = deployments.find(d => d.id === deploymentId)
  const primary = primaryDeployment(service)
  if (ours?.rolloutState === 'FAILED')
    return { kind: 'failed', reason: ours.rolloutStateReason ?? 'rollout failed', primary }
  if (!ours || ours.status !== 'PRIMARY') return { kind: 'replaced', primary }
  if (isSteady(ours) && deployments.length === 1) return { kind: 'completed' }
  return { kind: 'in-progress' }
}

/**
 * Why the service is not steady on `taskDefinitionArn`, or undefined when it is: its one deployment is
 * the PRIMARY one on that revision (see startedDeployment), COMPLETED, with every desired task running.
 */
export function notSteadyOn(service: Service, taskDefinitionArn: string): string | undefined {
  const deployments = service.deployments ?? []
  const primary = startedDeployment(service, taskDefinitionArn)
  if (!primary) return `no PRIMARY deployment runs ${revisionName(taskDefinitionArn)}`
  if (primary.rolloutState === 'FAILED')
    return `its deployment ${primary.id} FAILED: ${primary.rolloutStateReason ?? 'no reason given'}`
  if (!isSteady(primary))
    return `its deployment ${primary.id} is ${primary.rolloutState ?? 'not steady'}, not COMPLETED`
  const others = deployments.filter(d => d !== primary)
  if (others.length > 0)
    return `another deployment is still in the service (${others.map(d => `${d.status} ${revisionName(d.taskDefinition)}`).join(', ')})`
  const desired = service.desiredCount ?? 0
  const running = service.runningCount ?? 0
  if (running !== desired) return `${running} of ${desired} desired tasks are running`
  return undefined
}

/** The revision part of a task definition ARN: `web:42`. */
export function revisionName(taskDefinitionArn: string | undefined): string {
  if (!taskDefinitionArn) return '?'
  return taskDefinitionArn.split('/').pop() ?? taskDefinitionArn
}

/** `cluster/service` for log lines and messages, whether the inputs are names or ARNs. */
export function serviceLabel(cluster: string, service: string): string {
  const last = (nameOrArn: string) => nameOrArn.split('/').pop() || nameOrArn
  return `${last(cluster)}/${last(service)}`
}

/** `ecs-svc/123 PRIMARY web:42: desired 2, running 1, pending 1, failed 0 (IN_PROGRESS)` */
export function deploymentLine(d: Deployment, ourId: string): string {
  const who = d.id === ourId ? ' (ours)' : ''
  const state = d.rolloutState ? ` (${d.rolloutState})` : ''
  return `Deployment ${d.id}${who} ${d.status} ${revisionName(d.taskDefinition)}: desired ${d.desiredCount ?? 0}, running ${d.runningCount ?? 0}, pending ${d.pendingCount ?? 0}, failed ${d.failedTasks ?? 0}${state}`
}

/** Events not yet seen, oldest first (ECS lists the newest first); marks them seen. */
export function takeNewEvents(events: ServiceEvent[], seen: Set<string>): ServiceEvent[] {
  const fresh = events.filter(e => e.id !== undefined && !seen.has(e.id))
  for (const e of fresh) seen.add(e.id!)
  // Reversed first: events of the same second keep ECS's order, oldest first (the sort is stable).
  return fresh.reverse().sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0))
}

export function eventLine(e: ServiceEvent): string {
  const at = e.createdAt ? e.createdAt.toISOString().slice(11, 19) : '--:--:--'
  return `Event ${at}: ${e.message ?? ''}`
}

/** A task belongs to a deployment when ECS started it for that deployment (or runs its revision). */
export function taskOfDeployment(task: Task, deploymentId: string, taskDefinitionArn: string): boolean {
  return task.startedBy === deploymentId || task.taskDefinitionArn === taskDefinitionArn
}

/** `Task 1a2b3c stopped: Essential container in task exited; app exit code 1 (OutOfMemoryError...)` */
export function stoppedTaskLine(task: Task): string {
  const id = task.taskArn?.split('/').pop() ?? '?'
  const containers = (task.containers ?? [])
    .filter(c => c.exitCode !== undefined || c.reason)
    .map(
      c =>
        `${c.name}${c.exitCode !== undefined ? ` exit code ${c.exitCode}` : ''}${c.reason ? ` (${c.reason})` : ''}`
    )
  return `Task ${id} stopped: ${task.stoppedReason ?? 'no reason given'}${containers.length > 0 ? `; ${containers.join(', ')}` : ''}`
}
