// The crash's own words: the last lines a task's container wrote (awslogs driver, i.e. CloudWatch
// Logs) beside its stopped reason and exit code, so a failed rollout, pre-deploy task or smoke test
// says why without opening CloudWatch. Tasks that ended the same way are told once, with their count.
import type { Container, ContainerDefinition, Task, TaskDefinition } from '@aws-sdk/client-ecs'
import type { AwsApi } from './aws/api.js'
import { shortName } from './aws/arns.js'
import { describeTaskDefinition, describeTasks, listServiceTasks } from './aws/ecs.js'
import { lastLogEvents, type LogStream } from './aws/logs.js'
import { awsErrorCode, errorMessage, hasErrorCode } from './errors.js'
import type { Reporter } from './report.js'

export interface ContainerLogsDeps {
  aws: AwsApi
  log: Reporter
  /** The deploy's region: where the logs are when the log configuration names none. */
  region: string
}

export interface LastLinesOptions {
  /** The container to read when no container of a task exited non-zero (the load-balanced one). */
  container?: string
  /** Task definitions already at hand, by ARN; others are described. */
  taskDefinitions?: TaskDefinition[]
  /** Lines per task (20). */
  lines?: number
  /** Tasks read at most, the most recent first (10): a crash loop's tasks end alike. */
  maxTasks?: number
}

/** One task's container and what it last wrote; `lines` is undefined when they cannot be read. */
export interface TaskLastLines {
  taskId: string
  status: string
  container: string
  exitCode: number | undefined
  stoppedReason: string | undefined
  lines: string[] | undefined
}

/** Where a container of a task logs, or why its lines cannot be read (said with what to change). */
export function logStreamOf(
  definition: ContainerDefinition,
  taskArn: string,
  region: string
): { stream: LogStream } | { unreadable: string } {
  const name = definition.name ?? '?'
  const config = definition.logConfiguration
  if (!config)
    return {
      unreadable: `container '${name}' has no logConfiguration: give it the awslogs log driver to see its last lines here`
    }
  if (config.logDriver !== 'awslogs')
    return {
      unreadable: `container '${name}' logs with the ${config.logDriver} driver: only the awslogs driver (CloudWatch Logs) can be read here`
    }
  const group = config.options?.['awslogs-group']
  const prefix = config.options?.['awslogs-stream-prefix']
  if (!group) return { unreadable: `container '${name}' has no awslogs-group option` }
  // Without a prefix the stream is named after the Docker container id, which the task does not carry
  // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html).
  if (!prefix)
    return {
      unreadable: `container '${name}' has no awslogs-stream-prefix, so its stream is named after the Docker container id: set awslogs-stream-prefix to see its last lines here`
    }
  return {
    stream: {
      group,
      stream: `${prefix}/${name}/${shortName(taskArn)}`,
      region: config.options?.['awslogs-region'] ?? region
    }
  }
}

/** The container whose end explains the task's: one that exited non-zero, else one with a reason. */
export function culpritContainer(task: Task, fallback: string | undefined): Container | undefined {
  const containers = task.containers ?? []
  return (
    containers.find(c => c.exitCode !== undefined && c.exitCode !== 0) ??
    containers.find(c => c.reason) ??
    containers.find(c => c.name === fallback) ??
    containers[0]
  )
}

/** Reads the last lines of each task's culprit container (the most recent tasks first). */
export async function readLastLines(
  deps: ContainerLogsDeps,
  tasks: Task[],
  opts: LastLinesOptions = {}
): Promise<TaskLastLines[]> {
  const definitions = new Map((opts.taskDefinitions ?? []).map(d => [d.taskDefinitionArn ?? '', d]))
  const recent = [...tasks]
    .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
    .slice(0, opts.maxTasks ?? 10)
  const read: TaskLastLines[] = []
  for (const task of recent) {
    const container = culpritContainer(task, opts.container)
    if (!container?.name || !task.taskArn) continue
    const definition = await definitionOf(deps, definitions, task.taskDefinitionArn)
    const containerDefinition = definition?.containerDefinitions?.find(c => c.name === container.name)
    const base = {
      taskId: shortName(task.taskArn),
      status: task.lastStatus ?? 'UNKNOWN',
      container: container.name,
      exitCode: container.exitCode,
      stoppedReason: task.stoppedReason
    }
    const at = containerDefinition
      ? logStreamOf(containerDefinition, task.taskArn, deps.region)
      : { unreadable: `the task definition of task ${base.taskId} could not be read` }
    read.push({
      ...base,
      lines: 'stream' in at ? await linesOf(deps, at.stream, opts.lines ?? 20) : undefined
    })
    if ('unreadable' in at) sayOnce(deps.log, `Cannot show the last log lines: ${at.unreadable}.`)
  }
  return read
}

