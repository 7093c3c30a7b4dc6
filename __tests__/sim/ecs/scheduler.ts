// The service scheduler over time: every few seconds (and right after a change) it starts tasks of
// the PRIMARY deployment within maximumPercent, stops old ones within minimumHealthyPercent, replaces
// unhealthy tasks, and writes service events in ECS's words.
import type { AppBehavior } from '../apps.js'
import { reconcileShift } from './blue-green.js'
import { checkCompletion, retireDeployments } from './deployments.js'
import type { EcsModel } from './index.js'
import type { DeploymentRecord, ServiceRecord, TaskDefinitionRecord, TaskRecord } from './records.js'
import { serviceTasks } from './services.js'
import { findTaskDefinition } from './task-definitions.js'
import { startTask, stopTask } from './task-lifecycle.js'

export const MAX_EVENTS = 100

export function scheduleTick(ecs: EcsModel, service: ServiceRecord, delayMs: number): void {
  const at = ecs.now + delayMs
  if (service.tick && service.tick.at <= at) return
  service.tick?.cancel()
  service.tick = ecs.world.timeline.at(at, () => {
    service.tick = undefined
    reconcile(ecs, service)
    if (service.status !== 'INACTIVE') scheduleTick(ecs, service, ecs.world.timing.ecsSchedulerSeconds * 1000)
  })
}

export function event(ecs: EcsModel, service: ServiceRecord, message: string): void {
  service.events.unshift({
    id: ecs.world.ids.uuid(),
    createdAt: new Date(ecs.now),
    message: `(service ${service.name}) ${message}`
  })
  if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS
}

/** A task counts towards minimumHealthyPercent once it runs and every target of it is healthy. */
export function healthy(ecs: EcsModel, service: ServiceRecord, t: TaskRecord): boolean {
  if (t.lastStatus !== 'RUNNING' || t.desiredStatus !== 'RUNNING') return false
  if (service.loadBalancers.length === 0) return true
  if (t.registrations.length < service.loadBalancers.length) return false
  return t.registrations.every(
    r =>
      ecs.world.elbv2.targetGroups.get(r.targetGroupArn)?.targets.get(`${t.ip}:${r.port}`)?.state ===
      'healthy'
  )
}

/** One pass of the service scheduler: replace, start, stop, and move deployments along. */
export function reconcile(ecs: EcsModel, service: ServiceRecord): void {
  const tasks = serviceTasks(ecs, service)
  if (service.status !== 'ACTIVE') {
    for (const t of tasks)
      if (t.desiredStatus === 'RUNNING')
        stopTask(ecs, t, 'Service is being deleted', 'ServiceSchedulerInitiated', false)
    stoppedEvent(
      ecs,
      service,
      tasks.filter(t => t.stoppingAt === ecs.now)
    )
    if (tasks.every(t => t.lastStatus === 'STOPPED')) {
      service.status = 'INACTIVE'
      service.deployments = []
      service.tick?.cancel()
      service.tick = undefined
    }
    return
  }
  enforceHealth(ecs, service, tasks)
  const primary = service.deployments[0]
  if (!primary) return
  // A task of this deployment that made it to healthy ends the launch back-off.
  if (tasks.some(t => t.deploymentId === primary.id && healthy(ecs, service, t)))
    service.launchFailureStreak = 0
  // ECS's blue/green, linear and canary deployments move by their own stages (blue-green.ts).
  if (reconcileShift(ecs, service)) return retireDeployments(ecs, service)
  if (!service.frozen) {
    launch(ecs, service, primary)
    stopSurplus(ecs, service, primary)
  }
  retireDeployments(ecs, service)
  checkCompletion(ecs, service, primary)
}

/** Tasks whose target turned unhealthy after the grace period are replaced (and count as failed). */
export function enforceHealth(ecs: EcsModel, service: ServiceRecord, tasks: TaskRecord[]): void {
  const graceMs = (service.healthCheckGracePeriodSeconds ?? 0) * 1000
  const failing: TaskRecord[] = []
  for (const t of tasks) {
    if (t.lastStatus !== 'RUNNING' || t.desiredStatus !== 'RUNNING') continue
    if ((t.startedAt ?? 0) + graceMs > ecs.now) continue
    for (const r of t.registrations) {
      const target = ecs.world.elbv2.targetGroups.get(r.targetGroupArn)?.targets.get(`${t.ip}:${r.port}`)
      if (target?.state !== 'unhealthy') continue
      event(
        ecs,
        service,
        `(task ${t.id}) (port ${r.port}) is unhealthy in (target-group ${r.targetGroupArn}) due to (reason ${target.description ?? 'Health checks failed'}).`
      )
      stopTask(
        ecs,
        t,
        `Task failed ELB health checks in (target-group ${r.targetGroupArn})`,
        'ServiceSchedulerInitiated',
        true
      )
      failing.push(t)
      break
    }
  }
  stoppedEvent(ecs, service, failing)
}

