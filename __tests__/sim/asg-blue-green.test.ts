// asg-blue-green in the simulation: whole deploys on a virtual clock against a model of Auto Scaling,
// the ALB and launch templates, with background users whose every request must succeed.
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  DetachLoadBalancerTargetGroupsCommand,
  PutLifecycleHookCommand,
  SetDesiredCapacityCommand
} from '@aws-sdk/client-auto-scaling'
import { DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2'
import {
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  type TargetHealthDescription
} from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  FakeGitHub,
  createSimulation,
  runActionInSim,
  runActionsInSim,
  type AsgPairFixture,
  type AsgPairOptions,
  type HealthModel,
  type SimRunResult,
  type Simulation
} from './index.js'

let sim: Simulation
afterEach(() => sim?.restore())

const NEW_AMI = 'ami-0feedfacecafe0002'
const NEXT_AMI = 'ami-0feedfacecafe0003'

/** Target health of a group over time: sampled each time the world moves. */
interface HealthSample {
  atMs: number
  states: Map<string, string>
}

function recordHealth(s: Simulation, targetGroupArn: string): HealthSample[] {
  const samples: HealthSample[] = []
  const take = () =>
    samples.push({
      atMs: s.clock.now(),
      states: new Map(
        s
          .targetHealth(targetGroupArn)
          .map((t: TargetHealthDescription) => [t.Target!.Id!, t.TargetHealth!.State!])
      )
    })
  take()
  s.clock.onAdvance(take)
  return samples
}

function world(opts: AsgPairOptions & { seed?: number; healthModel?: HealthModel } = {}): AsgPairFixture {
  sim = createSimulation({ seed: opts.seed ?? 1, healthModel: opts.healthModel })
  return sim.addAsgPair({ activeCount: 2, ...opts })
}

function inputs(p: AsgPairFixture, extra: Record<string, string> = {}): Record<string, string> {
  return {
    strategy: 'asg-blue-green',
    'blue-asg': p.blue.name,
    'green-asg': p.green.name,
    'target-group': p.targetGroupArn,
    ...(p.syntheticTargetGroupArn
      ? { 'synthetic-target-group': p.syntheticTargetGroupArn, 'listener-arn': p.listenerArn }
      : {}),
    'ami-id': NEW_AMI,
    environment: 'production',
    ...extra
  }
}

const instances = (name: string, lifecycle = 'InService') =>
  (sim.autoScalingGroup(name).Instances ?? [])
    .filter(i => i.LifecycleState === lifecycle)
    .map(i => i.InstanceId!)

/**
 * The old group as a run leaves it: desired capacity 0, attached to nothing, every instance it still
 * has terminating and registered in no target group (the run does not wait for EC2 to shut them
 * down); `withinMs` later, empty.
 */
async function expectRetiring(p: AsgPairFixture, name: string, withinMs = 60_000): Promise<void> {
  const g = sim.autoScalingGroup(name)
  expect([g.DesiredCapacity, g.TargetGroupARNs ?? []]).toEqual([0, []])
  const left = g.Instances ?? []
  expect(left.filter(i => !i.LifecycleState?.startsWith('Terminating'))).toEqual([])
  const registered = [p.targetGroupArn, p.syntheticTargetGroupArn ?? '']
    .filter(Boolean)
    .flatMap(arn => sim.targetHealth(arn).map(t => t.Target!.Id!))
  expect(left.map(i => i.InstanceId!).filter(id => registered.includes(id))).toEqual([])
  await sim.clock.advance(withinMs)
  expect(sim.autoScalingGroup(name).Instances ?? []).toEqual([])
}

const callIndex = (pred: (c: (typeof sim.calls.all)[number]) => boolean) => sim.calls.all.findIndex(pred)

/** The two orderings that decide whether a request can fail, checked on the recorded calls and health. */
function expectSafeOrder(
  health: HealthSample[],
  old: { name: string; ids: string[] },
  fresh: { name: string; ids: string[] },
  mainArn: string
): void {
  const standby = sim.calls.of('autoscaling:EnterStandby')
  expect(standby.length).toBeGreaterThan(0)
  const enterAt = standby[0].atMs
  expect(standby.every(c => c.input.AutoScalingGroupName === old.name)).toBe(true)
  // Every new instance was healthy in the main target group before the first old one left it...
  const before = health.filter(h => h.atMs <= enterAt)
  const last = before[before.length - 1]
  for (const id of fresh.ids) expect(`${id}:${last.states.get(id)}`).toBe(`${id}:healthy`)
  // ...and until then every old instance was still there, healthy.
  for (const h of before.filter(x => x.atMs < enterAt))
    for (const id of old.ids) expect(`${id}:${h.states.get(id)}`).toBe(`${id}:healthy`)
  // The old group is detached from the main target group before any of its instances exits Standby.
  const detach = callIndex(
    c =>
      c.operation === 'DetachLoadBalancerTargetGroups' &&
      c.input.AutoScalingGroupName === old.name &&
      (c.input.TargetGroupARNs as string[]).includes(mainArn)
  )
  const exit = callIndex(c => c.operation === 'ExitStandby' && c.input.AutoScalingGroupName === old.name)
  expect(detach).toBeGreaterThanOrEqual(0)
  expect(exit).toBeGreaterThan(detach)
  // The main target group never had nothing healthy in it.
  expect(
    health.filter(h => ![...h.states.values()].includes('healthy')).map(h => new Date(h.atMs).toISOString())
  ).toEqual([])
}

function expectDeployed(r: SimRunResult, p: AsgPairFixture, active: string, previous: string): void {
  expect(r.failedMessage).toBeUndefined()
  expect(r.ok).toBe(true)
  expect(r.outputs).toMatchObject({
    'active-asg': active,
    'previous-asg': previous,
    'rolled-back': 'false',
    'probe-errors': '0',
    url: p.url
  })
}

