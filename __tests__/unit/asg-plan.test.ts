// Plan building: the new fleet's size and launch template, the header rule, the estimate.
import { describe, expect, it } from '@jest/globals'
import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { GroupView } from '../../src/strategies/asg-blue-green/model.js'
import { headerRuleState, lowestFreePriority } from '../../src/strategies/asg-blue-green/header-rule.js'
import { capacityFor, templatePlan } from '../../src/strategies/asg-blue-green/launch.js'
import { estimateMinimum } from '../../src/strategies/asg-blue-green/preflight/estimate.js'
import { matchesHeader } from '../../src/aws/rules.js'

function group(name: string, over: Partial<GroupView> = {}): GroupView {
  return {
    name,
    minSize: 2,
    maxSize: 6,
    desired: 3,
    instances: [],
    targetGroupArns: [],
    tags: {},
    launchTemplate: { id: `lt-${name}`, name: `${name}-lt`, version: '4' },
    otherLaunchSource: undefined,
    healthCheckType: 'ELB',
    gracePeriodSeconds: 300,
    status: undefined,
    ...over
  }
}

const SYN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/syn/1'
const MAIN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/main/2'
const header = { name: 'Synthetic', value: 'True' }
const rule = (priority: string, name: string, value: string, target = SYN): Rule => ({
  Priority: priority,
  Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: name, Values: [value] } }],
  Actions: [{ Type: 'forward', TargetGroupArn: target }]
})
const pathRule = (priority: string): Rule => ({
  Priority: priority,
  Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
  Actions: [{ Type: 'forward', TargetGroupArn: MAIN }]
})

describe('capacityFor', () => {
  it("copies today's fleet: the active group's min, max and desired", () => {
    expect(capacityFor(group('blue'))).toEqual({ minSize: 2, maxSize: 6, desired: 3 })
  })
})

describe('templatePlan', () => {
  const active = group('blue')
  const standby = group('green', { launchTemplate: { id: 'lt-green', version: '$Latest' } })

  it('ami-id: a new version of the standby group template', () => {
    expect(
      templatePlan({ amiId: 'ami-0123456789abcdef0', launchTemplateVersion: undefined }, active, standby)
    ).toEqual({
      kind: 'new-ami',
      template: { id: 'lt-green', version: '$Latest' },
      imageId: 'ami-0123456789abcdef0'
    })
  })

  it('ami-id with a shared template: the new version copies the active group version, not the stale standby one', () => {
    const shared = { id: 'lt-web', name: 'web-lt' }
    const serving = group('blue', { launchTemplate: { ...shared, version: '7' } })
    const stale = group('green', { launchTemplate: { id: 'lt-web', version: '5' } })
    expect(
      templatePlan({ amiId: 'ami-0123456789abcdef0', launchTemplateVersion: undefined }, serving, stale)
    ).toEqual({ kind: 'new-ami', template: { ...shared, version: '7' }, imageId: 'ami-0123456789abcdef0' })
  })

  it('launch-template-version: that version of the standby group template', () => {
    expect(templatePlan({ amiId: undefined, launchTemplateVersion: '9' }, active, standby)).toEqual({
      kind: 'version',
      template: { id: 'lt-green', version: '$Latest' },
      version: '9'
    })
  })

  it("neither: a redeploy of the active group's template and version", () => {
    expect(templatePlan({ amiId: undefined, launchTemplateVersion: undefined }, active, standby)).toEqual({
      kind: 'same-as-active',
      template: { id: 'lt-blue', name: 'blue-lt', version: '4' }
    })
  })

  it('refuses a group without a launch template, naming what it uses', () => {
    const lc = group('green', { launchTemplate: undefined, otherLaunchSource: 'launch configuration old-lc' })
    const p = templatePlan({ amiId: 'ami-0123456789abcdef0', launchTemplateVersion: undefined }, active, lc)
    expect(p).toMatchObject({
      message: 'green launches from launch configuration old-lc, not a launch template.'
    })
  })
})

describe('header rule', () => {
  it('matches header names and values case-insensitively, as the ALB does', () => {
    expect(matchesHeader(rule('3', 'synthetic', 'true'), header)).toBe(true)
    expect(matchesHeader(rule('3', 'Synthetic', 'False'), header)).toBe(false)
    expect(matchesHeader(pathRule('3'), header)).toBe(false)
  })

  it('is present when a rule forwards the header to the synthetic target group', () => {
    expect(headerRuleState([pathRule('1'), rule('2', 'Synthetic', 'True')], header, SYN).kind).toBe('present')
  })

  it('is a conflict when the header rule forwards elsewhere', () => {
    const s = headerRuleState([rule('2', 'Synthetic', 'True', MAIN)], header, SYN)
    expect(s).toMatchObject({ kind: 'conflict', forwardsTo: [MAIN] })
  })

  it('is created at the lowest free priority, counting the rules evaluated before it', () => {
    const s = headerRuleState(
      [pathRule('1'), pathRule('2'), pathRule('4'), { IsDefault: true, Priority: 'default' }],
      header,
      SYN
    )
    expect(s).toEqual({ kind: 'missing', priority: 3, rulesBefore: 2 })
  })

  it('lowestFreePriority fills the first gap', () => {
    expect(lowestFreePriority([])).toBe(1)
    expect(lowestFreePriority([pathRule('1'), pathRule('3')])).toBe(2)
    expect(lowestFreePriority([pathRule('2'), pathRule('1')])).toBe(3)
  })
})

describe('estimateMinimum', () => {
  it('adds boot, health-check time in each target group, the window and the drain left after it', () => {
    const e = estimateMinimum({
      bootSeconds: 60,
      main: { intervalSeconds: 30, healthyThreshold: 5 },
      synthetic: { intervalSeconds: 10, healthyThreshold: 3 },
      validationWindowSeconds: 120,
      deregistrationDelaySeconds: 300
    })
    // The new instances are newly registered in each group: one interval to their first passing check.
    expect(e.seconds).toBe(60 + 10 + 30 + 120 + 180)
    expect(e.arithmetic).toBe(
      '1m boot (assumed) + 10s healthy in the synthetic target group (first passing check) + 30s healthy in the main target group (first passing check) + 2m validation window + 3m drain left after the window (deregistration delay 300s) = 6m40s'
    )
  })

  it('has no drain term when the window outlasts the deregistration delay, and no synthetic term without it', () => {
    const e = estimateMinimum({
      bootSeconds: 60,
      main: { intervalSeconds: 5, healthyThreshold: 2 },
      validationWindowSeconds: 600,
      deregistrationDelaySeconds: 30
    })
    expect(e.seconds).toBe(60 + 5 + 600)
    expect(e.arithmetic).not.toContain('synthetic')
  })
})
