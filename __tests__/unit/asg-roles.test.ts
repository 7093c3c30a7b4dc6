// Role detection from observed state: traffic decides, tags only break ties, both-serving refuses
// unless the role tags and target health say a cutover stopped with the old fleet still healthy.
import { describe, expect, it } from '@jest/globals'
import type { GroupView, TargetStates } from '../../src/strategies/asg-blue-green/model.js'
import { decideRoles, servingIds } from '../../src/strategies/asg-blue-green/roles.js'

function group(
  name: string,
  over: Partial<GroupView> = {},
  instances: Array<[string, string]> = []
): GroupView {
  return {
    name,
    minSize: 0,
    maxSize: 4,
    desired: instances.filter(([, l]) => l === 'InService').length,
    instances: instances.map(([id, lifecycle]) => ({ id, lifecycle, health: 'Healthy' })),
    targetGroupArns: [],
    tags: {},
    launchTemplate: { id: 'lt-1', version: '1' },
    otherLaunchSource: undefined,
    healthCheckType: 'ELB',
    gracePeriodSeconds: 300,
    status: undefined,
    ...over
  }
}

const targets = (entries: Record<string, string>): TargetStates =>
  new Map(Object.entries(entries).map(([id, state]) => [id, { state }]))

describe('servingIds', () => {
  it('counts InService instances registered and not leaving', () => {
    const g = group('blue', {}, [
      ['i-1', 'InService'],
      ['i-2', 'InService'],
      ['i-3', 'Standby'],
      ['i-4', 'InService']
    ])
    const t = targets({ 'i-1': 'healthy', 'i-2': 'draining', 'i-3': 'healthy', 'i-4': 'initial' })
    expect(servingIds(g, t)).toEqual(['i-1', 'i-4'])
  })
})

describe('decideRoles', () => {
  const blue = group('blue', {}, [
    ['i-b1', 'InService'],
    ['i-b2', 'InService']
  ])
  const green = group('green')

  it('takes the group whose instances are in the target group as active', () => {
    const d = decideRoles(blue, green, targets({ 'i-b1': 'healthy', 'i-b2': 'healthy' }))
    expect(d.ok && d.roles.active.name).toBe('blue')
    expect(d.ok && d.roles.standby.name).toBe('green')
    expect(d.ok && d.roles.servingIds).toEqual(['i-b1', 'i-b2'])
    expect(d.ok && d.roles.firstDeploy).toBe(false)
    expect(d.ok && d.roles.warnings).toEqual([])
  })

  it('trusts traffic over tags that disagree, and says so', () => {
    const taggedWrong = group('green', { tags: { 'zdt:role': 'active' } }, [['i-g1', 'InService']])
    const blueTagged = { ...blue, tags: { 'zdt:role': 'standby' } }
    const d = decideRoles(blueTagged, taggedWrong, targets({ 'i-b1': 'healthy' }))
    expect(d.ok && d.roles.active.name).toBe('blue')
    expect(d.ok && d.roles.warnings[0]).toMatch(
      /tags say green is active, but traffic reaches blue: trusting traffic/
    )
  })

  it('refuses when both groups serve traffic', () => {
    const greenServing = group('green', {}, [['i-g1', 'InService']])
    const d = decideRoles(blue, greenServing, targets({ 'i-b1': 'healthy', 'i-g1': 'healthy' }))
    expect(d.ok).toBe(false)
    expect(!d.ok && d.message).toMatch(/Both groups serve traffic: blue has 1 and green has 1/)
    expect(!d.ok && d.hint).toMatch(/detach-load-balancer-target-groups/)
  })

  it('both serving after a cutover that stopped: the group tagged active stays, if all its instances are healthy', () => {
    const greenServing = group('green', { tags: { 'zdt:role': 'standby' } }, [['i-g1', 'InService']])
    const blueActive = { ...blue, tags: { 'zdt:role': 'active' } }
    const healthy = targets({ 'i-b1': 'healthy', 'i-b2': 'healthy', 'i-g1': 'healthy' })
    const d = decideRoles(blueActive, greenServing, healthy)
    expect(d.ok && d.roles.active.name).toBe('blue')
    expect(d.ok && d.roles.standby.name).toBe('green')
    expect(d.ok && d.roles.warnings[0]).toMatch(
      /^Both groups serve traffic: a deploy stopped during its cutover.* blue served before it .* green is taken out of traffic/
    )
    // One of the group that would stay is not healthy: taking the other out could leave too little.
    const oneUnhealthy = targets({ 'i-b1': 'healthy', 'i-b2': 'unhealthy', 'i-g1': 'healthy' })
    expect(decideRoles(blueActive, greenServing, oneUnhealthy).ok).toBe(false)
    // Tags that do not name one of each: nothing tells which fleet served before.
    expect(decideRoles(blueActive, { ...greenServing, tags: { 'zdt:role': 'active' } }, healthy).ok).toBe(
      false
    )
  })

  it('a draining group does not count as serving', () => {
    const greenServing = group('green', {}, [['i-g1', 'InService']])
    const d = decideRoles(
      blue,
      greenServing,
      targets({ 'i-b1': 'draining', 'i-b2': 'draining', 'i-g1': 'healthy' })
    )
    expect(d.ok && d.roles.active.name).toBe('green')
  })

  it('first deploy: the group with a fleet is active even when the tags say otherwise', () => {
    const d = decideRoles(
      { ...blue, tags: { 'zdt:role': 'standby' } },
      { ...green, tags: { 'zdt:role': 'active' } },
      targets({})
    )
    expect(d.ok && d.roles.active.name).toBe('blue')
    expect(d.ok && d.roles.firstDeploy).toBe(true)
    expect(d.ok && d.roles.reason).toMatch(/first deploy/)
  })

  it('first deploy with no fleet on either side: the tags decide, then blue by convention', () => {
    const emptyBlue = group('blue')
    const byTag = decideRoles(emptyBlue, { ...green, tags: { 'zdt:role': 'active' } }, targets({}))
    expect(byTag.ok && byTag.roles.active.name).toBe('green')
    const d = decideRoles(emptyBlue, green, targets({}))
    expect(d.ok && d.roles.active.name).toBe('blue')
    expect(d.ok && d.roles.reason).toMatch(/by convention|nothing tells them apart/)
  })
})
