// asg-blue-green against moto: the real code path (SDK clients, the thin layer, the strategy) on two
// Auto Scaling groups behind an ALB, with a local app as `url`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { CreateOrUpdateTagsCommand } from '@aws-sdk/client-auto-scaling'
import { CreateLaunchTemplateVersionCommand } from '@aws-sdk/client-ec2'
import type { OutputName } from '../../src/constants.js'
import { MemorySink } from '../../testkit/memory-sink.js'
import { startAppServer, type AppServer } from '../../testkit/app-server.js'
import {
  createAsgFixture,
  FIRST_AMI,
  groupSnapshot,
  instanceImages,
  listenerRules,
  targetHealth,
  templateImage,
  type AsgFixture
} from '../../testkit/moto-asg.js'
import { motoClients } from '../../testkit/moto.js'
import { runInProcess, type InProcessRun } from '../../testkit/run-in-process.js'

type Run = InProcessRun

class HookSink extends MemorySink {
  constructor(private readonly onLine: (line: string) => void) {
    super()
  }
  override info(m: string) {
    super.info(m)
    this.onLine(m)
  }
}

function deploy(
  inputs: Record<string, string>,
  opts: { onLine?: (line: string) => void; runId?: string } = {}
): Promise<Run> {
  return runInProcess({
    inputs: {
      strategy: 'asg-blue-green',
      'aws-region': 'us-east-1',
      environment: 'production',
      'poll-interval': '1',
      'wait-timeout': '30',
      'health-timeout': '4',
      'validation-window': '2',
      ...inputs
    },
    env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: opts.runId ?? '1001' },
    sink: new HookSink(opts.onLine ?? (() => {}))
  })
}

const out = (r: Run, name: OutputName) => r.outputs.get(name)
const MUTATING = [
  'UpdateAutoScalingGroup',
  'AttachLoadBalancerTargetGroups',
  'DetachLoadBalancerTargetGroups',
  'EnterStandby',
  'ExitStandby',
  'CreateOrUpdateTags',
  'DeleteTags',
  'CreateLaunchTemplateVersion',
  'CreateRule'
]
const inService = (g: { instances: Array<{ lifecycle: string; id: string }> }) =>
  g.instances.filter(i => i.lifecycle === 'InService').map(i => i.id)

