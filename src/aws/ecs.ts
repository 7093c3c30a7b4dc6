// The thin layer over ECS: services (found by tags, created, updated, deleted), task definitions,
// tasks. One AWS operation per function (plus paging); strategies never touch the SDK client directly.
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServicesCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type LoadBalancer,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type Service,
  type Tag,
  type Task,
  type TaskDefinition
} from '@aws-sdk/client-ecs'
import { DeployError, hasErrorCode } from '../errors.js'
import { allPages, type AwsApi } from './api.js'
import { shortName } from './arns.js'
import { toEcsTags } from './tags.js'

/** A missing cluster, said with the input to check; any other error as it is. */
function clusterNotFound(e: unknown, cluster: string): unknown {
  if (!hasErrorCode(e, 'ClusterNotFound')) return e
  return new DeployError(
    `ECS cluster '${cluster}' was not found.`,
    `check the 'cluster' input (name or ARN) and the region.`,
    { cause: e }
  )
}

/**
 * The service (with its tags when `tags` is set), or a DeployError naming the cluster and service when
 * either does not exist.
 */
export async function describeService(
  aws: AwsApi,
  cluster: string,
  service: string,
  opts: { tags?: boolean } = {}
): Promise<Service> {
  let out
  try {
    out = await aws.read('ecs:DescribeServices', () =>
      aws.clients.ecs.send(
        new DescribeServicesCommand({
          cluster,
          services: [service],
          ...(opts.tags ? { include: ['TAGS' as const] } : {})
        })
      )
    )
  } catch (e) {
    throw clusterNotFound(e, cluster)
  }
  const found = out.services?.[0]
  if (!found) {
    const reason = out.failures?.[0]?.reason ?? 'MISSING'
    throw new DeployError(
      `ECS service '${service}' was not found in cluster '${cluster}' (${reason}).`,
      `check the 'service' and 'cluster' inputs and the region.`
    )
  }
  return found
}

export interface TaskDefinitionWithTags {
  taskDefinition: TaskDefinition
  tags: Tag[]
}

export async function describeTaskDefinition(aws: AwsApi, arn: string): Promise<TaskDefinitionWithTags> {
  const out = await aws.read('ecs:DescribeTaskDefinition', () =>
    aws.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }))
  )
  if (!out.taskDefinition)
    throw new DeployError(`Task definition ${arn} was not found.`, 'check that the revision still exists.')
  return { taskDefinition: out.taskDefinition, tags: out.tags ?? [] }
}

/**
 * Registers a revision; in dry-run returns `planned` (printed with family and images), by default the
 * input under the ARN `<family>:<next revision>`.
 */
export async function registerTaskDefinition(
  aws: AwsApi,
  input: RegisterTaskDefinitionCommandInput,
  planned: TaskDefinition = { ...input, taskDefinitionArn: `${input.family}:<next revision>` }
): Promise<TaskDefinition> {
  const params = {
    family: input.family,
    images: (input.containerDefinitions ?? []).map(c => `${c.name}=${c.image}`)
  }
  const out = await aws.write(
    'ecs:RegisterTaskDefinition',
    params,
    () => aws.clients.ecs.send(new RegisterTaskDefinitionCommand(input)),
    { taskDefinition: planned, $metadata: {} }
  )
  if (!out.taskDefinition?.taskDefinitionArn)
    throw new DeployError(`RegisterTaskDefinition returned no task definition for family ${input.family}.`)
  return out.taskDefinition
}

export interface UpdateServiceParams {
  cluster: string
  service: string
  taskDefinition?: string
  desiredCount?: number
  forceNewDeployment?: boolean
  loadBalancers?: LoadBalancer[]
}

/**
 * Points the service at a task definition (which starts a deployment) and/or sets its desired count;
 * in dry-run returns `planned` (see plannedUpdate).
 */
export async function updateService(
  aws: AwsApi,
  params: UpdateServiceParams,
  planned: Service
): Promise<Service> {
  const out = await aws.write(
    'ecs:UpdateService',
    { ...params },
    () => aws.clients.ecs.send(new UpdateServiceCommand({ ...params })),
    { service: planned, $metadata: {} }
  )
  if (!out.service) throw new DeployError(`UpdateService returned no service for ${params.service}.`)
  return out.service
}

