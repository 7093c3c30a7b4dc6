// Deployments: a new PRIMARY per change, when one completes or leaves the list, and the circuit
// breaker that fails it (and rolls back) after too many tasks failed to start.
import { deepCopy } from '../copy.js'
import type { EcsModel } from './index.js'
import type { DeploymentRecord, ServiceRecord, TaskRecord } from './records.js'
import { event, healthy, scheduleTick } from './scheduler.js'
import { serviceTasks } from './services.js'
import { countShiftFailure, isShifting } from './blue-green.js'

/** The documented circuit-breaker failure threshold for a desired count. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)))
}

export function newDeployment(
  ecs: EcsModel,
  service: ServiceRecord,
  taskDefinition: string,
  reason?: string
): DeploymentRecord {
  const id = `ecs-svc/${ecs.world.ids.digits(19)}`
  return {
    id,
    status: 'PRIMARY',
    taskDefinition,
    createdAt: ecs.now,
    updatedAt: ecs.now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: reason ?? `ECS deployment ${id} in progress.`,
    failedTasks: 0,
    networkConfiguration: deepCopy(service.networkConfiguration),
    launchType: service.launchType,
    capacityProviderStrategy: deepCopy(service.capacityProviderStrategy),
    platformVersion: service.platformVersion
  }
}

/** Starts a new deployment of `taskDefinition`; the current primary becomes ACTIVE. */
export function startDeployment(
  ecs: EcsModel,
  service: ServiceRecord,
  taskDefinition: string,
  reason?: string
): DeploymentRecord {
  for (const d of service.deployments) {
    if (d.status === 'PRIMARY') {
      d.status = 'ACTIVE'
      d.updatedAt = ecs.now
      d.retireAfter = ecs.now + ecs.world.timing.ecsSchedulerSeconds * 1000
    }
  }
  const deployment = newDeployment(ecs, service, taskDefinition, reason)
  service.deployments.unshift(deployment)
  service.taskDefinition = taskDefinition
  service.frozen = false
  service.steady = false
  service.launchFailureStreak = 0
  service.nextLaunchAt = ecs.now
  return deployment
}

/** Older deployments whose tasks have all stopped leave the list. */
export function retireDeployments(ecs: EcsModel, service: ServiceRecord): void {
  const tasks = serviceTasks(ecs, service)
  service.deployments = service.deployments.filter(
    d =>
      d.status === 'PRIMARY' ||
      (d.retireAfter ?? 0) > ecs.now ||
      tasks.some(t => t.deploymentId === d.id && t.lastStatus !== 'STOPPED')
  )
}

export function checkCompletion(ecs: EcsModel, service: ServiceRecord, primary: DeploymentRecord): void {
  const tasks = serviceTasks(ecs, service)
  const healthyPrimary = tasks.filter(t => t.deploymentId === primary.id && healthy(ecs, service, t)).length
  const settled =
    service.deployments.length === 1 &&
    healthyPrimary === service.desiredCount &&
    tasks.every(
      t => t.lastStatus === 'STOPPED' || (t.deploymentId === primary.id && healthy(ecs, service, t))
    )
  if (settled && primary.rolloutState === 'IN_PROGRESS') {
    primary.rolloutState = 'COMPLETED'
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`
    primary.updatedAt = ecs.now
    service.lastCompleted = { id: primary.id, taskDefinition: primary.taskDefinition }
    event(ecs, service, `(deployment ${primary.id}) deployment completed.`)
  }
  if (settled && !service.steady && primary.rolloutState === 'COMPLETED')
    event(ecs, service, 'has reached a steady state.')
  service.steady = settled && primary.rolloutState === 'COMPLETED'
}

/** Counts a failed task against its deployment; the circuit breaker trips at the documented threshold. */
export function countFailure(ecs: EcsModel, service: ServiceRecord, t: TaskRecord): void {
  const d = service.deployments.find(x => x.id === t.deploymentId)
  if (!d) return
  d.failedTasks++
  d.updatedAt = ecs.now
  if (isShifting(service)) return countShiftFailure(ecs, service, d)
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker
  if (!breaker.enable || d.status !== 'PRIMARY' || d.rolloutState !== 'IN_PROGRESS') return
  if (d.failedTasks < circuitBreakerThreshold(service.desiredCount)) return
  d.rolloutState = 'FAILED'
  d.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.'
  event(ecs, service, `(deployment ${d.id}) deployment failed: tasks failed to start.`)
  const target = service.lastCompleted
  if (breaker.rollback && target && target.id !== d.id) {
    event(ecs, service, `rolling back to deployment ${target.id}.`)
    startDeployment(
      ecs,
      service,
      target.taskDefinition,
      `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`
    )
  } else {
    service.frozen = true
  }
  scheduleTick(ecs, service, 0)
}
