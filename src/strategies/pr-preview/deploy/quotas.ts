// The shared ALB's quotas. A preview needs a rule (host mode) or a listener (port mode) and one more
// target group on the load balancer; when the ALB is full the deploy says so before creating anything,
// and an AWS "TooMany..." refusal later (a race) is reported the same way after the run's undo.
import {
  describeAccountLimits,
  describeListeners,
  describeRules,
  listTargetGroups
} from '../../../aws/elbv2.js'
import { Inputs } from '../../../constants.js'
import { DeployError, errorMessage, hasErrorCode } from '../../../errors.js'
import type { PreviewContext, SharedAlb } from '../base.js'
import type { PreviewRun } from './run.js'

// AWS's defaults, used when DescribeAccountLimits is not allowed or does not list the quota.
export const DEFAULT_RULES_PER_ALB = 100
export const DEFAULT_LISTENERS_PER_ALB = 50
export const DEFAULT_TARGET_GROUPS_PER_ALB = 100

interface Needs {
  rule: boolean
  listener: boolean
  targetGroup: boolean
}

/** The step: what this deploy adds to the load balancer fits in its quotas. */
export async function checkQuotas(run: PreviewRun): Promise<void> {
  const { existing, names } = run
  const targetGroupExists = existing.targetGroups.length > 0
  await checkAlbQuotas(run.ctx, run.alb, run.pr, {
    targetGroup: !targetGroupExists,
    rule: names.host !== undefined && !(targetGroupExists && existing.rules.length > 0),
    listener: names.host === undefined && !(targetGroupExists && existing.listeners.length > 0)
  })
}

async function checkAlbQuotas(ctx: PreviewContext, alb: SharedAlb, pr: number, needs: Needs): Promise<void> {
  if (!needs.rule && !needs.listener && !needs.targetGroup) return
  const { aws, log } = ctx
  const lbArn = alb.loadBalancer.LoadBalancerArn ?? ''
  let limits: Record<string, number> = {}
  try {
    limits = await describeAccountLimits(aws)
  } catch (e) {
    log.debug(`DescribeAccountLimits failed (${errorMessage(e)}); using AWS's default quotas`)
  }
  const listeners = needs.rule || needs.listener ? await describeListeners(aws, lbArn) : []

  if (needs.listener) {
    const limit = limits['listeners-per-application-load-balancer'] ?? DEFAULT_LISTENERS_PER_ALB
    if (listeners.length >= limit) throw atQuota(alb, pr, 'listeners', listeners.length, limit)
  }
  if (needs.rule) {
    const limit = limits['rules-per-application-load-balancer'] ?? DEFAULT_RULES_PER_ALB
    let rules = 0
    for (const l of listeners) {
      rules += (await describeRules(aws, l.ListenerArn ?? '')).filter(r => !r.IsDefault).length
    }
    if (rules >= limit) throw atQuota(alb, pr, 'rules', rules, limit)
  }
  if (needs.targetGroup) {
    const limit = limits['target-groups-per-application-load-balancer'] ?? DEFAULT_TARGET_GROUPS_PER_ALB
    const groups = (await listTargetGroups(aws, lbArn)).length
    if (groups >= limit) throw atQuota(alb, pr, 'target groups', groups, limit)
  }
}

const SWEEP_FIRST = `remove previews of closed pull requests (run this action with '${Inputs.PreviewAction}: sweep')`

type Resource = 'rules' | 'listeners' | 'target groups'

const QUOTA_NAMES: Record<Resource, string> = {
  rules: 'Rules per Application Load Balancer',
  listeners: 'Listeners per Application Load Balancer',
  'target groups': 'Target Groups per Application Load Balancer'
}

function atQuota(
  alb: SharedAlb,
  pr: number,
  what: Resource,
  used: number | undefined,
  limit: number | undefined
): DeployError {
  const lb = alb.loadBalancer.LoadBalancerName ?? alb.loadBalancer.LoadBalancerArn
  const count = used !== undefined && limit !== undefined ? ` (${used} of ${limit} in use)` : ''
  const alternative =
    what === 'listeners'
      ? ` or set '${Inputs.PreviewDomain}' so previews share one listener through host rules`
      : ''
  return new DeployError(
    `The load balancer ${lb} is at its quota of ${what}${count}: no preview for PR #${pr} was created.`,
    `${SWEEP_FIRST}, delete ${what} no longer used${alternative}, or request a higher '${QUOTA_NAMES[what]}' quota ` +
      'in Service Quotas.'
  )
}

/** AWS's own "TooMany..." refusals, as the same error the pre-check gives. */
export function quotaError(e: unknown, alb: SharedAlb, pr: number): DeployError | undefined {
  if (hasErrorCode(e, 'TooManyRules')) return atQuota(alb, pr, 'rules', undefined, undefined)
  if (hasErrorCode(e, 'TooManyListeners')) return atQuota(alb, pr, 'listeners', undefined, undefined)
  if (hasErrorCode(e, 'TooManyUniqueTargetGroupsPerLoadBalancer'))
    return atQuota(alb, pr, 'target groups', undefined, undefined)
  if (hasErrorCode(e, 'TooManyTargetGroups'))
    return new DeployError(
      `The account is at its quota of target groups in this region: no preview for PR #${pr} was created.`,
      `${SWEEP_FIRST}, delete unused target groups, or request a higher 'Target Groups per Region' quota ` +
        `in Service Quotas.`
    )
  return undefined
}
