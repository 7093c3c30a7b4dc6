// A deploy already in progress: another run's lock while GitHub says its run is alive (or, when
// GitHub cannot be asked, while the lock is younger than wait-timeout), an instance refresh, instances still
// launching or terminating. This run waits for it (up to wait-timeout), saying why, and never starts
// on top of it: the seed's run died on InstanceRefreshInProgress after three blind retries.
import type { InstanceRefresh } from '@aws-sdk/client-auto-scaling'
import { describeAutoScalingGroups, describeInstanceRefreshes } from '../../aws/autoscaling.js'
import { formatDuration } from '../../clock.js'
import { Tags } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import { DeployError } from '../../errors.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import { pollUntil } from '../../poll.js'
import { askAboutLockRuns, lockHeld } from './lock-run.js'
import type { RunVerdict } from '../../workflow-runs.js'
import { describeHolder, lockAgeSeconds, lockIsFresh, parseLock } from './lock.js'
import { toGroupView, transitionalInstances, type GroupView } from './model.js'
import { plannedOnly } from './waits.js'

const REFRESH_RUNNING = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'])

export interface BusyInput {
  groups: GroupView[]
  refreshes: Map<string, InstanceRefresh[] | 'unsupported'>
  nowMs: number
  waitTimeoutSeconds: number
  /** This run's own lock value, if it holds one. */
  ownLock?: string
  /** GitHub's verdict on each lock's run, by the lock's value; a lock without one goes by its age. */
  runs?: Map<string, RunVerdict>
}

/** Why a deploy cannot start now; empty when nothing is in progress. */
export function busyReasons(input: BusyInput): string[] {
  const reasons: string[] = []
  for (const g of input.groups) {
    const raw = g.tags[Tags.Lock]
    const lock = parseLock(raw)
    const verdict = lock && input.runs?.get(lock.raw)
    if (
      raw &&
      raw !== input.ownLock &&
      lock &&
      lockHeld(lock, verdict, input.nowMs, input.waitTimeoutSeconds)
    ) {
      // No age in the line: it is logged once per change of state, not once per poll.
      const live = verdict?.kind === 'live' ? ` (${verdict.why})` : ''
      reasons.push(`${g.name} is locked by ${describeHolder(lock)}${live}`)
    }
    const refreshes = input.refreshes.get(g.name)
    if (Array.isArray(refreshes)) {
      for (const r of refreshes.filter(x => REFRESH_RUNNING.has(x.Status ?? ''))) {
        const done = r.PercentageComplete !== undefined ? ` (${r.PercentageComplete}% done)` : ''
        reasons.push(`${g.name} has instance refresh ${r.InstanceRefreshId ?? '?'} ${r.Status}${done}`)
      }
    }
    const moving = transitionalInstances(g)
    if (moving.length > 0) {
      const counts = new Map<string, number>()
      for (const i of moving) counts.set(i.lifecycle, (counts.get(i.lifecycle) ?? 0) + 1)
      // A terminate hook holds an instance in Terminating:Wait up to its heartbeat timeout (one hour by
      // default): the wait is the hook's, and the line says so rather than leave it unexplained.
      const hooked = counts.has('Terminating:Wait')
        ? ' (a terminate lifecycle hook holds them until it is completed or its heartbeat timeout ends)'
        : ''
      reasons.push(
        `${g.name} has instances still changing: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}${hooked}`
      )
    }
  }
  return reasons
}

/**
 * Ignored locks worth a warning: their run has ended (GitHub says so), too old to be alive, or not in
 * the form this action writes.
 */
export function staleLocks(
  groups: GroupView[],
  nowMs: number,
  waitTimeoutSeconds: number,
  runs: Map<string, RunVerdict> = new Map()
): string[] {
  const notes: string[] = []
  for (const g of groups) {
    const raw = g.tags[Tags.Lock]
    if (!raw) continue
    const lock = parseLock(raw)
    const verdict = lock && runs.get(lock.raw)
    if (lock && verdict?.kind === 'ended')
      notes.push(
        `${g.name} carries the lock of ${describeHolder(lock)}, whose run has ended (${verdict.why}): taken over`
      )
    else if (verdict?.kind === 'live') continue
    else if (!lock)
      notes.push(`${g.name} carries ${Tags.Lock}=${raw}, which is not a lock this action wrote: ignored`)
    else if (!lockIsFresh(lock, nowMs, waitTimeoutSeconds))
      notes.push(
        `${g.name} carries a stale lock from ${describeHolder(lock)} ` +
          `(${formatDuration(lockAgeSeconds(lock, nowMs))} old, more than wait-timeout): taken over`
      )
  }
  return notes
}