/**
 * What a dry run's UpdateService answers: `current` with the new revision in a `<new deployment>`
 * (and, for ECS's blue/green strategies, a `<new service deployment>`).
 */
export function plannedUpdate(params: UpdateServiceParams, current: Service): Service {
  const taskDefinition = params.taskDefinition ?? current.taskDefinition
  return {
    ...current,
    taskDefinition,
    currentServiceDeployment: '<new service deployment>',
    deployments: [{ id: '<new deployment>', status: 'PRIMARY', taskDefinition }]
  }
}

/**
 * ARNs of the service's stopped tasks (ECS keeps them visible for about an hour), up to `maxPages`
 * pages of 100: a crash-looping service can stop hundreds in that hour, and the newest may be on any page.
 */
export async function listStoppedTasks(
  aws: AwsApi,
  cluster: string,
  service: string,
  maxPages = 5
): Promise<string[]> {
  return listServiceTasks(aws, cluster, service, 'STOPPED', maxPages)
}

/** ARNs of the service's tasks whose desired status is `desiredStatus`, up to `maxPages` pages of 100. */
export async function listServiceTasks(
  aws: AwsApi,
  cluster: string,
  service: string,
  desiredStatus: 'RUNNING' | 'STOPPED',
  maxPages = 5
): Promise<string[]> {
  // ListTasks filters by service *name* (unlike DescribeServices, which takes a name or an ARN).
  return listTaskArns(aws, { cluster, serviceName: shortName(service) || service, desiredStatus }, maxPages)
}

/** ARNs of the cluster's tasks RunTask started with this `startedBy`, still meant to run. */
export async function listRunningTasksStartedBy(
  aws: AwsApi,
  cluster: string,
  startedBy: string
): Promise<string[]> {
  return listTaskArns(aws, { cluster, startedBy, desiredStatus: 'RUNNING' }, 5)
}

async function listTaskArns(
  aws: AwsApi,
  filter: { cluster: string; serviceName?: string; startedBy?: string; desiredStatus: 'RUNNING' | 'STOPPED' },
  maxPages: number
): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  for (let page = 0; page < maxPages; page++) {
    const out = await aws.read('ecs:ListTasks', () =>
      aws.clients.ecs.send(new ListTasksCommand({ ...filter, maxResults: 100, nextToken }))
    )
    arns.push(...(out.taskArns ?? []))
    nextToken = out.nextToken
    if (!nextToken) break
  }
  return arns
}

/**
 * Starts one task outside any service. The clientToken makes it idempotent: a retry of this call
 * (a timeout after ECS had started it) returns the same task instead of starting a second one
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/ECS_Idempotency.html). Returns the task,
 * or the reason ECS gave for starting none; in dry-run returns undefined.
 */
export async function runTask(
  aws: AwsApi,
  input: RunTaskCommandInput & { clientToken: string },
  planned: Record<string, unknown>
): Promise<{ task: Task } | { failure: string } | undefined> {
  const out = await aws.write(
    'ecs:RunTask',
    planned,
    () => aws.clients.ecs.send(new RunTaskCommand({ ...input, count: 1 })),
    undefined
  )
  if (!out) return undefined
  const task = out.tasks?.[0]
  if (task?.taskArn) return { task }
  const failures = (out.failures ?? []).map(f => [f.reason, f.detail, f.arn].filter(Boolean).join(' '))
  return { failure: failures.join('; ') || 'RunTask returned no task and no failure' }
}

/** Stops a task (SIGTERM, then SIGKILL after its stopTimeout); one already stopped is no error. */
export async function stopTask(aws: AwsApi, cluster: string, task: string, reason: string): Promise<void> {
  await aws.write(
    'ecs:StopTask',
    { cluster, task, reason },
    () => aws.clients.ecs.send(new StopTaskCommand({ cluster, task, reason })),
    undefined
  )
}

/** Up to 100 tasks per call (the API's limit), in batches. */
export async function describeTasks(aws: AwsApi, cluster: string, arns: string[]): Promise<Task[]> {
  const tasks: Task[] = []
  for (let i = 0; i < arns.length; i += 100) {
    const batch = arns.slice(i, i + 100)
    const out = await aws.read('ecs:DescribeTasks', () =>
      aws.clients.ecs.send(new DescribeTasksCommand({ cluster, tasks: batch }))
    )
    tasks.push(...(out.tasks ?? []))
  }
  return tasks
}

