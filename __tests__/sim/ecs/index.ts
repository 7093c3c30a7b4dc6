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
  TagResourceCommandInput,
  UntagResourceCommandInput,
  UpdateServiceCommandInput
} from '@aws-sdk/client-ecs'
import type { Handler } from '../clients.js'
import { awsError } from '../errors.js'
import type { ModelArgs, World } from '../world.js'
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

  addCluster(...args: ModelArgs<typeof addCluster>): ClusterRecord {
    return addCluster(this, ...args)
  }

  cluster(...args: ModelArgs<typeof clusterByRef>): ClusterRecord {
    return clusterByRef(this, ...args)
  }

  /** Registers a revision (world builders and RegisterTaskDefinition). */
  addTaskDefinition(...args: ModelArgs<typeof addTaskDefinition>): TaskDefinitionRecord {
    return addTaskDefinition(this, ...args)
  }

  /** `family`, `family:revision` or an ARN; a bare family means its latest ACTIVE revision. */
  findTaskDefinition(...args: ModelArgs<typeof findTaskDefinition>): TaskDefinitionRecord | undefined {
    return findTaskDefinition(this, ...args)
  }

  /** A service by name or ARN in a cluster, including DRAINING and INACTIVE ones. */
  findService(...args: ModelArgs<typeof findService>): ServiceRecord | undefined {
    return findService(this, ...args)
  }

  /** Creates a service and starts its first deployment (CreateService). */
  addService(...args: ModelArgs<typeof addService>): ServiceRecord {
    return addService(this, ...args)
  }

  serviceShape(...args: ModelArgs<typeof serviceShape>): Service {
    return serviceShape(this, ...args)
  }

  /**
   * The essential container exits (or the task is killed): the task stops at once, its targets
   * drain, and the scheduler replaces it.
   */
  crash(...args: ModelArgs<typeof crash>): void {
    return crash(this, ...args)
  }

  /** The scheduler (or a user) stops a task: deregister, drain, SIGTERM, STOPPED. */
  stopTask(...args: ModelArgs<typeof stopTask>): void {
    return stopTask(this, ...args)
  }

  /**
   * A service already at steady state: `desiredCount` tasks of `taskDefinition` RUNNING, registered
   * and healthy, one COMPLETED deployment. What a deploy starts from.
   */
  seedSteadyService(...args: ModelArgs<typeof seedSteadyService>): ServiceRecord {
    return seedSteadyService(this, ...args)
  }
}