describe('asg-blue-green in the simulation', () => {
  it.each([1, 3, 20])('deploys %i instance(s) with no failed request', async count => {
    const p = world({ activeCount: count })
    sim.addAmi(NEW_AMI, { startSeconds: 40 })
    const oldIds = instances(p.blue.name)
    const health = recordHealth(sim, p.targetGroupArn)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p))

    expectDeployed(r, p, p.green.name, p.blue.name)
    const newIds = instances(p.green.name)
    expect(newIds).toHaveLength(count)
    expect(instances(p.blue.name)).toEqual([])
    await expectRetiring(p, p.blue.name)
    expect(sim.autoScalingGroup(p.green.name)).toMatchObject({ MinSize: count, DesiredCapacity: count })
    expect(traffic.stop().failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
    expectSafeOrder(
      health,
      { name: p.blue.name, ids: oldIds },
      { name: p.green.name, ids: newIds },
      p.targetGroupArn
    )
    expect(Number(r.outputs['probe-requests'])).toBeGreaterThan(0)
    // The synthetic smoke test went through the ALB with the header, to the new fleet only.
    const synthetic = sim.requests.list('action').filter(q => q.headers?.Synthetic === 'True')
    expect(synthetic.length).toBeGreaterThan(0)
    expect(synthetic.every(q => newIds.includes(q.owner ?? ''))).toBe(true)
  })

  // The pair's target groups check every 30 s and ask 5 passes: the new fleet, newly registered in the
  // main target group, is healthy there after one check (30 s) as AWS documents it, after 5 (2m30s) in
  // the stricter model; only then does the old fleet leave.
  it.each<[HealthModel, number]>([
    ['documented', 30_000],
    ['threshold', 150_000]
  ])('deploys 2 instances with no failed request under the %s health model', async (healthModel, admitMs) => {
    const p = world({ healthModel })
    sim.addAmi(NEW_AMI, { startSeconds: 40 })
    const health = recordHealth(sim, p.targetGroupArn)
    const oldIds = instances(p.blue.name)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p))

    expectDeployed(r, p, p.green.name, p.blue.name)
    expect(traffic.stop().failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
    const newIds = instances(p.green.name)
    expectSafeOrder(
      health,
      { name: p.blue.name, ids: oldIds },
      { name: p.green.name, ids: newIds },
      p.targetGroupArn
    )
    const attachedAt = sim.calls
      .of('autoscaling:AttachLoadBalancerTargetGroups')
      .find(c => (c.input.TargetGroupARNs as string[]).includes(p.targetGroupArn))!.atMs
    const admitted = sim.calls.of('autoscaling:EnterStandby')[0].atMs - attachedAt
    expect(admitted).toBeGreaterThanOrEqual(admitMs)
    expect(admitted).toBeLessThan(admitMs + 15_000)
  })

  it('aborts when the new instances never turn healthy: the active group is untouched', async () => {
    const p = world()
    sim.addAmi(NEW_AMI, { paths: { '/healthz': { status: 500 } } })
    const oldIds = instances(p.blue.name)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p, { 'wait-timeout': '600' }))

    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(
      /Timed out after 10m waiting until the new instances are healthy in shop-synthetic: unhealthy 2 \(Target.ResponseCodeMismatch Health checks failed with these codes: \[500\]\)/
    )
    expect(r.failedMessage).toMatch(
      /Aborted before any traffic moved: shop-blue still serves, shop-green is back to zero/
    )
    expect(r.failedMessage).toMatch(
      /Fix: make the health-check path answer a code in the target group's matcher/
    )
    expect(r.outputs).toMatchObject({ 'rolled-back': 'false', 'active-asg': p.blue.name })
    expect(sim.calls.count('autoscaling:EnterStandby')).toBe(0)
    // The new fleet never came near production traffic.
    expect(
      sim.calls
        .inputs<{ AutoScalingGroupName: string; TargetGroupARNs: string[] }>('AttachLoadBalancerTargetGroups')
        .filter(i => i.TargetGroupARNs.includes(p.targetGroupArn))
    ).toEqual([])
    expect(instances(p.blue.name)).toEqual(oldIds)
    expect(sim.autoScalingGroup(p.blue.name)).toMatchObject({ MinSize: 2, DesiredCapacity: 2 })
    expect(sim.autoScalingGroup(p.green.name).Instances ?? []).toEqual([])
    expect(sim.autoScalingGroup(p.green.name).TargetGroupARNs ?? []).toEqual([])
    expect(traffic.stop().failed).toBe(0)
    expect(r.summary).toContain('| Abort |')
  })

  it('aborts at the cutover when the new fleet never turns healthy in the main target group (no synthetic group)', async () => {
    const p = world({ synthetic: false })
    sim.addAmi(NEW_AMI, { paths: { '/healthz': { status: 503 } } })
    const oldIds = instances(p.blue.name)
    const health = recordHealth(sim, p.targetGroupArn)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p, { 'wait-timeout': '600' }))

    expect(r.failedMessage).toMatch(/Timed out after 10m waiting until the new fleet is healthy in shop-main/)
    expect(r.failedMessage).toMatch(/Aborted before any traffic moved/)
    expect(sim.calls.count('autoscaling:EnterStandby')).toBe(0)
    // The unhealthy new targets were in the group, but the ALB only sent users to the healthy old ones.
    expect(traffic.stop().failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
    for (const h of health) for (const id of oldIds) expect(h.states.get(id)).toBe('healthy')
    expect(Object.keys(Object.fromEntries(health[health.length - 1].states)).sort()).toEqual(
      [...oldIds].sort()
    )
    expect(sim.autoScalingGroup(p.green.name).Instances ?? []).toEqual([])
  })

  it('aborts when the synthetic smoke test fails, before any production request reaches the new fleet', async () => {
    const p = world()
    // The target group's health check (/healthz) passes; the page the smoke test asks for does not.
    sim.addAmi(NEW_AMI, { paths: { '/': { status: 500 } } })
    const oldIds = instances(p.blue.name)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p, { 'health-path': '/' }))

    expect(r.failedMessage).toMatch(/Smoke test failed: GET http:\/\/\S+\/ answered 500/)
    expect(r.failedMessage).toMatch(/Aborted before any traffic moved/)
    expect(r.outputs['rolled-back']).toBe('false')
    expect(sim.calls.count('autoscaling:EnterStandby')).toBe(0)
    const failed = sim.requests.failures()
    // Only the smoke test's own requests failed: all of them with the header, all on the new fleet.
    expect(failed.length).toBeGreaterThan(0)
    expect(failed.every(q => q.source === 'action' && q.headers.Synthetic === 'True')).toBe(true)
    expect(traffic.stop().failed).toBe(0)
    expect(instances(p.blue.name)).toEqual(oldIds)
    expect(sim.autoScalingGroup(p.green.name).Instances ?? []).toEqual([])
  })

  it('rolls back a failure in the validation window: the old fleet returns, no user request fails', async () => {
    const p = world({ synthetic: false })
    // Healthy for the load balancer, broken where the action looks (/version), fine for users (/).
    sim.addAmi(NEW_AMI, { paths: { '/version': { status: 500 } } })
    const oldIds = instances(p.blue.name)
    const health = recordHealth(sim, p.targetGroupArn)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p, { 'health-path': '/version' }))

    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(
      /Validation failed after \S+: the traffic probe saw \d+ failed request\(s\) during the validation window .*: \S+ x \d+ between \d\d:\d\d:\d\d and \d\d:\d\d:\d\d/
    )
    expect(r.failedMessage).toMatch(/Rolled back: shop-blue serves traffic again, shop-green is back to zero/)
    expect(r.outputs).toMatchObject({ 'rolled-back': 'true', 'active-asg': p.blue.name })
    expect(Number(r.outputs['probe-errors'])).toBeGreaterThan(0)
    // The same old instances serve again, with their group as it was.
    expect(instances(p.blue.name).sort()).toEqual([...oldIds].sort())
    expect(sim.autoScalingGroup(p.blue.name)).toMatchObject({ MinSize: 2, DesiredCapacity: 2 })
    expect(sim.autoScalingGroup(p.green.name).Instances ?? []).toEqual([])
    expect(sim.autoScalingGroup(p.green.name).TargetGroupARNs ?? []).toEqual([])
    const final = health[health.length - 1].states
    expect([...final.keys()].sort()).toEqual([...oldIds].sort())
    // Old instances healthy again before the new group was detached.
    const detachNew = sim.calls
      .of('DetachLoadBalancerTargetGroups')
      .find(c => c.input.AutoScalingGroupName === p.green.name)!
    const atDetach = health.filter(h => h.atMs <= detachNew.atMs).pop()!
    for (const id of oldIds) expect(atDetach.states.get(id)).toBe('healthy')
    expect(health.filter(h => ![...h.states.values()].includes('healthy'))).toEqual([])
    // Users saw nothing; the action's probe saw only the new version's 500s on /version.
    expect(traffic.stop().failed).toBe(0)
    const failed = sim.requests.failures()
    expect(failed.every(q => q.source === 'action' && q.url.endsWith('/version') && q.status === 500)).toBe(
      true
    )
    expect(sim.autoScalingGroup(p.blue.name).Tags?.find(t => t.Key === 'zdt:role')?.Value).toBe('active')
    expect(r.summary).toContain('| Rollback |')
  })

  it('a second deploy right after the first swaps the roles back', async () => {
    const p = world()
    sim.addAmi(NEW_AMI)
    sim.addAmi(NEXT_AMI)
    const health = recordHealth(sim, p.targetGroupArn)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const first = await runActionInSim(sim, inputs(p))
    expectDeployed(first, p, p.green.name, p.blue.name)
    const greenIds = instances(p.green.name)
    const second = await runActionInSim(sim, inputs(p, { 'ami-id': NEXT_AMI }), {
      env: { GITHUB_RUN_ID: '4243' }
    })
    expectDeployed(second, p, p.blue.name, p.green.name)

    const blue = sim.autoScalingGroup(p.blue.name)
    expect(blue.LaunchTemplate?.Version).toBe('2')
    expect(instances(p.blue.name)).toHaveLength(2)
    // The first run left blue's old instances terminating; the second's pre-flight waited for them.
    expect(second.lines).toContain(
      'Waiting for a deploy in progress: shop-blue has instances still changing: 2 Terminating'
    )
    await expectRetiring(p, p.green.name)
    const role = (name: string) => sim.autoScalingGroup(name).Tags?.find(t => t.Key === 'zdt:role')?.Value
    expect([role(p.blue.name), role(p.green.name)]).toEqual(['active', 'standby'])
    expect(traffic.stop().failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
    expect(health.filter(h => ![...h.states.values()].includes('healthy'))).toEqual([])
    // The second deploy put green's instances in Standby, and blue's new ones served first.
    expect(sim.calls.inputs('autoscaling:EnterStandby').pop()).toMatchObject({
      AutoScalingGroupName: p.green.name,
      InstanceIds: greenIds
    })
  })

  it('two deploys started together: one takes the lock, the other waits for it, then deploys on top', async () => {
    const p = world()
    sim.addAmi(NEW_AMI)
    sim.addAmi(NEXT_AMI)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const [a, b] = await runActionsInSim(sim, [
      { inputs: inputs(p), opts: { env: { GITHUB_RUN_ID: '5001' } } },
      { inputs: inputs(p, { 'ami-id': NEXT_AMI }), opts: { env: { GITHUB_RUN_ID: '5002' } } }
    ])

    expect([a.failedMessage, b.failedMessage]).toEqual([undefined, undefined])
    const [first, second] = a.durationMs < b.durationMs ? [a, b] : [b, a]
    expect(second.lines.some(l => /letting it go first/.test(l))).toBe(true)
    expect(
      second.lines.some(l => /^Waiting for a deploy in progress: shop-blue is locked by run 500[12]/.test(l))
    ).toBe(true)
    expect(first.lines.some(l => /letting it go first|Waiting for a deploy in progress/.test(l))).toBe(false)
    // The second deployed on top of the first: roles swapped twice.
    expect(second.outputs['previous-asg']).toBe(first.outputs['active-asg'])
    expect(second.outputs['active-asg']).toBe(p.blue.name)
    expect(sim.calls.count('autoscaling:EnterStandby')).toBe(2)
    expect(traffic.stop().failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
    const lock = (name: string) => sim.autoScalingGroup(name).Tags?.find(t => t.Key === 'zdt:lock')
    expect([lock(p.blue.name), lock(p.green.name)]).toEqual([undefined, undefined])
  })

  it('reads the lock back no sooner than 4 s after writing it, even at a poll-interval of 1 s', async () => {
    const p = world()
    sim.addAmi(NEW_AMI)
    const r = await runActionInSim(sim, inputs(p, { 'poll-interval': '1' }))
    expect(r.failedMessage).toBeUndefined()
    const calls = sim.calls.all
    const written = calls.findIndex(
      c =>
        c.operation === 'CreateOrUpdateTags' &&
        JSON.stringify(c.input).includes('zdt:lock') &&
        JSON.stringify(c.input).includes(p.blue.name)
    )
    const readBack = calls.slice(written + 1).find(c => c.operation === 'DescribeAutoScalingGroups')!
    // Three throttled retries of a rival's write take up to 3.5 s: the wait outlasts them.
    expect(readBack.atMs - calls[written].atMs).toBe(4_000)
  })

  it("waits for another run's lock, then takes it over once it is older than wait-timeout", async () => {
    const started = Date.parse('2025-01-06T09:00:00Z')
    const held = `${new Date(started - 20 * 60_000).toISOString()} run 77 acme/shop`
    const p = world({ blueTags: { 'zdt:lock': held }, greenTags: { 'zdt:lock': held } })
    sim.addAmi(NEW_AMI)

    const r = await runActionInSim(sim, inputs(p))

    expectDeployed(r, p, p.green.name, p.blue.name)
    expect(r.lines).toContain(
      'Waiting for a deploy in progress: shop-blue is locked by run 77 of acme/shop since 2025-01-06T08:40:00.000Z; shop-green is locked by run 77 of acme/shop since 2025-01-06T08:40:00.000Z'
    )
    // One line while the lock is held, not one per poll.
    expect(r.lines.filter(l => l.startsWith('Waiting for a deploy in progress'))).toHaveLength(1)
    expect(r.lines.some(l => /::warning::shop-blue carries a stale lock from run 77/.test(l))).toBe(true)
    // Nothing changed during the ten minutes the lock was fresh.
    const firstWrite = sim.calls.mutating()[0]
    expect(firstWrite.atMs - started).toBeGreaterThanOrEqual(10 * 60_000)
  })

  /** A world whose groups carry run 77's lock, written `ageMinutes` before the deploy starts. */
  function lockedWorld(ageMinutes: number) {
    const held = `${new Date(Date.parse('2025-01-06T09:00:00Z') - ageMinutes * 60_000).toISOString()} run 77 acme/shop`
    const p = world({ blueTags: { 'zdt:lock': held }, greenTags: { 'zdt:lock': held } })
    sim.addAmi(NEW_AMI)
    return p
  }
  const firstWriteAfterMs = () => sim.calls.mutating()[0].atMs - sim.clock.startMs

  it('takes over at once the lock of a run GitHub says has ended, saying whose it was and why it is free', async () => {
    const p = lockedWorld(2)
    const github = new FakeGitHub().setRun('77', { status: 'completed', conclusion: 'cancelled' })

    const r = await runActionInSim(sim, inputs(p), { github })

    expectDeployed(r, p, p.green.name, p.blue.name)
    expect(r.lines).toContain(
      '::warning::shop-blue carries the lock of run 77 of acme/shop since 2025-01-06T08:58:00.000Z, whose run has ' +
        'ended (GitHub says run 77 has completed (cancelled)): taken over'
    )
    expect(r.lines.some(l => l.startsWith('Waiting for a deploy in progress'))).toBe(false)
    expect(firstWriteAfterMs()).toBeLessThan(60_000)
  })

  it('waits for the lock of a run GitHub says is in progress, and goes on once GitHub says it ended', async () => {
    const p = lockedWorld(2)
    const github = new FakeGitHub().setRun('77', { status: 'in_progress' })
    void sim.clock
      .sleep(5 * 60_000)
      .then(() => github.setRun('77', { status: 'completed', conclusion: 'success' }))

    const r = await runActionInSim(sim, inputs(p), { github })

    expectDeployed(r, p, p.green.name, p.blue.name)
    expect(r.lines).toContain(
      'Waiting for a deploy in progress: shop-blue is locked by run 77 of acme/shop since 2025-01-06T08:58:00.000Z ' +
        '(GitHub says run 77 is in_progress); shop-green is locked by run 77 of acme/shop since ' +
        '2025-01-06T08:58:00.000Z (GitHub says run 77 is in_progress)'
    )
    // Waited for the run, not for the lock's age (which would free it only after 30 minutes).
    expect(firstWriteAfterMs()).toBeGreaterThanOrEqual(5 * 60_000)
    expect(firstWriteAfterMs()).toBeLessThan(10 * 60_000)
  })

  it("goes by the lock's age when the token may not read workflow runs (403), and says so", async () => {
    const p = lockedWorld(20)
    const github = new FakeGitHub().setRun('77', { status: 'completed' })
    github.actionsReadable = false

    const r = await runActionInSim(sim, inputs(p), { github })

    expectDeployed(r, p, p.green.name, p.blue.name)
    expect(r.lines).toContain(
      'Lock of run 77 of acme/shop since 2025-01-06T08:40:00.000Z: GitHub cannot be asked whether it is still ' +
        "running (the github-token may not read workflow runs (403: it needs 'actions: read')); going by its age " +
        'instead: it counts as abandoned once older than wait-timeout, at 2025-01-06T09:10:00.000Z.'
    )
    expect(r.lines.some(l => /::warning::shop-blue carries a stale lock from run 77/.test(l))).toBe(true)
    expect(firstWriteAfterMs()).toBeGreaterThanOrEqual(10 * 60_000)
  })

  it('waits for an instance refresh in progress instead of starting on top of it', async () => {
    const p = world()
    sim.addAmi(NEW_AMI)
    sim.world.autoscaling.injectInstanceRefresh(p.blue.name, { finishesAfterSeconds: 240 })
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p))

    expectDeployed(r, p, p.green.name, p.blue.name)
    expect(
      r.lines.some(l =>
        /^Waiting for a deploy in progress: shop-blue has instance refresh \S+ InProgress/.test(l)
      )
    ).toBe(true)
    expect(r.lines.some(l => /^No deploy in progress any more \(waited 4m/.test(l))).toBe(true)
    expect(sim.calls.mutating()[0].atMs - Date.parse('2025-01-06T09:00:00Z')).toBeGreaterThanOrEqual(240_000)
    expect(traffic.stop().failed).toBe(0)
  })

  it('deploys with 30% of AWS calls throttled, keeping the order that protects traffic', async () => {
    const p = world({ seed: 7 })
    sim.addAmi(NEW_AMI)
    sim.faults.throttle({ fraction: 0.3 })
    const oldIds = instances(p.blue.name)
    const health = recordHealth(sim, p.targetGroupArn)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p))

    expectDeployed(r, p, p.green.name, p.blue.name)
    expect(sim.faults.throttled).toBeGreaterThan(20)
    expect(traffic.stop().failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
    expectSafeOrder(
      health,
      { name: p.blue.name, ids: oldIds },
      { name: p.green.name, ids: instances(p.green.name) },
      p.targetGroupArn
    )
  })

  it('trusts traffic over role tags that disagree, says so, and corrects them', async () => {
    const p = world({ blueTags: { 'zdt:role': 'standby' }, greenTags: { 'zdt:role': 'active' } })
    sim.addAmi(NEW_AMI)

    const r = await runActionInSim(sim, inputs(p))

    expectDeployed(r, p, p.green.name, p.blue.name)
    expect(r.lines).toContain(
      '::warning::The zdt:role tags say shop-green is active, but traffic reaches shop-blue: trusting traffic (the tags are corrected before any traffic moves).'
    )
    const role = (name: string) => sim.autoScalingGroup(name).Tags?.find(t => t.Key === 'zdt:role')?.Value
    expect([role(p.green.name), role(p.blue.name)]).toEqual(['active', 'standby'])
  })

  it('a dry-run plans every step and makes no mutating call', async () => {
    const p = world()
    sim.addAmi(NEW_AMI)

    const r = await runActionInSim(sim, inputs(p, { 'dry-run': 'true' }))

    expect(r.ok).toBe(true)
    expect(r.result?.outcome).toBe('planned')
    expect(sim.calls.mutating()).toEqual([])
    const plan = r.lines.filter(l => l.startsWith('[dry-run] would call')).map(l => l.split(' ')[3])
    expect(plan).toEqual([
      // The lock.
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:CreateOrUpdateTags',
      // The role tags, before any traffic moves (the groups had none).
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:CreateOrUpdateTags',
      'ec2:CreateLaunchTemplateVersion',
      'autoscaling:UpdateAutoScalingGroup',
      'autoscaling:AttachLoadBalancerTargetGroups',
      'autoscaling:AttachLoadBalancerTargetGroups',
      // The old group's MinSize noted, then lowered for Standby.
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:UpdateAutoScalingGroup',
      'autoscaling:EnterStandby',
      'autoscaling:DetachLoadBalancerTargetGroups',
      'autoscaling:DetachLoadBalancerTargetGroups',
      'autoscaling:ExitStandby',
      'autoscaling:UpdateAutoScalingGroup',
      'autoscaling:DeleteTags',
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:CreateOrUpdateTags',
      'autoscaling:DeleteTags',
      'autoscaling:DeleteTags'
    ])
    expect(r.durationMs).toBeLessThan(60_000)
  })

  it('a new instance dying in the validation window triggers a rollback; only its own requests failed', async () => {
    const p = world()
    sim.addAmi(NEW_AMI)
    const oldIds = instances(p.blue.name)
    const traffic = sim.startTraffic(`${p.url}/`, 10)
    // One minute into the validation window, one instance of the new fleet dies while registered.
    let victim: string | undefined
    const watch = () => {
      const standby = sim.calls.of('autoscaling:EnterStandby')[0]
      if (standby && sim.clock.now() >= standby.atMs + 60_000) {
        victim = instances(p.green.name)[0]
        sim.world.ec2.terminateInstance(victim)
      } else sim.world.timeline.after(1000, watch)
    }
    sim.world.timeline.after(1000, watch)

    const r = await runActionInSim(sim, inputs(p))

    expect(victim).toBeDefined()
    expect(r.failedMessage).toMatch(/Validation failed after 1m\d*s?: /)
    expect(r.failedMessage).toMatch(/Rolled back: shop-blue serves traffic again/)
    expect(r.outputs['rolled-back']).toBe('true')
    expect(instances(p.blue.name).sort()).toEqual([...oldIds].sort())
    expect(sim.autoScalingGroup(p.green.name).Instances ?? []).toEqual([])
    // The requests that failed are the ones the ALB sent to the dead instance, nothing else.
    const failed = sim.requests.failures()
    expect(failed.length).toBeGreaterThan(0)
    expect(failed.every(q => q.owner === victim && q.status === 502)).toBe(true)
    traffic.stop()
  })

  it("fails fast with AWS's reason when the new AMI cannot launch, and aborts", async () => {
    const p = world()
    // NEW_AMI is never declared: launches fail like AWS's InvalidAMIID.NotFound.
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p))

    expect(r.failedMessage).toMatch(
      /shop-green failed to launch instances: .*The image id '\[ami-0feedfacecafe0002\]' does not exist/
    )
    expect(r.failedMessage).toMatch(/Aborted before any traffic moved/)
    expect(r.failedMessage).toMatch(/Fix: check the 'ami-id' input/)
    // Minutes, not the 30-minute wait-timeout.
    expect(r.durationMs).toBeLessThan(5 * 60_000)
    expect(sim.autoScalingGroup(p.green.name)).toMatchObject({ DesiredCapacity: 0 })
    expect(traffic.stop().failed).toBe(0)
  })

  it('rides out ScalingActivityInProgress on UpdateAutoScalingGroup (retried, not a failed deploy)', async () => {
    const p = world()
    sim.addAmi(NEW_AMI)
    sim.faults.failNext('autoscaling:UpdateAutoScalingGroup', { code: 'ScalingActivityInProgress' })

    const r = await runActionInSim(sim, inputs(p))

    expect(r.failedMessage).toBeUndefined()
    expect(r.outputs['active-asg']).toBe(p.green.name)
    expect(
      sim.calls.of('autoscaling:UpdateAutoScalingGroup').some(c => c.error === 'ScalingActivityInProgress')
    ).toBe(true)
  })

  it('waits out a passing EC2 capacity shortage (Auto Scaling retries the launch) instead of failing on it', async () => {
    const p = world()
    const shortage =
      'We currently do not have sufficient t3.micro capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity. Launching EC2 instance failed.'
    sim.addAmi(NEW_AMI, { launchFailure: shortage, launchFailures: 2 })

    const r = await runActionInSim(sim, inputs(p))

    expect(r.failedMessage).toBeUndefined()
    expect(r.ok).toBe(true)
    expect(r.outputs['active-asg']).toBe(p.green.name)
    expect(r.lines.some(l => /a launch failed for lack of EC2 capacity/.test(l))).toBe(true)
    // The shortage really happened: two launches failed before the fleet came up.
    const failedLaunches = (sim.world.autoscaling.groups.get(p.green.name)?.activities ?? []).filter(
      a => a.StatusCode === 'Failed'
    )
    expect(failedLaunches.length).toBe(2)
  })

  it("with 'rollback: false' a failed validation leaves the new fleet serving; the next deploy retires the old one safely", async () => {
    const p = world({ synthetic: false })
    sim.addAmi(NEW_AMI, { paths: { '/version': { status: 500 } } })
    sim.addAmi(NEXT_AMI)
    const health = recordHealth(sim, p.targetGroupArn)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const failed = await runActionInSim(sim, inputs(p, { 'health-path': '/version', rollback: 'false' }))
    expect(failed.failedMessage).toMatch(/Not rolled back \('rollback: false'\): shop-green serves traffic/)
    expect(failed.outputs['rolled-back']).toBe('false')
    // Still draining into Standby when the run ends (deregistration delay 300 s).
    expect([...instances(p.blue.name, 'EnteringStandby'), ...instances(p.blue.name, 'Standby')]).toHaveLength(
      2
    )
    expect(sim.autoScalingGroup(p.blue.name).TargetGroupARNs).toEqual([p.targetGroupArn])
    // The role tags follow the traffic: green serves, so green is the active one.
    const role = (name: string) => sim.autoScalingGroup(name).Tags?.find(t => t.Key === 'zdt:role')?.Value
    expect([role(p.green.name), role(p.blue.name)]).toEqual(['active', 'standby'])
    expect(failed.outputs['active-asg']).toBe(p.green.name)

    // The next deploy detaches blue before its Standby instances come back, and goes on.
    const next = await runActionInSim(sim, inputs(p, { 'ami-id': NEXT_AMI }), {
      env: { GITHUB_RUN_ID: '4300' }
    })
    expectDeployed(next, p, p.blue.name, p.green.name)
    const detachBlue = callIndex(
      c => c.operation === 'DetachLoadBalancerTargetGroups' && c.input.AutoScalingGroupName === p.blue.name
    )
    const exitBlue = callIndex(
      c => c.operation === 'ExitStandby' && c.input.AutoScalingGroupName === p.blue.name
    )
    expect(detachBlue).toBeGreaterThanOrEqual(0)
    expect(exitBlue).toBeGreaterThan(detachBlue)
    expect(instances(p.blue.name)).toHaveLength(2)
    await expectRetiring(p, p.green.name)
    expect(traffic.stop().failed).toBe(0)
    expect(health.filter(h => ![...h.states.values()].includes('healthy'))).toEqual([])
  })

  it('a cutover that fails at EnterStandby rolls back: the old fleet never left, the new one goes', async () => {
    const p = world()
    sim.addAmi(NEW_AMI)
    sim.faults.failNext('autoscaling:EnterStandby', {
      code: 'ValidationError',
      message: 'The instance is not in service.'
    })
    const oldIds = instances(p.blue.name)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p))

    expect(r.failedMessage).toMatch(
      /The instance is not in service\. Rolled back: shop-blue serves traffic again/
    )
    expect(r.outputs['rolled-back']).toBe('true')
    expect(sim.calls.count('autoscaling:ExitStandby')).toBe(0)
    expect(instances(p.blue.name)).toEqual(oldIds)
    expect(sim.autoScalingGroup(p.blue.name)).toMatchObject({ MinSize: 2, DesiredCapacity: 2 })
    expect(sim.autoScalingGroup(p.green.name).Instances ?? []).toEqual([])
    expect(traffic.stop().failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
  })
})

