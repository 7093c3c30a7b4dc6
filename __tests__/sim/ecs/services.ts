// Services: CreateService, UpdateService, DeleteService, DescribeServices, ListServices, and the
// builders (a new service, or one already at steady state).
import type {
  CreateServiceCommandInput,
  DeleteServiceCommandInput,
  DeploymentConfiguration,
  DescribeServicesCommandInput,
  ListServicesCommandInput,
  Service,
  UpdateServiceCommandInput
} from '@aws-sdk/client-ecs'
import { deepCopy } from '../copy.js'
import { tokenPage } from '../paging.js'
import { clusterByRef } from './clusters.js'
import { newDeployment, startDeployment } from './deployments.js'
import type { EcsModel } from './index.js'
import {
  type ClusterRecord,
  PENDING_STATES,
  type ServiceRecord,
  type TaskDefinitionRecord,
  type TaskRecord
} from './records.js'
import { behaviorOf, event, scheduleTick } from './scheduler.js'
import { activeTaskDefinition, findTaskDefinition } from './task-definitions.js'
import { running, startTask } from './task-lifecycle.js'
import { checkLoadBalancers, checkNetwork } from './validation.js'
import { isShifting, startShiftDeployment } from './blue-green.js'

export function serviceKey(clusterArn: string, name: string): string {
  return `${clusterArn}/${name}`
}

/** A service by name or ARN in a cluster, including DRAINING and INACTIVE ones. */
export function findService(ecs: EcsModel, cluster: ClusterRecord, ref: string): ServiceRecord | undefined {
  const name = ref.startsWith('arn:') ? (ref.split('/').pop() ?? '') : ref
  return ecs.services.get(serviceKey(cluster.arn, name))
}

export function serviceByRef(
  ecs: EcsModel,
  clusterRef: string | undefined,
  ref: string | undefined
): ServiceRecord {
  const cluster = clusterByRef(ecs, clusterRef)
  const s = findService(ecs, cluster, ref ?? '')
  if (!s) throw ecs.error('ServiceNotFoundException', 'Service not found.')
  return s
}

export function createService(ecs: EcsModel, input: CreateServiceCommandInput) {
  const service = addService(ecs, input)
  return { service: serviceShape(ecs, service, false) }
}

/** Creates a service and starts its first deployment (CreateService). */
export function addService(ecs: EcsModel, input: CreateServiceCommandInput): ServiceRecord {
  const cluster = clusterByRef(ecs, input.cluster)
  const name = input.serviceName ?? ''
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
    throw ecs.error(
      'InvalidParameterException',
      'Service name can only contain letters, numbers, hyphens and underscores.'
    )
  }
  const existing = findService(ecs, cluster, name)
  if (existing && existing.status !== 'INACTIVE') {
    throw ecs.error('InvalidParameterException', 'Creation of service was not idempotent.')
  }
  const td = activeTaskDefinition(ecs, input.taskDefinition)
  const loadBalancers = input.loadBalancers ?? []
  checkLoadBalancers(ecs, loadBalancers, td)
  checkNetwork(ecs, td, input.networkConfiguration)
  if (input.healthCheckGracePeriodSeconds !== undefined && loadBalancers.length === 0) {
    throw ecs.error(
      'InvalidParameterException',
      'Health check grace period is only valid for services configured to use load balancers'
    )
  }
  const config = deploymentConfiguration(ecs, input.deploymentConfiguration)
  const service: ServiceRecord = {
    arn: ecs.world.arn('ecs', `service/${cluster.name}/${name}`),
    name,
    clusterArn: cluster.arn,
    status: 'ACTIVE',
    desiredCount: input.desiredCount ?? 0,
    taskDefinition: td.arn,
    deploymentConfiguration: config,
    loadBalancers: deepCopy(loadBalancers),
    networkConfiguration: deepCopy(input.networkConfiguration),
    launchType: input.launchType ?? (input.capacityProviderStrategy ? undefined : 'EC2'),
    capacityProviderStrategy: deepCopy(input.capacityProviderStrategy),
    platformVersion: input.platformVersion ?? (input.launchType === 'FARGATE' ? 'LATEST' : undefined),
    healthCheckGracePeriodSeconds:
      input.healthCheckGracePeriodSeconds ?? (loadBalancers.length > 0 ? 0 : undefined),
    propagateTags: input.propagateTags ?? 'NONE',
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    tags: [...(input.tags ?? [])],
    createdAt: ecs.now,
    deployments: [],
    events: [],
    frozen: false,
    steady: false,
    launchFailureStreak: 0,
    nextLaunchAt: ecs.now,
    registeredNow: new Map()
  }
  service.deployments.push(newDeployment(ecs, service, td.arn))
  ecs.services.set(serviceKey(cluster.arn, name), service)
  ecs.world.faults.created('service', service.arn)
  scheduleTick(ecs, service, 0)
  return service
}

