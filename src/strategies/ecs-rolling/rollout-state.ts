// The log lines of a service while it rolls out: deployments, service events and stopped tasks (each
// logged once, or once per change). Where the deployment stands is read in src/aws/ecs-deployments.ts.
import type { Deployment, ServiceEvent, Task } from '@aws-sdk/client-ecs'
import { revisionName, shortName } from '../../aws/arns.js'

/** `cluster/service` for log lines and messages, whether the inputs are names or ARNs. */
export function serviceLabel(cluster: string, service: string): string {
  const last = (nameOrArn: string) => shortName(nameOrArn) || nameOrArn
  return `${last(cluster)}/${last(service)}`
}

/** `ecs-svc/123 PRIMARY web:42: desired 2, running 1, pending 1, failed 0 (IN_PROGRESS)` */
export function deploymentLine(d: Deployment, ourId: string): string {
  const who = d.id === ourId ? ' (ours)' : ''
  const state = d.rolloutState ? ` (${d.rolloutState})` : ''
  const counts =
    `desired ${d.desiredCount ?? 0}, running ${d.runningCount ?? 0}, ` +
    `pending ${d.pendingCount ?? 0}, failed ${d.failedTasks ?? 0}`
  return `Deployment ${d.id}${who} ${d.status} ${revisionName(d.taskDefinition)}: ${counts}${state}`
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
  const id = revisionName(task.taskArn)
  const containers = (task.containers ?? [])
    .filter(c => c.exitCode !== undefined || c.reason)
    .map(c => {
      const code = c.exitCode !== undefined ? ` exit code ${c.exitCode}` : ''
      return `${c.name}${code}${c.reason ? ` (${c.reason})` : ''}`
    })
  const detail = containers.length > 0 ? `; ${containers.join(', ')}` : ''
  return `Task ${id} stopped: ${task.stoppedReason ?? 'no reason given'}${detail}`
}
