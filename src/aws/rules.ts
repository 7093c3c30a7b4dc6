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

// Which rules answer first. ALB evaluates a listener's rules from the lowest priority number up and the
// default rule last; the first rule whose conditions all match a request takes it. A rule with several
// conditions matches only when all of them match; a condition with several values matches when any does.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html
// Condition types, wildcards (`*` any run of characters, `?` exactly one) and case rules:
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html

/** What one rule asks of a request, field by field; a field left out matches anything. */
interface Ask {
  hosts?: string[]
  paths?: string[]
  methods?: string[]
  sourceIps?: string[]
  /** One entry per http-header condition: every one must match. */
  headers: Array<{ name: string; values: string[] }>
  /** A regex condition we do not decide on: the rule is taken to match. */
  regex: boolean
}

function askOf(conditions: RuleCondition[] | undefined): Ask {
  const ask: Ask = { headers: [], regex: false }
  for (const c of conditions ?? []) {
    if ((c.RegexValues ?? []).length > 0 || regexValues(c).length > 0) ask.regex = true
    if (c.Field === 'host-header') ask.hosts = c.HostHeaderConfig?.Values ?? c.Values
    else if (c.Field === 'path-pattern') ask.paths = c.PathPatternConfig?.Values ?? c.Values
    else if (c.Field === 'http-request-method') ask.methods = c.HttpRequestMethodConfig?.Values ?? c.Values
    else if (c.Field === 'source-ip') ask.sourceIps = c.SourceIpConfig?.Values ?? c.Values
    else if (c.Field === 'http-header')
      ask.headers.push({
        name: (c.HttpHeaderConfig?.HttpHeaderName ?? '').toLowerCase(),
        values: c.HttpHeaderConfig?.Values ?? c.Values ?? []
      })
    // query-string: a query string can carry any number of key/value pairs, so two rules' query
    // conditions never exclude each other; they leave the overlap to the other fields.
  }
  return ask
}

function regexValues(c: RuleCondition): string[] {
  const configs = [c.HostHeaderConfig, c.PathPatternConfig, c.HttpHeaderConfig] as Array<
    { RegexValues?: string[] } | undefined
  >
  return configs.flatMap(x => x?.RegexValues ?? [])
}

/** Whether one request can match both sets of conditions. */
export function conditionsOverlap(a: RuleCondition[] | undefined, b: RuleCondition[] | undefined): boolean {
  const x = askOf(a)
  const y = askOf(b)
  if (x.regex || y.regex) return true
  // Host names, header names and header values compare case-insensitively; paths and methods exactly.
  if (!anyPair(x.hosts, y.hosts, (p, q) => globsIntersect(p, q, true))) return false
  if (!anyPair(x.paths, y.paths, (p, q) => globsIntersect(p, q, false))) return false
  if (!anyPair(x.methods, y.methods, (p, q) => p === q)) return false
  if (!anyPair(x.sourceIps, y.sourceIps, cidrsIntersect)) return false
  for (const h of x.headers)
    for (const k of y.headers)
      if (h.name === k.name && !anyPair(h.values, k.values, (p, q) => globsIntersect(p, q, true)))
        return false
  return true
}

/** True when either side leaves the field open, or some value of one can meet some value of the other. */
function anyPair(a: string[] | undefined, b: string[] | undefined, meet: (p: string, q: string) => boolean) {
  if (a === undefined || b === undefined) return true
  return a.some(p => b.some(q => meet(p, q)))
}

/** Whether some string matches both wildcard patterns (`*` any run, `?` one character). */
export function globsIntersect(p: string, q: string, ignoreCase: boolean): boolean {
  const a = ignoreCase ? p.toLowerCase() : p
  const b = ignoreCase ? q.toLowerCase() : q
  const memo = new Map<number, boolean>()
  const meet = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j
    const known = memo.get(key)
    if (known !== undefined) return known
    let result: boolean
    if (i === a.length && j === b.length) result = true
    else if (a[i] === '*') result = meet(i + 1, j) || (j < b.length && meet(i, j + 1))
    else if (b[j] === '*') result = meet(i, j + 1) || (i < a.length && meet(i + 1, j))
    else if (i === a.length || j === b.length) result = false
    else result = (a[i] === '?' || b[j] === '?' || a[i] === b[j]) && meet(i + 1, j + 1)
    memo.set(key, result)
    return result
  }
  return meet(0, 0)
}

