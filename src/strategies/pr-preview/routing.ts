// How requests reach a preview on the shared ALB: a host-header rule `pr-<n>.<domain>` on the shared
// listener, or a listener of its own on a port from `preview-ports`. Two PRs deploying at once race for
// priorities and ports: the loser of a race (PriorityInUse, DuplicateListener) takes the next free one.
import type { Listener, Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  createForwardListener,
  createForwardRule,
  deleteListener,
  describeListeners,
  describeRules,
  describeTags
} from '../../aws/elbv2.js'
import { forwardsTo, hostCondition, hostOf } from '../../aws/rules.js'
import type { TagMap } from '../../aws/tags.js'
import { Inputs, Tags } from '../../constants.js'
import { DeployError, hasErrorCode } from '../../errors.js'
import type { PreviewContext, SharedAlb } from './base.js'
import type { CreatedResources } from './created.js'
import { nextFreePriority, portCandidates } from './naming.js'

export interface Route {
  kind: 'host' | 'port'
  arn: string
  /** The listener port requests arrive on (the shared listener's in host mode). */
  port: number
  priority?: number
  host?: string
  created: boolean
}

// Enough for a busy ALB: each attempt re-reads what is taken, so a lost race costs one attempt.
const MAX_ATTEMPTS = 10
const TARGET_GROUP_NOT_YET = ['TargetGroupNotFound']

interface RouteParams {
  pr: number
  targetGroupArn: string
  tags: TagMap
  created: CreatedResources
}

export async function ensureHostRule(
  ctx: PreviewContext,
  alb: SharedAlb,
  p: RouteParams & { host: string; existing: Rule[] }
): Promise<Route> {
  const { aws, log } = ctx
  const listenerArn = alb.listener.ListenerArn ?? ''
  const port = alb.listener.Port ?? 80
  const mine = p.existing.find(r => forwardsTo(r.Actions, p.targetGroupArn) && hostOf(r) === p.host)
  if (mine?.RuleArn) {
    log.info(`Rule ${mine.Priority} already routes ${p.host} to the preview.`)
    return {
      kind: 'host',
      arn: mine.RuleArn,
      port,
      priority: Number(mine.Priority),
      host: p.host,
      created: false
    }
  }
  const tried = new Set<number>()
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const used = new Set(
      (await describeRules(aws, listenerArn)).map(r => Number(r.Priority)).filter(Number.isFinite)
    )
    for (const t of tried) used.add(t)
    const priority = nextFreePriority(p.pr, used)
    if (priority === undefined)
      throw new DeployError(
        `Listener ${listenerArn} has no free rule priority left.`,
        'remove unused rules from the listener.'
      )
    try {
      const rule = await aws.retryOn(TARGET_GROUP_NOT_YET, 'elasticloadbalancing:CreateRule', () =>
        createForwardRule(aws, {
          listenerArn,
          priority,
          conditions: [hostCondition(p.host)],
          targetGroupArn: p.targetGroupArn,
          tags: p.tags
        })
      )
      p.created.add('rule', rule.RuleArn)
      log.info(`Rule ${priority}: Host ${p.host} -> preview target group`)
      return {
        kind: 'host',
        arn: rule.RuleArn ?? `(planned rule ${priority})`,
        port,
        priority,
        host: p.host,
        created: true
      }
    } catch (e) {
      if (!hasErrorCode(e, 'PriorityInUse')) throw e
      log.info(`Priority ${priority} was taken meanwhile; trying the next free one.`)
      tried.add(priority)
    }
  }
  throw new DeployError(
    `Could not get a rule priority on ${listenerArn} after ${MAX_ATTEMPTS} attempts: other deploys kept taking them.`,
    'run the deploy again.'
  )
}