export function deploymentConfiguration(
  ecs: EcsModel,
  given: DeploymentConfiguration | undefined,
  base?: ServiceRecord['deploymentConfiguration']
) {
  const config = {
    maximumPercent: given?.maximumPercent ?? base?.maximumPercent ?? 200,
    minimumHealthyPercent: given?.minimumHealthyPercent ?? base?.minimumHealthyPercent ?? 100,
    deploymentCircuitBreaker: {
      enable: given?.deploymentCircuitBreaker?.enable ?? base?.deploymentCircuitBreaker.enable ?? false,
      rollback: given?.deploymentCircuitBreaker?.rollback ?? base?.deploymentCircuitBreaker.rollback ?? false
    },
    // ECS's own blue/green, linear and canary settings (API_DeploymentConfiguration), kept as given.
    strategy: given?.strategy ?? base?.strategy,
    bakeTimeInMinutes: given?.bakeTimeInMinutes ?? base?.bakeTimeInMinutes,
    canaryConfiguration: deepCopy(given?.canaryConfiguration ?? base?.canaryConfiguration),
    linearConfiguration: deepCopy(given?.linearConfiguration ?? base?.linearConfiguration),
    lifecycleHooks: deepCopy(given?.lifecycleHooks ?? base?.lifecycleHooks),
    ...((given?.alarms ?? base?.alarms) ? { alarms: given?.alarms ?? base?.alarms } : {})
  }
  if (config.minimumHealthyPercent < 0 || config.minimumHealthyPercent > 100) {
    throw ecs.error('InvalidParameterException', 'minimumHealthyPercent must be between 0 and 100.')
  }
  if (config.maximumPercent < 100 || config.maximumPercent > 200) {
    throw ecs.error('InvalidParameterException', 'maximumPercent must be between 100 and 200.')
  }
  return config
}

export function updateService(ecs: EcsModel, input: UpdateServiceCommandInput) {
  const service = serviceByRef(ecs, input.cluster, input.service)
  if (service.status !== 'ACTIVE') throw ecs.error('ServiceNotActiveException', 'Service was not ACTIVE.')
  const td = input.taskDefinition ? activeTaskDefinition(ecs, input.taskDefinition) : undefined
  const loadBalancers = input.loadBalancers ?? service.loadBalancers
  const current = findTaskDefinition(ecs, service.taskDefinition) as TaskDefinitionRecord
  checkLoadBalancers(ecs, loadBalancers, td ?? current)
  if (input.networkConfiguration) checkNetwork(ecs, td ?? current, input.networkConfiguration)
  const config = deploymentConfiguration(ecs, input.deploymentConfiguration, service.deploymentConfiguration)
  if (input.desiredCount !== undefined) {
    if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0) {
      throw ecs.error('InvalidParameterException', 'desiredCount must be a non-negative integer.')
    }
  }
  const changesDeployment =
    (td !== undefined && td.arn !== service.deployments[0]?.taskDefinition) ||
    input.forceNewDeployment === true ||
    (input.networkConfiguration !== undefined &&
      JSON.stringify(input.networkConfiguration) !== JSON.stringify(service.networkConfiguration)) ||
    (input.loadBalancers !== undefined &&
      JSON.stringify(input.loadBalancers) !== JSON.stringify(service.loadBalancers)) ||
    (input.capacityProviderStrategy !== undefined &&
      JSON.stringify(input.capacityProviderStrategy) !== JSON.stringify(service.capacityProviderStrategy)) ||
    (input.platformVersion !== undefined && input.platformVersion !== service.platformVersion)
  service.deploymentConfiguration = config
  if (input.desiredCount !== undefined) {
    service.desiredCount = input.desiredCount
    service.steady = false
  }
  if (input.healthCheckGracePeriodSeconds !== undefined)
    service.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds
  if (input.loadBalancers !== undefined) service.loadBalancers = deepCopy(input.loadBalancers)
  if (input.networkConfiguration !== undefined)
    service.networkConfiguration = deepCopy(input.networkConfiguration)
  if (input.capacityProviderStrategy !== undefined) {
    service.capacityProviderStrategy = deepCopy(input.capacityProviderStrategy)
    service.launchType = undefined
  }
  if (input.platformVersion !== undefined) service.platformVersion = input.platformVersion
  if (input.propagateTags !== undefined) service.propagateTags = input.propagateTags
  if (input.enableECSManagedTags !== undefined) service.enableECSManagedTags = input.enableECSManagedTags
  if (changesDeployment && isShifting(service))
    startShiftDeployment(ecs, service, td?.arn ?? service.taskDefinition)
  else if (changesDeployment) startDeployment(ecs, service, td?.arn ?? service.taskDefinition)
  scheduleTick(ecs, service, 0)
  return { service: serviceShape(ecs, service, false) }
}

