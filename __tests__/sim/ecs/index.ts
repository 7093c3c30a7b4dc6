// Amazon ECS as a deploy sees it: clusters, task definitions, services with rolling deployments that
// honour minimumHealthyPercent / maximumPercent, tasks that start, register with their target group,
// drain and stop, the deployment circuit breaker (and its rollback), and service events worded as
// ECS words them. The scheduler looks at every service every few seconds, like the real one.
import { commandHandlers, type Handler } from '../clients.js'
import { awsError } from '../errors.js'
import type { ModelArgs, World } from '../world.js'
import { createCluster, describeClusters } from './clusters.js'
import type {
  ClusterRecord,
  ServiceDeploymentRecord,
  ServiceRecord,
  ServiceRevisionRecord,
  TaskDefinitionRecord,
  TaskRecord
} from './records.js'
import {
  continueServiceDeployment,
  describeServiceDeployments,
  describeServiceRevisions,
  listServiceDeployments,
  stopServiceDeployment
} from './service-deployments.js'
import { createService, deleteService, describeServices, listServices, updateService } from './services.js'
import { listTagsForResource, tagResource, untagResource } from './tags.js'
import {
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitionFamilies,
  listTaskDefinitions,
  registerTaskDefinition
} from './task-definitions.js'
import { crash } from './task-lifecycle.js'
import { runTask } from './run-task.js'
import { describeTasks, listTasks, stopTaskCommand } from './tasks.js'

/**
 * The model's state and its API handlers by command name, plus the few methods tests call on it. The
 * work is done by the functions in the resource files beside this one, which take the model first.
 */
export class EcsModel {
  readonly clusters = new Map<string, ClusterRecord>()
  readonly taskDefinitions = new Map<string, TaskDefinitionRecord[]>()
  /** Keyed by `<cluster arn>/<service name>`. */
  readonly services = new Map<string, ServiceRecord>()
  readonly tasks = new Map<string, TaskRecord>()
  readonly serviceDeployments = new Map<string, ServiceDeploymentRecord>()
  readonly serviceRevisions = new Map<string, ServiceRevisionRecord>()
  /** The stand-in answer of each Lambda lifecycle hook, by function ARN (SUCCEEDED after 1 s otherwise). */
  readonly lambdaHooks = new Map<string, { status: 'SUCCEEDED' | 'FAILED'; seconds: number }>()
  /** RunTask client tokens: the parameters of the first call and the tasks it started. */
  readonly runTaskTokens = new Map<string, { params: string; taskIds: string[] }>()

  constructor(readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return commandHandlers(this, {
      CreateCluster: createCluster,
      DescribeClusters: describeClusters,
      RegisterTaskDefinition: registerTaskDefinition,
      DescribeTaskDefinition: describeTaskDefinition,
      DeregisterTaskDefinition: deregisterTaskDefinition,
      ListTaskDefinitions: listTaskDefinitions,
      ListTaskDefinitionFamilies: listTaskDefinitionFamilies,
      CreateService: createService,
      UpdateService: updateService,
      DeleteService: deleteService,
      DescribeServices: describeServices,
      ListServices: listServices,
      DescribeTasks: describeTasks,
      ListTasks: listTasks,
      RunTask: runTask,
      StopTask: stopTaskCommand,
      TagResource: tagResource,
      UntagResource: untagResource,
      ListTagsForResource: listTagsForResource,
      ListServiceDeployments: listServiceDeployments,
      DescribeServiceDeployments: describeServiceDeployments,
      DescribeServiceRevisions: describeServiceRevisions,
      ContinueServiceDeployment: continueServiceDeployment,
      StopServiceDeployment: stopServiceDeployment
    })
  }

  get now(): number {
    return this.world.now()
  }

  error(code: string, message: string): Error {
    return awsError('ecs', code, message)
  }

  /**
   * The essential container exits (or the task is killed): the task stops at once, its targets
   * drain, and the scheduler replaces it.
   */
  crash(...args: ModelArgs<typeof crash>): void {
    return crash(this, ...args)
  }
}
