// Every wait of the strategy: src/poll.ts's loop with one log line per change of state, a bound on
// each wait, a row in the summary's table. A dry run waits for nothing (its writes were not made):
// plannedOnly is the one place that says so.
import {
  describeAutoScalingGroups,
  describeScalingActivities,
  describeTargetGroupAttachments
} from '../../aws/autoscaling.js'
import { describeTargetHealth } from '../../aws/elbv2.js'
import { formatDuration } from '../../clock.js'
import { DeployError } from '../../errors.js'
import { explainFirst } from '../../explain.js'
import { pollUntil, type Look } from '../../poll.js'
import type { Ctx, AsgRun } from './state.js'
import {
  describeHook,
  lifecycleCounts,
  statesOf,
  toGroupView,
  toTargetStates,
  type GroupView,
  type TargetGroupInfo,
  type TargetStates
} from './model.js'

export interface PollCheck extends Look {
  status: string
}

export interface WaitOptions {
  /** `until the new fleet is InService`: used in the log lines and the timeout message. */
  what: string
  key: string
  timeoutSeconds: number
  /** `fail` throws on timeout; `continue` logs what it saw and returns. */
  onTimeout: 'fail' | 'continue'
  hint?: (lastStatus: string) => string
}

export interface WaitResult {
  done: boolean
  status: string
  waitedMs: number
  /** False when a dry run only said what it would wait for. */
  waited: boolean
}

const clockTime = (ms: number) => new Date(ms).toISOString().slice(11, 19)

/**
 * True in a dry run, after saying what a real run would wait for or check: nothing it waits for can
 * happen, since the writes before it were only planned.
 */
export function plannedOnly(ctx: Ctx, wouldDo: string): boolean {
  if (!ctx.aws.dryRun) return false
  ctx.log.info(`[dry-run] ${wouldDo}`)
  return true
}

/** A wait of this strategy: each change of state is a log line and a row of the summary's table. */
export async function waitUntil(
  ctx: Ctx,
  opts: WaitOptions,
  check: () => Promise<PollCheck>,
  tick?: () => Promise<void>
): Promise<WaitResult> {
  const { clock, log, settings } = ctx
  if (plannedOnly(ctx, `would wait ${opts.what} (up to ${formatDuration(opts.timeoutSeconds)})`))
    return { done: true, status: 'dry-run', waitedMs: 0, waited: false }
  const started = clock.now()
  const { done, last, waitedMs } = await pollUntil(
    ctx,
    {
      key: opts.key,
      line: status => `Waiting ${opts.what}: ${status}`,
      onChange: r =>
        log
          .table('Fleet and target health', ['at', 'waiting', 'state'])
          .add([clockTime(clock.now()), opts.what, r.status]),
      timeoutMs: opts.timeoutSeconds * 1000,
      intervalMs: settings.pollIntervalSeconds * 1000,
      deadline: 'clip',
      tick,
      timedOut: r =>
        opts.onTimeout === 'continue'
          ? undefined
          : new DeployError(
              `Timed out after ${formatDuration(opts.timeoutSeconds)} waiting ${opts.what}: ${r.status}.`,
              opts.hint?.(r.status) ?? `raise 'wait-timeout' if AWS is just slow here.`
            )
    },
    check
  )
  if (done) log.info(`Done waiting ${opts.what}: ${last.status} (waited ${log.elapsed(started)})`)
  else log.info(`Stopped waiting ${opts.what} after ${log.elapsed(started)}, going on: ${last.status}`)
  return { done, status: last.status, waitedMs, waited: true }
}

export async function describeGroup(ctx: Ctx, name: string): Promise<GroupView> {
  const [g] = await describeAutoScalingGroups(ctx.aws, [name])
  if (!g)
    throw new DeployError(
      `Auto Scaling group ${name} disappeared during the deploy.`,
      'check who deleted it.'
    )
  return toGroupView(g)
}

export async function targetStates(ctx: Ctx, targetGroupArn: string): Promise<TargetStates> {
  return toTargetStates(await describeTargetHealth(ctx.aws, targetGroupArn))
}

const tickOf = (run: AsgRun) => () => run.lock?.refreshIfDue() ?? Promise.resolve()

/**
 * Until `group` runs `desired` instances, all InService and Healthy; returns their ids. A failed
 * launch (bad AMI, quota, capacity) fails at once with AWS's reason instead of waiting it out.
 */