export function deleteService(ecs: EcsModel, input: DeleteServiceCommandInput) {
  const service = serviceByRef(ecs, input.cluster, input.service)
  if (service.status !== 'ACTIVE') throw ecs.error('ServiceNotActiveException', 'Service was not ACTIVE.')
  if (service.desiredCount > 0 && !input.force) {
    throw ecs.error('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.')
  }
  service.status = 'DRAINING'
  service.desiredCount = 0
  scheduleTick(ecs, service, 0)
  return { service: serviceShape(ecs, service, false) }
}

export function describeServices(ecs: EcsModel, input: DescribeServicesCommandInput) {
  const cluster = clusterByRef(ecs, input.cluster)
  if (!input.services?.length) throw ecs.error('InvalidParameterException', 'Services cannot be empty.')
  if (input.services.length > 10)
    throw ecs.error('InvalidParameterException', 'Services can contain at most 10 items.')
  const services: Service[] = []
  const failures: Array<{ arn: string; reason: string }> = []
  for (const ref of input.services) {
    const s = findService(ecs, cluster, ref)
    if (!s || ecs.world.faults.hidden(s.arn)) {
      failures.push({
        arn: ref.startsWith('arn:') ? ref : ecs.world.arn('ecs', `service/${cluster.name}/${ref}`),
        reason: 'MISSING'
      })
    } else {
      services.push(serviceShape(ecs, s, input.include?.includes('TAGS') ?? false))
    }
  }
  return { services, failures }
}

export function listServices(ecs: EcsModel, input: ListServicesCommandInput) {
  const cluster = clusterByRef(ecs, input.cluster)
  const arns = [...ecs.services.values()]
    .filter(s => s.clusterArn === cluster.arn && s.status !== 'INACTIVE')
    .filter(s => !input.launchType || s.launchType === input.launchType)
    .map(s => s.arn)
  const { items, next } = tokenPage(arns, input.nextToken, input.maxResults ?? 10)
  return { serviceArns: items, nextToken: next }
}

export function serviceTasks(ecs: EcsModel, service: ServiceRecord): TaskRecord[] {
  return [...ecs.tasks.values()].filter(
    t => t.clusterArn === service.clusterArn && t.serviceName === service.name
  )
}

