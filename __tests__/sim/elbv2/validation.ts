// What ELBv2 refuses before it changes anything: ARNs, conditions, actions, health checks, targets.
import type { Action, RuleCondition, TargetDescription } from '@aws-sdk/client-elastic-load-balancing-v2'
import { deepCopy } from '../copy.js'
import { awsError } from '../errors.js'
import { conditionValues } from './conditions.js'
import type { ElbModel } from './index.js'
import type { HealthCheckConfig, TargetGroupRecord } from './records.js'
import { loadBalancersUsing } from './target-groups.js'

export function validArn(arn: string, type: string, what: string): void {
  if (!arn.startsWith('arn:aws') || !arn.includes(`:elasticloadbalancing:`) || !arn.includes(`:${type}/`)) {
    throw awsError('elbv2', 'ValidationError', `'${arn}' is not a valid ${what} ARN`)
  }
}

/** `200`, `200,302`, `200-299` -> ranges; undefined when malformed. */
export function parseMatcher(matcher: string): Array<[number, number]> | undefined {
  const ranges: Array<[number, number]> = []
  for (const part of matcher.split(',')) {
    const m = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/.exec(part)
    if (!m) return undefined
    const lo = Number(m[1])
    const hi = Number(m[2] ?? m[1])
    if (lo < 200 || hi > 499 || hi < lo) return undefined
    ranges.push([lo, hi])
  }
  return ranges
}

export function statusMatches(matcher: string, status: number): boolean {
  return (parseMatcher(matcher) ?? []).some(([lo, hi]) => status >= lo && status <= hi)
}

export function checkConditions(elb: ElbModel, conditions: RuleCondition[]): RuleCondition[] {
  if (conditions.length === 0) throw elb.error('ValidationError', 'A rule must have at least one condition')
  for (const c of conditions) {
    const known = [
      'host-header',
      'path-pattern',
      'http-header',
      'http-request-method',
      'query-string',
      'source-ip'
    ]
    if (!c.Field || !known.includes(c.Field)) {
      throw elb.error(
        'ValidationError',
        `Condition field '${c.Field ?? ''}' must be one of [${known.join(', ')}]`
      )
    }
    if (c.Field === 'http-header' && !c.HttpHeaderConfig?.HttpHeaderName) {
      throw elb.error('ValidationError', 'An HTTP header name must be specified for http-header conditions')
    }
    if (conditionValues(c).length === 0 && c.Field !== 'query-string') {
      throw elb.error('ValidationError', `A condition value must be specified for '${c.Field}'`)
    }
  }
  return deepCopy(conditions)
}

/** Validates actions the way ELB does, and fills in the fields AWS adds (Order, ForwardConfig). */
export function checkActions(elb: ElbModel, actions: Action[], loadBalancerArn: string): Action[] {
  if (actions.length === 0) throw elb.error('ValidationError', 'At least one action must be specified')
  return actions.map((a, index) => {
    const action = deepCopy(a)
    action.Order ??= index + 1
    if (action.Type === 'forward') {
      const arns =
        action.ForwardConfig?.TargetGroups?.map(t => t.TargetGroupArn ?? '') ??
        (action.TargetGroupArn ? [action.TargetGroupArn] : [])
      if (arns.length === 0)
        throw elb.error('ValidationError', 'A target group ARN must be specified for forward actions')
      if (arns.length > elb.world.limits.targetGroupsPerForwardAction) {
        throw elb.error(
          'TooManyTargetGroups',
          'You have reached the limit on the number of target groups per action'
        )
      }
      for (const arn of arns) {
        validArn(arn, 'targetgroup', 'target group')
        const tg = elb.targetGroups.get(arn)
        if (!tg) throw elb.error('TargetGroupNotFound', `Target group '${arn}' not found`)
        const lbs = loadBalancersUsing(elb, tg)
        if (lbs.size > 0 && !lbs.has(loadBalancerArn)) {
          throw elb.error(
            'TargetGroupAssociationLimit',
            `The following target groups cannot be associated with more than one load balancer: ${arn}`
          )
        }
      }
      const onLoadBalancer = new Set(
        [...elb.targetGroups.values()]
          .filter(tg => loadBalancersUsing(elb, tg).has(loadBalancerArn))
          .map(tg => tg.arn)
      )
      for (const arn of arns) onLoadBalancer.add(arn)
      if (onLoadBalancer.size > elb.world.limits.targetGroupsPerLoadBalancer) {
        throw elb.error(
          'TooManyUniqueTargetGroupsPerLoadBalancer',
          `You've reached the limit on the number of unique target groups per load balancer`
        )
      }
      if (!action.ForwardConfig) {
        action.ForwardConfig = {
          TargetGroups: [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false }
        }
      } else {
        action.ForwardConfig.TargetGroups = action.ForwardConfig.TargetGroups?.map(t => ({
          TargetGroupArn: t.TargetGroupArn,
          Weight: t.Weight ?? 1
        }))
        action.ForwardConfig.TargetGroupStickinessConfig ??= { Enabled: false }
        if (arns.length === 1) action.TargetGroupArn = arns[0]
      }
    } else if (action.Type === 'fixed-response') {
      if (!action.FixedResponseConfig?.StatusCode) {
        throw elb.error('ValidationError', 'A status code must be specified for fixed-response actions')
      }
    } else if (action.Type !== 'redirect') {
      throw elb.error(
        'ValidationError',
        `sim models forward, fixed-response and redirect actions, not '${action.Type}'`
      )
    }
    return action
  })
}

export function checkHealthCheck(elb: ElbModel, hc: HealthCheckConfig): void {
  const problems: string[] = []
  if (hc.intervalSeconds < 5 || hc.intervalSeconds > 300)
    problems.push('Health check interval must be between 5 and 300 seconds')
  if (hc.timeoutSeconds < 2 || hc.timeoutSeconds > 120)
    problems.push('Health check timeout must be between 2 and 120 seconds')
  if (hc.timeoutSeconds >= hc.intervalSeconds)
    problems.push('Health check timeout must be smaller than the interval')
  if (hc.healthyThreshold < 2 || hc.healthyThreshold > 10)
    problems.push('Healthy threshold count must be between 2 and 10')
  if (hc.unhealthyThreshold < 2 || hc.unhealthyThreshold > 10)
    problems.push('Unhealthy threshold count must be between 2 and 10')
  if (!hc.path.startsWith('/'))
    problems.push(`Health check path '${hc.path}' must begin with a '/' character`)
  if (parseMatcher(hc.matcher) === undefined)
    problems.push(`Health check matcher HTTP code '${hc.matcher}' must be a valid HTTP code, list or range`)
  if (problems.length > 0) throw elb.error('ValidationError', problems[0])
}

export function checkTarget(elb: ElbModel, tg: TargetGroupRecord, t: TargetDescription): void {
  const id = t.Id ?? ''
  if (tg.targetType === 'instance' && !/^i-[0-9a-f]{8,17}$/.test(id)) {
    throw elb.error('InvalidTarget', `The following targets are not valid instances: '${id}'`)
  }
  if (tg.targetType === 'ip' && !/^\d{1,3}(\.\d{1,3}){3}$/.test(id)) {
    throw elb.error('ValidationError', `The IP address '${id}' is not a valid IPv4 address`)
  }
}
