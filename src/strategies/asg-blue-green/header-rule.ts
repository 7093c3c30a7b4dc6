// The synthetic header rule: what ALB accepts in an http-header condition, and whether the listener
// already routes the header to the synthetic target group (or where a new rule would go).
import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import { answersFirst, forwardTargets, headerCondition, matchesHeader, placeRule } from '../../aws/rules.js'
import { DEFAULTS, Inputs } from '../../constants.js'
import type { Problem } from '../../preflight.js'

// ALB's limits on an http-header rule condition (HttpHeaderConditionConfig): CreateRule refuses
// more, and a Host condition must be a host-header one. Checked before anything changes.
const HEADER_NAME_MAX = 40
const HEADER_VALUE_MAX = 128

/** Why ALB would refuse (or misread) a header rule for `header`; undefined when it is fine. */
export function headerRuleProblem(header: { name: string; value: string }): Problem | undefined {
  const fix = `set 'synthetic-header' to a custom header such as 'X-Synthetic: true'.`
  if (header.name.toLowerCase() === 'host')
    return {
      message:
        `'synthetic-header' uses the Host header: an ALB http-header rule cannot match Host (only a ` +
        `host-header rule can).`,
      hint: fix
    }
  if (header.name.length > HEADER_NAME_MAX)
    return {
      message:
        `'synthetic-header' name '${header.name}' is ${header.name.length} characters long: an ALB header ` +
        `rule takes at most ${HEADER_NAME_MAX}.`,
      hint: fix
    }
  if (header.value.length > HEADER_VALUE_MAX)
    return {
      message:
        `'synthetic-header' value is ${header.value.length} characters long: an ALB header rule takes at ` +
        `most ${HEADER_VALUE_MAX}.`,
      hint: fix
    }
  return undefined
}

/** ALB reads `*` and `?` in a header rule's value as wildcards: the rule matches more than this value. */
export function headerValueHasWildcards(header: { value: string }): boolean {
  return /[*?]/.test(header.value)
}

export type HeaderRuleState =
  | { kind: 'present'; rule: Rule }
  | { kind: 'missing'; priority: number; rulesBefore: number }
  | { kind: 'conflict'; rule: Rule; forwardsTo: string[] }
  /** A lower-numbered rule can match the header's requests and would answer them first. */
  | { kind: 'answered-first'; rule: Rule }

/**
 * Whether the listener already routes the synthetic header to the synthetic target group. A rule
 * numbered lower that can match what the synthetic checks send (the header, on `checkPath`) answers
 * them first, so the header rule cannot serve.
 */
export function headerRuleState(
  rules: Rule[],
  header: { name: string; value: string },
  syntheticTargetGroupArn: string,
  checkPath: string = DEFAULTS[Inputs.HealthPath]
): HeaderRuleState {
  const checks = [
    headerCondition(header),
    { Field: 'path-pattern', PathPatternConfig: { Values: [checkPath] } }
  ]
  const rule = rules.find(r => !r.IsDefault && matchesHeader(r, header))
  if (rule) {
    const forwardsTo = forwardTargets(rule.Actions)
    if (forwardsTo.length !== 1 || forwardsTo[0] !== syntheticTargetGroupArn)
      return { kind: 'conflict', rule, forwardsTo }
    const ahead = answersFirst(rules, checks, Number(rule.Priority))
    return ahead.length > 0 ? { kind: 'answered-first', rule: ahead[0] } : { kind: 'present', rule }
  }
  // The lowest free priority: a rule that answers first has no free priority below it, so it refuses.
  const placed = placeRule(rules, checks, lowestFreePriority(rules))
  if ('refused' in placed) return { kind: 'answered-first', rule: placed.refused }
  const priority = placed.priority
  const rulesBefore = rules.filter(r => !r.IsDefault && Number(r.Priority) < priority).length
  return { kind: 'missing', priority, rulesBefore }
}

/** The smallest rule priority (1..50000) no rule uses: the header rule is evaluated as early as it can be. */
export function lowestFreePriority(rules: Rule[]): number {
  const used = new Set(rules.filter(r => !r.IsDefault).map(r => Number(r.Priority)))
  for (let p = 1; p <= 50_000; p++) if (!used.has(p)) return p
  return 50_000
}