export function serviceShape(ecs: EcsModel, s: ServiceRecord, withTags: boolean): Service {
  const tasks = serviceTasks(ecs, s)
  const byDeployment = (id: string) => tasks.filter(t => t.deploymentId === id)
  return {
    serviceArn: s.arn,
    serviceName: s.name,
    clusterArn: s.clusterArn,
    loadBalancers: deepCopy(s.loadBalancers),
    serviceRegistries: [],
    status: s.status,
    desiredCount: s.desiredCount,
    runningCount: tasks.filter(t => t.lastStatus === 'RUNNING').length,
    pendingCount: tasks.filter(t => PENDING_STATES.has(t.lastStatus)).length,
    ...(s.launchType ? { launchType: s.launchType as Service['launchType'] } : {}),
    ...(s.capacityProviderStrategy ? { capacityProviderStrategy: deepCopy(s.capacityProviderStrategy) } : {}),
    ...(s.platformVersion ? { platformVersion: s.platformVersion } : {}),
    ...(s.platformVersion ? { platformFamily: 'Linux' } : {}),
    taskDefinition: s.taskDefinition,
    deploymentConfiguration: withoutUndefined(deepCopy(s.deploymentConfiguration)),
    ...(s.currentServiceDeployment ? { currentServiceDeployment: s.currentServiceDeployment } : {}),
    deployments: s.deployments.map(d => {
      const mine = byDeployment(d.id)
      return {
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        desiredCount:
          d.status === 'PRIMARY' ? s.desiredCount : mine.filter(t => t.desiredStatus === 'RUNNING').length,
        pendingCount: mine.filter(t => PENDING_STATES.has(t.lastStatus)).length,
        runningCount: mine.filter(t => t.lastStatus === 'RUNNING').length,
        failedTasks: d.failedTasks,
        createdAt: new Date(d.createdAt),
        updatedAt: new Date(d.updatedAt),
        ...(d.launchType ? { launchType: d.launchType as Service['launchType'] } : {}),
        ...(d.capacityProviderStrategy
          ? { capacityProviderStrategy: deepCopy(d.capacityProviderStrategy) }
          : {}),
        ...(d.platformVersion ? { platformVersion: d.platformVersion, platformFamily: 'Linux' } : {}),
        ...(d.networkConfiguration ? { networkConfiguration: deepCopy(d.networkConfiguration) } : {}),
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
        ...(s.serviceConnectConfiguration
          ? { serviceConnectConfiguration: deepCopy(s.serviceConnectConfiguration) }
          : {})
      }
    }),
    events: deepCopy(s.events),
    createdAt: new Date(s.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    ...(s.networkConfiguration ? { networkConfiguration: deepCopy(s.networkConfiguration) } : {}),
    ...(s.healthCheckGracePeriodSeconds !== undefined
      ? { healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds }
      : {}),
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    createdBy: `arn:aws:iam::${ecs.world.accountId}:role/admin`,
    enableECSManagedTags: s.enableECSManagedTags,
    propagateTags: s.propagateTags as Service['propagateTags'],
    enableExecuteCommand: false,
    availabilityZoneRebalancing: 'ENABLED',
    ...(withTags ? { tags: deepCopy(s.tags) } : {})
  }
}

/**
 * A service already at steady state: `desiredCount` tasks of `taskDefinition` RUNNING, registered
 * and healthy, one COMPLETED deployment. What a deploy starts from.
 */
export function seedSteadyService(ecs: EcsModel, input: CreateServiceCommandInput): ServiceRecord {
  const service = addService(ecs, input)
  const primary = service.deployments[0]
  primary.createdAt = primary.updatedAt = service.createdAt = ecs.now - 86_400_000
  const td = findTaskDefinition(ecs, primary.taskDefinition) as TaskDefinitionRecord
  const behavior = behaviorOf(ecs, service, td)
  for (let i = 0; i < service.desiredCount; i++) {
    const t = startTask(ecs, service, primary, td, behavior)
    for (const e of t.events) e.cancel()
    t.events = []
    t.createdAt = ecs.now - 3_600_000
    running(ecs, t)
    t.startedAt = t.pullStartedAt = t.pullStoppedAt = ecs.now - 3_590_000
    for (const r of t.registrations) {
      const target = ecs.world.elbv2.targetGroups.get(r.targetGroupArn)?.targets.get(`${t.ip}:${r.port}`)
      if (target && target.state === 'initial') {
        target.state = 'healthy'
        target.reason = undefined
        target.description = undefined
        target.passes = 10
      }
    }
  }
  primary.rolloutState = 'COMPLETED'
  primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`
  service.lastCompleted = { id: primary.id, taskDefinition: primary.taskDefinition }
  service.steady = true
  service.events = []
  event(ecs, service, 'has reached a steady state.')
  return service
}

/** A rolling service reports no strategy fields it was not given, as before. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}
