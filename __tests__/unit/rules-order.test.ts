// Which listener rules answer first (src/aws/rules.ts): condition overlap with wildcards, all conditions
// of a rule, any value of a condition; and where a new rule goes so no lower-numbered rule takes its requests.
import { describe, expect, it } from '@jest/globals'
import type { Rule, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  answersFirst,
  cidrsIntersect,
  conditionsOverlap,
  describeConditions,
  globMatches,
  globsIntersect,
  headerCondition,
  hostCondition,
  placeRule
} from '../../src/aws/rules.js'

const host = (...values: string[]): RuleCondition => ({
  Field: 'host-header',
  HostHeaderConfig: { Values: values }
})
const path = (...values: string[]): RuleCondition => ({
  Field: 'path-pattern',
  PathPatternConfig: { Values: values }
})
const method = (...values: string[]): RuleCondition => ({
  Field: 'http-request-method',
  HttpRequestMethodConfig: { Values: values }
})
const source = (...values: string[]): RuleCondition => ({
  Field: 'source-ip',
  SourceIpConfig: { Values: values }
})
const query = (key: string, value: string): RuleCondition => ({
  Field: 'query-string',
  QueryStringConfig: { Values: [{ Key: key, Value: value }] }
})
const rule = (priority: number, ...conditions: RuleCondition[]): Rule => ({
  Priority: String(priority),
  Conditions: conditions,
  RuleArn: `arn:rule/${priority}`
})

describe('wildcard patterns', () => {
  it('matches * as any run and ? as one character', () => {
    expect(globMatches('*.preview.example.com', 'pr-7.preview.example.com', true)).toBe(true)
    expect(globMatches('*.example.com', 'example.com', true)).toBe(false)
    expect(globMatches('pr-?.example.com', 'pr-7.example.com', true)).toBe(true)
    expect(globMatches('pr-?.example.com', 'pr-17.example.com', true)).toBe(false)
    expect(globMatches('/API/*', '/api/x', false)).toBe(false)
  })

  it('finds whether two patterns share a string', () => {
    expect(globsIntersect('*.example.com', 'pr-*.example.com', true)).toBe(true)
    expect(globsIntersect('a*', '*b', false)).toBe(true)
    expect(globsIntersect('a*', 'b*', false)).toBe(false)
    expect(globsIntersect('pr-?', 'pr-17', false)).toBe(false)
    expect(globsIntersect('pr-??', 'pr-1*', false)).toBe(true)
    expect(globsIntersect('API.example.com', 'api.EXAMPLE.com', true)).toBe(true)
  })

  it('intersects CIDR blocks of one family', () => {
    expect(cidrsIntersect('10.0.0.0/8', '10.1.2.0/24')).toBe(true)
    expect(cidrsIntersect('10.0.0.0/8', '192.168.0.0/16')).toBe(false)
    expect(cidrsIntersect('2001:db8::/32', '2001:db8:1::/48')).toBe(true)
    expect(cidrsIntersect('2001:db8::/32', '10.0.0.0/8')).toBe(false)
  })
})

describe('conditionsOverlap', () => {
  const ours = [hostCondition('pr-7.preview.example.com')]

  it('a wildcard host rule or a path-only rule takes the preview host', () => {
    expect(conditionsOverlap([host('*.preview.example.com')], ours)).toBe(true)
    expect(conditionsOverlap([path('/*')], ours)).toBe(true)
    expect(conditionsOverlap([host('app.example.com')], ours)).toBe(false)
  })

  it('a rule matches only when all its conditions do; a condition when any value does', () => {
    expect(conditionsOverlap([host('app.example.com'), path('/*')], ours)).toBe(false)
    expect(conditionsOverlap([host('app.example.com', 'pr-*.preview.example.com')], ours)).toBe(true)
  })

  it('methods, source IPs, headers and query strings overlap field by field', () => {
    expect(conditionsOverlap([method('GET')], [method('POST')])).toBe(false)
    expect(conditionsOverlap([method('GET', 'POST')], [method('POST')])).toBe(true)
    expect(conditionsOverlap([source('10.0.0.0/8')], [source('192.168.0.0/16')])).toBe(false)
    const header = headerCondition({ name: 'X-Zdt-Target', value: 'green' })
    expect(conditionsOverlap([headerCondition({ name: 'x-zdt-target', value: 'g*' })], [header])).toBe(true)
    expect(conditionsOverlap([headerCondition({ name: 'X-Zdt-Target', value: 'blue' })], [header])).toBe(
      false
    )
    expect(conditionsOverlap([headerCondition({ name: 'X-Other', value: 'blue' })], [header])).toBe(true)
    expect(conditionsOverlap([query('debug', 'true')], [header])).toBe(true)
  })

  it('a regex condition is taken to match: it cannot be ruled out', () => {
    const regex: RuleCondition = { Field: 'host-header', HostHeaderConfig: { RegexValues: ['^app$'] } }
    expect(conditionsOverlap([regex], ours)).toBe(true)
  })
})

describe('placeRule', () => {
  const ours = [hostCondition('pr-7.preview.example.com')]

  it('keeps the preferred priority when no lower-numbered rule can match', () => {
    const rules = [rule(5, host('app.example.com')), rule(2000, path('/*'))]
    expect(placeRule(rules, ours, 1007)).toEqual({ priority: 1007, ahead: [] })
  })

  it('goes just ahead of the lowest rule that would answer first, at a free priority', () => {
    const rules = [
      rule(50, path('/*')),
      rule(49, host('x.example.com')),
      rule(60, host('*.preview.example.com'))
    ]
    const placed = placeRule(rules, ours, 1007)
    expect(placed).toEqual({ priority: 48, ahead: [rules[0], rules[2]] })
  })

  it('refuses, naming the rule, when no priority below it is free', () => {
    const rules = [rule(1, host('*.example.com'))]
    expect(placeRule(rules, ours, 1007)).toEqual({ refused: rules[0] })
    expect(describeConditions(rules[0].Conditions)).toBe('host-header *.example.com')
  })

  it('leaves out the caller’s own rules and the default rule', () => {
    const mine = rule(1007, ours[0])
    const rules = [mine, { ...rule(0, path('/*')), IsDefault: true, Priority: 'default' }]
    expect(answersFirst(rules, ours, 2000, r => r === mine)).toEqual([])
  })
})
