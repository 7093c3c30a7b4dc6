// asg-blue-green killed after each of its writes, then re-run: the README's steady state. One group
// has capacity, the one attached to and healthy in the main target group, launching and serving the
// new AMI; nothing in Standby, MinSize as it was, no lock, the header rule once; no request failed
// across both runs, and no launch template version no group launches from.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling'
import { crashPointsOf, crashThenRerun, type CrashWorld } from './crash-points.js'
import { createSimulation, type AsgPairFixture, type Simulation } from './index.js'

let sim: Simulation | undefined
afterEach(() => sim?.restore())

const NEW_AMI = 'ami-0feedfacecafe0002'
// Short health checks and draining, a short window: each world's two runs take a few virtual minutes.
const QUICK_TARGETS = {
  healthCheck: { intervalSeconds: 10, healthyThreshold: 3 },
  deregistrationDelaySeconds: 30
}
const ACTIVE = 2

interface Shape {
  name: string
  /** The listener's own header rule (the fixture's), one the first deploy creates, or no synthetic checks. */
  synthetic: 'listener rule' | 'created rule' | 'none'
  /** Both groups on one launch template's $Latest (else a template each). */
  sharedLatest: boolean
}

const SHAPES: Shape[] = [
  {
    name: 'a template each, the run creates the header rule',
    synthetic: 'created rule',
    sharedLatest: false
  },
  {
    name: "a shared template on $Latest, the listener's own header rule",
    synthetic: 'listener rule',
    sharedLatest: true
  },
  { name: 'no synthetic target group', synthetic: 'none', sharedLatest: false }
]

interface AsgCrashWorld extends CrashWorld {
  p: AsgPairFixture
  syntheticTargetGroupArn: string | undefined
}

function world(shape: Shape): AsgCrashWorld {
  sim?.restore()
  // Deregistration takes the ALB a moment to apply: a target leaving still gets requests that long.
  sim = createSimulation({ seed: 11, timing: { albRoutingGraceSeconds: 5 } })
  const p = sim.addAsgPair({
    activeCount: ACTIVE,
    alb: { targetGroup: QUICK_TARGETS },
    synthetic: shape.synthetic === 'listener rule',
    sharedLaunchTemplate: shape.sharedLatest
  })
  if (shape.sharedLatest)
    for (const g of [p.blue, p.green])
      sim.world.autoscaling.groups.get(g.name)!.launchTemplate.Version = '$Latest'
  const syntheticTargetGroupArn =
    shape.synthetic === 'created rule'
      ? sim.addTargetGroup({ name: 'shop-synthetic', targetType: 'instance', ...QUICK_TARGETS })
          .targetGroupArn
      : p.syntheticTargetGroupArn
  sim.addAmi(NEW_AMI, { startSeconds: 30 })
  return {
    sim,
    p,
    syntheticTargetGroupArn,
    inputs: {
      strategy: 'asg-blue-green',
      'blue-asg': p.blue.name,
      'green-asg': p.green.name,
      'target-group': p.targetGroupArn,
      ...(syntheticTargetGroupArn
        ? { 'synthetic-target-group': syntheticTargetGroupArn, 'listener-arn': p.listenerArn }
        : {}),
      'ami-id': NEW_AMI,
      'validation-window': 90,
      environment: 'production'
    },
    trafficUrl: `${p.url}/`
  }
}

// One world at a time: each restores the one before it.
const worlds = []
for (const shape of SHAPES) worlds.push({ ...shape, points: await crashPointsOf(() => world(shape)) })

/** The images a group's instances run, and the one its launch template gives the next instance. */
function images(s: Simulation, name: string): { running: string[]; launches: string | undefined } {
  const g = s.world.autoscaling.groups.get(name)!
  const t = s.world.ec2.template({ id: g.launchTemplate.LaunchTemplateId })
  return {
    running: g.instances.map(i => i.imageId),
    launches: s.world.ec2.findVersion(t, g.launchTemplate.Version)?.data.ImageId
  }
}

/** Both groups have InService instances registered in the main target group (not draining). */
function bothServe(s: Simulation, p: AsgPairFixture): boolean {
  const registered = new Set(
    s
      .targetHealth(p.targetGroupArn)
      .filter(t => t.TargetHealth?.State !== 'draining')
      .map(t => t.Target?.Id)
  )
  return [p.blue.name, p.green.name].every(n =>
    (s.autoScalingGroup(n).Instances ?? []).some(
      i => i.LifecycleState === 'InService' && registered.has(i.InstanceId)
    )
  )
}