export async function waitForFleet(
  run: AsgRun,
  group: string,
  desired: number,
  sinceMs: number
): Promise<string[]> {
  const { ctx } = run
  let ids: string[] = []
  await waitUntil(
    ctx,
    {
      what: `until ${group} runs ${desired} InService instance(s)`,
      key: `fleet:${group}`,
      timeoutSeconds: ctx.settings.waitTimeoutSeconds,
      onTimeout: 'fail',
      hint: () =>
        `read the scaling activities of ${group} (aws autoscaling describe-scaling-activities ` +
        `--auto-scaling-group-name ${group}); check the launch template (AMI, instance type, subnets) and the ` +
        `health-check grace period, or raise 'wait-timeout'.`
    },
    async () => {
      const g = await describeGroup(ctx, group)
      logHookWaits(run, g)
      ids = g.instances.filter(i => i.lifecycle === 'InService' && i.health === 'Healthy').map(i => i.id)
      const done = ids.length >= desired && g.instances.length === ids.length
      if (done) return { done, status: lifecycleCounts(g) }
      return { done, status: lifecycleCounts(g), failure: await launchFailure(ctx, group, sinceMs) }
    },
    tickOf(run)
  )
  return ids
}

// A launch that failed for lack of EC2 capacity (in one zone, or of Spot): Auto Scaling keeps trying,
// in other zones too, and usually succeeds soon. Only wait-timeout ends that wait.
const PASSING_SHORTAGE =
  /InsufficientInstanceCapacity|do not have sufficient [\w.-]+ capacity|capacity-not-available|InsufficientCapacity/i

export function isPassingShortage(activityText: string): boolean {
  return PASSING_SHORTAGE.test(activityText)
}

async function launchFailure(ctx: Ctx, group: string, sinceMs: number): Promise<DeployError | undefined> {
  const activities = await describeScalingActivities(ctx.aws, group)
  const textOf = (a: (typeof activities)[number]) =>
    [a.StatusMessage, a.Description, a.Cause].filter(Boolean).join(' ')
  const recentFailures = activities.filter(
    a =>
      (a.StatusCode === 'Failed' || a.StatusCode === 'Cancelled') &&
      (a.StartTime === undefined || a.StartTime.getTime() >= sinceMs - 1000)
  )
  const failed = recentFailures.find(a => !isPassingShortage(textOf(a)))
  const shortage = recentFailures.find(a => isPassingShortage(textOf(a)))
  if (shortage)
    ctx.log.change(
      `shortage:${group}`,
      `${group}: a launch failed for lack of EC2 capacity ` +
        `(${shortage.StatusMessage ?? 'InsufficientInstanceCapacity'}); Auto Scaling keeps trying, in other zones too`
    )
  if (!failed) return undefined
  const text = textOf(failed)
  const explained = explainFirst([text])
  return new DeployError(
    `${group} failed to launch instances: ${failed.StatusMessage ?? failed.Description ?? 'scaling activity failed'}.`,
    explained?.fix ??
      `read the scaling activity above and check the launch template (AMI, instance type, key pair, security ` +
        `groups, IAM instance profile) and the account quotas.`
  )
}

/** Until `group` has no instances left at all. */
export async function waitForEmpty(
  run: AsgRun,
  group: string,
  onTimeout: 'fail' | 'continue'
): Promise<WaitResult> {
  const { ctx } = run
  return waitUntil(
    ctx,
    {
      what: `until ${group} has no instances`,
      key: `empty:${group}`,
      timeoutSeconds: ctx.settings.waitTimeoutSeconds,
      onTimeout,
      hint: () =>
        `check ${group} for scale-in protection, lifecycle hooks or suspended processes that keep instances from terminating.`
    },
    async () => {
      const g = await describeGroup(ctx, group)
      logHookWaits(run, g)
      return { done: g.instances.length === 0, status: lifecycleCounts(g) }
    },
    tickOf(run)
  )
}

/** Until every one of `ids` is `healthy` in the target group. */
export async function waitForHealthy(
  run: AsgRun,
  targetGroup: { arn: string; name: string },
  ids: string[],
  what = `until the new instances are healthy in ${targetGroup.name}`
): Promise<void> {
  const { ctx } = run
  let reasons: string[] = []
  await waitUntil(
    ctx,
    {
      what,
      key: `healthy:${targetGroup.arn}:${ids.join(',')}`,
      timeoutSeconds: ctx.settings.waitTimeoutSeconds,
      onTimeout: 'fail',
      hint: () =>
        explainFirst(reasons)?.fix ??
        `check the target group's health check (path, port, matcher) against what the new version serves, the ` +
          `security groups between the load balancer and the instances, and the application logs.`
    },
    async () => {
      const states = await targetStates(ctx, targetGroup.arn)
      reasons = ids.flatMap(id => {
        const s = states.get(id)
        return s && s.state !== 'healthy' ? [[s.reason, s.description].filter(Boolean).join(' ')] : []
      })
      const healthy = ids.filter(id => states.get(id)?.state === 'healthy').length
      const detail = reasons.find(r => r !== '')
      return {
        done: ids.length > 0 && healthy === ids.length,
        status: `${statesOf(ids, states)}${detail ? ` (${detail})` : ''}`
      }
    },
    tickOf(run)
  )
}

/**
 * Until none of `ids` is registered or draining in the target group any more, bounded by the
 * deregistration delay: after that the load balancer has closed their connections anyway, so the
 * run goes on with what it saw.
 */
