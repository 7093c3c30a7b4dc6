// How requests reach a preview on the shared ALB: a host-header rule `pr-<n>.<domain>` on the shared
// listener, or a listener of its own on a port from `preview-ports`. Two PRs deploying at once race for
// priorities and ports: the loser of a race (PriorityInUse, DuplicateListener) takes the next free one.
import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  createForwardListener,
  createForwardRule,
  deleteListener,
  describeListeners,
  describeTags
} from '../../../aws/elbv2.js'
import { forwardsTo, hostCondition, hostOf, ruleLabel } from '../../../aws/rules.js'
import { Inputs, Tags } from '../../../constants.js'
import { DeployError, hasErrorCode } from '../../../errors.js'
import { portCandidates } from '../naming.js'
import { admittedPorts, hostRulePriority, rulesAheadOf } from './reachable.js'
import { made, recordCreated, type PreviewRun, type Route } from './run.js'

// Enough for a busy ALB: each attempt re-reads what is taken, so a lost race costs one attempt.
const MAX_ATTEMPTS = 10
const TARGET_GROUP_NOT_YET = ['TargetGroupNotFound']
const RACE_SETTLE_MS = 2000

/** The step: a host rule when `preview-domain` is set, else a listener port of the preview's own. */
export async function ensureRoute(run: PreviewRun): Promise<void> {
  const host = run.names.host
  run.made.route = host ? await ensureHostRule(run, host) : await ensurePortListener(run)
}

async function ensureHostRule(run: PreviewRun, host: string): Promise<Route> {
  const { ctx, alb } = run
  const targetGroupArn = made(run, 'targetGroupArn')
  const listenerArn = alb.listener.ListenerArn ?? ''
  const port = alb.listener.Port ?? 80
  const mine = run.existing.rules.find(r => forwardsTo(r.Actions, targetGroupArn) && hostOf(r) === host)
  if (mine?.RuleArn) {
    const ahead = await rulesAheadOf(run, mine)
    if (ahead.length === 0) {
      ctx.log.info(`Rule ${mine.Priority} already routes ${host} to the preview.`)
      return { kind: 'host', arn: mine.RuleArn, port, priority: Number(mine.Priority), host, created: false }
    }
    // A rule added since takes the preview's requests: a new rule ahead of it; the tidy step removes this one.
    ctx.log.info(`Rule ${mine.Priority} for ${host} is behind rule ${ruleLabel(ahead[0])}: replacing it.`)
  }
  const tried = new Set<number>()
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const priority = await hostRulePriority(run, host, tried)
    try {
      const rule = await ctx.aws.retryOn(TARGET_GROUP_NOT_YET, 'elasticloadbalancing:CreateRule', () =>
        createForwardRule(ctx.aws, {
          listenerArn,
          priority,
          conditions: [hostCondition(host)],
          targetGroupArn,
          tags: run.tags
        })
      )
      recordCreated(run, 'rule', rule.RuleArn)
      ctx.log.info(`Rule ${priority}: Host ${host} -> preview target group`)
      return { kind: 'host', arn: rule.RuleArn ?? '', port, priority, host, created: true }
    } catch (e) {
      if (!hasErrorCode(e, 'PriorityInUse')) throw e
      ctx.log.info(`Priority ${priority} was taken meanwhile; trying the next free one.`)
      tried.add(priority)
    }
  }
  throw keptTaken(`a rule priority on ${listenerArn}`)
}

async function ensurePortListener(run: PreviewRun): Promise<Route> {
  const { ctx, alb } = run
  const targetGroupArn = made(run, 'targetGroupArn')
  const admitted = await admittedPorts(run)
  const mine = run.existing.listeners.find(l => forwardsTo(l.DefaultActions, targetGroupArn))
  if (mine?.ListenerArn && mine.Port && admitted(mine.Port)) {
    ctx.log.info(`Listener :${mine.Port} already routes to the preview.`)
    return { kind: 'port', arn: mine.ListenerArn, port: mine.Port, created: false }
  }
  // A port the security groups stopped admitting: a new listener on an admitted one; the tidy step removes it.
  if (mine?.Port)
    ctx.log.info(`Listener :${mine.Port} is not admitted by the load balancer's security groups.`)
  const tried = new Set<number>()
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const port = await nextFreePort(run, tried, admitted)
    const listener = await createPreviewListener(run, port)
    if (listener && !(await lostPortRace(run, listener.ListenerArn ?? '', port))) {
      recordCreated(run, 'listener', listener.ListenerArn)
      ctx.log.info(`Listener :${port} -> preview target group`)
      return { kind: 'port', arn: listener.ListenerArn ?? '', port, created: true }
    }
    if (listener) {
      await deleteListener(ctx.aws, listener.ListenerArn ?? '')
      ctx.log.info(`Port ${port} is shared with another listener; giving it up and trying the next free one.`)
    } else ctx.log.info(`Port ${port} was taken meanwhile; trying the next free one.`)
    tried.add(port)
  }
  throw keptTaken(`a listener port on ${alb.loadBalancer.LoadBalancerName}`)
}

