// Amazon ECS as a deploy sees it: clusters, task definitions, services with rolling deployments that
// honour minimumHealthyPercent / maximumPercent, tasks that start, register with their target group,
// drain and stop, the deployment circuit breaker (and its rollback), and service events worded as
// ECS words them. The scheduler looks at every service every few seconds, like the real one.
import type {
  CreateClusterCommandInput,
  CreateServiceCommandInput,
  DeleteServiceCommandInput,
  DeregisterTaskDefinitionCommandInput,
  DescribeClustersCommandInput,
  DescribeServicesCommandInput,
  DescribeTaskDefinitionCommandInput,
  DescribeTasksCommandInput,
  ListServicesCommandInput,
  ListTagsForResourceCommandInput,
  ListTaskDefinitionsCommandInput,
  ListTasksCommandInput,
  RegisterTaskDefinitionCommandInput,
  Service,
  StopTaskCommandInput,
  Tag,
  TagResourceCommandInput,
  TaskStopCode,
  UntagResourceCommandInput,
  UpdateServiceCommandInput
} from '@aws-sdk/client-ecs'
import type { Handler } from '../clients.js'
import { awsError } from '../errors.js'
import type { World } from '../world.js'
import { addCluster, clusterByRef, createCluster, describeClusters } from './clusters.js'
import type { ClusterRecord, ServiceRecord, TaskDefinitionRecord, TaskRecord } from './records.js'
import {
  addService,
  createService,
  deleteService,
  describeServices,
  findService,
  listServices,
  seedSteadyService,
  serviceShape,
  updateService
} from './services.js'
import { listTagsForResource, tagResource, untagResource } from './tags.js'
import {
  addTaskDefinition,
  deregisterTaskDefinition,
  describeTaskDefinition,
  findTaskDefinition,
  listTaskDefinitions,
  registerTaskDefinition
} from './task-definitions.js'
import { crash, stopTask } from './task-lifecycle.js'
import { describeTasks, listTasks, stopTaskCommand } from './tasks.js'

/**
 * The model's state, its API handlers by command name, and the methods the world's builders and
 * other models call. The work is done in the resource files beside this one.
 */
export class EcsModel {
  readonly clusters = new Map<string, ClusterRecord>()
  readonly taskDefinitions = new Map<string, TaskDefinitionRecord[]>()
  /** Keyed by `<cluster arn>/<service name>`. */
  readonly services = new Map<string, ServiceRecord>()
  readonly tasks = new Map<string, TaskRecord>()

  constructor(readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return {
      CreateCluster: i => createCluster(this, i as CreateClusterCommandInput),
      DescribeClusters: i => describeClusters(this, i as DescribeClustersCommandInput),
      RegisterTaskDefinition: i => registerTaskDefinition(this, i as RegisterTaskDefinitionCommandInput),
      DescribeTaskDefinition: i => describeTaskDefinition(this, i as DescribeTaskDefinitionCommandInput),
      DeregisterTaskDefinition: i =>
        deregisterTaskDefinition(this, i as DeregisterTaskDefinitionCommandInput),
      ListTaskDefinitions: i => listTaskDefinitions(this, i as ListTaskDefinitionsCommandInput),
      CreateService: i => createService(this, i as CreateServiceCommandInput),
      UpdateService: i => updateService(this, i as UpdateServiceCommandInput),
      DeleteService: i => deleteService(this, i as DeleteServiceCommandInput),
      DescribeServices: i => describeServices(this, i as DescribeServicesCommandInput),
      ListServices: i => listServices(this, i as ListServicesCommandInput),
      DescribeTasks: i => describeTasks(this, i as DescribeTasksCommandInput),
      ListTasks: i => listTasks(this, i as ListTasksCommandInput),
      StopTask: i => stopTaskCommand(this, i as StopTaskCommandInput),
      TagResource: i => tagResource(this, i as TagResourceCommandInput),
      UntagResource: i => untagResource(this, i as UntagResourceCommandInput),
      ListTagsForResource: i => listTagsForResource(this, i as ListTagsForResourceCommandInput)
    }
  }

  get now(): number {
    return this.world.now()
  }

  error(code: string, message: string): Error {
    return awsError('ecs', code, message)
  }

  addCluster(name: string, tags: Tag[] = []): ClusterRecord {
    return addCluster(this, name, tags)
  }

  cluster(ref: string | undefined): ClusterRecord {
    return clusterByRef(this, ref)
  }

  /** Registers a revision (world builders and RegisterTaskDefinition). */
  addTaskDefinition(input: RegisterTaskDefinitionCommandInput): TaskDefinitionRecord {
    return addTaskDefinition(this, input)
  }

  /** `family`, `family:revision` or an ARN; a bare family means its latest ACTIVE revision. */
  findTaskDefinition(ref: string): TaskDefinitionRecord | undefined {
    return findTaskDefinition(this, ref)
  }

  /** A service by name or ARN in a cluster, including DRAINING and INACTIVE ones. */
  findService(cluster: ClusterRecord, ref: string): ServiceRecord | undefined {
    return findService(this, cluster, ref)
  }

  /** Creates a service and starts its first deployment (CreateService). */
  addService(input: CreateServiceCommandInput): ServiceRecord {
    return addService(this, input)
  }

  serviceShape(s: ServiceRecord, withTags: boolean): Service {
    return serviceShape(this, s, withTags)
  }

  /**
   * The essential container exits (or the task is killed): the task stops at once, its targets
   * drain, and the scheduler replaces it.
   */
  crash(t: TaskRecord, exitCode: number, reason = 'Essential container in task exited'): void {
    return crash(this, t, exitCode, reason)
  }

  /** The scheduler (or a user) stops a task: deregister, drain, SIGTERM, STOPPED. */
  stopTask(t: TaskRecord, reason: string, stopCode: TaskStopCode, countAsFailure: boolean): void {
    return stopTask(this, t, reason, stopCode, countAsFailure)
  }

  /**
   * A service already at steady state: `desiredCount` tasks of `taskDefinition` RUNNING, registered
   * and healthy, one COMPLETED deployment. What a deploy starts from.
   */
  seedSteadyService(input: CreateServiceCommandInput): ServiceRecord {
    return seedSteadyService(this, input)
  }
}
