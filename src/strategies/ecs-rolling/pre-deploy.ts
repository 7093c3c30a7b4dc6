// The pre-deploy task (`pre-deploy-command`, e.g. database migrations): one task from the revision
// about to be deployed, on the service's network and capacity, with the command overridden on one
// container. Its log lines stream into this log; the deploy goes on only once it has exited 0, so a
// failed migration leaves the service untouched. pr-preview runs it for a preview too. One started by
// an earlier run that was killed keeps running in ECS: a new one waits for it, never runs beside it.
import { createHash } from 'node:crypto'
import type { ContainerDefinition, RunTaskCommandInput, Service, Task } from '@aws-sdk/client-ecs'
import { familyOf, revisionName, shortName } from '../../aws/arns.js'
import { pickContainer } from '../../aws/containers.js'
import { describeTasks, listRunningTasksStartedBy, runTask, stopTask } from '../../aws/ecs.js'
import { logEventsSince, type LogStream } from '../../aws/logs.js'
import { managedTags, toEcsTags } from '../../aws/tags.js'
import { formatDuration } from '../../clock.js'
import { lastWords, logStreamOf, sayOnce } from '../../container-logs.js'
import { Inputs } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import { DeployError, awsErrorCode, errorMessage, hasErrorCode } from '../../errors.js'
import type { EcsRollingSettings, PrPreviewSettings } from '../../inputs.js'
import { pollUntil, inputTiming } from '../../poll.js'

type Ctx = DeployContext<EcsRollingSettings | PrPreviewSettings>

/** RunTask's `startedBy` on every pre-deploy task: how a later run finds one still running. */
const STARTED_BY = 'zdt-deploy/pre-deploy'

export interface PreDeployTask {
  /** The revision the task runs: the one about to be deployed. */
  taskDefinitionArn: string
  /** Its containers: the command's container and where it logs. */
  containers: ContainerDefinition[]
  /** The service whose network configuration and launch type or capacity providers the task copies. */
  service: Service
  command: string[]
}

/** Runs the task and waits for it to stop; throws a DeployError unless it exited 0. */
export async function runPreDeployTask(ctx: Ctx, job: PreDeployTask): Promise<void> {
  const { settings, log, aws } = ctx
  const revision = revisionName(job.taskDefinitionArn)
  const container = pickContainer(job.containers, settings.containerName, {
    fallback: job.service.loadBalancers?.[0]?.containerName,
    where: `task definition ${revision}`
  })
  await waitForEarlierTasks(ctx, job)
  const input = runTaskInput(ctx, job, container)
  log.info(`Pre-deploy task from ${revision}: container '${container}' runs ${JSON.stringify(job.command)}`)
  const started = await runTask(aws, input, {
    cluster: input.cluster,
    taskDefinition: input.taskDefinition,
    container,
    command: job.command,
    ...(input.launchType ? { launchType: input.launchType } : {}),
    ...(input.capacityProviderStrategy ? { capacityProviderStrategy: input.capacityProviderStrategy } : {}),
    ...(input.networkConfiguration ? { networkConfiguration: input.networkConfiguration } : {})
  })
  if (!started) {
    log.info(`[dry-run] the deploy would wait for the pre-deploy task to stop, and go on only if it exits 0`)
    return
  }
  if ('failure' in started)
    throw new DeployError(
      `The pre-deploy task from ${revision} could not start: ${started.failure}. The service was not changed.`,
      `make room for one more task of ${revision} in cluster '${shortName(settings.cluster)}' (capacity, subnets, the task's CPU and memory), then re-run.`
    )

  const taskArn = started.task.taskArn!
  const id = shortName(taskArn)
  ctx.state.record('created', 'task', taskArn)
  const definition = job.containers.find(c => c.name === container)!
  const at = logStreamOf(definition, taskArn, settings.region)
  if ('unreadable' in at) sayOnce(log, `The pre-deploy task's output is not shown: ${at.unreadable}.`)
  const tail = new LogTail(ctx, 'stream' in at ? at.stream : undefined, container)

  const stop = (reason: string) => stopQuietly(ctx, taskArn, reason)
  let cancelled = false
  const unregister = ctx.state.whileRunning(`pre-deploy task ${id}`, async (safe?: Ctx) => {
    cancelled = true
    await stopQuietly(safe ?? ctx, taskArn, 'zdt-deploy: the deploy was cancelled')
  })
  let stopped: Task | undefined
  try {
    stopped = await waitForStop(ctx, taskArn, tail)
  } finally {
    // A cancelled run's calls fail from here on: the task is stopped by the safe state, through its
    // context, so the handler stays registered for it.
    if (!ctx.signal?.aborted) {
      unregister()
      // The wait ended without the task stopping (wait-timeout, an error): stop it.
      if (!stopped) await stop(`zdt-deploy: the deploy stopped waiting for it`)
    }
  }
  await tail.read()
  if (cancelled)
    throw new DeployError(
      `The deploy was cancelled while the pre-deploy task ${id} ran; the task was stopped and the service was not changed.`,
      `re-run the deploy; make the command safe to run again (migrations that record what they applied are).`
    )
  judge(ctx, stopped, container, revision, await lastWordsOf(ctx, stopped, job, container))
}

