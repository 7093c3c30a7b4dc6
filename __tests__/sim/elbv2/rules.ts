// Listener rules (the default rule is derived from the listener's default actions): the API handlers
// and the builder.
import type {
  Action,
  CreateRuleCommandInput,
  DeleteRuleCommandInput,
  DescribeRulesCommandInput,
  ModifyRuleCommandInput,
  Rule,
  RuleCondition,
  SetRulePrioritiesCommandInput,
  Tag
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { deepCopy } from '../copy.js'
import { page } from '../paging.js'
import { normalizeCondition } from './conditions.js'
import { refreshUsage } from './health.js'
import type { ElbModel } from './index.js'
import { listenerByArn } from './listeners.js'
import type { ListenerRecord, LoadBalancerRecord, RuleRecord } from './records.js'
import { checkActions, checkConditions, validArn } from './validation.js'

export function ruleShape(r: RuleRecord): Rule {
  return {
    RuleArn: r.arn,
    Priority: String(r.priority),
    Conditions: r.conditions.map(normalizeCondition),
    Actions: deepCopy(r.actions),
    IsDefault: false
  }
}

export function defaultRuleShape(l: ListenerRecord): Rule {
  return {
    RuleArn: l.defaultRuleArn,
    Priority: 'default',
    Conditions: [],
    Actions: deepCopy(l.defaultActions),
    IsDefault: true
  }
}

export function findRule(
  elb: ElbModel,
  arn: string
): { listener: ListenerRecord; rule: RuleRecord | undefined } | undefined {
  for (const l of elb.listeners.values()) {
    if (l.defaultRuleArn === arn) return { listener: l, rule: undefined }
    const rule = l.rules.find(r => r.arn === arn)
    if (rule) return { listener: l, rule }
  }
  return undefined
}

export function ruleByArn(
  elb: ElbModel,
  arn: string
): { listener: ListenerRecord; rule: RuleRecord | undefined } {
  validArn(arn, 'listener-rule', 'rule')
  const found = findRule(elb, arn)
  if (!found || elb.world.faults.hidden(arn)) throw elb.error('RuleNotFound', 'One or more rules not found')
  return found
}

export function describeRules(elb: ElbModel, input: DescribeRulesCommandInput) {
  let rules: Rule[]
  if (input.RuleArns?.length) {
    rules = input.RuleArns.map(arn => {
      const { listener, rule } = ruleByArn(elb, arn)
      return rule ? ruleShape(rule) : defaultRuleShape(listener)
    })
  } else if (input.ListenerArn) {
    const l = listenerByArn(elb, input.ListenerArn)
    rules = [
      ...[...l.rules]
        .filter(r => !elb.world.faults.hidden(r.arn))
        .sort((a, b) => a.priority - b.priority)
        .map(r => ruleShape(r)),
      defaultRuleShape(l)
    ]
  } else {
    throw elb.error('ValidationError', 'You must specify either listener ARN or rule ARNs')
  }
  const { items, next } = page(rules, input.Marker, input.PageSize)
  return { Rules: items, NextMarker: next }
}

/** Creates a rule (world builders and CreateRule). */
export function addRule(
  elb: ElbModel,
  opts: {
    listenerArn: string
    priority: number
    conditions: RuleCondition[]
    actions: Action[]
    tags?: Tag[]
  }
): RuleRecord {
  const l = listenerByArn(elb, opts.listenerArn)
  if (!Number.isInteger(opts.priority) || opts.priority < 1 || opts.priority > 50000) {
    throw elb.error('ValidationError', `Priority '${opts.priority}' must be between 1 and 50000`)
  }
  if (l.rules.some(r => r.priority === opts.priority))
    throw elb.error('PriorityInUse', 'The specified priority is in use.')
  const rulesOnLoadBalancer = [...elb.listeners.values()]
    .filter(o => o.loadBalancerArn === l.loadBalancerArn)
    .reduce((n, o) => n + o.rules.length, 0)
  if (rulesOnLoadBalancer >= elb.world.limits.rulesPerLoadBalancer) {
    throw elb.error('TooManyRules', `You've reached the limit on the number of rules per load balancer`)
  }
  const conditions = checkConditions(elb, opts.conditions)
  const actions = checkActions(elb, opts.actions, l.loadBalancerArn)
  const lb = elb.loadBalancers.get(l.loadBalancerArn) as LoadBalancerRecord
  const rule: RuleRecord = {
    arn: elb.world.arn(
      'elasticloadbalancing',
      `listener-rule/app/${lb.name}/${lb.id}/${l.arn.split('/').pop()}/${elb.world.ids.hex(16)}`
    ),
    listenerArn: l.arn,
    priority: opts.priority,
    conditions,
    actions,
    tags: [...(opts.tags ?? [])]
  }
  l.rules.push(rule)
  elb.world.faults.created('rule', rule.arn)
  refreshUsage(elb)
  return rule
}

export function createRule(elb: ElbModel, input: CreateRuleCommandInput) {
  if (!input.ListenerArn) throw elb.error('ValidationError', 'A listener ARN must be specified')
  const rule = addRule(elb, {
    listenerArn: input.ListenerArn,
    priority: input.Priority ?? NaN,
    conditions: input.Conditions ?? [],
    actions: input.Actions ?? [],
    tags: input.Tags
  })
  return { Rules: [ruleShape(rule)] }
}

export function modifyRule(elb: ElbModel, input: ModifyRuleCommandInput) {
  const { listener, rule } = ruleByArn(elb, input.RuleArn ?? '')
  if (!rule) {
    if (input.Conditions?.length)
      throw elb.error('OperationNotPermitted', 'Conditions cannot be specified for the default rule')
    if (input.Actions) listener.defaultActions = checkActions(elb, input.Actions, listener.loadBalancerArn)
    refreshUsage(elb)
    return { Rules: [defaultRuleShape(listener)] }
  }
  if (input.Conditions) rule.conditions = checkConditions(elb, input.Conditions)
  if (input.Actions) rule.actions = checkActions(elb, input.Actions, listener.loadBalancerArn)
  refreshUsage(elb)
  return { Rules: [ruleShape(rule)] }
}

export function deleteRule(elb: ElbModel, input: DeleteRuleCommandInput) {
  const { listener, rule } = ruleByArn(elb, input.RuleArn ?? '')
  if (!rule) throw elb.error('OperationNotPermitted', 'Default rule cannot be deleted')
  listener.rules = listener.rules.filter(r => r !== rule)
  refreshUsage(elb)
  return {}
}

export function setRulePriorities(elb: ElbModel, input: SetRulePrioritiesCommandInput) {
  const changes = (input.RulePriorities ?? []).map(p => {
    const { listener, rule } = ruleByArn(elb, p.RuleArn ?? '')
    if (!rule) throw elb.error('OperationNotPermitted', 'The default rule priority cannot be changed')
    const priority = p.Priority ?? NaN
    if (!Number.isInteger(priority) || priority < 1 || priority > 50000) {
      throw elb.error('ValidationError', `Priority '${priority}' must be between 1 and 50000`)
    }
    return { listener, rule, priority }
  })
  for (const c of changes) {
    const moving = new Set(changes.filter(o => o.listener === c.listener).map(o => o.rule))
    const clash =
      c.listener.rules.some(r => !moving.has(r) && r.priority === c.priority) ||
      changes.some(o => o !== c && o.listener === c.listener && o.priority === c.priority)
    if (clash) throw elb.error('PriorityInUse', 'The specified priority is in use.')
  }
  for (const c of changes) c.rule.priority = c.priority
  return { Rules: changes.map(c => ruleShape(c.rule)) }
}
