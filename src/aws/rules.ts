// What a listener or a rule does with a request, read from its actions and conditions: which target
// groups it forwards to, which host or header it matches. Pure, shared by every strategy.
import type { Action, Rule, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'

/** Whether these actions (a listener's DefaultActions, a rule's Actions) forward to the target group. */
export function forwardsTo(actions: Action[] | undefined, targetGroupArn: string): boolean {
  return (actions ?? []).some(
    a =>
      a.Type === 'forward' &&
      (a.TargetGroupArn === targetGroupArn ||
        (a.ForwardConfig?.TargetGroups ?? []).some(t => t.TargetGroupArn === targetGroupArn))
  )
}

/** Target groups the actions forward to; a weighted target of weight 0 gets no request, so it is left out. */
export function forwardTargets(actions: Action[] | undefined): string[] {
  const targets = new Set<string>()
  for (const a of actions ?? []) {
    if (a.Type !== 'forward') continue
    if (a.TargetGroupArn) targets.add(a.TargetGroupArn)
    for (const t of a.ForwardConfig?.TargetGroups ?? [])
      if (t.TargetGroupArn && (t.Weight === undefined || t.Weight > 0)) targets.add(t.TargetGroupArn)
  }
  return [...targets]
}

/**
 * Each target group's share of the requests the actions forward, in percent (a plain forward is 100).
 * ALB splits a weighted forward by weight over the sum of the weights.
 */
export function forwardShares(actions: Action[] | undefined): Map<string, number> {
  const shares = new Map<string, number>()
  for (const a of actions ?? []) {
    if (a.Type !== 'forward') continue
    const groups = a.ForwardConfig?.TargetGroups ?? []
    if (groups.length === 0 && a.TargetGroupArn) shares.set(a.TargetGroupArn, 100)
    const total = groups.reduce((sum, t) => sum + (t.Weight ?? 1), 0)
    for (const t of groups)
      if (t.TargetGroupArn) shares.set(t.TargetGroupArn, total > 0 ? ((t.Weight ?? 1) * 100) / total : 0)
  }
  return shares
}

/** The header a rule requires (its first http-header condition with a literal value), if any. */
export function requiredHeader(rule: Rule): { name: string; value: string } | undefined {
  const c = rule.Conditions?.find(x => x.Field === 'http-header')
  const name = c?.HttpHeaderConfig?.HttpHeaderName
  const value = c?.HttpHeaderConfig?.Values?.find(v => !/[*?]/.test(v))
  return name && value ? { name, value } : undefined
}

/** The host names of a rule's host-header conditions (the config form, else the older `Values`). */
export function ruleHosts(rule: Rule): string[] {
  return (rule.Conditions ?? []).flatMap(c =>
    c.Field === 'host-header' ? (c.HostHeaderConfig?.Values ?? c.Values ?? []) : []
  )
}

/** The first host of a rule's first host-header condition. */
export function hostOf(rule: Rule): string | undefined {
  const c = rule.Conditions?.find(x => x.Field === 'host-header')
  return c?.HostHeaderConfig?.Values?.[0] ?? c?.Values?.[0]
}

export function hostCondition(host: string): RuleCondition {
  return { Field: 'host-header', HostHeaderConfig: { Values: [host] } }
}

export function headerCondition(header: { name: string; value: string }): RuleCondition {
  return { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: header.name, Values: [header.value] } }
}

/** A rule matching requests that carry the header (ALB compares header names and values case-insensitively). */
export function matchesHeader(rule: Rule, header: { name: string; value: string }): boolean {
  return (rule.Conditions ?? []).some(
    c =>
      c.Field === 'http-header' &&
      c.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() === header.name.toLowerCase() &&
      (c.HttpHeaderConfig?.Values ?? []).some(v => v.toLowerCase() === header.value.toLowerCase())
  )
}