type RunTaskInput = RunTaskCommandInput & { cluster: string; taskDefinition: string; clientToken: string }

function runTaskInput(ctx: Ctx, job: PreDeployTask, container: string): RunTaskInput {
  const { settings, event, clock } = ctx
  const service = job.service
  const capacity = (service.capacityProviderStrategy ?? []).length > 0
  return {
    cluster: settings.cluster,
    taskDefinition: job.taskDefinitionArn,
    // The same token for every retry of this one call (RunTask allows 64 characters).
    clientToken: createHash('sha256')
      .update([event.repository, event.runId, job.taskDefinitionArn, ...job.command, clock.now()].join('\n'))
      .digest('hex')
      .slice(0, 64),
    startedBy: STARTED_BY,
    ...(capacity
      ? { capacityProviderStrategy: service.capacityProviderStrategy }
      : service.launchType
        ? { launchType: service.launchType }
        : {}),
    ...(service.platformVersion ? { platformVersion: service.platformVersion } : {}),
    ...(service.networkConfiguration ? { networkConfiguration: service.networkConfiguration } : {}),
    ...(service.placementConstraints?.length ? { placementConstraints: service.placementConstraints } : {}),
    ...(service.placementStrategy?.length ? { placementStrategy: service.placementStrategy } : {}),
    overrides: { containerOverrides: [{ name: container, command: job.command }] },
    tags: toEcsTags(managedTags(event.repository))
  }
}

/**
 * A pre-deploy task of the same family an earlier run started (a run killed while it waited, or one
 * that timed out and could not stop it) may still be running: two migrations at once can conflict,
 * so this run waits for it to stop, within `wait-timeout`, before starting its own.
 */
async function waitForEarlierTasks(ctx: Ctx, job: PreDeployTask): Promise<void> {
  const { settings, log, aws } = ctx
  const family = familyOf(job.taskDefinitionArn)
  const running = async () => {
    const arns = await listRunningTasksStartedBy(aws, settings.cluster, STARTED_BY)
    const tasks = arns.length ? await describeTasks(aws, settings.cluster, arns) : []
    return tasks.filter(t => familyOf(t.taskDefinitionArn ?? '') === family && t.lastStatus !== 'STOPPED')
  }
  const earlier = await running()
  if (earlier.length === 0) return
  const named = earlier
    .map(
      t =>
        `${shortName(t.taskArn ?? '')} from ${revisionName(t.taskDefinitionArn)}${t.startedAt ? ` (started ${t.startedAt.toISOString()})` : ''}`
    )
    .join(', ')
  log.info(
    `An earlier run's pre-deploy task is still running: ${named}. Waiting for it to stop before starting this run's.`
  )
  if (aws.dryRun) return
  await pollUntil(
    ctx,
    {
      key: 'pre-deploy:earlier',
      ...inputTiming(settings),
      timedOut: () =>
        new DeployError(
          `An earlier run's pre-deploy task (${named}) was still running after '${Inputs.WaitTimeout}' ${formatDuration(settings.waitTimeoutSeconds)}; this run started none and did not change the service.`,
          `let it finish or stop it ('aws ecs stop-task --cluster ${settings.cluster} --task <id>'), then re-run.`
        )
    },
    async () => {
      const left = await running()
      return {
        done: left.length === 0,
        status:
          left.length === 0
            ? 'Earlier pre-deploy task stopped'
            : `Earlier pre-deploy task: ${left.map(t => t.lastStatus).join(', ')}`
      }
    }
  )
}

