// Amazon ECS as a deploy sees it: clusters, task definitions, services with rolling deployments that
// honour minimumHealthyPercent / maximumPercent, tasks that start, register with their target group,
// drain and stop, the deployment circuit breaker (and its rollback), and service events worded as
// ECS words them. The scheduler looks at every service every few seconds, like the real one.
import type {
  Cluster,
  Container,
  CreateClusterCommandInput,
  CreateServiceCommandInput,
  DeleteServiceCommandInput,
  DeploymentConfiguration,
  DeploymentRolloutState,
  DeregisterTaskDefinitionCommandInput,
  DescribeClustersCommandInput,
  DescribeServicesCommandInput,
  DescribeTaskDefinitionCommandInput,
  DescribeTasksCommandInput,
  ListServicesCommandInput,
  ListTagsForResourceCommandInput,
  ListTaskDefinitionsCommandInput,
  ListTasksCommandInput,
  LoadBalancer as EcsLoadBalancer,
  NetworkConfiguration,
  CapacityProviderStrategyItem,
  RegisterTaskDefinitionCommandInput,
  Service,
  ServiceEvent,
  StopTaskCommandInput,
  Tag,
  TagResourceCommandInput,
  Task,
  TaskDefinition,
  TaskStopCode,
  UntagResourceCommandInput,
  UpdateServiceCommandInput
} from '@aws-sdk/client-ecs'
import { Backend, DEFAULT_BEHAVIOR, type AppBehavior } from './apps.js'
import type { Handler, TargetGroupRecord } from './elbv2.js'
import { awsError } from './errors.js'
import { deepCopy } from './copy.js'
import type { ScheduledEvent } from './timeline.js'
import type { World } from './world.js'

export interface ClusterRecord {
  arn: string
  name: string
  status: 'ACTIVE' | 'INACTIVE'
  tags: Tag[]
}

export interface TaskDefinitionRecord {
  arn: string
  family: string
  revision: number
  status: 'ACTIVE' | 'INACTIVE'
  body: TaskDefinition
  tags: Tag[]
}

export interface DeploymentRecord {
  id: string
  status: 'PRIMARY' | 'ACTIVE'
  /** An ACTIVE deployment without tasks stays listed until then (the scheduler's next pass). */
  retireAfter?: number
  taskDefinition: string
  createdAt: number
  updatedAt: number
  rolloutState: DeploymentRolloutState
  rolloutStateReason: string
  failedTasks: number
  networkConfiguration?: NetworkConfiguration
  launchType?: string
  capacityProviderStrategy?: CapacityProviderStrategyItem[]
  platformVersion?: string
}

export interface ServiceRecord {
  arn: string
  name: string
  clusterArn: string
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE'
  desiredCount: number
  taskDefinition: string
  deploymentConfiguration: Required<
    Pick<DeploymentConfiguration, 'maximumPercent' | 'minimumHealthyPercent'>
  > & {
    deploymentCircuitBreaker: { enable: boolean; rollback: boolean }
  }
  loadBalancers: EcsLoadBalancer[]
  networkConfiguration?: NetworkConfiguration
  launchType?: string
  capacityProviderStrategy?: CapacityProviderStrategyItem[]
  platformVersion?: string
  healthCheckGracePeriodSeconds?: number
  propagateTags: string
  enableECSManagedTags: boolean
  tags: Tag[]
  createdAt: number
  deployments: DeploymentRecord[]
  /** Newest first, at most 100, like DescribeServices. */
  events: ServiceEvent[]
  lastCompleted?: { id: string; taskDefinition: string }
  /** A failed deployment without rollback: ECS stops launching tasks until the next update. */
  frozen: boolean
  steady: boolean
  launchFailureStreak: number
  nextLaunchAt: number
  lastPlacementEventAt?: number
  tick?: ScheduledEvent
  /** Targets registered at the current instant, not yet reported in an event. */
  registeredNow: Map<string, number>
}

export interface TaskRecord {
  arn: string
  id: string
  clusterArn: string
  serviceName: string | undefined
  deploymentId: string | undefined
  taskDefinitionArn: string
  lastStatus: string
  desiredStatus: 'RUNNING' | 'STOPPED'
  ip: string
  availabilityZone: string
  launchType?: string
  cpu?: string
  memory?: string
  createdAt: number
  pullStartedAt?: number
  pullStoppedAt?: number
  startedAt?: number
  stoppingAt?: number
  stoppedAt?: number
  stoppedReason?: string
  stopCode?: TaskStopCode
  containers: Container[]
  behavior: AppBehavior
  backend?: Backend
  /** Target groups the task is registered in, with the port. */
  registrations: Array<{ targetGroupArn: string; port: number }>
  tags: Tag[]
  events: ScheduledEvent[]
}

const PENDING_STATES = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING'])
const MAX_EVENTS = 100
// Read-only fields of a described task definition; the SDK drops them from a RegisterTaskDefinition
// request (they are not in its input shape), so AWS never sees them.
const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'tags'
]