export function launch(ecs: EcsModel, service: ServiceRecord, primary: DeploymentRecord): void {
  if (primary.rolloutState === 'FAILED') return
  const active = serviceTasks(ecs, service).filter(t => t.desiredStatus === 'RUNNING')
  const mine = active.filter(t => t.deploymentId === primary.id)
  const maxTotal = Math.floor((service.desiredCount * service.deploymentConfiguration.maximumPercent) / 100)
  const want = Math.min(service.desiredCount - mine.length, maxTotal - active.length)
  if (want <= 0 || ecs.now < service.nextLaunchAt) return
  const td = findTaskDefinition(ecs, primary.taskDefinition) as TaskDefinitionRecord
  const behavior = behaviorOf(ecs, service, td)
  if (behavior.unplaceable) {
    if (service.lastPlacementEventAt === undefined || ecs.now - service.lastPlacementEventAt >= 300_000) {
      service.lastPlacementEventAt = ecs.now
      event(
        ecs,
        service,
        'was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.'
      )
    }
    return
  }
  const started: TaskRecord[] = []
  for (let i = 0; i < want; i++) started.push(startTask(ecs, service, primary, td, behavior))
  event(ecs, service, `has started ${started.length} tasks: ${started.map(t => `(task ${t.id})`).join(' ')}.`)
}

/**
 * Stops tasks of older deployments (and surplus tasks of the primary) as far as
 * minimumHealthyPercent allows; tasks that are not healthy can always go.
 */
export function stopSurplus(ecs: EcsModel, service: ServiceRecord, primary: DeploymentRecord): void {
  const active = serviceTasks(ecs, service).filter(t => t.desiredStatus === 'RUNNING')
  const minHealthy = Math.ceil(
    (service.desiredCount * service.deploymentConfiguration.minimumHealthyPercent) / 100
  )
  let spare = active.filter(t => healthy(ecs, service, t)).length - minHealthy
  const old = active.filter(t => t.deploymentId !== primary.id)
  const mine = active.filter(t => t.deploymentId === primary.id)
  // Unhealthy first, then the oldest: the order ECS stops old tasks in.
  const order = (a: TaskRecord, b: TaskRecord) =>
    Number(healthy(ecs, service, a)) - Number(healthy(ecs, service, b)) || a.createdAt - b.createdAt
  const surplus = [
    ...old.sort(order),
    ...mine.sort(order).slice(0, Math.max(0, mine.length - service.desiredCount))
  ]
  const stopped: TaskRecord[] = []
  for (const t of surplus) {
    const isHealthy = healthy(ecs, service, t)
    if (isHealthy && spare <= 0) continue
    if (isHealthy) spare--
    stopTask(
      ecs,
      t,
      `Scaling activity initiated by (deployment ${primary.id})`,
      'ServiceSchedulerInitiated',
      false
    )
    stopped.push(t)
  }
  stoppedEvent(ecs, service, stopped)
}

export function stoppedEvent(ecs: EcsModel, service: ServiceRecord, stopped: TaskRecord[]): void {
  if (stopped.length === 0) return
  const draining = stopped.filter(t => t.registrations.length > 0)
  if (draining.length > 0) {
    event(ecs, service, `has begun draining connections on ${draining.length} tasks.`)
    const byGroup = new Map<string, number>()
    for (const t of draining)
      for (const r of t.registrations) byGroup.set(r.targetGroupArn, (byGroup.get(r.targetGroupArn) ?? 0) + 1)
    for (const [arn, n] of byGroup) event(ecs, service, `deregistered ${n} targets in (target-group ${arn})`)
  }
  event(
    ecs,
    service,
    `has stopped ${stopped.length} running tasks: ${stopped.map(t => `(task ${t.id})`).join(' ')}.`
  )
}

/** The container whose image is the app: the load-balanced one, else the first essential one. */
export function servedContainer(service: ServiceRecord, td: TaskDefinitionRecord): string | undefined {
  const containers = td.body.containerDefinitions ?? []
  return (
    containers.find(c => c.name === service.loadBalancers[0]?.containerName) ??
    containers.find(c => c.essential !== false) ??
    containers[0]
  )?.name
}

/** What the task's app does: the load-balanced container's image decides; any container can fail the start. */
export function behaviorOf(ecs: EcsModel, service: ServiceRecord, td: TaskDefinitionRecord): AppBehavior {
  const containers = td.body.containerDefinitions ?? []
  const served = containers.find(c => c.name === servedContainer(service, td))
  const behavior = { ...ecs.world.apps.forImage(served?.image ?? '') }
  for (const c of containers) {
    const b = ecs.world.apps.forImage(c.image ?? '')
    if (b.failToStart && !behavior.failToStart) behavior.failToStart = b.failToStart
    if (b.unplaceable) behavior.unplaceable = true
  }
  return behavior
}