describe('asg-blue-green against moto', () => {
  const c = motoClients()
  let app: AppServer
  beforeAll(async () => {
    app = await startAppServer()
  })
  afterAll(async () => {
    await app.close()
  })

  const target = (f: AsgFixture, extra: Record<string, string> = {}) => ({
    'blue-asg': f.blue,
    'green-asg': f.green,
    'target-group': f.targetGroupArn,
    'synthetic-target-group': f.syntheticTargetGroupArn,
    'listener-arn': f.listenerArn,
    url: app.url,
    ...extra
  })

  it('moves traffic to the standby group on the new AMI, retires the old one, and swaps back on the next deploy', async () => {
    const f = await createAsgFixture(c)
    const blueBefore = inService(await groupSnapshot(c, f.blue))
    const seen = app.requests.length

    const first = await deploy(target(f, { 'ami-id': 'ami-0b0b0b0b0b0b0b0b2' }))
    expect(first.failed).toBeUndefined()
    expect(out(first, 'active-asg')).toBe(f.green)
    expect(out(first, 'previous-asg')).toBe(f.blue)
    expect(out(first, 'rolled-back')).toBe('false')
    expect(out(first, 'url')).toBe(app.url)
    expect(Number(out(first, 'probe-requests'))).toBeGreaterThan(0)
    expect(out(first, 'probe-errors')).toBe('0')

    const green = await groupSnapshot(c, f.green)
    const blue = await groupSnapshot(c, f.blue)
    // The new fleet matches the old one's scale, runs the new image, and alone serves the target group.
    expect([green.minSize, green.maxSize, green.desired]).toEqual([1, 4, 2])
    expect(inService(green)).toHaveLength(2)
    expect(await instanceImages(c, inService(green))).toEqual([
      'ami-0b0b0b0b0b0b0b0b2',
      'ami-0b0b0b0b0b0b0b0b2'
    ])
    expect(green.launchTemplateVersion).toBe('2')
    expect(await templateImage(c, f.templateId, '2')).toBe('ami-0b0b0b0b0b0b0b0b2')
    expect(await templateImage(c, f.templateId, '1')).toBe(FIRST_AMI)
    expect(green.targetGroupArns).toEqual([f.targetGroupArn])
    expect(blue.instances).toEqual([])
    expect(blue.desired).toBe(0)
    expect(blue.targetGroupArns).toEqual([])
    const health = await targetHealth(c, f.targetGroupArn)
    expect(Object.keys(health).sort()).toEqual(inService(green).sort())
    expect(Object.keys(health)).not.toEqual(expect.arrayContaining(blueBefore.slice(0, 1)))
    expect(await targetHealth(c, f.syntheticTargetGroupArn)).toEqual({})
    // Tags: roles swapped, ownership set, lock released.
    expect(green.tags).toMatchObject({
      'zdt:role': 'active',
      'zdt:managed-by': 'zdt-deploy',
      'zdt:repo': 'acme/shop'
    })
    expect(blue.tags).toMatchObject({
      'zdt:role': 'standby',
      'zdt:managed-by': 'zdt-deploy',
      'zdt:repo': 'acme/shop'
    })
    expect(green.tags['zdt:lock']).toBeUndefined()
    expect(blue.tags['zdt:lock']).toBeUndefined()
    // The header rule was created on the listener, tagged, forwarding to the synthetic target group.
    const rules = await listenerRules(c, f.listenerArn)
    expect(rules).toHaveLength(1)
    expect(rules[0].Conditions?.[0]?.HttpHeaderConfig).toMatchObject({
      HttpHeaderName: 'Synthetic',
      Values: ['True']
    })
    expect(rules[0].Actions?.[0]?.TargetGroupArn).toBe(f.syntheticTargetGroupArn)
    expect(rules[0].tags).toMatchObject({ 'zdt:managed-by': 'zdt-deploy', 'zdt:repo': 'acme/shop' })
    // The synthetic smoke test reached the app with the header; the probe without it.
    const requests = app.requests.slice(seen)
    expect(requests.some(r => r.path === '/healthz' && r.headers['synthetic'] === 'True')).toBe(true)
    expect(requests.filter(r => r.headers['synthetic'] === undefined).length).toBeGreaterThan(0)
    // Order that decides traffic: healthy in the main target group before Standby; detach before ExitStandby.
    expect(first.sent.indexOf('EnterStandby')).toBeGreaterThan(
      first.sent.indexOf('AttachLoadBalancerTargetGroups')
    )
    expect(first.sent.lastIndexOf('DetachLoadBalancerTargetGroups')).toBeLessThan(
      first.sent.indexOf('ExitStandby')
    )
    expect(first.summary).toContain('Pre-flight')
    expect(first.summary).toContain('Traffic probe')
    expect(first.lines.some(l => l.startsWith('Estimated minimum duration:'))).toBe(true)

    const second = await deploy(target(f, { 'ami-id': 'ami-0c0c0c0c0c0c0c0c3' }), { runId: '1002' })
    expect(second.failed).toBeUndefined()
    expect(out(second, 'active-asg')).toBe(f.blue)
    expect(out(second, 'previous-asg')).toBe(f.green)
    const blue2 = await groupSnapshot(c, f.blue)
    const green2 = await groupSnapshot(c, f.green)
    expect(inService(blue2)).toHaveLength(2)
    expect(await instanceImages(c, inService(blue2))).toEqual([
      'ami-0c0c0c0c0c0c0c0c3',
      'ami-0c0c0c0c0c0c0c0c3'
    ])
    // Copied from blue's own version 1 (not green's 2): a new version 3.
    expect(blue2.launchTemplateVersion).toBe('3')
    expect(blue2.targetGroupArns).toEqual([f.targetGroupArn])
    expect(green2.instances).toEqual([])
    expect(green2.targetGroupArns).toEqual([])
    expect(blue2.tags['zdt:role']).toBe('active')
    expect(green2.tags['zdt:role']).toBe('standby')
    // The rule made by the first deploy is reused, not duplicated.
    expect(await listenerRules(c, f.listenerArn)).toHaveLength(1)
    expect(second.sent).not.toContain('CreateRule')
  })

  it('aborts when the synthetic smoke test fails: the active group is untouched, the standby back at zero', async () => {
    const f = await createAsgFixture(c)
    const broken = await startAppServer('v2')
    broken.setStatus('/healthz', 503)
    try {
      const blueBefore = await groupSnapshot(c, f.blue)
      const r = await deploy({ ...target(f, { 'ami-id': 'ami-0d0d0d0d0d0d0d0d4' }), url: broken.url })
      expect(r.failed).toMatch(/Smoke test failed: GET .*\/healthz answered 503/)
      expect(r.failed).toMatch(/Aborted before any traffic moved/)
      expect(out(r, 'rolled-back')).toBe('false')
      expect(out(r, 'active-asg')).toBe(f.blue)
      expect(r.sent).not.toContain('EnterStandby')
      const blue = await groupSnapshot(c, f.blue)
      const green = await groupSnapshot(c, f.green)
      expect(inService(blue).sort()).toEqual(inService(blueBefore).sort())
      expect(blue.targetGroupArns).toEqual([f.targetGroupArn])
      expect(green.instances).toEqual([])
      expect(green.desired).toBe(0)
      expect(green.targetGroupArns).toEqual([])
      expect(blue.tags['zdt:lock']).toBeUndefined()
      expect(green.tags['zdt:lock']).toBeUndefined()
      expect(r.summary).toContain('Abort')
    } finally {
      await broken.close()
    }
  })

  it('pins a serving group on the shared $Latest before creating a version, and leaves it there after an abort', async () => {
    const f = await createAsgFixture(c, { launchTemplateVersion: '$Latest' })
    const broken = await startAppServer('v2')
    broken.setStatus('/healthz', 503)
    try {
      const r = await deploy({ ...target(f, { 'ami-id': 'ami-0e0e0e0e0e0e0e0e9' }), url: broken.url })
      expect(r.failed).toMatch(/Aborted before any traffic moved/)
      expect(r.lines).toContain(
        `Pinning ${f.blue} to ${f.blue.replace(/-blue$/, '-lt')} version 1 (what its $Latest launches now): the version this deploy creates must not reach the group that serves before the cutover`
      )
      const pin = r.sent.indexOf('UpdateAutoScalingGroup')
      expect(pin).toBeGreaterThanOrEqual(0)
      expect(pin).toBeLessThan(r.sent.indexOf('CreateLaunchTemplateVersion'))
      const blue = await groupSnapshot(c, f.blue)
      expect(blue.launchTemplateVersion).toBe('1')
      expect(await templateImage(c, f.templateId, '1')).toBe(FIRST_AMI)
      expect(await templateImage(c, f.templateId, '$Latest')).toBe('ami-0e0e0e0e0e0e0e0e9')
      expect(await instanceImages(c, inService(blue))).toEqual(inService(blue).map(() => FIRST_AMI))
    } finally {
      await broken.close()
    }
  })

  it('rolls back when the new version fails during the validation window', async () => {
    const f = await createAsgFixture(c)
    const app2 = await startAppServer('v2')
    try {
      const blueBefore = inService(await groupSnapshot(c, f.blue))
      // The "new version" starts failing as soon as it serves alone.
      const r = await deploy(
        { ...target(f, { 'ami-id': 'ami-0e0e0e0e0e0e0e0e5', 'validation-window': '20' }), url: app2.url },
        { onLine: line => line.startsWith('Moving ') && app2.setStatus('/healthz', 500) }
      )
      expect(r.failed).toMatch(/Validation failed/)
      expect(r.failed).toMatch(/Rolled back: .* serves traffic again/)
      expect(out(r, 'rolled-back')).toBe('true')
      expect(out(r, 'active-asg')).toBe(f.blue)
      const blue = await groupSnapshot(c, f.blue)
      const green = await groupSnapshot(c, f.green)
      // The very same old instances serve again, MinSize restored; the new group is gone.
      expect(inService(blue).sort()).toEqual(blueBefore.sort())
      expect([blue.minSize, blue.desired]).toEqual([1, 2])
      expect(blue.targetGroupArns).toEqual([f.targetGroupArn])
      expect(green.instances).toEqual([])
      expect(green.targetGroupArns).toEqual([])
      expect(Object.keys(await targetHealth(c, f.targetGroupArn)).sort()).toEqual(blueBefore.sort())
      expect(blue.tags['zdt:role']).toBe('active')
      expect(r.sent.indexOf('ExitStandby')).toBeLessThan(r.sent.lastIndexOf('DetachLoadBalancerTargetGroups'))
    } finally {
      await app2.close()
    }
  })

  it('dry-run prints the plan and changes nothing', async () => {
    const f = await createAsgFixture(c)
    const before = [await groupSnapshot(c, f.blue), await groupSnapshot(c, f.green)]
    const r = await deploy(target(f, { 'ami-id': 'ami-0f0f0f0f0f0f0f0f6', 'dry-run': 'true' }))
    expect(r.failed).toBeUndefined()
    expect(r.sent.filter(s => MUTATING.includes(s))).toEqual([])
    expect([await groupSnapshot(c, f.blue), await groupSnapshot(c, f.green)]).toEqual(before)
    expect(await listenerRules(c, f.listenerArn)).toEqual([])
    const plan = r.lines.filter(l => l.startsWith('[dry-run] would call'))
    for (const op of [
      'CreateLaunchTemplateVersion',
      'UpdateAutoScalingGroup',
      'CreateRule',
      'AttachLoadBalancerTargetGroups',
      'EnterStandby',
      'DetachLoadBalancerTargetGroups',
      'ExitStandby',
      'CreateOrUpdateTags'
    ])
      expect(plan.some(l => l.includes(op))).toBe(true)
    expect(plan.find(l => l.includes('EnterStandby'))).toContain(inService(before[0])[0])
    expect(r.result?.outcome).toBe('planned')
    // Nothing moved: the outputs name the group that still serves.
    expect([out(r, 'active-asg'), out(r, 'previous-asg')]).toEqual([f.blue, f.blue])
  })

  it('waits for a deploy in progress (a fresh lock) and fails clearly without changing anything', async () => {
    const f = await createAsgFixture(c)
    // Dated a minute ahead and written once the fixture stands: however slowly a loaded machine
    // starts the deploy, the lock stays younger than 'wait-timeout' (a lock's age never goes below 0).
    const lock = `${new Date(Date.now() + 60_000).toISOString()} run 999 acme/other`
    await c.autoscaling.send(
      new CreateOrUpdateTagsCommand({
        Tags: [f.blue, f.green].map(name => ({
          ResourceId: name,
          ResourceType: 'auto-scaling-group',
          Key: 'zdt:lock',
          Value: lock,
          PropagateAtLaunch: false
        }))
      })
    )
    const r = await deploy(target(f, { 'ami-id': 'ami-0a1a1a1a1a1a1a1a7', 'wait-timeout': '2' }))
    expect(r.failed).toMatch(
      /Another deploy is still in progress after 2s: .* locked by run 999 of acme\/other/
    )
    expect(r.failed).toMatch(/Fix: .*zdt:lock/)
    expect(r.sent.filter(s => MUTATING.includes(s))).toEqual([])
    expect(r.lines.some(l => l.startsWith('Waiting for a deploy in progress'))).toBe(true)
    expect((await groupSnapshot(c, f.blue)).tags['zdt:lock']).toBe(lock)
  })

  it('takes over a stale lock with a warning', async () => {
    const stale = `${new Date(Date.now() - 3600_000).toISOString()} run 998 acme/shop`
    const f = await createAsgFixture(c, { blueTags: { 'zdt:lock': stale }, greenTags: { 'zdt:lock': stale } })
    const r = await deploy(target(f, { 'launch-template-version': '1' }))
    expect(r.failed).toBeUndefined()
    expect(r.lines.some(l => l.includes('stale lock from run 998'))).toBe(true)
    expect(out(r, 'active-asg')).toBe(f.green)
    expect((await groupSnapshot(c, f.green)).tags['zdt:lock']).toBeUndefined()
  })

  it('handles a first deploy where neither group serves yet', async () => {
    const f = await createAsgFixture(c, { blueServes: false })
    const r = await deploy(target(f, { 'synthetic-target-group': '', 'listener-arn': '' }))
    expect(r.failed).toBeUndefined()
    expect(r.lines.some(l => l.includes('first deploy'))).toBe(true)
    const green = await groupSnapshot(c, f.green)
    expect(inService(green)).toHaveLength(2)
    expect(green.targetGroupArns).toEqual([f.targetGroupArn])
    // A redeploy: the active group's launch template version, no new version.
    expect(green.launchTemplateVersion).toBe('1')
    expect(r.sent).not.toContain('CreateLaunchTemplateVersion')
    // Blue took no traffic, so nothing is kept in Standby for a rollback.
    expect(r.sent).not.toContain('EnterStandby')
    expect((await groupSnapshot(c, f.blue)).instances).toEqual([])
  })

  it('refuses before any change when a group does not exist', async () => {
    const f = await createAsgFixture(c)
    const r = await deploy(target(f, { 'green-asg': `${f.green}-nope` }))
    expect(r.failed).toMatch(/Auto Scaling group .*-nope not found in us-east-1/)
    expect(r.sent.filter(s => MUTATING.includes(s))).toEqual([])
    expect(out(r, 'rolled-back')).toBe('false')
  })

  it('refuses a target group that does not exist, naming the input, before any change', async () => {
    const f = await createAsgFixture(c)
    const missing = f.targetGroupArn.replace(/\/[0-9a-f]+$/, '/0000000000000000')
    const r = await deploy(target(f, { 'target-group': missing }))
    expect(r.failed).toMatch(/Target group .* \('target-group'\) was not found/)
    expect(r.failed).toMatch(/Fix: set 'target-group' to the ARN of an existing target group/)
    expect(r.sent.filter(s => MUTATING.includes(s))).toEqual([])
  })

  it("pins launch-template-version '$Latest' to its number, so later versions never reach the group", async () => {
    const f = await createAsgFixture(c)
    const r = await deploy(target(f, { 'launch-template-version': '$Latest' }))
    expect(r.failed).toBeUndefined()
    expect(r.lines).toContain('Launch template version $Latest is version 1 now: pinned to it')
    expect((await groupSnapshot(c, f.green)).launchTemplateVersion).toBe('1')
  })

  it('refuses a listener that does not exist, naming the input, before any change', async () => {
    const f = await createAsgFixture(c)
    const missing = f.listenerArn.replace(/\/[0-9a-f]+$/, '/0000000000000000')
    const r = await deploy(target(f, { 'listener-arn': missing }))
    expect(r.failed).toMatch(/Listener .* \('listener-arn'\) was not found/)
    expect(r.failed).toMatch(/Fix: set 'listener-arn' to the ARN of the ALB listener/)
    expect(r.sent.filter(s => MUTATING.includes(s))).toEqual([])
  })

  it('ami-id after a launch-template-version deploy copies the serving version, not the standby one', async () => {
    const f = await createAsgFixture(c)
    const v2 = await c.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: f.templateId,
        SourceVersion: '1',
        LaunchTemplateData: { ImageId: FIRST_AMI, InstanceType: 't3.large' }
      })
    )
    const first = await deploy(
      target(f, { 'launch-template-version': String(v2.LaunchTemplateVersion!.VersionNumber) })
    )
    expect(first.failed).toBeUndefined()
    const second = await deploy(target(f, { 'ami-id': 'ami-0123456789abcdef5' }), { runId: '1002' })
    expect(second.failed).toBeUndefined()
    // moto ignores SourceVersion, so the log line names what was sent: green serves version 2.
    expect(second.lines).toContainEqual(
      expect.stringMatching(
        /^Created launch template lt-\w+ version 3: image ami-0123456789abcdef5, everything else from version 2$/
      )
    )
    expect((await groupSnapshot(c, f.blue)).launchTemplateVersion).toBe('3')
  })

  it('refuses when neither group has a fleet to copy the size from', async () => {
    const f = await createAsgFixture(c, { blueCapacity: { min: 0, max: 4, desired: 0 }, blueServes: false })
    const r = await deploy(target(f))
    expect(r.failed).toMatch(/Neither .* has a fleet to copy the size of the new one from/)
    expect(r.sent.filter(s => MUTATING.includes(s))).toEqual([])
  })

  it('without a url input, derives it from the load balancer and, unreachable from here, relies on target health', async () => {
    const f = await createAsgFixture(c)
    const r = await deploy({ ...target(f, { 'ami-id': 'ami-0a2a2a2a2a2a2a2a8' }), url: '' })
    expect(r.failed).toBeUndefined()
    expect(out(r, 'url')).toMatch(/^http:\/\/[\w.-]+elb\.amazonaws\.com$/)
    expect(
      r.lines.filter(l => l.startsWith('::warning::') && l.includes('is not reachable from the runner'))
    ).toHaveLength(1)
    expect(r.lines).toContain(
      `Synthetic smoke test skipped: ${out(r, 'url')} cannot be reached from the runner (said in pre-flight)`
    )
    expect(out(r, 'probe-requests')).toBeUndefined()
    expect(out(r, 'active-asg')).toBe(f.green)
    expect(inService(await groupSnapshot(c, f.green))).toHaveLength(2)
  })
})