/** Polls the task until STOPPED within `wait-timeout`, streaming its log lines at each look. */
async function waitForStop(ctx: Ctx, taskArn: string, tail: LogTail): Promise<Task> {
  const { settings } = ctx
  const id = shortName(taskArn)
  const { last } = await pollUntil(
    ctx,
    {
      key: `pre-deploy:${id}`,
      ...inputTiming(settings),
      timedOut: () =>
        new DeployError(
          `The pre-deploy task ${id} did not stop within '${Inputs.WaitTimeout}' ${formatDuration(settings.waitTimeoutSeconds)}; it was stopped and the service was not changed.`,
          `make the command finish sooner (or exit once its work is done), or raise '${Inputs.WaitTimeout}'.`
        )
    },
    async () => {
      const [task] = await describeTasks(ctx.aws, settings.cluster, [taskArn])
      await tail.read()
      const status = task?.lastStatus ?? 'not found'
      return { done: status === 'STOPPED', status: `Pre-deploy task ${id}: ${status}`, task: task! }
    }
  )
  return last.task
}

/** Throws unless the command's container exited 0: its exit code, the stopped reason, its last lines. */
function judge(ctx: Ctx, task: Task, container: string, revision: string, words: string | undefined): void {
  const id = shortName(task.taskArn ?? '')
  const ran = task.containers?.find(c => c.name === container)
  const reason = [task.stoppedReason, ran?.reason].filter(Boolean).join('; ')
  const evidence = words ? `\n${words}` : ''
  if (ran?.exitCode === 0) {
    ctx.log.info(`Pre-deploy task ${id} exited 0`)
    return
  }
  if (ran?.exitCode === undefined)
    throw new DeployError(
      `The pre-deploy task ${id} from ${revision} stopped before its command ran: ${reason || 'no reason given'}. The service was not changed.${evidence}`,
      `fix what kept the task from starting (the image, its secrets, the execution role), then re-run.`
    )
  throw new DeployError(
    `The pre-deploy task ${id} from ${revision} exited with code ${ran.exitCode}${reason ? ` (${reason})` : ''}. The service was not changed.${evidence}`,
    `fix the command or what it needs (a database reachable from the service's subnets and security groups, its secrets), then re-run; the service still runs its previous revision.`
  )
}

async function lastWordsOf(
  ctx: Ctx,
  task: Task,
  job: PreDeployTask,
  container: string
): Promise<string | undefined> {
  if (task.containers?.find(c => c.name === container)?.exitCode === 0) return undefined
  return lastWords({ aws: ctx.aws, log: ctx.log, region: ctx.settings.region }, [task], {
    container,
    taskDefinitions: [{ taskDefinitionArn: job.taskDefinitionArn, containerDefinitions: job.containers }]
  })
}

async function stopQuietly(ctx: Ctx, taskArn: string, reason: string): Promise<void> {
  try {
    await stopTask(ctx.aws, ctx.settings.cluster, taskArn, reason)
    ctx.log.info(`Stopped the pre-deploy task ${shortName(taskArn)} (${reason})`)
  } catch (e) {
    ctx.log.warning(
      `Could not stop the pre-deploy task ${shortName(taskArn)} (${awsErrorCode(e) ?? errorMessage(e)}): stop it by hand with 'aws ecs stop-task --cluster ${ctx.settings.cluster} --task ${taskArn}'.`
    )
  }
}

/**
 * The lines of one log stream as they arrive, each printed once: read from the newest timestamp seen
 * on, skipping the events of that millisecond already printed (as `aws logs tail --follow` does).
 */
class LogTail {
  private from = 0
  private readonly printed = new Set<string>()

  constructor(
    private readonly ctx: Ctx,
    private readonly stream: LogStream | undefined,
    private readonly container: string
  ) {}

  async read(): Promise<void> {
    if (!this.stream) return
    let events
    try {
      events = await logEventsSince(this.ctx.aws, this.stream, this.from)
    } catch (e) {
      // No stream yet: the container has not started writing.
      if (hasErrorCode(e, 'ResourceNotFound')) return
      sayOnce(
        this.ctx.log,
        `The pre-deploy task's output is not shown: reading log group '${this.stream.group}' failed (${awsErrorCode(e) ?? errorMessage(e)}). Add logs:FilterLogEvents on arn:aws:logs:${this.stream.region}:<account>:log-group:${this.stream.group}:* to the deploy role.`
      )
      return
    }
    for (const e of events) {
      const key = e.eventId ?? `${e.timestamp}:${e.message}`
      if (this.printed.has(key)) continue
      this.printed.add(key)
      this.ctx.log.info(`[${this.container}] ${(e.message ?? '').replace(/\s+$/, '')}`)
      this.from = Math.max(this.from, e.timestamp ?? 0)
    }
  }
}