/**
 * Tasks that ended alike (the same container, exit code, reason and last lines) as one block, e.g.
 * "5 tasks stopped with the same last lines"; undefined when no task's lines could be read.
 */
export function lastLinesText(read: TaskLastLines[]): string | undefined {
  const groups = new Map<string, TaskLastLines[]>()
  for (const r of read) {
    if (r.lines === undefined) continue
    const key = JSON.stringify([r.status, r.container, r.exitCode, r.stoppedReason, r.lines])
    groups.set(key, [...(groups.get(key) ?? []), r])
  }
  if (groups.size === 0) return undefined
  return [...groups.values()].map(blockOf).join('\n')
}

/** readLastLines and lastLinesText in one: the text a failure carries, or undefined. */
export async function lastWords(
  deps: ContainerLogsDeps,
  tasks: Task[],
  opts: LastLinesOptions = {}
): Promise<string | undefined> {
  if (tasks.length === 0) return undefined
  return lastLinesText(await readLastLines(deps, tasks, opts))
}

/**
 * A service's tasks of one revision, stopped or running (after a rollback they have stopped): whose last
 * lines a failure of that revision carries. One page of each (100 tasks): a crash loop's tasks end alike.
 */
export async function tasksOfRevision(
  aws: AwsApi,
  cluster: string,
  service: string,
  taskDefinitionArn: string
): Promise<Task[]> {
  const arns = [
    ...(await listServiceTasks(aws, cluster, service, 'STOPPED', 1)),
    ...(await listServiceTasks(aws, cluster, service, 'RUNNING', 1))
  ]
  const tasks = await describeTasks(aws, cluster, arns)
  return tasks.filter(t => t.taskDefinitionArn === taskDefinitionArn)
}

function blockOf(same: TaskLastLines[]): string {
  const first = same[0]
  const verb = first.status === 'STOPPED' ? 'stopped' : `${first.status.toLowerCase()}`
  const how = [first.exitCode !== undefined ? `exit code ${first.exitCode}` : undefined, first.stoppedReason]
    .filter(Boolean)
    .join(': ')
  const detail = `container '${first.container}'${how ? `, ${how}` : ''}`
  const head =
    same.length === 1
      ? `Task ${first.taskId} ${verb} (${detail}); its last log lines:`
      : `${same.length} tasks ${verb} with the same last lines (${detail}; tasks ${same.map(s => s.taskId).join(', ')}):`
  const lines = first.lines!.length > 0 ? first.lines! : ['(no log lines)']
  return [head, ...lines.map(l => `  | ${l}`)].join('\n')
}

async function definitionOf(
  deps: ContainerLogsDeps,
  known: Map<string, TaskDefinition>,
  arn: string | undefined
): Promise<TaskDefinition | undefined> {
  if (!arn) return undefined
  if (!known.has(arn)) {
    try {
      known.set(arn, (await describeTaskDefinition(deps.aws, arn)).taskDefinition)
    } catch (e) {
      deps.log.debug(`DescribeTaskDefinition ${arn} for its log configuration: ${errorMessage(e)}`)
      return undefined
    }
  }
  return known.get(arn)
}

/** The stream's last lines; [] when it does not exist (nothing written); undefined when not readable. */
async function linesOf(deps: ContainerLogsDeps, at: LogStream, limit: number): Promise<string[] | undefined> {
  try {
    return (await lastLogEvents(deps.aws, at, limit)).map(e => (e.message ?? '').replace(/\s+$/, ''))
  } catch (e) {
    if (hasErrorCode(e, 'ResourceNotFound')) return []
    if (hasErrorCode(e, 'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation'))
      sayOnce(
        deps.log,
        `Cannot show the last log lines: reading log group '${at.group}' was denied (${awsErrorCode(e)}). Add logs:GetLogEvents (and logs:FilterLogEvents for a pre-deploy task's output) on arn:aws:logs:${at.region}:<account>:log-group:${at.group}:* to the deploy role (iam/ has the policies).`
      )
    else sayOnce(deps.log, `Cannot show the last log lines of log group '${at.group}': ${errorMessage(e)}.`)
    return undefined
  }
}

// A notice is said once per run: the run's Reporter is the key.
const said = new WeakMap<Reporter, Set<string>>()

/** A warning said once per run, however many tasks (or failures) it applies to. */
export function sayOnce(log: Reporter, notice: string): void {
  const seen = said.get(log) ?? new Set<string>()
  said.set(log, seen)
  if (seen.has(notice)) return
  seen.add(notice)
  log.warning(notice)
}
