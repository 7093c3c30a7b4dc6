// A task's life over time: PROVISIONING -> PENDING -> RUNNING, registered in its target groups, then
// draining, SIGTERM and STOPPED; or failing to start, or crashing.
import type { TaskStopCode } from '@aws-sdk/client-ecs'
import { type AppBehavior, Backend, DEFAULT_BEHAVIOR } from '../apps.js'
import type { TargetGroupRecord } from '../elbv2/records.js'
import { countFailure } from './deployments.js'
import type { EcsModel } from './index.js'
import type {
  ClusterRecord,
  DeploymentRecord,
  ServiceRecord,
  TaskDefinitionRecord,
  TaskRecord
} from './records.js'
import { writeLogLines } from './container-logs.js'
import { event, scheduleTick, servedContainer } from './scheduler.js'
import { serviceKey } from './services.js'
import { deregister } from '../elbv2/health.js'
import { targetGroupFor } from './blue-green.js'

export function startTask(
  ecs: EcsModel,
  service: ServiceRecord,
  deployment: DeploymentRecord,
  td: TaskDefinitionRecord,
  behavior: AppBehavior
): TaskRecord {
  return launchTask(ecs, td, behavior, {
    clusterArn: service.clusterArn,
    serviceName: service.name,
    deploymentId: deployment.id,
    launchType: service.launchType,
    logContainer: servedContainer(service, td),
    tags:
      service.propagateTags === 'SERVICE'
        ? [...service.tags]
        : service.propagateTags === 'TASK_DEFINITION'
          ? [...td.tags]
          : []
  })
}

/** Who starts a task and what it carries: a service's deployment, or RunTask. */
export type TaskOrigin = Pick<
  TaskRecord,
  | 'clusterArn'
  | 'serviceName'
  | 'deploymentId'
  | 'launchType'
  | 'tags'
  | 'startedBy'
  | 'group'
  | 'logContainer'
>

/** A new task on its way to RUNNING (or to failing its start), as its behaviour says. */
export function launchTask(
  ecs: EcsModel,
  td: TaskDefinitionRecord,
  behavior: AppBehavior,
  origin: TaskOrigin
): TaskRecord {
  const id = ecs.world.ids.hex(32)
  const cluster = ecs.clusters.get(origin.clusterArn) as ClusterRecord
  const zones = ecs.world.zones
  const t: TaskRecord = {
    ...origin,
    arn: ecs.world.arn('ecs', `task/${cluster.name}/${id}`),
    id,
    taskDefinitionArn: td.arn,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    ip: ecs.world.ids.privateIp(),
    availabilityZone: zones[ecs.tasks.size % zones.length],
    cpu: td.body.cpu,
    memory: td.body.memory,
    createdAt: ecs.now,
    containers: (td.body.containerDefinitions ?? []).map(c => ({
      containerArn: ecs.world.arn('ecs', `container/${cluster.name}/${id}/${ecs.world.ids.uuid()}`),
      taskArn: ecs.world.arn('ecs', `task/${cluster.name}/${id}`),
      name: c.name,
      image: c.image,
      lastStatus: 'PENDING',
      networkBindings: [],
      networkInterfaces: [],
      healthStatus: 'UNKNOWN'
    })),
    behavior,
    registrations: [],
    events: []
  }
  ecs.tasks.set(id, t)
  const startMs = (behavior.startSeconds ?? DEFAULT_BEHAVIOR.startSeconds) * 1000
  t.events.push(
    ecs.world.timeline.after(Math.min(5000, startMs / 2), () => {
      if (t.lastStatus !== 'PROVISIONING') return
      t.lastStatus = 'PENDING'
      t.pullStartedAt = ecs.now
    }),
    ecs.world.timeline.after(startMs, () =>
      behavior.failToStart ? failStart(ecs, t, behavior.failToStart) : running(ecs, t)
    )
  )
  return t
}

export function running(ecs: EcsModel, t: TaskRecord): void {
  if (t.desiredStatus !== 'RUNNING') return finish(ecs, t, 0)
  const service = serviceOf(ecs, t)
  t.lastStatus = 'RUNNING'
  t.pullStoppedAt = ecs.now
  t.startedAt = ecs.now
  for (const c of t.containers) c.lastStatus = 'RUNNING'
  for (const c of t.containers)
    c.networkInterfaces = [{ attachmentId: `eni-attach-${t.id.slice(0, 8)}`, privateIpv4Address: t.ip }]
  const backend = new Backend(t.ip, t.arn, t.behavior, ecs.now + (t.behavior.bootSeconds ?? 0) * 1000)
  t.backend = backend
  ecs.world.endpoints.set(t.ip, backend)
  if (service) {
    for (const [i, lb] of service.loadBalancers.entries()) {
      const tg = ecs.world.elbv2.targetGroups.get(targetGroupFor(ecs, service, i, t))
      if (!tg) continue
      const port = lb.containerPort ?? tg.port
      ecs.world.elbv2.register(tg, { id: t.ip, port, availabilityZone: t.availabilityZone })
      t.registrations.push({ targetGroupArn: tg.arn, port })
      noteRegistration(ecs, service, tg.arn)
    }
  }
  writeLogLines(ecs, t)
  if (t.behavior.crashAfterSeconds !== undefined) {
    t.events.push(
      ecs.world.timeline.after(t.behavior.crashAfterSeconds * 1000, () =>
        crash(ecs, t, t.behavior.exitCode ?? DEFAULT_BEHAVIOR.exitCode)
      )
    )
  }
}