export async function ensurePortListener(
  ctx: PreviewContext,
  alb: SharedAlb,
  p: RouteParams & { existing: Listener[] }
): Promise<Route> {
  const { aws, log, settings } = ctx
  const lbArn = alb.loadBalancer.LoadBalancerArn ?? ''
  const mine = p.existing.find(l => forwardsTo(l.DefaultActions, p.targetGroupArn))
  if (mine?.ListenerArn && mine.Port) {
    log.info(`Listener :${mine.Port} already routes to the preview.`)
    return { kind: 'port', arn: mine.ListenerArn, port: mine.Port, created: false }
  }
  const tried = new Set<number>()
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const listeners = await describeListeners(aws, lbArn)
    const used = new Set(listeners.map(l => l.Port ?? 0))
    for (const t of tried) used.add(t)
    const port = portCandidates(p.pr, settings.previewPorts, used)[0]
    if (port === undefined)
      throw new DeployError(
        `Every port of '${Inputs.PreviewPorts}' (${settings.previewPorts.from}-${settings.previewPorts.to}) already has a listener on ${alb.loadBalancer.LoadBalancerName}.`,
        `widen '${Inputs.PreviewPorts}', remove previews of closed pull requests (preview-action: sweep), or set '${Inputs.PreviewDomain}' to route by host name.`
      )
    let listener: Listener
    try {
      listener = await aws.retryOn(TARGET_GROUP_NOT_YET, 'elasticloadbalancing:CreateListener', () =>
        createForwardListener(aws, {
          loadBalancerArn: lbArn,
          port,
          protocol: alb.listener.Protocol,
          sslPolicy: alb.listener.SslPolicy,
          certificates: alb.listener.Certificates,
          targetGroupArn: p.targetGroupArn,
          tags: p.tags
        })
      )
    } catch (e) {
      if (!hasErrorCode(e, 'DuplicateListener')) throw e
      log.info(`Port ${port} was taken meanwhile; trying the next free one.`)
      tried.add(port)
      continue
    }
    const arn = listener.ListenerArn ?? ''
    if (!aws.dryRun && (await lostPortRace(ctx, lbArn, arn, port, p.pr))) {
      await deleteListener(aws, arn)
      log.info(`Port ${port} is shared with another listener; giving it up and trying the next free one.`)
      tried.add(port)
      continue
    }
    p.created.add('listener', arn)
    log.info(`Listener :${port} -> preview target group`)
    return { kind: 'port', arn, port, created: true }
  }
  throw new DeployError(
    `Could not get a listener port on ${alb.loadBalancer.LoadBalancerName} after ${MAX_ATTEMPTS} attempts: other deploys kept taking them.`,
    'run the deploy again.'
  )
}

/**
 * After creating a listener: does another listener share its port (possible where the duplicate check is
 * not atomic)? The lower PR keeps the port; a non-preview listener always does. A rival with a higher PR
 * should give way by itself; if it is still there after a pause it had settled before us, so we move.
 */
async function lostPortRace(
  ctx: PreviewContext,
  lbArn: string,
  mine: string,
  port: number,
  pr: number
): Promise<boolean> {
  const rivals = await rivalsOn(ctx, lbArn, mine, port)
  if (rivals.length === 0) return false
  if (rivals.some(r => r.pr === undefined || r.pr < pr || (r.pr === pr && r.arn < mine))) return true
  await ctx.clock.sleep(RACE_SETTLE_MS)
  return (await rivalsOn(ctx, lbArn, mine, port)).length > 0
}

const RACE_SETTLE_MS = 2000

async function rivalsOn(
  ctx: PreviewContext,
  lbArn: string,
  mine: string,
  port: number
): Promise<Array<{ arn: string; pr: number | undefined }>> {
  const rivals = (await describeListeners(ctx.aws, lbArn)).filter(
    l => l.Port === port && l.ListenerArn !== mine
  )
  if (rivals.length === 0) return []
  const tags = await describeTags(
    ctx.aws,
    rivals.map(l => l.ListenerArn ?? '')
  )
  return rivals.map(l => {
    const raw = tags.get(l.ListenerArn ?? '')?.[Tags.Pr]
    return { arn: l.ListenerArn ?? '', pr: raw && /^\d+$/.test(raw) ? Number(raw) : undefined }
  })
}
