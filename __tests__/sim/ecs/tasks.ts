// Tasks as the API sees them: DescribeTasks, ListTasks, StopTask.
import type {
  DescribeTasksCommandInput,
  ListTasksCommandInput,
  StopTaskCommandInput,
  Task
} from '@aws-sdk/client-ecs'
import { deepCopy } from '../copy.js'
import { tokenPage } from '../paging.js'
import { clusterByRef } from './clusters.js'
import type { EcsModel } from './index.js'
import type { ClusterRecord, TaskRecord } from './records.js'
import { stopTask } from './task-lifecycle.js'

export function taskShape(t: TaskRecord, withTags: boolean): Task {
  const opt = (k: string, ms: number | undefined) => (ms === undefined ? {} : { [k]: new Date(ms) })
  return {
    taskArn: t.arn,
    clusterArn: t.clusterArn,
    taskDefinitionArn: t.taskDefinitionArn,
    ...(t.serviceName ? { group: `service:${t.serviceName}` } : t.group ? { group: t.group } : {}),
    ...(t.deploymentId ? { startedBy: t.deploymentId } : t.startedBy ? { startedBy: t.startedBy } : {}),
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

export function findTask(ecs: EcsModel, cluster: ClusterRecord, ref: string): TaskRecord | undefined {
  const id = ref.split('/').pop() ?? ''
  const t = ecs.tasks.get(id)
  return t && t.clusterArn === cluster.arn ? t : undefined
}

export function describeTasks(ecs: EcsModel, input: DescribeTasksCommandInput) {
  const cluster = clusterByRef(ecs, input.cluster)
  if (!input.tasks?.length) throw ecs.error('InvalidParameterException', 'Tasks cannot be empty.')
  if (input.tasks.length > 100)
    throw ecs.error('InvalidParameterException', 'Tasks can contain at most 100 items.')
  const tasks: Task[] = []
  const failures: Array<{ arn: string; reason: string }> = []
  for (const ref of input.tasks) {
    const t = findTask(ecs, cluster, ref)
    if (t) tasks.push(taskShape(t, input.include?.includes('TAGS') ?? false))
    else failures.push({ arn: ref, reason: 'MISSING' })
  }
  return { tasks, failures }
}

export function listTasks(ecs: EcsModel, input: ListTasksCommandInput) {
  const cluster = clusterByRef(ecs, input.cluster)
  const desired = input.desiredStatus ?? 'RUNNING'
  // ListTasks filters by the service's name; it is documented as a name, not an ARN.
  const serviceName = input.serviceName
  const arns = [...ecs.tasks.values()]
    .filter(t => t.clusterArn === cluster.arn && t.desiredStatus === desired)
    .filter(t => !serviceName || t.serviceName === serviceName)
    .filter(t => !input.startedBy || (t.deploymentId ?? t.startedBy) === input.startedBy)
    .filter(t => !input.family || t.taskDefinitionArn.includes(`:task-definition/${input.family}:`))
    .map(t => t.arn)
  const { items, next } = tokenPage(arns, input.nextToken, input.maxResults ?? 100)
  return { taskArns: items, nextToken: next }
}

export function stopTaskCommand(ecs: EcsModel, input: StopTaskCommandInput) {
  const cluster = clusterByRef(ecs, input.cluster)
  const t = findTask(ecs, cluster, input.task ?? '')
  if (!t) throw ecs.error('InvalidParameterException', 'The referenced task was not found.')
  if (t.desiredStatus === 'RUNNING')
    stopTask(ecs, t, input.reason ?? 'Task stopped by user', 'UserInitiated', false)
  return { task: taskShape(t, false) }
}