/** Services with their tags, 10 per call (the API's limit); names that do not exist are left out. */
export async function describeServicesWithTags(
  aws: AwsApi,
  cluster: string,
  services: string[]
): Promise<Service[]> {
  const found: Service[] = []
  for (let i = 0; i < services.length; i += 10) {
    const batch = services.slice(i, i + 10)
    try {
      const out = await aws.read('ecs:DescribeServices', () =>
        aws.clients.ecs.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] }))
      )
      found.push(...(out.services ?? []))
    } catch (e) {
      throw clusterNotFound(e, cluster)
    }
  }
  return found
}

export async function listServiceArns(aws: AwsApi, cluster: string): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const out = await aws.read('ecs:ListServices', () =>
      aws.clients.ecs.send(new ListServicesCommand({ cluster, nextToken, maxResults: 100 }))
    )
    arns.push(...(out.serviceArns ?? []))
    nextToken = out.nextToken
  } while (nextToken)
  return arns
}

export async function createService(
  aws: AwsApi,
  input: CreateServiceCommandInput,
  planned: Service = plannedService(input)
): Promise<Service> {
  const out = await aws.write(
    'ecs:CreateService',
    {
      cluster: input.cluster,
      serviceName: input.serviceName,
      taskDefinition: input.taskDefinition,
      desiredCount: input.desiredCount,
      loadBalancers: input.loadBalancers
    },
    () => aws.clients.ecs.send(new CreateServiceCommand(input)),
    { $metadata: {}, service: planned }
  )
  if (!out.service?.serviceArn)
    throw new DeployError(`CreateService returned no service for ${input.serviceName}.`)
  return out.service
}

/** What a dry run's CreateService answers: the service as asked for, with a placeholder ARN. */
function plannedService(input: CreateServiceCommandInput): Service {
  const { serviceName, desiredCount, taskDefinition } = input
  return {
    serviceName,
    serviceArn: `(planned service ${serviceName})`,
    status: 'ACTIVE',
    desiredCount,
    taskDefinition
  }
}

/** Deletes a service even while tasks still run (`force`): ECS drains and stops them. */
export async function deleteService(aws: AwsApi, cluster: string, service: string): Promise<void> {
  await aws.write(
    'ecs:DeleteService',
    { cluster, service, force: true },
    () => aws.clients.ecs.send(new DeleteServiceCommand({ cluster, service, force: true })),
    undefined
  )
}

export async function tagEcsResource(aws: AwsApi, arn: string, tags: Record<string, string>): Promise<void> {
  await aws.write(
    'ecs:TagResource',
    { resourceArn: arn, tags },
    () =>
      aws.clients.ecs.send(
        new TagResourceCommand({
          resourceArn: arn,
          tags: toEcsTags(tags)
        })
      ),
    undefined
  )
}

/** ACTIVE revisions of one task definition family (`familyPrefix` is the full family name). */
export async function listTaskDefinitionArns(aws: AwsApi, family: string): Promise<string[]> {
  return allPages(async nextToken => {
    const out = await aws.read('ecs:ListTaskDefinitions', () =>
      aws.clients.ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', nextToken, maxResults: 100 })
      )
    )
    return [out.taskDefinitionArns ?? [], out.nextToken]
  })
}

/** Task definition families that start with `prefix` and have an ACTIVE revision. */
export async function listActiveTaskDefinitionFamilies(aws: AwsApi, prefix: string): Promise<string[]> {
  return allPages(async nextToken => {
    const out = await aws.read('ecs:ListTaskDefinitionFamilies', () =>
      aws.clients.ecs.send(
        new ListTaskDefinitionFamiliesCommand({
          familyPrefix: prefix,
          status: 'ACTIVE',
          nextToken,
          maxResults: 100
        })
      )
    )
    return [out.families ?? [], out.nextToken]
  })
}

export async function deregisterTaskDefinition(aws: AwsApi, arn: string): Promise<void> {
  await aws.write(
    'ecs:DeregisterTaskDefinition',
    { taskDefinition: arn },
    () => aws.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })),
    undefined
  )
}
