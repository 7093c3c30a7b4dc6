// Watching a rollout: poll the service every `poll-interval` until our deployment is COMPLETED and
// the old ones are gone, logging what changes; fail within one poll of ECS giving up.
import type { Deployment, Service, Task } from '@aws-sdk/client-ecs'
import { revisionName } from '../../aws/arns.js'
import { describeService, describeTasks, listStoppedTasks } from '../../aws/ecs.js'
import { rolloutState } from '../../aws/ecs-deployments.js'
import { describeTargetHealth, targetHealthCounts } from '../../aws/elbv2.js'
import { formatDuration } from '../../clock.js'
import { Inputs } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import { DeployError } from '../../errors.js'
import type { EcsRollingSettings } from '../../inputs.js'
import { pollUntil, type Look, inputTiming } from '../../poll.js'
import { finishTrafficProbe, probeFailureMessage, type TrafficProbe } from '../../probe.js'
import type { TargetGroupFacts } from './preflight-rules.js'
import type { Step } from './run.js'
import {
  deploymentLine,
  eventLine,
  stoppedTaskLine,
  takeNewEvents,
  taskOfDeployment
} from './rollout-state.js'

// Polls a just-started deployment may be missing from DescribeServices before that means it is gone.
const UNSEEN_POLLS = 3

export type RolloutFailureKind = 'failed' | 'replaced' | 'timeout' | 'probe'

/** A rollout that did not complete; carries what the rollback and the error hint need. */
export class RolloutFailure extends DeployError {
  constructor(
    readonly kind: RolloutFailureKind,
    message: string,
    /** The PRIMARY deployment at the time, when it is not ours (the circuit breaker's rollback). */
    readonly primary: Deployment | undefined,
    readonly stoppedTasks: Task[],
    /** Service events logged while it was watched, oldest first. */
    readonly events: string[]
  ) {
    super(message)
    this.name = 'RolloutFailure'
  }
}

export interface WatchTarget {
  /** What is rolling out, for log lines: `rollout` or `rollback`. */
  label: string
  deploymentId: string
  taskDefinitionArn: string
  targetGroups: TargetGroupFacts[]
  /** Shared across watches, so each service event is logged once per run. */
  seenEventIds: Set<string>
  /** Checked every poll: more failed requests than `max-probe-errors` fails the rollout at once. */
  probe?: TrafficProbe
  /** The service as UpdateService answered: the first look. */
  started?: Service
}

/** Step 4: the rollout watch with the probe running; the probe's failures, even in the last poll, fail it. */
export const watchWithProbe: Step = async (ctx, run) => {
  let failure: unknown
  try {
    await watchRollout(ctx, {
      label: 'rollout',
      ...run.rollout,
      targetGroups: run.pre.facts.targetGroups,
      seenEventIds: run.pre.seenEventIds,
      probe: run.probe
    })
  } catch (e) {
    failure = e
  }
  const report = await finishTrafficProbe(ctx, run.probe)
  if (failure !== undefined) throw failure
  const max = ctx.settings.maxProbeErrors
  if (report && report.errors > max)
    throw new RolloutFailure('probe', probeFailureMessage(report, 'rollout', max), undefined, [], [])
  run.rolledOut = true
}

