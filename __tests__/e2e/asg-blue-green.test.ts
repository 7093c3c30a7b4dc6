// The bundled action run as the runner runs it (INPUT_* variables, an event payload, GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY files) against moto, a local app as `url` and a local GitHub API.
import { describe, expect, it } from '@jest/globals'
import { DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2'
import {
  createAsgFixture,
  groupSnapshot,
  listenerRules,
  targetHealth,
  type AsgFixture
} from '../../testkit/moto-asg.js'
import { startAppServer } from '../../testkit/app-server.js'
import { useLocalServers } from '../../testkit/local-servers.js'
import { bundleRunner, pushTag, release, type Trigger } from '../../testkit/bundle-runs.js'
import { motoClients } from '../../testkit/moto.js'

describe('asg-blue-green end to end (bundle + moto)', () => {
  const c = motoClients()
  const servers = useLocalServers()

  const run = bundleRunner(servers)
  const action = (f: AsgFixture, url: string, inputs: Record<string, string>, trigger: Trigger) =>
    run(
      {
        strategy: 'asg-blue-green',
        'blue-asg': f.blue,
        'green-asg': f.green,
        'target-group': f.targetGroupArn,
        'synthetic-target-group': f.syntheticTargetGroupArn,
        'listener-arn': f.listenerArn,
        url,
        'health-timeout': '4',
        'validation-window': '2',
        ...inputs
      },
      trigger
    )

  const inService = (g: { instances: Array<{ id: string; lifecycle: string }> }) =>
    g.instances.filter(i => i.lifecycle === 'InService').map(i => i.id)

  it('a release deploys the new AMI to production blue/green', async () => {
    const f = await createAsgFixture(c)
    const r = await action(f, servers.app.url, { 'ami-id': 'ami-0123456789abcdef1' }, release('v3.0.0'))
    expect(r.stderr).not.toMatch(/Error/)
    expect(r.exitCode).toBe(0)
    expect(r.outputs).toMatchObject({
      environment: 'production',
      'active-asg': f.green,
      'previous-asg': f.blue,
      'rolled-back': 'false',
      url: servers.app.url,
      'probe-errors': '0'
    })
    expect(Number(r.outputs['probe-requests'])).toBeGreaterThan(0)
    expect(Number(r.outputs.duration)).toBeGreaterThanOrEqual(2)
    // Outputs that belong to other strategies stay unset.
    expect(r.outputs['task-definition-arn']).toBeUndefined()

    expect(r.summary).toContain('## ✅ zdt-deploy asg-blue-green: deployed')
    for (const phase of [
      'Pre-flight',
      'Lock',
      'Prepare standby',
      'Synthetic checks',
      'Cutover',
      'Validation window',
      'Finish'
    ])
      expect(r.summary).toContain(`| ${phase} |`)
    expect(r.summary).toContain('```mermaid')
    expect(r.summary).toContain('Estimated minimum duration')
    expect(r.summary).toContain('### Traffic probe')
    expect(r.stdout).toContain('::group::Cutover')

    const green = await groupSnapshot(c, f.green)
    expect(inService(green)).toHaveLength(2)
    expect(Object.keys(await targetHealth(c, f.targetGroupArn)).sort()).toEqual(inService(green).sort())
    expect((await groupSnapshot(c, f.blue)).instances).toEqual([])
    expect(green.tags).toMatchObject({ 'zdt:role': 'active', 'zdt:repo': 'acme/shop' })
    expect(servers.app.requests.some(q => q.headers['synthetic'] === 'True')).toBe(true)
  })

  it('a dry-run prints the plan and makes no change in moto', async () => {
    const f = await createAsgFixture(c)
    const before = [await groupSnapshot(c, f.blue), await groupSnapshot(c, f.green)]
    const versions = async () =>
      (await c.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: f.templateId })))
        .LaunchTemplateVersions?.length
    const versionsBefore = await versions()
    const r = await action(
      f,
      servers.app.url,
      { 'ami-id': 'ami-0123456789abcdef2', 'dry-run': 'true' },
      pushTag('v3.1.0-rc.1')
    )
    expect(r.exitCode).toBe(0)
    expect(r.outputs.environment).toBe('staging')
    expect(r.summary).toContain('asg-blue-green: planned')
    expect(r.stdout).toContain('(dry run)')
    for (const op of [
      'ec2:CreateLaunchTemplateVersion',
      'autoscaling:UpdateAutoScalingGroup',
      'elasticloadbalancing:CreateRule',
      'autoscaling:EnterStandby',
      'autoscaling:ExitStandby'
    ])
      expect(r.stdout).toContain(`[dry-run] would call ${op}`)
    expect([await groupSnapshot(c, f.blue), await groupSnapshot(c, f.green)]).toEqual(before)
    expect(await versions()).toBe(versionsBefore)
    expect(await listenerRules(c, f.listenerArn)).toEqual([])
  })

  it('a failing synthetic check fails the step with the cause and the fix, and leaves production as it was', async () => {
    const f = await createAsgFixture(c)
    const broken = await startAppServer('v4')
    broken.setStatus('/healthz', 302, { location: '/login' })
    try {
      const before = inService(await groupSnapshot(c, f.blue))
      const r = await action(f, broken.url, { 'ami-id': 'ami-0123456789abcdef3' }, release('v4.0.0'))
      expect(r.exitCode).toBe(1)
      expect(r.stdout).toMatch(/::error::Smoke test failed: GET .*\/healthz answered 302 redirect to \/login/)
      expect(r.stdout).toMatch(/Aborted before any traffic moved/)
      expect(r.stdout).toMatch(/Fix: the health path redirects/)
      expect(r.outputs['rolled-back']).toBe('false')
      expect(r.outputs['active-asg']).toBe(f.blue)
      expect(r.summary).toContain('## ❌ zdt-deploy asg-blue-green: failed')
      expect(r.summary).toContain('| Abort |')
      expect(inService(await groupSnapshot(c, f.blue)).sort()).toEqual(before.sort())
      expect((await groupSnapshot(c, f.green)).instances).toEqual([])
    } finally {
      await broken.close()
    }
  })
})
