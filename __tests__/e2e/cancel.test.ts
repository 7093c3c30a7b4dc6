// The bundle cancelled as GitHub cancels a step: SIGINT in the middle of a deploy against moto. The
// process exits well inside GitHub's 10 s (SIGINT, SIGTERM at 7.5 s, the kill at 10 s), the job
// summary says `cancelled` and what was left, and the GitHub deployment has a final status; after
// asg-blue-green's, an immediate re-run takes no lock wait and ends in the README's steady state.
import { describe, expect, it } from '@jest/globals'
import { bundleRunner, pushTag, release } from '../../testkit/bundle-runs.js'
import { useLocalServers } from '../../testkit/local-servers.js'
import type { ActionRun } from '../../testkit/run-action.js'
import { motoClients } from '../../testkit/moto.js'
import {
  asgBlueGreenInputs,
  createAsgFixture,
  groupSnapshot,
  listenerRules,
  targetHealth,
  type GroupSnapshot
} from '../../testkit/moto-asg.js'
import { createEcsService, serviceRuns } from '../../testkit/moto-ecs.js'

describe('a cancelled deploy end to end (bundle + moto)', () => {
  const clients = motoClients()
  const servers = useLocalServers()
  const run = bundleRunner(servers)

  /** Out within 10 s of the signal, exit 1; the summary, the log and the run's GitHub deployment say cancelled. */
  function expectCancelled(r: ActionRun, strategy: string, phase: string, ref: string): void {
    expect(r.exitedAfterSignalMs).toBeLessThan(10_000)
    expect(r.exitCode).toBe(1)
    expect(r.summary).toContain(`## ❌ zdt-deploy ${strategy}: cancelled`)
    expect(r.summary).toContain('### What the cancellation left')
    expect(r.summary).toContain(`- Cancelled by SIGINT during ${phase}.`)
    expect(r.stdout).toContain(`::error::Cancelled by SIGINT during ${phase}.`)
    const deployments = servers.github.deployments.filter(d => d.ref === ref)
    expect(deployments.map(d => d.statuses.map(s => s.state))).toEqual([['in_progress', 'error']])
    expect(deployments[0].statuses.at(-1)?.description).toMatch(
      new RegExp(`^Cancelled by SIGINT during ${phase}\\.`)
    )
  }

  it('ecs-rolling: SIGINT during the rollout exits within 10 s, cancelled, the deployment in error', async () => {
    const f = await createEcsService(clients)
    const r = await run(
      {
        strategy: 'ecs-rolling',
        cluster: f.cluster,
        service: f.service,
        url: servers.app.url,
        'health-timeout': '5',
        image: 'registry.example.com/shop:1.2.4-rc.1'
      },
      { ...pushTag('v1.2.4-rc.1'), interrupt: { when: '::group::Rollout' } }
    )
    expectCancelled(r, 'ecs-rolling', 'Rollout', 'v1.2.4-rc.1')
    // No new write after the signal: the service keeps the revision the run gave it, ECS carries on.
    const now = await serviceRuns(clients, f)
    expect(now.taskDefinitionArn).toMatch(/:2$/)
    expect(r.summary).toContain(`changed service ${f.cluster}/${f.service}`)
  })

  const ids = (g: GroupSnapshot, lifecycle: string) =>
    g.instances.filter(i => i.lifecycle === lifecycle).map(i => i.id)

  it(
    'asg-blue-green: SIGINT in the validation window exits within 10 s, cancelled, both locks released; ' +
      'an immediate re-run converges',
    async () => {
      const f = await createAsgFixture(clients)
      const inputs = { ...asgBlueGreenInputs(f, servers.app.url), 'ami-id': 'ami-0e0e0e0e0e0e0e0e5' }
      const blueBefore = await groupSnapshot(clients, f.blue)
      // A window long enough that the signal finds it running, sent on the window's first line.
      const r = await run(
        { ...inputs, 'validation-window': '180' },
        { ...release('v5.0.0'), interrupt: { when: 'Watching the new fleet for 3m' } }
      )
      expectCancelled(r, 'asg-blue-green', 'Validation window', 'v5.0.0')
      expect(r.summary).toContain(
        `- ${f.green} serves traffic with the new version; ${f.blue}'s old instances ` +
          `(${ids(blueBefore, 'InService').join(', ')}) stay in Standby with its MinSize lowered from ` +
          `${blueBefore.minSize} to 0.`
      )
      expect(r.summary).toContain(`- Lock released on ${f.blue} and ${f.green}.`)

      // The safe state the README names after the cutover: the new fleet serves (attached, its
      // instances registered), the old ones wait in Standby, zdt:role says which serves, no lock.
      const blue = await groupSnapshot(clients, f.blue)
      const green = await groupSnapshot(clients, f.green)
      expect(ids(blue, 'Standby').sort()).toEqual(ids(blueBefore, 'InService').sort())
      expect(blue.minSize).toBe(0)
      expect(ids(green, 'InService')).toHaveLength(blueBefore.desired)
      expect(green.targetGroupArns).toContain(f.targetGroupArn)
      const served = Object.keys(await targetHealth(clients, f.targetGroupArn))
      expect(served).toEqual(expect.arrayContaining(ids(green, 'InService')))
      // moto's EnterStandby does not deregister (AWS's does): the old instances stay listed there.
      expect(served.filter(id => !ids(green, 'InService').includes(id)).sort()).toEqual(
        ids(blue, 'Standby').sort()
      )
      expect(green.tags['zdt:role']).toBe('active')
      for (const g of [blue, green]) expect(g.tags['zdt:lock']).toBeUndefined()
      // The header rule this run made stays, as a finished deploy leaves it, for the next run to use.
      const rules = await listenerRules(clients, f.listenerArn)
      expect(rules).toHaveLength(1)
      expect(rules[0].tags).toMatchObject({ 'zdt:managed-by': 'zdt-deploy' })
      const ruleLeft = rules.map(x => x.RuleArn)

      // The same deploy again at once. Only its window is short, to keep the test quick: the window's
      // length changes nothing the re-run has to clean up.
      const again = await run({ ...inputs, 'validation-window': '2' }, release('v5.0.0'))
      expect(again.stderr).not.toMatch(/Error/)
      expect(again.exitCode).toBe(0)
      expect(again.stdout).not.toMatch(/Waiting for a deploy in progress.*locked by/)
      expect(again.stdout).toContain(
        `${f.green} is attached to the synthetic target group ${f.syntheticTargetGroupArn.split('/')[1]}`
      )
      expect(again.outputs).toMatchObject({ 'active-asg': f.blue, 'previous-asg': f.green })
      const deployments = servers.github.deployments.filter(d => d.ref === 'v5.0.0')
      expect(deployments.map(d => d.statuses.at(-1)?.state)).toEqual(['error', 'success'])

      // The steady state: one group with capacity, the one in the main target group, its MinSize as
      // before the deploys; no Standby instance, no lock, one header rule (reused), the synthetic
      // target group empty.
      const groups = [await groupSnapshot(clients, f.blue), await groupSnapshot(clients, f.green)]
      const serving = groups.filter(g => g.desired > 0)
      expect(serving).toHaveLength(1)
      const [now] = serving
      expect(now.targetGroupArns).toEqual([f.targetGroupArn])
      expect(now.minSize).toBe(blueBefore.minSize)
      expect(ids(now, 'InService')).toHaveLength(blueBefore.desired)
      expect(Object.keys(await targetHealth(clients, f.targetGroupArn)).sort()).toEqual(
        ids(now, 'InService').sort()
      )
      const other = groups.find(g => g !== now)!
      expect(other.instances).toEqual([])
      expect(other.targetGroupArns).toEqual([])
      expect(groups.flatMap(g => ids(g, 'Standby'))).toEqual([])
      for (const g of groups) expect(g.tags['zdt:lock']).toBeUndefined()
      expect((await listenerRules(clients, f.listenerArn)).map(x => x.RuleArn)).toEqual(ruleLeft)
      expect(await targetHealth(clients, f.syntheticTargetGroupArn)).toEqual({})
    },
    150_000
  )
})