/** The PR's port from `preview-ports` (its own first), skipping taken, lost and not admitted ports. */
async function nextFreePort(
  run: PreviewRun,
  tried: Set<number>,
  admitted: (port: number) => boolean
): Promise<number> {
  const { ctx, alb } = run
  const listeners = await describeListeners(ctx.aws, alb.loadBalancer.LoadBalancerArn ?? '')
  const used = new Set(listeners.map(l => l.Port ?? 0))
  for (const t of tried) used.add(t)
  const port = portCandidates(run.pr, ctx.settings.previewPorts, used).find(admitted)
  if (port === undefined) throw portsFull(run)
  return port
}

/** The preview's listener on `port`; undefined when another listener took the port meanwhile. */
async function createPreviewListener(run: PreviewRun, port: number): Promise<Listener | undefined> {
  const { ctx, alb } = run
  try {
    return await ctx.aws.retryOn(TARGET_GROUP_NOT_YET, 'elasticloadbalancing:CreateListener', () =>
      createForwardListener(ctx.aws, {
        loadBalancerArn: alb.loadBalancer.LoadBalancerArn ?? '',
        port,
        protocol: alb.listener.Protocol,
        sslPolicy: alb.listener.SslPolicy,
        certificates: alb.listener.Certificates,
        targetGroupArn: made(run, 'targetGroupArn'),
        tags: run.tags
      })
    )
  } catch (e) {
    if (!hasErrorCode(e, 'DuplicateListener')) throw e
    return undefined
  }
}

/**
 * After creating a listener: does another listener share its port (possible where the duplicate check is
 * not atomic)? The lower PR keeps the port; a non-preview listener always does. A rival with a higher PR
 * should give way by itself; if it is still there after a pause it had settled before us, so we move.
 */
async function lostPortRace(run: PreviewRun, mine: string, port: number): Promise<boolean> {
  const rivals = await rivalsOn(run, mine, port)
  if (rivals.length === 0) return false
  if (rivals.some(r => r.pr === undefined || r.pr < run.pr || (r.pr === run.pr && r.arn < mine))) return true
  await run.ctx.clock.sleep(RACE_SETTLE_MS)
  return (await rivalsOn(run, mine, port)).length > 0
}

async function rivalsOn(
  run: PreviewRun,
  mine: string,
  port: number
): Promise<Array<{ arn: string; pr: number | undefined }>> {
  const { aws } = run.ctx
  const listeners = await describeListeners(aws, run.alb.loadBalancer.LoadBalancerArn ?? '')
  const rivals = listeners.filter(l => l.Port === port && l.ListenerArn !== mine)
  if (rivals.length === 0) return []
  const tags = await describeTags(
    aws,
    rivals.map(l => l.ListenerArn ?? '')
  )
  return rivals.map(l => {
    const raw = tags.get(l.ListenerArn ?? '')?.[Tags.Pr]
    return { arn: l.ListenerArn ?? '', pr: raw && /^\d+$/.test(raw) ? Number(raw) : undefined }
  })
}

function portsFull(run: PreviewRun): DeployError {
  const { from, to } = run.ctx.settings.previewPorts
  return new DeployError(
    `Every port of '${Inputs.PreviewPorts}' (${from}-${to}) already has a listener on ` +
      `${run.alb.loadBalancer.LoadBalancerName}.`,
    `widen '${Inputs.PreviewPorts}', remove previews of closed pull requests (preview-action: sweep), ` +
      `or set '${Inputs.PreviewDomain}' to route by host name.`
  )
}

function keptTaken(what: string): DeployError {
  return new DeployError(
    `Could not get ${what} after ${MAX_ATTEMPTS} attempts: other deploys kept taking them.`,
    'run the deploy again.'
  )
}