/** Polls until the deployment completes; returns the last service read, or throws a RolloutFailure. */
export async function watchRollout(
  ctx: DeployContext<EcsRollingSettings>,
  target: WatchTarget
): Promise<Service> {
  const { settings, clock, log } = ctx
  const started = clock.now()
  const stopped = new StoppedTasks(ctx, target)
  const what = `the ${target.label} of ${revisionName(target.taskDefinitionArn)}`
  log.info(
    `Watching ${what} (deployment ${target.deploymentId}) every ${formatDuration(settings.pollIntervalSeconds)}, ` +
      `for up to ${formatDuration(settings.waitTimeoutSeconds)}`
  )
  const events: string[] = []
  // Deployments and target health at each moment they changed, for the job summary.
  const moments = log.table(`${capitalize(target.label)} of ${revisionName(target.taskDefinitionArn)}`, [
    'at',
    'deployments',
    'target health'
  ])
  let failedTasks = 0
  let seenOurs = false
  const look = async (polls: number): Promise<Look & { service: Service; ours: Deployment | undefined }> => {
    // The first look is UpdateService's own answer: the service as the update left it, what a
    // DescribeServices would say a moment later, for no call; target health waits for the next look.
    // Later looks read the service and its targets side by side: a look costs one round trip.
    const [service, targetHealths] =
      polls === 1 && target.started
        ? [target.started, undefined]
        : await Promise.all([
            describeService(ctx.aws, settings.cluster, settings.service),
            Promise.all(target.targetGroups.map(tg => describeTargetHealth(ctx.aws, tg.arn)))
          ])
    let changed = false
    const deploymentLines = (service.deployments ?? []).map(d => deploymentLine(d, target.deploymentId))
    ;(service.deployments ?? []).forEach((d, i) => {
      changed = log.change(`deployment:${d.id}`, deploymentLines[i]) || changed
    })
    for (const e of takeNewEvents(service.events ?? [], target.seenEventIds)) {
      events.push(e.message ?? '')
      log.info(eventLine(e))
    }
    const healthLines: string[] = []
    for (const [i, health] of (targetHealths ?? []).entries()) {
      const tg = target.targetGroups[i]
      // Sorted by state, so the same counts always read the same and log once.
      const targets = health.sort((a, b) =>
        (a.TargetHealth?.State ?? '').localeCompare(b.TargetHealth?.State ?? '')
      )
      healthLines.push(`${tg.name}: ${targetHealthCounts(targets)}`)
      changed = log.change(`target-health:${tg.arn}`, `Target group ${healthLines.at(-1)}`) || changed
    }
    if (changed) moments.add([`+${log.elapsed(started)}`, deploymentLines.join('\n'), healthLines.join('\n')])
    const ours = (service.deployments ?? []).find(d => d.id === target.deploymentId)
    // Stopped tasks are looked up only when ECS counts a new failure: no extra calls while healthy.
    if ((ours?.failedTasks ?? 0) > failedTasks) {
      failedTasks = ours?.failedTasks ?? 0
      await stopped.collect()
    }

    let state = rolloutState(service, target.deploymentId)
    if (ours) seenOurs = true
    else if (state.kind === 'replaced' && !seenOurs && polls <= UNSEEN_POLLS) {
      // Not listed yet right after UpdateService (eventual consistency): gone only once seen.
      log.debug(`Deployment ${target.deploymentId} is not listed yet (poll ${polls})`)
      state = { kind: 'in-progress' }
    }
    if (state.kind === 'completed') return { done: true, service, ours }
    if (state.kind === 'failed' || state.kind === 'replaced') {
      await stopped.collect()
      const by = state.primary && state.primary.id !== target.deploymentId ? state.primary : undefined
      const after = log.elapsed(started)
      const message =
        state.kind === 'failed'
          ? `ECS marked ${what} FAILED after ${after}: ${state.reason}`
          : `${capitalize(what)} was replaced after ${after}${replacedBy(by)} ` +
            `(the circuit breaker rolled it back, or another deploy started)`
      throw new RolloutFailure(state.kind, message, by, stopped.tasks, events)
    }
    if (target.probe && target.probe.errors > settings.maxProbeErrors) {
      throw new RolloutFailure(
        'probe',
        probeFailureMessage(target.probe.report(), target.label, settings.maxProbeErrors),
        undefined,
        stopped.tasks,
        events
      )
    }
    return { done: false, service, ours }
  }
  const { last } = await pollUntil(
    ctx,
    {
      key: `rollout:${target.deploymentId}`,
      ...inputTiming(settings),
      timedOut: async ({ ours }) => {
        await stopped.collect()
        const within = `'${Inputs.WaitTimeout}' ${formatDuration(settings.waitTimeoutSeconds)}`
        return new RolloutFailure(
          'timeout',
          `${capitalize(what)} did not complete within ${within}${progress(ours)}`,
          undefined,
          stopped.tasks,
          events
        )
      }
    },
    look
  )
  log.info(`${capitalize(what)} completed after ${log.elapsed(started)}`)
  return last.service
}

/** The stopped tasks of the watched deployment, each logged once with its reason and exit codes. */
export class StoppedTasks {
  readonly tasks: Task[] = []
  private readonly seen = new Set<string>()

  constructor(
    private readonly ctx: DeployContext<EcsRollingSettings>,
    private readonly target: Pick<WatchTarget, 'deploymentId' | 'taskDefinitionArn'>
  ) {}

  async collect(): Promise<void> {
    const { aws, settings, log } = this.ctx
    const fresh = (await listStoppedTasks(aws, settings.cluster, settings.service)).filter(
      a => !this.seen.has(a)
    )
    if (fresh.length === 0) return
    for (const arn of fresh) this.seen.add(arn)
    for (const task of await describeTasks(aws, settings.cluster, fresh)) {
      if (!taskOfDeployment(task, this.target.deploymentId, this.target.taskDefinitionArn)) continue
      this.tasks.push(task)
      log.info(stoppedTaskLine(task))
    }
  }
}

function replacedBy(by: Deployment | undefined): string {
  return by ? ` by deployment ${by.id} of ${revisionName(by.taskDefinition)}` : ''
}

/** ` (1 of 2 tasks running, IN_PROGRESS)` */
function progress(ours: Deployment | undefined): string {
  if (!ours) return ''
  const running = `${ours.runningCount ?? 0} of ${ours.desiredCount ?? 0} tasks running`
  return ` (${running}, ${ours.rolloutState ?? 'no rollout state'})`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