export async function waitForDrained(
  run: AsgRun,
  targetGroup: { arn: string; name: string },
  ids: string[],
  boundSeconds: number,
  who: string
): Promise<WaitResult> {
  const { ctx } = run
  return waitUntil(
    ctx,
    {
      what: `until ${who} ${ids.length === 1 ? 'has' : 'have'} left ${targetGroup.name}`,
      key: `drained:${targetGroup.arn}:${ids.join(',')}`,
      timeoutSeconds: Math.max(0, boundSeconds),
      onTimeout: 'continue'
    },
    async () => {
      const states = await targetStates(ctx, targetGroup.arn)
      const still = ids.filter(id => {
        const s = states.get(id)?.state
        return s !== undefined && s !== 'unused' && s !== 'unavailable'
      })
      return { done: still.length === 0, status: statesOf(ids, states) }
    },
    tickOf(run)
  )
}

/**
 * Until none of `ids` is still EnteringStandby (Auto Scaling keeps an instance there while the load
 * balancer drains it); returns the ones in Standby (the only state ExitStandby accepts) and the ones
 * that never left service.
 */
export async function waitForStandby(
  run: AsgRun,
  group: string,
  ids: string[]
): Promise<{ inStandby: string[]; inService: string[] }> {
  const { ctx } = run
  // Until a look says otherwise (a dry run takes none), they are in Standby as planned.
  let inStandby: string[] = ids
  let inService: string[] = []
  await waitUntil(
    ctx,
    {
      what: `until ${group}'s instances have finished entering Standby`,
      key: `standby:${group}`,
      timeoutSeconds: ctx.settings.waitTimeoutSeconds,
      onTimeout: 'fail'
    },
    async () => {
      const g = await describeGroup(ctx, group)
      const mine = g.instances.filter(i => ids.includes(i.id))
      inStandby = mine.filter(i => i.lifecycle === 'Standby').map(i => i.id)
      inService = mine.filter(i => i.lifecycle === 'InService').map(i => i.id)
      return {
        done: !mine.some(i => i.lifecycle === 'EnteringStandby'),
        status: lifecycleCounts({ ...g, instances: mine })
      }
    },
    tickOf(run)
  )
  return { inStandby, inService }
}

/**
 * Until the load balancer's slow start ramp of `ids` is over: until then they get only part of their
 * share, so the fleet they relieve must keep serving. Slow start begins once a target is healthy:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#slow-start-mode
 */
export async function waitForSlowStart(run: AsgRun, tg: TargetGroupInfo, who: string): Promise<void> {
  const seconds = tg.slowStartSeconds ?? 0
  if (seconds <= 0) return
  const { ctx } = run
  const until = ctx.clock.now() + seconds * 1000
  await waitUntil(
    ctx,
    {
      what: `for ${who}'s slow start in ${tg.name} (${seconds}s) before the other fleet leaves`,
      key: `slow-start:${tg.arn}`,
      timeoutSeconds: seconds,
      onTimeout: 'continue'
    },
    async () => ({ done: ctx.clock.now() >= until, status: `ramping until ${clockTime(until)}` }),
    tickOf(run)
  )
}

/**
 * Until `group` no longer lists `arns` among its attachments. A detached attachment stays Removing
 * while AWS deregisters the group's instances, and an instance that enters service meanwhile may
 * be registered again (TrafficSourceState, Removing:
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LoadBalancerTargetGroupState.html).
 */
export async function waitForDetached(run: AsgRun, group: string, arns: string[]): Promise<void> {
  if (arns.length === 0) return
  const { ctx } = run
  await waitUntil(
    ctx,
    {
      what: `until ${group} is detached from ${arns.length === 1 ? 'the target group' : 'the target groups'}`,
      key: `detached:${group}`,
      timeoutSeconds: ctx.settings.waitTimeoutSeconds,
      onTimeout: 'fail'
    },
    async () => {
      const left = (await describeTargetGroupAttachments(ctx.aws, group)).filter(
        a => arns.includes(a.LoadBalancerTargetGroupARN ?? '') && a.State !== 'Removed'
      )
      const status = left.map(a => a.State ?? '?').join(', ') || 'detached'
      return { done: left.length === 0, status }
    },
    tickOf(run)
  )
}

/** Says once per change which lifecycle hook holds instances of `group` in a wait state. */
export function logHookWaits(run: AsgRun, g: GroupView): void {
  for (const [state, transition] of HOOK_STATES) {
    const held = g.instances.filter(i => i.lifecycle === state).length
    const hooks = (run.hooks[g.name] ?? []).filter(h => h.transition === transition)
    if (held === 0 || hooks.length === 0) continue
    run.ctx.log.change(
      `hook:${g.name}:${state}`,
      `${g.name}: ${held} instance(s) in ${state} on ${hooks.map(describeHook).join(', ')}`
    )
  }
}

const HOOK_STATES: Array<[string, 'launch' | 'terminate']> = [
  ['Pending:Wait', 'launch'],
  ['Terminating:Wait', 'terminate']
]