/** The documented circuit-breaker failure threshold for a desired count. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)))
}

export class EcsModel {
  readonly clusters = new Map<string, ClusterRecord>()
  readonly taskDefinitions = new Map<string, TaskDefinitionRecord[]>()
  /** Keyed by `<cluster arn>/<service name>`. */
  readonly services = new Map<string, ServiceRecord>()
  readonly tasks = new Map<string, TaskRecord>()

  constructor(private readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return {
      CreateCluster: i => this.createCluster(i as CreateClusterCommandInput),
      DescribeClusters: i => this.describeClusters(i as DescribeClustersCommandInput),
      RegisterTaskDefinition: i => this.registerTaskDefinition(i as RegisterTaskDefinitionCommandInput),
      DescribeTaskDefinition: i => this.describeTaskDefinition(i as DescribeTaskDefinitionCommandInput),
      DeregisterTaskDefinition: i => this.deregisterTaskDefinition(i as DeregisterTaskDefinitionCommandInput),
      ListTaskDefinitions: i => this.listTaskDefinitions(i as ListTaskDefinitionsCommandInput),
      CreateService: i => this.createService(i as CreateServiceCommandInput),
      UpdateService: i => this.updateService(i as UpdateServiceCommandInput),
      DeleteService: i => this.deleteService(i as DeleteServiceCommandInput),
      DescribeServices: i => this.describeServices(i as DescribeServicesCommandInput),
      ListServices: i => this.listServices(i as ListServicesCommandInput),
      DescribeTasks: i => this.describeTasks(i as DescribeTasksCommandInput),
      ListTasks: i => this.listTasks(i as ListTasksCommandInput),
      StopTask: i => this.stopTaskCommand(i as StopTaskCommandInput),
      TagResource: i => this.tagResource(i as TagResourceCommandInput),
      UntagResource: i => this.untagResource(i as UntagResourceCommandInput),
      ListTagsForResource: i => this.listTagsForResource(i as ListTagsForResourceCommandInput)
    }
  }

  private get now(): number {
    return this.world.now()
  }

  private error(code: string, message: string): Error {
    return awsError('ecs', code, message)
  }

  // ---- clusters ----------------------------------------------------------------------------

  addCluster(name: string, tags: Tag[] = []): ClusterRecord {
    const existing = [...this.clusters.values()].find(c => c.name === name)
    if (existing) return existing
    const cluster: ClusterRecord = {
      arn: this.world.arn('ecs', `cluster/${name}`),
      name,
      status: 'ACTIVE',
      tags
    }
    this.clusters.set(cluster.arn, cluster)
    return cluster
  }

  private createCluster(input: CreateClusterCommandInput) {
    return { cluster: this.clusterShape(this.addCluster(input.clusterName ?? 'default', input.tags ?? [])) }
  }

  private clusterShape(c: ClusterRecord): Cluster {
    const tasks = [...this.tasks.values()].filter(t => t.clusterArn === c.arn)
    return {
      clusterArn: c.arn,
      clusterName: c.name,
      status: c.status,
      registeredContainerInstancesCount: 0,
      runningTasksCount: tasks.filter(t => t.lastStatus === 'RUNNING').length,
      pendingTasksCount: tasks.filter(t => PENDING_STATES.has(t.lastStatus)).length,
      activeServicesCount: [...this.services.values()].filter(
        s => s.clusterArn === c.arn && s.status === 'ACTIVE'
      ).length,
      statistics: [],
      tags: [],
      settings: [{ name: 'containerInsights', value: 'disabled' }],
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: []
    }
  }

  cluster(ref: string | undefined): ClusterRecord {
    const r = ref ?? 'default'
    const c = this.clusters.get(r) ?? [...this.clusters.values()].find(x => x.name === r)
    if (!c || c.status !== 'ACTIVE') throw this.error('ClusterNotFoundException', 'Cluster not found.')
    return c
  }

  private describeClusters(input: DescribeClustersCommandInput) {
    const found: Cluster[] = []
    const failures: Array<{ arn: string; reason: string }> = []
    for (const ref of input.clusters?.length ? input.clusters : ['default']) {
      const c = this.clusters.get(ref) ?? [...this.clusters.values()].find(x => x.name === ref)
      if (c)
        found.push({
          ...this.clusterShape(c),
          ...(input.include?.includes('TAGS') ? { tags: [...c.tags] } : {})
        })
      else
        failures.push({
          arn: ref.startsWith('arn:') ? ref : this.world.arn('ecs', `cluster/${ref}`),
          reason: 'MISSING'
        })
    }
    return { clusters: found, failures }
  }

  // ---- task definitions --------------------------------------------------------------------

  /** Registers a revision (world builders and RegisterTaskDefinition). */
  addTaskDefinition(input: RegisterTaskDefinitionCommandInput): TaskDefinitionRecord {
    const family = input.family ?? ''
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
      throw this.error(
        'ClientException',
        'Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.'
      )
    }
    if (!input.containerDefinitions?.length) {
      throw this.error('ClientException', 'Container list cannot be empty.')
    }
    for (const c of input.containerDefinitions) {
      if (!c.name) throw this.error('ClientException', 'Container.name should not be null or empty.')
      if (!c.image) throw this.error('ClientException', 'Container.image should not be null or empty.')
    }
    const fargate = input.requiresCompatibilities?.includes('FARGATE')
    if (fargate && input.networkMode !== 'awsvpc') {
      throw this.error('ClientException', 'Fargate only supports network mode ‘awsvpc’.')
    }
    if (fargate && (!input.cpu || !input.memory)) {
      throw this.error('ClientException', `Fargate requires that 'cpu' be defined at the task level.`)
    }
    const body = deepCopy(input) as unknown as Record<string, unknown>
    for (const f of READ_ONLY_TASK_DEFINITION_FIELDS) delete body[f]
    const revisions = this.taskDefinitions.get(family) ?? []
    const revision = (revisions.at(-1)?.revision ?? 0) + 1
    const arn = this.world.arn('ecs', `task-definition/${family}:${revision}`)
    const td: TaskDefinition = {
      ...(body as TaskDefinition),
      taskDefinitionArn: arn,
      family,
      revision,
      status: 'ACTIVE',
      volumes: (body.volumes as TaskDefinition['volumes']) ?? [],
      placementConstraints: (body.placementConstraints as TaskDefinition['placementConstraints']) ?? [],
      requiresAttributes: [
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
        ...(input.networkMode === 'awsvpc' ? [{ name: 'ecs.capability.task-eni' }] : []),
        ...(input.executionRoleArn ? [{ name: 'ecs.capability.execution-role-ecr-pull' }] : [])
      ],
      compatibilities: input.networkMode === 'awsvpc' ? ['EC2', 'FARGATE'] : ['EC2'],
      registeredAt: new Date(this.now),
      registeredBy: `arn:aws:sts::${this.world.accountId}:assumed-role/github-deploy/zdt-sim`
    }
    const record: TaskDefinitionRecord = {
      arn,
      family,
      revision,
      status: 'ACTIVE',
      body: td,
      tags: [...(input.tags ?? [])]
    }
    revisions.push(record)
    this.taskDefinitions.set(family, revisions)
    return record
  }

  private registerTaskDefinition(input: RegisterTaskDefinitionCommandInput) {
    const td = this.addTaskDefinition(input)
    return { taskDefinition: deepCopy(td.body), tags: deepCopy(td.tags) }
  }

  /** `family`, `family:revision` or an ARN; a bare family means its latest ACTIVE revision. */
  findTaskDefinition(ref: string): TaskDefinitionRecord | undefined {
    const bare = ref.startsWith('arn:') ? (ref.split(':task-definition/')[1] ?? '') : ref
    const [family, rev] = bare.split(':')
    const revisions = this.taskDefinitions.get(family) ?? []
    if (rev === undefined) return revisions.filter(r => r.status === 'ACTIVE').at(-1)
    return revisions.find(r => r.revision === Number(rev))
  }

  private describeTaskDefinition(input: DescribeTaskDefinitionCommandInput) {
    const td = this.findTaskDefinition(input.taskDefinition ?? '')
    if (!td) throw this.error('ClientException', 'Unable to describe task definition.')
    return {
      taskDefinition: deepCopy(td.body),
      ...(input.include?.includes('TAGS') ? { tags: deepCopy(td.tags) } : {})
    }
  }

  private deregisterTaskDefinition(input: DeregisterTaskDefinitionCommandInput) {
    const ref = input.taskDefinition ?? ''
    if (!ref.includes(':'))
      throw this.error('ClientException', 'Revision must be specified for the task definition.')
    const td = this.findTaskDefinition(ref)
    if (!td) throw this.error('ClientException', 'The specified task definition does not exist.')
    td.status = 'INACTIVE'
    td.body.status = 'INACTIVE'
    td.body.deregisteredAt = new Date(this.now)
    return { taskDefinition: deepCopy(td.body) }
  }

  private listTaskDefinitions(input: ListTaskDefinitionsCommandInput) {
    const status = input.status ?? 'ACTIVE'
    let all = [...this.taskDefinitions.values()]
      .flat()
      .filter(td => td.status === status && (!input.familyPrefix || td.family.startsWith(input.familyPrefix)))
      .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision)
    if (input.sort === 'DESC') all = all.reverse()
    const { items, next } = tokenPage(
      all.map(td => td.arn),
      input.nextToken,
      input.maxResults ?? 100
    )
    return { taskDefinitionArns: items, nextToken: next }
  }

  // ---- services ----------------------------------------------------------------------------

  private serviceKey(clusterArn: string, name: string): string {
    return `${clusterArn}/${name}`
  }

  /** A service by name or ARN in a cluster, including DRAINING and INACTIVE ones. */
  findService(cluster: ClusterRecord, ref: string): ServiceRecord | undefined {
    const name = ref.startsWith('arn:') ? (ref.split('/').pop() ?? '') : ref
    return this.services.get(this.serviceKey(cluster.arn, name))
  }

  private service(clusterRef: string | undefined, ref: string | undefined): ServiceRecord {
    const cluster = this.cluster(clusterRef)
    const s = this.findService(cluster, ref ?? '')
    if (!s) throw this.error('ServiceNotFoundException', 'Service not found.')
    return s
  }

  private createService(input: CreateServiceCommandInput) {
    const service = this.addService(input)
    return { service: this.serviceShape(service, false) }
  }

  /** Creates a service and starts its first deployment (CreateService). */
  addService(input: CreateServiceCommandInput): ServiceRecord {
    const cluster = this.cluster(input.cluster)
    const name = input.serviceName ?? ''
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      throw this.error(
        'InvalidParameterException',
        'Service name can only contain letters, numbers, hyphens and underscores.'
      )
    }
    const existing = this.findService(cluster, name)
    if (existing && existing.status !== 'INACTIVE') {
      throw this.error('InvalidParameterException', 'Creation of service was not idempotent.')
    }
    const td = this.activeTaskDefinition(input.taskDefinition)
    const loadBalancers = input.loadBalancers ?? []
    this.checkLoadBalancers(loadBalancers, td)
    this.checkNetwork(td, input.networkConfiguration)
    if (input.healthCheckGracePeriodSeconds !== undefined && loadBalancers.length === 0) {
      throw this.error(
        'InvalidParameterException',
        'Health check grace period is only valid for services configured to use load balancers'
      )
    }
    const config = this.deploymentConfiguration(input.deploymentConfiguration)
    const service: ServiceRecord = {
      arn: this.world.arn('ecs', `service/${cluster.name}/${name}`),
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
      createdAt: this.now,
      deployments: [],
      events: [],
      frozen: false,
      steady: false,
      launchFailureStreak: 0,
      nextLaunchAt: this.now,
      registeredNow: new Map()
    }
    service.deployments.push(this.newDeployment(service, td.arn))
    this.services.set(this.serviceKey(cluster.arn, name), service)
    this.world.faults.created('service', service.arn)
    this.scheduleTick(service, 0)
    return service
  }

  private deploymentConfiguration(
    given: DeploymentConfiguration | undefined,
    base?: ServiceRecord['deploymentConfiguration']
  ) {
    const config = {
      maximumPercent: given?.maximumPercent ?? base?.maximumPercent ?? 200,
      minimumHealthyPercent: given?.minimumHealthyPercent ?? base?.minimumHealthyPercent ?? 100,
      deploymentCircuitBreaker: {
        enable: given?.deploymentCircuitBreaker?.enable ?? base?.deploymentCircuitBreaker.enable ?? false,
        rollback:
          given?.deploymentCircuitBreaker?.rollback ?? base?.deploymentCircuitBreaker.rollback ?? false
      }
    }
    if (config.minimumHealthyPercent < 0 || config.minimumHealthyPercent > 100) {
      throw this.error('InvalidParameterException', 'minimumHealthyPercent must be between 0 and 100.')
    }
    if (config.maximumPercent < 100 || config.maximumPercent > 200) {
      throw this.error('InvalidParameterException', 'maximumPercent must be between 100 and 200.')
    }
    return config
  }

  private activeTaskDefinition(ref: string | undefined): TaskDefinitionRecord {
    const td = this.findTaskDefinition(ref ?? '')
    if (!td) throw this.error('ClientException', 'TaskDefinition not found.')
    if (td.status !== 'ACTIVE') throw this.error('ClientException', 'TaskDefinition is inactive')
    return td
  }

  private checkLoadBalancers(lbs: EcsLoadBalancer[], td: TaskDefinitionRecord): void {
    for (const lb of lbs) {
      if (!lb.targetGroupArn)
        throw this.error(
          'InvalidParameterException',
          'targetGroupArn must be specified for application load balancers.'
        )
      const tg = this.world.elbv2.targetGroups.get(lb.targetGroupArn)
      if (!tg) {
        throw this.error('InvalidParameterException', `Unable to find target group ${lb.targetGroupArn}.`)
      }
      if (this.world.elbv2.loadBalancersUsing(tg).size === 0) {
        throw this.error(
          'InvalidParameterException',
          `The target group with targetGroupArn ${lb.targetGroupArn} does not have an associated load balancer.`
        )
      }
      if (td.body.networkMode === 'awsvpc' && tg.targetType !== 'ip') {
        throw this.error(
          'InvalidParameterException',
          `The provided target group ${lb.targetGroupArn} has target type ${tg.targetType}, which is incompatible with the awsvpc network mode specified in the task definition.`
        )
      }
      const container = td.body.containerDefinitions?.find(c => c.name === lb.containerName)
      if (!container) {
        throw this.error(
          'InvalidParameterException',
          `The container ${lb.containerName ?? ''} does not exist in the task definition.`
        )
      }
      const ports = (container.portMappings ?? []).map(p => p.containerPort)
      if (!ports.includes(lb.containerPort)) {
        throw this.error(
          'InvalidParameterException',
          `The container ${lb.containerName ?? ''} did not have a container port ${lb.containerPort ?? ''} defined.`
        )
      }
    }
  }

  private checkNetwork(td: TaskDefinitionRecord, network: NetworkConfiguration | undefined): void {
    if (td.body.networkMode === 'awsvpc' && !network?.awsvpcConfiguration?.subnets?.length) {
      throw this.error(
        'InvalidParameterException',
        `Network Configuration must be provided when networkMode 'awsvpc' is specified.`
      )
    }
  }

  private newDeployment(service: ServiceRecord, taskDefinition: string, reason?: string): DeploymentRecord {
    const id = `ecs-svc/${this.world.ids.digits(19)}`
    return {
      id,
      status: 'PRIMARY',
      taskDefinition,
      createdAt: this.now,
      updatedAt: this.now,
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
  private startDeployment(service: ServiceRecord, taskDefinition: string, reason?: string): DeploymentRecord {
    for (const d of service.deployments) {
      if (d.status === 'PRIMARY') {
        d.status = 'ACTIVE'
        d.updatedAt = this.now
        d.retireAfter = this.now + this.world.timing.ecsSchedulerSeconds * 1000
      }
    }
    const deployment = this.newDeployment(service, taskDefinition, reason)
    service.deployments.unshift(deployment)
    service.taskDefinition = taskDefinition
    service.frozen = false
    service.steady = false
    service.launchFailureStreak = 0
    service.nextLaunchAt = this.now
    return deployment
  }

  private updateService(input: UpdateServiceCommandInput) {
    const service = this.service(input.cluster, input.service)
    if (service.status !== 'ACTIVE') throw this.error('ServiceNotActiveException', 'Service was not ACTIVE.')
    const td = input.taskDefinition ? this.activeTaskDefinition(input.taskDefinition) : undefined
    const loadBalancers = input.loadBalancers ?? service.loadBalancers
    const current = this.findTaskDefinition(service.taskDefinition) as TaskDefinitionRecord
    this.checkLoadBalancers(loadBalancers, td ?? current)
    if (input.networkConfiguration) this.checkNetwork(td ?? current, input.networkConfiguration)
    const config = this.deploymentConfiguration(
      input.deploymentConfiguration,
      service.deploymentConfiguration
    )
    if (input.desiredCount !== undefined) {
      if (!Number.isInteger(input.desiredCount) || input.desiredCount < 0) {
        throw this.error('InvalidParameterException', 'desiredCount must be a non-negative integer.')
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
        JSON.stringify(input.capacityProviderStrategy) !==
          JSON.stringify(service.capacityProviderStrategy)) ||
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
    if (changesDeployment) this.startDeployment(service, td?.arn ?? service.taskDefinition)
    this.scheduleTick(service, 0)
    return { service: this.serviceShape(service, false) }
  }

  private deleteService(input: DeleteServiceCommandInput) {
    const service = this.service(input.cluster, input.service)
    if (service.status !== 'ACTIVE') throw this.error('ServiceNotActiveException', 'Service was not ACTIVE.')
    if (service.desiredCount > 0 && !input.force) {
      throw this.error(
        'InvalidParameterException',
        'The service cannot be stopped while it is scaled above 0.'
      )
    }
    service.status = 'DRAINING'
    service.desiredCount = 0
    this.scheduleTick(service, 0)
    return { service: this.serviceShape(service, false) }
  }

  private describeServices(input: DescribeServicesCommandInput) {
    const cluster = this.cluster(input.cluster)
    if (!input.services?.length) throw this.error('InvalidParameterException', 'Services cannot be empty.')
    if (input.services.length > 10)
      throw this.error('InvalidParameterException', 'Services can contain at most 10 items.')
    const services: Service[] = []
    const failures: Array<{ arn: string; reason: string }> = []
    for (const ref of input.services) {
      const s = this.findService(cluster, ref)
      if (!s || this.world.faults.hidden(s.arn)) {
        failures.push({
          arn: ref.startsWith('arn:') ? ref : this.world.arn('ecs', `service/${cluster.name}/${ref}`),
          reason: 'MISSING'
        })
      } else {
        services.push(this.serviceShape(s, input.include?.includes('TAGS') ?? false))
      }
    }
    return { services, failures }
  }

  private listServices(input: ListServicesCommandInput) {
    const cluster = this.cluster(input.cluster)
    const arns = [...this.services.values()]
      .filter(s => s.clusterArn === cluster.arn && s.status !== 'INACTIVE')
      .filter(s => !input.launchType || s.launchType === input.launchType)
      .map(s => s.arn)
    const { items, next } = tokenPage(arns, input.nextToken, input.maxResults ?? 10)
    return { serviceArns: items, nextToken: next }
  }

  private serviceTasks(service: ServiceRecord): TaskRecord[] {
    return [...this.tasks.values()].filter(
      t => t.clusterArn === service.clusterArn && t.serviceName === service.name
    )
  }

  serviceShape(s: ServiceRecord, withTags: boolean): Service {
    const tasks = this.serviceTasks(s)
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
      ...(s.capacityProviderStrategy
        ? { capacityProviderStrategy: deepCopy(s.capacityProviderStrategy) }
        : {}),
      ...(s.platformVersion ? { platformVersion: s.platformVersion } : {}),
      ...(s.platformVersion ? { platformFamily: 'Linux' } : {}),
      taskDefinition: s.taskDefinition,
      deploymentConfiguration: deepCopy(s.deploymentConfiguration),
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
          rolloutStateReason: d.rolloutStateReason
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
      createdBy: `arn:aws:iam::${this.world.accountId}:role/admin`,
      enableECSManagedTags: s.enableECSManagedTags,
      propagateTags: s.propagateTags as Service['propagateTags'],
      enableExecuteCommand: false,
      availabilityZoneRebalancing: 'ENABLED',
      ...(withTags ? { tags: deepCopy(s.tags) } : {})
    }
  }

  // ---- tasks -------------------------------------------------------------------------------

  private taskShape(t: TaskRecord, withTags: boolean): Task {
    const opt = (k: string, ms: number | undefined) => (ms === undefined ? {} : { [k]: new Date(ms) })
    return {
      taskArn: t.arn,
      clusterArn: t.clusterArn,
      taskDefinitionArn: t.taskDefinitionArn,
      ...(t.serviceName ? { group: `service:${t.serviceName}` } : {}),
      ...(t.deploymentId ? { startedBy: t.deploymentId } : {}),
      lastStatus: t.lastStatus,
      desiredStatus: t.desiredStatus,
      healthStatus: 'UNKNOWN',
      containers: deepCopy(t.containers),
      attachments: [
        {
          id: `eni-attach-${t.id.slice(0, 8)}`,
          type: 'ElasticNetworkInterface',
          status: t.lastStatus === 'STOPPED' ? 'DELETED' : 'ATTACHED',
          details: [
            { name: 'subnetId', value: 'subnet-0sim000000000001' },
            { name: 'networkInterfaceId', value: `eni-0${t.id.slice(0, 16)}` },
            { name: 'privateIPv4Address', value: t.ip }
          ]
        }
      ],
      availabilityZone: t.availabilityZone,
      connectivity: 'CONNECTED',
      ...opt('connectivityAt', t.createdAt),
      ...(t.launchType ? { launchType: t.launchType as Task['launchType'] } : {}),
      ...(t.cpu ? { cpu: t.cpu } : {}),
      ...(t.memory ? { memory: t.memory } : {}),
      ...opt('createdAt', t.createdAt),
      ...opt('pullStartedAt', t.pullStartedAt),
      ...opt('pullStoppedAt', t.pullStoppedAt),
      ...opt('startedAt', t.startedAt),
      ...opt('stoppingAt', t.stoppingAt),
      ...opt('stoppedAt', t.stoppedAt),
      ...opt('executionStoppedAt', t.stoppedAt),
      ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
      ...(t.stopCode ? { stopCode: t.stopCode } : {}),
      version: 1,
      ...(withTags ? { tags: deepCopy(t.tags) } : {})
    }
  }

  private findTask(cluster: ClusterRecord, ref: string): TaskRecord | undefined {
    const id = ref.split('/').pop() ?? ''
    const t = this.tasks.get(id)
    return t && t.clusterArn === cluster.arn ? t : undefined
  }

  private describeTasks(input: DescribeTasksCommandInput) {
    const cluster = this.cluster(input.cluster)
    if (!input.tasks?.length) throw this.error('InvalidParameterException', 'Tasks cannot be empty.')
    if (input.tasks.length > 100)
      throw this.error('InvalidParameterException', 'Tasks can contain at most 100 items.')
    const tasks: Task[] = []
    const failures: Array<{ arn: string; reason: string }> = []
    for (const ref of input.tasks) {
      const t = this.findTask(cluster, ref)
      if (t) tasks.push(this.taskShape(t, input.include?.includes('TAGS') ?? false))
      else failures.push({ arn: ref, reason: 'MISSING' })
    }
    return { tasks, failures }
  }

  private listTasks(input: ListTasksCommandInput) {
    const cluster = this.cluster(input.cluster)
    const desired = input.desiredStatus ?? 'RUNNING'
    // ListTasks filters by the service's name; it is documented as a name, not an ARN.
    const serviceName = input.serviceName
    const arns = [...this.tasks.values()]
      .filter(t => t.clusterArn === cluster.arn && t.desiredStatus === desired)
      .filter(t => !serviceName || t.serviceName === serviceName)
      .filter(t => !input.startedBy || t.deploymentId === input.startedBy)
      .filter(t => !input.family || t.taskDefinitionArn.includes(`:task-definition/${input.family}:`))
      .map(t => t.arn)
    const { items, next } = tokenPage(arns, input.nextToken, input.maxResults ?? 100)
    return { taskArns: items, nextToken: next }
  }

  private stopTaskCommand(input: StopTaskCommandInput) {
    const cluster = this.cluster(input.cluster)
    const t = this.findTask(cluster, input.task ?? '')
    if (!t) throw this.error('InvalidParameterException', 'The referenced task was not found.')
    if (t.desiredStatus === 'RUNNING')
      this.stopTask(t, input.reason ?? 'Task stopped by user', 'UserInitiated', false)
    return { task: this.taskShape(t, false) }
  }

  // ---- tags --------------------------------------------------------------------------------

  private taggable(arn: string): { tags: Tag[] } {
    for (const s of this.services.values()) if (s.arn === arn && s.status !== 'INACTIVE') return s
    for (const c of this.clusters.values()) if (c.arn === arn) return c
    for (const revisions of this.taskDefinitions.values())
      for (const td of revisions) if (td.arn === arn) return td
    for (const t of this.tasks.values()) if (t.arn === arn) return t
    throw this.error('InvalidParameterException', 'The specified resource could not be found.')
  }

  private tagResource(input: TagResourceCommandInput) {
    const r = this.taggable(input.resourceArn ?? '')
    const merged = new Map(r.tags.map(t => [t.key, t]))
    for (const t of input.tags ?? []) merged.set(t.key, { key: t.key, value: t.value })
    if (merged.size > 50)
      throw this.error('InvalidParameterException', 'A resource can have at most 50 tags.')
    r.tags.splice(0, r.tags.length, ...merged.values())
    return {}
  }

  private untagResource(input: UntagResourceCommandInput) {
    const r = this.taggable(input.resourceArn ?? '')
    const drop = new Set(input.tagKeys ?? [])
    r.tags.splice(0, r.tags.length, ...r.tags.filter(t => !drop.has(t.key ?? '')))
    return {}
  }

  private listTagsForResource(input: ListTagsForResourceCommandInput) {
    return { tags: deepCopy(this.taggable(input.resourceArn ?? '').tags) }
  }

  // ---- the scheduler -----------------------------------------------------------------------

  private scheduleTick(service: ServiceRecord, delayMs: number): void {
    const at = this.now + delayMs
    if (service.tick && service.tick.at <= at) return
    service.tick?.cancel()
    service.tick = this.world.timeline.at(at, () => {
      service.tick = undefined
      this.reconcile(service)
      if (service.status !== 'INACTIVE')
        this.scheduleTick(service, this.world.timing.ecsSchedulerSeconds * 1000)
    })
  }

  private event(service: ServiceRecord, message: string): void {
    service.events.unshift({
      id: this.world.ids.uuid(),
      createdAt: new Date(this.now),
      message: `(service ${service.name}) ${message}`
    })
    if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS
  }

  /** A task counts towards minimumHealthyPercent once it runs and every target of it is healthy. */
  private healthy(service: ServiceRecord, t: TaskRecord): boolean {
    if (t.lastStatus !== 'RUNNING' || t.desiredStatus !== 'RUNNING') return false
    if (service.loadBalancers.length === 0) return true
    if (t.registrations.length < service.loadBalancers.length) return false
    return t.registrations.every(
      r =>
        this.world.elbv2.targetGroups.get(r.targetGroupArn)?.targets.get(`${t.ip}:${r.port}`)?.state ===
        'healthy'
    )
  }

  /** One pass of the service scheduler: replace, start, stop, and move deployments along. */
  private reconcile(service: ServiceRecord): void {
    const tasks = this.serviceTasks(service)
    if (service.status !== 'ACTIVE') {
      for (const t of tasks)
        if (t.desiredStatus === 'RUNNING')
          this.stopTask(t, 'Service is being deleted', 'ServiceSchedulerInitiated', false)
      this.stoppedEvent(
        service,
        tasks.filter(t => t.stoppingAt === this.now)
      )
      if (tasks.every(t => t.lastStatus === 'STOPPED')) {
        service.status = 'INACTIVE'
        service.deployments = []
        service.tick?.cancel()
        service.tick = undefined
      }
      return
    }
    this.enforceHealth(service, tasks)
    const primary = service.deployments[0]
    if (!primary) return
    // A task of this deployment that made it to healthy ends the launch back-off.
    if (tasks.some(t => t.deploymentId === primary.id && this.healthy(service, t)))
      service.launchFailureStreak = 0
    if (!service.frozen) {
      this.launch(service, primary)
      this.stopSurplus(service, primary)
    }
    this.retireDeployments(service)
    this.checkCompletion(service, primary)
  }

  /** Tasks whose target turned unhealthy after the grace period are replaced (and count as failed). */
  private enforceHealth(service: ServiceRecord, tasks: TaskRecord[]): void {
    const graceMs = (service.healthCheckGracePeriodSeconds ?? 0) * 1000
    const failing: TaskRecord[] = []
    for (const t of tasks) {
      if (t.lastStatus !== 'RUNNING' || t.desiredStatus !== 'RUNNING') continue
      if ((t.startedAt ?? 0) + graceMs > this.now) continue
      for (const r of t.registrations) {
        const target = this.world.elbv2.targetGroups.get(r.targetGroupArn)?.targets.get(`${t.ip}:${r.port}`)
        if (target?.state !== 'unhealthy') continue
        this.event(
          service,
          `(task ${t.id}) (port ${r.port}) is unhealthy in (target-group ${r.targetGroupArn}) due to (reason ${target.description ?? 'Health checks failed'}).`
        )
        this.stopTask(
          t,
          `Task failed ELB health checks in (target-group ${r.targetGroupArn})`,
          'ServiceSchedulerInitiated',
          true
        )
        failing.push(t)
        break
      }
    }
    this.stoppedEvent(service, failing)
  }

  private launch(service: ServiceRecord, primary: DeploymentRecord): void {
    if (primary.rolloutState === 'FAILED') return
    const active = this.serviceTasks(service).filter(t => t.desiredStatus === 'RUNNING')
    const mine = active.filter(t => t.deploymentId === primary.id)
    const maxTotal = Math.floor((service.desiredCount * service.deploymentConfiguration.maximumPercent) / 100)
    const want = Math.min(service.desiredCount - mine.length, maxTotal - active.length)
    if (want <= 0 || this.now < service.nextLaunchAt) return
    const td = this.findTaskDefinition(primary.taskDefinition) as TaskDefinitionRecord
    const behavior = this.behaviorOf(service, td)
    if (behavior.unplaceable) {
      if (service.lastPlacementEventAt === undefined || this.now - service.lastPlacementEventAt >= 300_000) {
        service.lastPlacementEventAt = this.now
        this.event(
          service,
          'was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.'
        )
      }
      return
    }
    const started: TaskRecord[] = []
    for (let i = 0; i < want; i++) started.push(this.startTask(service, primary, td, behavior))
    this.event(
      service,
      `has started ${started.length} tasks: ${started.map(t => `(task ${t.id})`).join(' ')}.`
    )
  }

  /**
   * Stops tasks of older deployments (and surplus tasks of the primary) as far as
   * minimumHealthyPercent allows; tasks that are not healthy can always go.
   */
  private stopSurplus(service: ServiceRecord, primary: DeploymentRecord): void {
    const active = this.serviceTasks(service).filter(t => t.desiredStatus === 'RUNNING')
    const minHealthy = Math.ceil(
      (service.desiredCount * service.deploymentConfiguration.minimumHealthyPercent) / 100
    )
    let spare = active.filter(t => this.healthy(service, t)).length - minHealthy
    const old = active.filter(t => t.deploymentId !== primary.id)
    const mine = active.filter(t => t.deploymentId === primary.id)
    // Unhealthy first, then the oldest: the order ECS stops old tasks in.
    const order = (a: TaskRecord, b: TaskRecord) =>
      Number(this.healthy(service, a)) - Number(this.healthy(service, b)) || a.createdAt - b.createdAt
    const surplus = [
      ...old.sort(order),
      ...mine.sort(order).slice(0, Math.max(0, mine.length - service.desiredCount))
    ]
    const stopped: TaskRecord[] = []
    for (const t of surplus) {
      const isHealthy = this.healthy(service, t)
      if (isHealthy && spare <= 0) continue
      if (isHealthy) spare--
      this.stopTask(
        t,
        `Scaling activity initiated by (deployment ${primary.id})`,
        'ServiceSchedulerInitiated',
        false
      )
      stopped.push(t)
    }
    this.stoppedEvent(service, stopped)
  }

  private stoppedEvent(service: ServiceRecord, stopped: TaskRecord[]): void {
    if (stopped.length === 0) return
    const draining = stopped.filter(t => t.registrations.length > 0)
    if (draining.length > 0) {
      this.event(service, `has begun draining connections on ${draining.length} tasks.`)
      const byGroup = new Map<string, number>()
      for (const t of draining)
        for (const r of t.registrations)
          byGroup.set(r.targetGroupArn, (byGroup.get(r.targetGroupArn) ?? 0) + 1)
      for (const [arn, n] of byGroup)
        this.event(service, `deregistered ${n} targets in (target-group ${arn})`)
    }
    this.event(
      service,
      `has stopped ${stopped.length} running tasks: ${stopped.map(t => `(task ${t.id})`).join(' ')}.`
    )
  }

  /** Older deployments whose tasks have all stopped leave the list. */
  private retireDeployments(service: ServiceRecord): void {
    const tasks = this.serviceTasks(service)
    service.deployments = service.deployments.filter(
      d =>
        d.status === 'PRIMARY' ||
        (d.retireAfter ?? 0) > this.now ||
        tasks.some(t => t.deploymentId === d.id && t.lastStatus !== 'STOPPED')
    )
  }

  private checkCompletion(service: ServiceRecord, primary: DeploymentRecord): void {
    const tasks = this.serviceTasks(service)
    const healthyPrimary = tasks.filter(t => t.deploymentId === primary.id && this.healthy(service, t)).length
    const settled =
      service.deployments.length === 1 &&
      healthyPrimary === service.desiredCount &&
      tasks.every(
        t => t.lastStatus === 'STOPPED' || (t.deploymentId === primary.id && this.healthy(service, t))
      )
    if (settled && primary.rolloutState === 'IN_PROGRESS') {
      primary.rolloutState = 'COMPLETED'
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`
      primary.updatedAt = this.now
      service.lastCompleted = { id: primary.id, taskDefinition: primary.taskDefinition }
      this.event(service, `(deployment ${primary.id}) deployment completed.`)
    }
    if (settled && !service.steady && primary.rolloutState === 'COMPLETED')
      this.event(service, 'has reached a steady state.')
    service.steady = settled && primary.rolloutState === 'COMPLETED'
  }

  /** What the task's app does: the load-balanced container's image decides; any container can fail the start. */
  private behaviorOf(service: ServiceRecord, td: TaskDefinitionRecord): AppBehavior {
    const containers = td.body.containerDefinitions ?? []
    const served =
      containers.find(c => c.name === service.loadBalancers[0]?.containerName) ??
      containers.find(c => c.essential !== false) ??
      containers[0]
    const behavior = { ...this.world.apps.forImage(served?.image ?? '') }
    for (const c of containers) {
      const b = this.world.apps.forImage(c.image ?? '')
      if (b.failToStart && !behavior.failToStart) behavior.failToStart = b.failToStart
      if (b.unplaceable) behavior.unplaceable = true
    }
    return behavior
  }

  private startTask(
    service: ServiceRecord,
    deployment: DeploymentRecord,
    td: TaskDefinitionRecord,
    behavior: AppBehavior
  ): TaskRecord {
    const id = this.world.ids.hex(32)
    const cluster = this.clusters.get(service.clusterArn) as ClusterRecord
    const zones = this.world.zones
    const t: TaskRecord = {
      arn: this.world.arn('ecs', `task/${cluster.name}/${id}`),
      id,
      clusterArn: service.clusterArn,
      serviceName: service.name,
      deploymentId: deployment.id,
      taskDefinitionArn: td.arn,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      ip: this.world.ids.privateIp(),
      availabilityZone: zones[this.tasks.size % zones.length],
      launchType: service.launchType,
      cpu: td.body.cpu,
      memory: td.body.memory,
      createdAt: this.now,
      containers: (td.body.containerDefinitions ?? []).map(c => ({
        containerArn: this.world.arn('ecs', `container/${cluster.name}/${id}/${this.world.ids.uuid()}`),
        taskArn: this.world.arn('ecs', `task/${cluster.name}/${id}`),
        name: c.name,
        image: c.image,
        lastStatus: 'PENDING',
        networkBindings: [],
        networkInterfaces: [],
        healthStatus: 'UNKNOWN'
      })),
      behavior,
      registrations: [],
      tags:
        service.propagateTags === 'SERVICE'
          ? [...service.tags]
          : service.propagateTags === 'TASK_DEFINITION'
            ? [...td.tags]
            : [],
      events: []
    }
    this.tasks.set(id, t)
    const startMs = (behavior.startSeconds ?? DEFAULT_BEHAVIOR.startSeconds) * 1000
    t.events.push(
      this.world.timeline.after(Math.min(5000, startMs / 2), () => {
        if (t.lastStatus !== 'PROVISIONING') return
        t.lastStatus = 'PENDING'
        t.pullStartedAt = this.now
      }),
      this.world.timeline.after(startMs, () =>
        behavior.failToStart ? this.failStart(t, behavior.failToStart) : this.running(t)
      )
    )
    return t
  }

  private running(t: TaskRecord): void {
    if (t.desiredStatus !== 'RUNNING') return this.finish(t, 0)
    const service = this.serviceOf(t)
    t.lastStatus = 'RUNNING'
    t.pullStoppedAt = this.now
    t.startedAt = this.now
    for (const c of t.containers) c.lastStatus = 'RUNNING'
    for (const c of t.containers)
      c.networkInterfaces = [{ attachmentId: `eni-attach-${t.id.slice(0, 8)}`, privateIpv4Address: t.ip }]
    const backend = new Backend(t.ip, t.arn, t.behavior, this.now + (t.behavior.bootSeconds ?? 0) * 1000)
    t.backend = backend
    this.world.endpoints.set(t.ip, backend)
    if (service) {
      for (const lb of service.loadBalancers) {
        const tg = this.world.elbv2.targetGroups.get(lb.targetGroupArn ?? '')
        if (!tg) continue
        const port = lb.containerPort ?? tg.port
        this.world.elbv2.register(tg, { id: t.ip, port, availabilityZone: t.availabilityZone })
        t.registrations.push({ targetGroupArn: tg.arn, port })
        this.noteRegistration(service, tg.arn)
      }
    }
    if (t.behavior.crashAfterSeconds !== undefined) {
      t.events.push(
        this.world.timeline.after(t.behavior.crashAfterSeconds * 1000, () =>
          this.crash(t, t.behavior.exitCode ?? DEFAULT_BEHAVIOR.exitCode)
        )
      )
    }
  }

  /** Targets registered at one instant are reported in one event per group, as ECS batches them. */
  private noteRegistration(service: ServiceRecord, targetGroupArn: string): void {
    const first = service.registeredNow.size === 0
    service.registeredNow.set(targetGroupArn, (service.registeredNow.get(targetGroupArn) ?? 0) + 1)
    if (!first) return
    this.world.timeline.at(this.now, () => {
      for (const [arn, n] of service.registeredNow)
        this.event(service, `registered ${n} targets in (target-group ${arn})`)
      service.registeredNow.clear()
    })
  }

  private serviceOf(t: TaskRecord): ServiceRecord | undefined {
    return t.serviceName ? this.services.get(this.serviceKey(t.clusterArn, t.serviceName)) : undefined
  }

  private failStart(t: TaskRecord, reason: string): void {
    if (t.lastStatus === 'STOPPED') return
    t.lastStatus = 'STOPPED'
    t.desiredStatus = 'STOPPED'
    t.stoppingAt = this.now
    t.stoppedAt = this.now
    t.stoppedReason = reason
    t.stopCode = 'TaskFailedToStart'
    for (const c of t.containers) {
      c.lastStatus = 'STOPPED'
      c.reason = reason
    }
    const service = this.serviceOf(t)
    if (service) {
      service.launchFailureStreak++
      service.nextLaunchAt = this.now + Math.min(120, 10 * service.launchFailureStreak) * 1000
      this.countFailure(service, t)
    }
  }

  /**
   * The essential container exits (or the task is killed): the task stops at once, its targets
   * drain, and the scheduler replaces it.
   */
  crash(t: TaskRecord, exitCode: number, reason = 'Essential container in task exited'): void {
    if (t.lastStatus === 'STOPPED') return
    t.backend?.stop(this.now)
    const service = this.serviceOf(t)
    const wasRunning = t.desiredStatus === 'RUNNING'
    t.desiredStatus = 'STOPPED'
    t.stoppingAt ??= this.now
    t.stoppedReason ??= reason
    t.stopCode ??= 'EssentialContainerExited'
    this.releaseTargets(t)
    t.lastStatus = 'STOPPED'
    t.stoppedAt = this.now
    for (const c of t.containers) {
      c.lastStatus = 'STOPPED'
      c.exitCode = exitCode
    }
    for (const e of t.events) e.cancel()
    if (service && wasRunning) {
      this.countFailure(service, t)
      this.scheduleTick(service, 0)
    }
  }

  private releaseTargets(t: TaskRecord, onDrained?: () => void): void {
    let pending = t.registrations.length
    if (pending === 0) {
      onDrained?.()
      return
    }
    for (const r of t.registrations) {
      const tg: TargetGroupRecord | undefined = this.world.elbv2.targetGroups.get(r.targetGroupArn)
      const done = () => {
        if (--pending === 0) onDrained?.()
      }
      if (tg) this.world.elbv2.deregister(tg, t.ip, r.port, done)
      else done()
    }
  }

  /** The scheduler (or a user) stops a task: deregister, drain, SIGTERM, STOPPED. */
  stopTask(t: TaskRecord, reason: string, stopCode: TaskStopCode, countAsFailure: boolean): void {
    if (t.desiredStatus === 'STOPPED') return
    t.desiredStatus = 'STOPPED'
    t.stoppingAt = this.now
    t.stoppedReason = reason
    t.stopCode = stopCode
    const service = this.serviceOf(t)
    if (countAsFailure && service) this.countFailure(service, t)
    if (t.lastStatus !== 'RUNNING') {
      // Not started yet: it never gets to run.
      for (const e of t.events) e.cancel()
      this.finish(t, undefined)
      return
    }
    if (t.registrations.length > 0) t.lastStatus = 'DEACTIVATING'
    this.releaseTargets(t, () => this.sigterm(t))
  }

  private sigterm(t: TaskRecord): void {
    if (t.lastStatus === 'STOPPED') return
    t.lastStatus = 'STOPPING'
    const stopTimeout = this.world.timing.ecsStopTimeoutSeconds
    const shutdown = t.behavior.shutdownSeconds ?? DEFAULT_BEHAVIOR.shutdownSeconds
    const seconds = Math.min(shutdown, stopTimeout)
    t.backend?.stop(this.now + seconds * 1000)
    t.events.push(
      this.world.timeline.after(seconds * 1000, () => this.finish(t, shutdown > stopTimeout ? 137 : 0))
    )
  }

  private finish(t: TaskRecord, exitCode: number | undefined): void {
    if (t.lastStatus === 'STOPPED') return
    t.backend?.stop(this.now)
    t.lastStatus = 'STOPPED'
    t.stoppedAt = this.now
    for (const c of t.containers) {
      c.lastStatus = 'STOPPED'
      if (exitCode !== undefined) c.exitCode = exitCode
    }
    const service = this.serviceOf(t)
    if (service) this.scheduleTick(service, 0)
  }

  /** Counts a failed task against its deployment; the circuit breaker trips at the documented threshold. */
  private countFailure(service: ServiceRecord, t: TaskRecord): void {
    const d = service.deployments.find(x => x.id === t.deploymentId)
    if (!d) return
    d.failedTasks++
    d.updatedAt = this.now
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker
    if (!breaker.enable || d.status !== 'PRIMARY' || d.rolloutState !== 'IN_PROGRESS') return
    if (d.failedTasks < circuitBreakerThreshold(service.desiredCount)) return
    d.rolloutState = 'FAILED'
    d.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.'
    this.event(service, `(deployment ${d.id}) deployment failed: tasks failed to start.`)
    const target = service.lastCompleted
    if (breaker.rollback && target && target.id !== d.id) {
      this.event(service, `rolling back to deployment ${target.id}.`)
      this.startDeployment(
        service,
        target.taskDefinition,
        `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`
      )
    } else {
      service.frozen = true
    }
    this.scheduleTick(service, 0)
  }

  // ---- world builders ----------------------------------------------------------------------

  /**
   * A service already at steady state: `desiredCount` tasks of `taskDefinition` RUNNING, registered
   * and healthy, one COMPLETED deployment. What a deploy starts from.
   */
  seedSteadyService(input: CreateServiceCommandInput): ServiceRecord {
    const service = this.addService(input)
    const primary = service.deployments[0]
    primary.createdAt = primary.updatedAt = service.createdAt = this.now - 86_400_000
    const td = this.findTaskDefinition(primary.taskDefinition) as TaskDefinitionRecord
    const behavior = this.behaviorOf(service, td)
    for (let i = 0; i < service.desiredCount; i++) {
      const t = this.startTask(service, primary, td, behavior)
      for (const e of t.events) e.cancel()
      t.events = []
      t.createdAt = this.now - 3_600_000
      this.running(t)
      t.startedAt = t.pullStartedAt = t.pullStoppedAt = this.now - 3_590_000
      for (const r of t.registrations) {
        const target = this.world.elbv2.targetGroups.get(r.targetGroupArn)?.targets.get(`${t.ip}:${r.port}`)
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
    this.event(service, 'has reached a steady state.')
    return service
  }
}

function tokenPage(
  items: string[],
  token: string | undefined,
  size: number
): { items: string[]; next?: string } {
  const start = token ? Number(token) : 0
  const slice = items.slice(start, start + size)
  return { items: slice, next: start + size < items.length ? String(start + size) : undefined }
}