// Issue 10: the configurations real accounts have (a shared $Latest, slow start, lifecycle hooks,
// per-instance registrations, a detach still Removing), each against the documented behaviour.
describe('asg-blue-green with the set-ups real accounts have', () => {
  const imageOf = async (templateId: string, version: string) =>
    (
      await sim.clients.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: [version] })
      )
    ).LaunchTemplateVersions?.[0]?.LaunchTemplateData?.ImageId

  it("a serving group on the shared template's $Latest is pinned first and stays on what it launched after a rollback", async () => {
    const p = world({ sharedLaunchTemplate: true })
    sim.world.autoscaling.groups.get(p.blue.name)!.launchTemplate.Version = '$Latest'
    sim.world.autoscaling.groups.get(p.green.name)!.launchTemplate.Version = '$Latest'
    sim.addAmi(NEW_AMI, { paths: { '/': { status: 500 } } })
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p, { 'health-path': '/' }))

    expect(r.failedMessage).toMatch(/Smoke test failed: .* Aborted before any traffic moved/)
    const pin = callIndex(
      c => c.operation === 'UpdateAutoScalingGroup' && c.input.AutoScalingGroupName === p.blue.name
    )
    expect(pin).toBeGreaterThanOrEqual(0)
    expect(pin).toBeLessThan(callIndex(c => c.operation === 'CreateLaunchTemplateVersion'))
    expect(
      r.lines.some(l => /^Pinning shop-blue to .* version 1 \(what its \$Latest launches now\)/.test(l))
    ).toBe(true)
    expect(r.lines.some(l => /^shop-blue stays on .* version 1, what it launched before/.test(l))).toBe(true)
    const blue = sim.autoScalingGroup(p.blue.name)
    expect(blue.LaunchTemplate?.Version).toBe('1')
    expect(await imageOf(p.blue.launchTemplateId, '$Latest')).toBe(NEW_AMI)
    // A scale-out of the serving group after the failed deploy launches the version it ran before.
    await sim.clients.autoscaling.send(
      new SetDesiredCapacityCommand({ AutoScalingGroupName: p.blue.name, DesiredCapacity: 3 })
    )
    await sim.advance(120_000)
    const versions = (sim.autoScalingGroup(p.blue.name).Instances ?? []).map(i => i.LaunchTemplate?.Version)
    expect(versions).toEqual(['1', '1', '1'])
    expect(await imageOf(p.blue.launchTemplateId, '1')).toBe(p.ami)
    expect(traffic.stop().failed).toBe(0)
  })

  it("refuses a serving group whose mixed instances policy is on the shared template's $Latest", async () => {
    const p = world({ sharedLaunchTemplate: true })
    const record = sim.world.autoscaling.groups.get(p.blue.name)!
    record.mixedInstancesPolicy = true
    record.launchTemplate.Version = '$Latest'
    sim.addAmi(NEW_AMI)

    const r = await runActionInSim(sim, inputs(p))

    expect(r.failedMessage).toMatch(
      /shop-blue serves through a mixed instances policy on .* version \$Latest: the version this deploy creates/
    )
    expect(sim.calls.mutating()).toEqual([])
  })

  it('refuses a standby group that launches from a launch configuration', async () => {
    const p = world()
    sim.world.autoscaling.groups.get(p.green.name)!.launchConfigurationName = 'shop-lc'
    sim.addAmi(NEW_AMI)

    const r = await runActionInSim(sim, inputs(p))

    expect(r.failedMessage).toMatch(
      /shop-green launches from launch configuration shop-lc, not a launch template/
    )
    expect(sim.calls.mutating()).toEqual([])
  })

  it("keeps the old fleet in the target group until the new fleet's slow start ramp is over", async () => {
    const p = world({ synthetic: false })
    await sim.clients.elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: p.targetGroupArn,
        Attributes: [{ Key: 'slow_start.duration_seconds', Value: '120' }]
      })
    )
    sim.addAmi(NEW_AMI)
    const health = recordHealth(sim, p.targetGroupArn)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p))

    expectDeployed(r, p, p.green.name, p.blue.name)
    const newIds = instances(p.green.name)
    const healthyAt = health.find(h => newIds.every(id => h.states.get(id) === 'healthy'))!.atMs
    expect(sim.calls.of('autoscaling:EnterStandby')[0].atMs).toBeGreaterThanOrEqual(healthyAt + 120_000)
    expect(r.lines.find(l => l.startsWith('Estimated minimum duration:'))).toMatch(
      /2m slow start ramp of the new fleet before the old one leaves/
    )
    expect(traffic.stop().failed).toBe(0)
  })

  const hook = (group: string, name: string, transition: 'LAUNCHING' | 'TERMINATING', timeout: number) =>
    sim.clients.autoscaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: group,
        LifecycleHookName: name,
        LifecycleTransition: `autoscaling:EC2_INSTANCE_${transition}`,
        HeartbeatTimeout: timeout
      })
    )

  it('refuses a wait-timeout shorter than a launch hook may hold the new fleet, with the arithmetic', async () => {
    const p = world()
    await hook(p.green.name, 'warm-cache', 'LAUNCHING', 900)
    sim.addAmi(NEW_AMI)
    const traffic = sim.startTraffic(`${p.url}/`, 10)
    const before = sim.calls.all.length

    const r = await runActionInSim(sim, inputs(p, { 'wait-timeout': '600' }))

    expect(r.failedMessage).toContain(
      "The new fleet on shop-green may need longer than 'wait-timeout' allows: 'wait-timeout' is 600s, shorter than 60s boot (assumed) + 900s Pending:Wait on lifecycle hook warm-cache (Pending:Wait up to 900s, then CONTINUE) = 960s."
    )
    expect(r.failedMessage).toMatch(/Fix: raise 'wait-timeout' to at least 960/)
    expect(sim.calls.all.slice(before).filter(c => !/^(Describe|List|Get)/.test(c.operation))).toEqual([])
    expect(traffic.stop().failed).toBe(0)
  })

  it("waits out the new fleet's launch hook and counts it in the estimate; says which hook holds the old fleet and leaves it terminating", async () => {
    const p = world()
    await hook(p.green.name, 'warm-cache', 'LAUNCHING', 120)
    await hook(p.blue.name, 'ship-logs', 'TERMINATING', 180)
    sim.addAmi(NEW_AMI)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p))

    expectDeployed(r, p, p.green.name, p.blue.name)
    expect(r.lines).toContain(
      'shop-green: 2 instance(s) in Pending:Wait on lifecycle hook warm-cache (Pending:Wait up to 120s, then CONTINUE)'
    )
    expect(r.lines).toContain(
      'shop-blue: 2 instance(s) in Terminating:Wait on lifecycle hook ship-logs (Terminating:Wait up to 180s, then CONTINUE)'
    )
    const estimate = r.lines.find(l => l.startsWith('Estimated minimum duration:'))
    expect(estimate).toMatch(/2m up to Pending:Wait \(lifecycle hook warm-cache, heartbeat timeout\)/)
    // The old fleet's terminate hook pauses no step of the run: it ends with blue's instances held there.
    expect(estimate).not.toMatch(/Terminating:Wait/)
    expect(instances(p.blue.name, 'Terminating:Wait')).toHaveLength(2)
    await expectRetiring(p, p.blue.name, 181_000)
    expect(traffic.stop().failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
  })

  it('refuses to retire instances that serve registered one by one while their group is not attached', async () => {
    const p = world({ synthetic: false })
    const ids = instances(p.blue.name)
    await sim.clients.autoscaling.send(
      new DetachLoadBalancerTargetGroupsCommand({
        AutoScalingGroupName: p.blue.name,
        TargetGroupARNs: [p.targetGroupArn]
      })
    )
    await sim.clients.elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: p.targetGroupArn, Targets: ids.map(Id => ({ Id })) })
    )
    await sim.advance(600_000)
    sim.addAmi(NEW_AMI)
    const traffic = sim.startTraffic(`${p.url}/`, 10)
    const before = sim.calls.all.length

    const r = await runActionInSim(sim, inputs(p))

    expect(r.failedMessage).toContain(
      `shop-blue's instances ${ids.join(', ')} serve in the target group, registered one by one, but the group is not attached to it`
    )
    expect(r.failedMessage).toMatch(
      /Fix: attach the group to the target group \(aws autoscaling attach-load-balancer-target-groups/
    )
    expect(sim.calls.all.slice(before).filter(c => !/^(Describe|List|Get)/.test(c.operation))).toEqual([])
    expect(instances(p.blue.name)).toEqual(ids)
    expect(traffic.stop().failed).toBe(0)
  })

  it('brings the old instances out of Standby only once the detached attachment is gone', async () => {
    const p = world()
    sim.addAmi(NEW_AMI)
    const oldIds = instances(p.blue.name)
    const traffic = sim.startTraffic(`${p.url}/`, 10)

    const r = await runActionInSim(sim, inputs(p))

    expectDeployed(r, p, p.green.name, p.blue.name)
    const detachAt = sim.calls
      .of('autoscaling:DetachLoadBalancerTargetGroups')
      .find(c => c.input.AutoScalingGroupName === p.blue.name)!.atMs
    const exitAt = sim.calls.of('autoscaling:ExitStandby')[0].atMs
    expect(exitAt).toBeGreaterThanOrEqual(detachAt + sim.world.timing.asgDetachSeconds * 1000)
    await sim.advance(600_000)
    const registered = sim.targetHealth(p.targetGroupArn).map(t => t.Target?.Id)
    expect(registered.filter(id => oldIds.includes(id ?? ''))).toEqual([])
    expect(traffic.stop().failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
  })
})

describe('asg-blue-green and the rules that answer first', () => {
  it('a lower-numbered rule that can match the synthetic header requests: refused before any change, naming it', async () => {
    const p = world()
    // Every path, at priority 1: the header rule could only come after it, and the checks would reach the old fleet.
    const everything = sim.addListenerRule(p.listenerArn!, {
      priority: 1,
      conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
      targetGroupArn: p.targetGroupArn
    })
    const r = await runActionInSim(sim, inputs(p))
    expect(r.ok).toBe(false)
    expect(r.failedMessage).toContain(`Rule priority 1 (path-pattern /*; ${everything})`)
    expect(r.failedMessage).toContain("can match the synthetic checks (/healthz with 'Synthetic: True')")
    expect(sim.calls.mutating()).toEqual([])
  })
})