describe.each(worlds)('asg-blue-green, $name, killed after any write, then re-run', shape => {
  it('has crash points: the run writes, through the cutover to the end', () => {
    const ops = shape.points.map(p => p.operation)
    for (const op of [
      'autoscaling:AttachLoadBalancerTargetGroups',
      'autoscaling:EnterStandby',
      'autoscaling:ExitStandby'
    ])
      expect(ops).toContain(op)
    expect(ops.includes('elbv2:CreateRule')).toBe(shape.synthetic === 'created rule')
  })

  it.each(shape.points)('killed after $name: the re-run converges', async point => {
    const w = world(shape)
    const { p } = w
    const s = w.sim
    let leftBothServing = false
    s.clock.onAdvance(() => (leftBothServing ||= s.calls.mutating().length === point.n && bothServe(s, p)))
    const { rerun, failedRequests } = await crashThenRerun(w, point)
    expect(rerun.failedMessage).toBeUndefined()
    expect(rerun.ok).toBe(true)
    // A kill between the new fleet joining the main target group and the old one leaving it: the
    // re-run says so, and which group stays.
    expect(
      rerun.lines.some(l => /Both groups serve traffic: a deploy stopped during its cutover/.test(l))
    ).toBe(leftBothServing)

    // The retired fleet terminates after the run, in no target group (deploy/finish.ts): the steady
    // state is the one once it is gone.
    await s.advance(10 * 60_000)
    const groups = [p.blue.name, p.green.name].map(n => s.autoScalingGroup(n))
    // Exactly one group has capacity: the one the re-run reports, attached to the main target group.
    const serving = groups.filter(g => (g.DesiredCapacity ?? 0) > 0 || (g.Instances ?? []).length > 0)
    expect(serving.map(g => g.AutoScalingGroupName)).toEqual([rerun.outputs['active-asg']])
    const [active] = serving
    const other = groups.find(g => g !== active)!
    expect(active.TargetGroupARNs).toEqual([p.targetGroupArn])
    expect(other.TargetGroupARNs).toEqual([])
    expect(active).toMatchObject({ MinSize: ACTIVE, DesiredCapacity: ACTIVE })
    expect(other).toMatchObject({ MinSize: 0, DesiredCapacity: 0 })
    // It runs the new AMI, and launches it: a scale-out or a replacement gets what serves.
    const { running, launches } = images(s, active.AutoScalingGroupName!)
    expect(running).toEqual(Array(ACTIVE).fill(NEW_AMI))
    expect(launches).toBe(NEW_AMI)
    expect((active.Instances ?? []).map(i => i.LifecycleState)).toEqual(Array(ACTIVE).fill('InService'))
    // The main target group holds exactly the serving group's instances, healthy; the synthetic one
    // only instances leaving it (the run detached the new fleet at its end: they drain, as after any deploy).
    const targets = (arn: string) => s.targetHealth(arn).map(t => `${t.Target?.Id}:${t.TargetHealth?.State}`)
    expect(targets(p.targetGroupArn).sort()).toEqual(
      (active.Instances ?? []).map(i => `${i.InstanceId}:healthy`).sort()
    )
    if (w.syntheticTargetGroupArn)
      expect(targets(w.syntheticTargetGroupArn).filter(t => !t.endsWith(':draining'))).toEqual([])
    // No lock, no MinSize left noted; the role tags say which group serves.
    const tag = (g: AutoScalingGroup, key: string) => g.Tags?.find(t => t.Key === key)?.Value
    for (const g of groups)
      expect([tag(g, 'zdt:lock'), tag(g, 'zdt:min-size')]).toEqual([undefined, undefined])
    expect([tag(active, 'zdt:role'), tag(other, 'zdt:role')]).toEqual(['active', 'standby'])
    // The header rule once, as after a normal deploy: the listener's own, or the one a run created.
    const rules = s.world.elbv2.listeners.get(p.listenerArn)!.rules
    expect(rules.map(r => r.actions[0]?.TargetGroupArn)).toEqual(
      w.syntheticTargetGroupArn ? [w.syntheticTargetGroupArn] : []
    )
    if (shape.synthetic === 'listener rule') expect(rules.map(r => r.arn)).toEqual([p.syntheticRuleArn])
    // Every launch template version the runs created is one a group launches from.
    const launchedFrom = groups.map(g => `${g.LaunchTemplate?.LaunchTemplateId}:${g.LaunchTemplate?.Version}`)
    const created = [...new Set([p.blue.launchTemplateId, p.green.launchTemplateId])].flatMap(id =>
      s.world.ec2
        .template({ id })
        .versions.filter(v => v.number > 1)
        .map(v => `${id}:${v.number}`)
    )
    expect(created.filter(v => !launchedFrom.includes(v))).toEqual([])
    expect(failedRequests).toBe(0)
    expect(s.requests.failures()).toEqual([])
  })
})
