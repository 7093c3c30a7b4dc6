// What the ECS model keeps about clusters, task definitions, services, deployments and tasks.
import type {
  CapacityProviderStrategyItem,
  Container,
  DeploymentConfiguration,
  DeploymentRolloutState,
  LoadBalancer as EcsLoadBalancer,
  NetworkConfiguration,
  ServiceEvent,
  Tag,
  ServiceConnectConfiguration,
  ServiceDeploymentLifecycleStage,
  ServiceDeploymentStatus,
  TaskDefinition,
  TaskStopCode
} from '@aws-sdk/client-ecs'
import { type AppBehavior, Backend } from '../apps.js'
import type { ScheduledEvent } from '../timeline.js'

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
    /** CloudWatch alarms that fail (and may roll back) a deployment: kept and reported, never evaluated. */
    alarms?: DeploymentConfiguration['alarms']
  } & Pick<
      DeploymentConfiguration,
      'strategy' | 'bakeTimeInMinutes' | 'canaryConfiguration' | 'linearConfiguration' | 'lifecycleHooks'
    >
  /** The service deployment now in charge (BLUE_GREEN, LINEAR, CANARY; see service-deployments.ts). */
  currentServiceDeployment?: string
  loadBalancers: EcsLoadBalancer[]
  /** Service Connect: reported on each deployment, as DescribeServices does. */
  serviceConnectConfiguration?: ServiceConnectConfiguration
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
  /** RunTask's `startedBy` and `group` (a service's tasks have the deployment and `service:<name>`). */
  startedBy?: string
  group?: string
  /** The container whose awslogs stream the behaviour's log lines go to. */
  logContainer?: string
}

export const PENDING_STATES = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING'])

/** A lifecycle hook's run at one stage of one service deployment. */
export interface HookRunRecord {
  hookId: string
  targetType: 'AWS_LAMBDA' | 'PAUSE'
  targetArn?: string
  status: 'IN_PROGRESS' | 'AWAITING_ACTION' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT'
  expiresAt?: number
  timeoutAction?: 'CONTINUE' | 'ROLLBACK'
  timer?: ScheduledEvent
}

export interface ServiceRevisionRecord {
  arn: string
  serviceArn: string
  clusterArn: string
  taskDefinition: string
  /** The DeploymentRecord whose tasks run this revision. */
  deploymentId: string
  createdAt: number
}

/** A BLUE_GREEN, LINEAR or CANARY service deployment moving through its lifecycle stages. */
export interface ServiceDeploymentRecord {
  arn: string
  serviceArn: string
  clusterArn: string
  serviceName: string
  createdAt: number
  startedAt: number
  updatedAt: number
  finishedAt?: number
  status: ServiceDeploymentStatus
  statusReason?: string
  stage: ServiceDeploymentLifecycleStage
  stageStartedAt: number
  source: ServiceRevisionRecord
  target: ServiceRevisionRecord
  /** The hooks of the current stage. */
  hooks: HookRunRecord[]
  /** Green's share of production traffic, in percent. */
  productionPercent: number
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string }
  failureCount: number
  breakerTriggered: boolean
  /** Every stage and status it entered, with the time: what the detection tests measure against. */
  history: Array<{ atMs: number; stage: ServiceDeploymentLifecycleStage; status: ServiceDeploymentStatus }>
}
