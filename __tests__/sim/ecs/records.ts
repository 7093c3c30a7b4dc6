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

export const PENDING_STATES = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING'])
