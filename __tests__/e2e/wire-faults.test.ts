// Every strategy through faults on the wire: the bundle talks to moto through a proxy that answers
// about 30% of AWS calls with throttling errors in each protocol's shape, 503s, and dropped
// connections, some after moto applied the call. Each deploy still succeeds and ends right: retries
// absorb the faults, and a retried write meets its own first attempt without duplicating it.
import { describe, expect, it } from '@jest/globals'
import { bundleRunner, pushTag, release } from '../../testkit/bundle-runs.js'
import { startFaultProxy, type FaultProxy } from '../../testkit/fault-proxy.js'
import { useLocalServers } from '../../testkit/local-servers.js'
import { asgBlueGreenInputs, createAsgFixture, groupSnapshot } from '../../testkit/moto-asg.js'
import { createEcsService, serviceRuns } from '../../testkit/moto-ecs.js'
import { REPO, imageOf, prEvent, tagged } from '../../testkit/moto-preview.js'
import { motoAwsEnv, motoClients, motoEndpoint } from '../../testkit/moto.js'

describe('deploys through faults on the wire (bundle + fault proxy + moto)', () => {
  const clients = motoClients()
  const servers = useLocalServers()
  const run = bundleRunner(servers)
  const all = { calls: 0, faults: [] as FaultProxy['faults'] }

  /**
   * The trigger's run with AWS reached through a proxy of its own, seeded for that run, so it meets the
   * same faults whichever runs before it; returns the run and the faults it met.
   */
  const throughProxy = async (
    seed: number,
    inputs: Record<string, string>,
    trigger: Parameters<typeof run>[1]
  ) => {
    const proxy = await startFaultProxy({ target: motoEndpoint(), seed })
    try {
      const r = await run(inputs, {
        ...trigger,
        env: { ...motoAwsEnv(), AWS_ENDPOINT_URL: proxy.url, GITHUB_API_URL: servers.github.url },
        timeoutMs: 280_000
      })
      all.calls += proxy.calls
      all.faults.push(...proxy.faults)
      return { r, met: proxy.faults, calls: proxy.calls }
    } finally {
      await proxy.close()
    }
  }

  /** Each run met faults, throttling among them (the rate and the mix are checked over the suite). */
  const expectFaulted = (met: FaultProxy['faults'], calls: number) => {
    // An ecs-rolling deploy makes 7 calls when nothing fails (its reads side by side, the rollout's
    // first look from UpdateService's answer): retries of the faulted ones come on top.
    expect(calls).toBeGreaterThanOrEqual(8)
    expect(met.length).toBeGreaterThanOrEqual(3)
    expect(met.some(f => f.kind === 'throttled')).toBe(true)
  }

  it('ecs-rolling deploys the image', async () => {
    const f = await createEcsService(clients)
    const { r, met, calls } = await throughProxy(
      5,
      {
        strategy: 'ecs-rolling',
        cluster: f.cluster,
        service: f.service,
        url: servers.app.url,
        'health-timeout': '5',
        image: 'registry.example.com/shop:2.0.0-rc.1'
      },
      pushTag('v2.0.0-rc.1')
    )
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect((await serviceRuns(clients, f)).images).toEqual({ app: 'registry.example.com/shop:2.0.0-rc.1' })
    expect(r.summary).toContain('zdt-deploy ecs-rolling: deployed')
    expectFaulted(met, calls)
  }, 300_000)

  it('asg-blue-green moves the traffic to the new fleet and leaves no lock', async () => {
    const f = await createAsgFixture(clients)
    const { r, met, calls } = await throughProxy(
      14,
      { ...asgBlueGreenInputs(f, servers.app.url), 'ami-id': 'ami-0123456789abcdef2' },
      release('v4.0.0')
    )
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(r.outputs).toMatchObject({ 'active-asg': f.green, 'rolled-back': 'false' })
    const [blue, green] = await Promise.all([groupSnapshot(clients, f.blue), groupSnapshot(clients, f.green)])
    expect(blue.desired).toBe(0)
    expect(green.desired).toBeGreaterThan(0)
    expect(blue.tags['zdt:lock'] ?? green.tags['zdt:lock']).toBeUndefined()
    expectFaulted(met, calls)
  }, 300_000)

  it('pr-preview makes one service and one rule for the pull request', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const { r, met, calls } = await throughProxy(
      14,
      {
        strategy: 'pr-preview',
        cluster: f.cluster,
        service: f.service,
        'listener-arn': f.listenerArn,
        url: servers.app.url,
        'preview-domain': 'preview.example.com',
        'health-timeout': '5',
        image: 'registry.example.com/shop:pr-314'
      },
      { eventName: 'pull_request', event: prEvent(314), repository: REPO }
    )
    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' })
    const live = await tagged(clients, f, 314)
    expect(live.services).toHaveLength(1)
    expect(live.rules).toHaveLength(1)
    expect(live.targetGroups).toHaveLength(1)
    expect(await imageOf(clients, live.services[0].taskDefinition)).toBe('registry.example.com/shop:pr-314')
    expectFaulted(met, calls)
  }, 300_000)

  it('faulted about 30% of all calls, of every kind, some writes after moto applied them', () => {
    const share = all.faults.length / all.calls
    expect(share).toBeGreaterThan(0.15)
    expect(share).toBeLessThan(0.4)
    expect(new Set(all.faults.map(f => f.kind))).toEqual(
      new Set(['throttled', 'unavailable', 'dropped', 'dropped-after-apply'])
    )
    expect(
      all.faults.some(f => f.kind === 'dropped-after-apply' && !/^(Describe|List|Get)/.test(f.operation))
    ).toBe(true)
  })
})