export async function observeGroups(ctx: DeployContext<AsgBlueGreenSettings>): Promise<GroupView[]> {
  const { blueAsg, greenAsg } = ctx.settings
  const found = (await describeAutoScalingGroups(ctx.aws, [blueAsg, greenAsg])).map(toGroupView)
  const missing = [blueAsg, greenAsg].filter(n => !found.some(g => g.name === n))
  if (missing.length > 0) {
    throw new DeployError(
      `Auto Scaling group${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} not found in ${ctx.settings.region}.`,
      `check 'blue-asg' and 'green-asg' (group names, not ARNs) and 'aws-region'.`
    )
  }
  return [blueAsg, greenAsg].map(n => found.find(g => g.name === n) as GroupView)
}

async function observeRefreshes(
  ctx: DeployContext<AsgBlueGreenSettings>,
  groups: GroupView[]
): Promise<Map<string, InstanceRefresh[] | 'unsupported'>> {
  const result = new Map<string, InstanceRefresh[] | 'unsupported'>()
  for (const g of groups) {
    const r = await describeInstanceRefreshes(ctx.aws, g.name)
    // An endpoint without instance refreshes (an emulator) has none in progress.
    if (r === 'unsupported')
      ctx.log.debug(`DescribeInstanceRefreshes is not implemented here: no refresh assumed for ${g.name}`)
    result.set(g.name, r)
  }
  return result
}

/** What the groups looked like once nothing was in progress, and GitHub's word on their locks' runs. */
export interface Quiet {
  groups: GroupView[]
  runs: Map<string, RunVerdict>
}

/**
 * Observes both groups until nothing is in progress, waiting up to wait-timeout, and returns what
 * it saw last. In dry-run it reports what a real run would wait for and does not wait.
 */
export async function waitWhileBusy(
  ctx: DeployContext<AsgBlueGreenSettings>,
  ownLock?: string
): Promise<Quiet> {
  const { settings, clock, log } = ctx
  const started = clock.now()
  const { last, looks } = await pollUntil(
    ctx,
    {
      key: 'busy',
      line: reasons => `Waiting for a deploy in progress: ${reasons}`,
      timeoutMs: settings.waitTimeoutSeconds * 1000,
      intervalMs: settings.pollIntervalSeconds * 1000,
      deadline: 'whole',
      timedOut: ({ reasons }) =>
        new DeployError(
          `Another deploy is still in progress after ${formatDuration(settings.waitTimeoutSeconds)}: ${reasons.join('; ')}.`,
          `let it finish (or cancel it), then run this deploy again; a lock left by a run that died expires once ` +
            `it is older than 'wait-timeout', or remove the ${Tags.Lock} tag from both groups by hand. A workflow ` +
            `'concurrency:' group keeps deploys of one environment from overlapping.`
        )
    },
    async () => {
      const groups = await observeGroups(ctx)
      const runs = await askAboutLockRuns(ctx, groups, ownLock)
      const reasons = busyReasons({
        groups,
        refreshes: await observeRefreshes(ctx, groups),
        nowMs: clock.now(),
        waitTimeoutSeconds: settings.waitTimeoutSeconds,
        ownLock,
        runs
      })
      if (reasons.length === 0) return { done: true, groups, runs, reasons }
      const wait = `up to ${formatDuration(settings.waitTimeoutSeconds)}`
      if (
        plannedOnly(
          ctx,
          `a deploy is in progress (${reasons.join('; ')}): a real run would wait for it, ${wait}`
        )
      )
        return { done: true, groups, runs, reasons }
      return { done: false, status: reasons.join('; '), groups, runs, reasons }
    }
  )
  if (last.reasons.length === 0 && looks > 1)
    log.info(`No deploy in progress any more (waited ${log.elapsed(started)})`)
  return { groups: last.groups, runs: last.runs }
}