/** Whether a string matches one wildcard pattern (`*` any run of characters, `?` exactly one). */
export function globMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, c => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`))
  return new RegExp(`^${body}$`, ignoreCase ? 'is' : 's').test(value)
}

/** Two CIDR blocks (IPv4 or IPv6) share an address when one contains the other's network. */
export function cidrsIntersect(a: string, b: string): boolean {
  const x = parseCidr(a)
  const y = parseCidr(b)
  if (!x || !y) return true
  if (x.bits !== y.bits) return false
  const prefix = Math.min(x.prefix, y.prefix)
  const shift = BigInt(x.bits - prefix)
  return x.address >> shift === y.address >> shift
}

export function parseCidr(cidr: string): { address: bigint; prefix: number; bits: number } | undefined {
  const [ip, len] = cidr.split('/')
  const v4 = ip.includes('.') && !ip.includes(':')
  const bits = v4 ? 32 : 128
  const address = v4 ? ipv4(ip) : ipv6(ip)
  const prefix = len === undefined ? bits : Number(len)
  if (address === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined
  return { address, prefix, bits }
}

function ipv4(ip: string): bigint | undefined {
  const parts = ip.split('.').map(Number)
  if (parts.length !== 4 || parts.some(n => !Number.isInteger(n) || n < 0 || n > 255)) return undefined
  return parts.reduce((acc, n) => (acc << 8n) | BigInt(n), 0n)
}

function ipv6(ip: string): bigint | undefined {
  const [head, tail, ...rest] = ip.split('::')
  if (rest.length > 0) return undefined
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const missing = 8 - left.length - right.length
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right]
  if (groups.some(g => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)
}

/** `host-header *.example.com and path-pattern /*`: a rule's conditions as a log and error line show them. */
export function describeConditions(conditions: RuleCondition[] | undefined): string {
  const parts = (conditions ?? []).map(conditionLine)
  return parts.length > 0 ? parts.join(' and ') : 'no conditions'
}

function conditionLine(c: RuleCondition): string {
  const or = (values: string[] | undefined) => (values ?? []).join(' or ')
  const regex = regexValues(c)
  if (regex.length > 0) return `${c.Field} matching regex ${or(regex)}`
  switch (c.Field) {
    case 'host-header':
      return `host-header ${or(c.HostHeaderConfig?.Values ?? c.Values)}`
    case 'path-pattern':
      return `path-pattern ${or(c.PathPatternConfig?.Values ?? c.Values)}`
    case 'http-header':
      return `http-header ${c.HttpHeaderConfig?.HttpHeaderName}: ${or(c.HttpHeaderConfig?.Values)}`
    case 'http-request-method':
      return `http-request-method ${or(c.HttpRequestMethodConfig?.Values ?? c.Values)}`
    case 'query-string':
      return `query-string ${or((c.QueryStringConfig?.Values ?? []).map(v => `${v.Key ?? ''}=${v.Value ?? ''}`))}`
    case 'source-ip':
      return `source-ip ${or(c.SourceIpConfig?.Values ?? c.Values)}`
    default:
      return `${c.Field} ${or(c.Values)}`
  }
}

/** Where a new rule goes: at `priority`, ahead of the rules that would answer first; or refused. */
export type Placement = { priority: number; ahead: Rule[] } | { refused: Rule }

/**
 * Places a rule with `conditions` at `preferred` unless a rule with a lower priority number can match
 * the same requests (it would answer them first). Then it goes just ahead of the lowest such rule, at the
 * highest free priority below it; with none free it is refused, naming that rule. `ignore` leaves out
 * rules that do not count (the caller's own); `taken` adds priorities lost to a race.
 */
export function placeRule(
  rules: Rule[],
  conditions: RuleCondition[],
  preferred: number,
  options: { ignore?: (rule: Rule) => boolean; taken?: Set<number> } = {}
): Placement {
  const used = new Set([...rulePriorities(rules), ...(options.taken ?? [])])
  const first = answersFirst(rules, conditions, preferred, options.ignore)
  if (first.length === 0) return { priority: preferred, ahead: [] }
  const lowest = first[0]
  for (let p = Number(lowest.Priority) - 1; p >= 1; p--)
    if (!used.has(p)) return { priority: p, ahead: first }
  return { refused: lowest }
}

/** Non-default rules numbered below `priority` that can match a request `conditions` match, lowest first. */
export function answersFirst(
  rules: Rule[],
  conditions: RuleCondition[],
  priority: number,
  ignore: (rule: Rule) => boolean = () => false
): Rule[] {
  return rules
    .filter(r => !r.IsDefault && Number(r.Priority) < priority && !ignore(r))
    .filter(r => conditionsOverlap(r.Conditions, conditions))
    .sort((a, b) => Number(a.Priority) - Number(b.Priority))
}

export function rulePriorities(rules: Rule[]): number[] {
  return rules.map(r => Number(r.Priority)).filter(Number.isFinite)
}

/** `priority 10 (host-header *.example.com, arn:...)`: a rule as a refusal names it. */
export function ruleLabel(rule: Rule): string {
  return `priority ${rule.Priority} (${describeConditions(rule.Conditions)}; ${rule.RuleArn})`
}