/** Targets registered at one instant are reported in one event per group, as ECS batches them. */
export function noteRegistration(ecs: EcsModel, service: ServiceRecord, targetGroupArn: string): void {
  const first = service.registeredNow.size === 0
  service.registeredNow.set(targetGroupArn, (service.registeredNow.get(targetGroupArn) ?? 0) + 1)
  if (!first) return
  ecs.world.timeline.at(ecs.now, () => {
    for (const [arn, n] of service.registeredNow)
      event(ecs, service, `registered ${n} targets in (target-group ${arn})`)
    service.registeredNow.clear()
  })
}

export function serviceOf(ecs: EcsModel, t: TaskRecord): ServiceRecord | undefined {
  return t.serviceName ? ecs.services.get(serviceKey(t.clusterArn, t.serviceName)) : undefined
}

export function failStart(ecs: EcsModel, t: TaskRecord, reason: string): void {
  if (t.lastStatus === 'STOPPED') return
  t.lastStatus = 'STOPPED'
  t.desiredStatus = 'STOPPED'
  t.stoppingAt = ecs.now
  t.stoppedAt = ecs.now
  t.stoppedReason = reason
  t.stopCode = 'TaskFailedToStart'
  for (const c of t.containers) {
    c.lastStatus = 'STOPPED'
    c.reason = reason
  }
  const service = serviceOf(ecs, t)
  if (service) {
    service.launchFailureStreak++
    service.nextLaunchAt = ecs.now + Math.min(120, 10 * service.launchFailureStreak) * 1000
    countFailure(ecs, service, t)
  }
}

/**
 * The essential container exits (or the task is killed): the task stops at once, its targets
 * drain, and the scheduler replaces it.
 */
export function crash(
  ecs: EcsModel,
  t: TaskRecord,
  exitCode: number,
  reason = 'Essential container in task exited'
): void {
  if (t.lastStatus === 'STOPPED') return
  t.backend?.stop(ecs.now)
  const service = serviceOf(ecs, t)
  const wasRunning = t.desiredStatus === 'RUNNING'
  t.desiredStatus = 'STOPPED'
  t.stoppingAt ??= ecs.now
  t.stoppedReason ??= reason
  t.stopCode ??= 'EssentialContainerExited'
  releaseTargets(ecs, t)
  t.lastStatus = 'STOPPED'
  t.stoppedAt = ecs.now
  for (const c of t.containers) {
    c.lastStatus = 'STOPPED'
    c.exitCode = exitCode
  }
  for (const e of t.events) e.cancel()
  if (service && wasRunning) {
    countFailure(ecs, service, t)
    scheduleTick(ecs, service, 0)
  }
}

export function releaseTargets(ecs: EcsModel, t: TaskRecord, onDrained?: () => void): void {
  let pending = t.registrations.length
  if (pending === 0) {
    onDrained?.()
    return
  }
  for (const r of t.registrations) {
    const tg: TargetGroupRecord | undefined = ecs.world.elbv2.targetGroups.get(r.targetGroupArn)
    const done = () => {
      if (--pending === 0) onDrained?.()
    }
    if (tg) deregister(ecs.world.elbv2, tg, t.ip, r.port, done)
    else done()
  }
}

/** The scheduler (or a user) stops a task: deregister, drain, SIGTERM, STOPPED. */
export function stopTask(
  ecs: EcsModel,
  t: TaskRecord,
  reason: string,
  stopCode: TaskStopCode,
  countAsFailure: boolean
): void {
  if (t.desiredStatus === 'STOPPED') return
  t.desiredStatus = 'STOPPED'
  t.stoppingAt = ecs.now
  t.stoppedReason = reason
  t.stopCode = stopCode
  const service = serviceOf(ecs, t)
  if (countAsFailure && service) countFailure(ecs, service, t)
  if (t.lastStatus !== 'RUNNING') {
    // Not started yet: it never gets to run.
    for (const e of t.events) e.cancel()
    finish(ecs, t, undefined)
    return
  }
  if (t.registrations.length > 0) t.lastStatus = 'DEACTIVATING'
  releaseTargets(ecs, t, () => sigterm(ecs, t))
}

export function sigterm(ecs: EcsModel, t: TaskRecord): void {
  if (t.lastStatus === 'STOPPED') return
  t.lastStatus = 'STOPPING'
  const stopTimeout = ecs.world.timing.ecsStopTimeoutSeconds
  const shutdown = t.behavior.shutdownSeconds ?? DEFAULT_BEHAVIOR.shutdownSeconds
  const seconds = Math.min(shutdown, stopTimeout)
  t.backend?.stop(ecs.now + seconds * 1000)
  t.events.push(
    ecs.world.timeline.after(seconds * 1000, () => finish(ecs, t, shutdown > stopTimeout ? 137 : 0))
  )
}

export function finish(ecs: EcsModel, t: TaskRecord, exitCode: number | undefined): void {
  if (t.lastStatus === 'STOPPED') return
  t.backend?.stop(ecs.now)
  t.lastStatus = 'STOPPED'
  t.stoppedAt = ecs.now
  for (const c of t.containers) {
    c.lastStatus = 'STOPPED'
    if (exitCode !== undefined) c.exitCode = exitCode
  }
  const service = serviceOf(ecs, t)
  if (service) scheduleTick(ecs, service, 0)
}
