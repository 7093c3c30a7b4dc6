// A deploy cancelled in the simulation, on the virtual clock: SIGINT in the middle of asg-blue-green's
// validation window stops the run within the grace budget, says `cancelled` and what was left, and
// the lock does not outlive the run.
import { afterEach, describe, expect, it } from '@jest/globals'
import { CANCEL_BUDGET_MS } from '../../src/cancellation.js'
import { createSimulation, runActionInSim, type ActionInputs, type Simulation } from './index.js'
import { releaseInputs } from './ecs-scenarios.js'

let sim: Simulation
afterEach(() => sim?.restore())

/** A fresh world (the same one for the same seed) and the deploy's inputs. */
function world() {
  sim?.restore()
  sim = createSimulation({ seed: 3 })
  const p = sim.addAsgPair({ activeCount: 2 })
  sim.addAmi('ami-0feedfacecafe0002')
  const inputs = {
    strategy: 'asg-blue-green',
    'blue-asg': p.blue.name,
    'green-asg': p.green.name,
    'target-group': p.targetGroupArn,
    'ami-id': 'ami-0feedfacecafe0002',
    environment: 'production',
    'validation-window': '600'
  }
  return { p, inputs }
}

/**
 * When to send SIGINT: `intoPhaseMs` into `phase` of the same deploy left to run whole (at most the
 * phase's middle, however short it was), from the run's start.
 */
async function momentIn(inputs: ActionInputs, phase: string, intoPhaseMs: number): Promise<number> {
  const whole = await runActionInSim(sim, inputs)
  expect(whole.failedMessage).toBeUndefined()
  const ph = whole.run.log.phases.find(x => x.name === phase)!
  return ph.startMs - sim.clock.startMs + Math.min(intoPhaseMs, (ph.endMs - ph.startMs) / 2)
}

describe('a cancelled asg-blue-green deploy', () => {
  it('SIGINT in the validation window: cancelled within the budget, the lock released on both groups', async () => {
    const signalAfterMs = await momentIn(world().inputs, 'Validation window', 60_000)

    const { p, inputs } = world()
    const r = await runActionInSim(sim, inputs, { sigintAfterMs: signalAfterMs })
    expect(r.ok).toBe(false)
    expect(r.run.cancelled?.by).toBe('SIGINT')
    expect(r.durationMs - signalAfterMs).toBeLessThanOrEqual(CANCEL_BUDGET_MS)
    expect(r.summary).toContain('zdt-deploy asg-blue-green: cancelled')
    expect(r.failedMessage).toContain('Cancelled by SIGINT during Validation window.')
    expect(r.failedMessage).toContain(`Lock released on ${p.blue.name} and ${p.green.name}.`)
    for (const name of [p.blue.name, p.green.name])
      expect(sim.autoScalingGroup(name).Tags?.find(t => t.Key === 'zdt:lock')).toBeUndefined()
    // Nothing written after the signal but the role tags saying which fleet serves, and the lock's release.
    const after = sim.calls.all.filter(
      c => c.atMs >= sim.clock.startMs + signalAfterMs && !/^(Describe|List|Get)/.test(c.operation)
    )
    expect(after.map(c => c.operation)).toEqual([
      'CreateOrUpdateTags',
      'CreateOrUpdateTags',
      'DeleteTags',
      'DeleteTags'
    ])
  })

  it.each([
    ['before the traffic move', 'Prepare standby', 30_000, /Set shop-green's desired capacity back to 0\./],
    [
      'during the traffic move',
      'Cutover',
      5_000,
      /shop-green's new instances drain out of .* and stay running/
    ],
    [
      'after the traffic move',
      'Validation window',
      60_000,
      /shop-green serves traffic with the new version; shop-blue's old instances \(.*\) stay in Standby/
    ]
  ])(
    'SIGINT %s: traffic stays on healthy targets, the summary says what was left, a re-run converges',
    async (_when, phaseName, intoPhaseMs, left) => {
      const first = world()
      const minSize = sim.autoScalingGroup(first.p.blue.name).MinSize
      const signalAfterMs = await momentIn(first.inputs, phaseName, intoPhaseMs)

      const { p, inputs } = world()
      const traffic = sim.startTraffic(`${p.url}/`, 10)
      const r = await runActionInSim(sim, inputs, { sigintAfterMs: signalAfterMs })
      expect(r.run.cancelled?.by).toBe('SIGINT')
      expect(r.durationMs - signalAfterMs).toBeLessThanOrEqual(CANCEL_BUDGET_MS)
      expect(r.summary).toContain('zdt-deploy asg-blue-green: cancelled')
      expect(r.failedMessage).toContain(`Cancelled by SIGINT during ${phaseName}.`)
      expect(r.failedMessage).toMatch(left)
      expect(r.failedMessage).toContain(`Lock released on ${p.blue.name} and ${p.green.name}.`)
      expect(r.lines.some(l => /Rollback|Abort/.test(l))).toBe(false)

      // An immediate re-run with the same inputs: no wait for a lock, and the steady state.
      const again = await runActionInSim(sim, inputs)
      expect(again.failedMessage).toBeUndefined()
      // It may wait for the old instances still draining into Standby, never for a lock.
      expect(again.lines.filter(l => /^Waiting for a deploy in progress.*locked by/.test(l))).toEqual([])
      expect(traffic.stop().failed).toBe(0)
      expect(sim.requests.failures()).toEqual([])
      const groups = [p.blue.name, p.green.name].map(n => sim.autoScalingGroup(n))
      const serving = groups.filter(g => (g.DesiredCapacity ?? 0) > 0)
      expect(serving).toHaveLength(1)
      expect(serving[0].TargetGroupARNs).toContain(p.targetGroupArn)
      expect(serving[0].MinSize).toBe(minSize)
      expect(
        groups.flatMap(g => g.Instances ?? []).filter(i => /Standby/.test(i.LifecycleState ?? ''))
      ).toEqual([])
      for (const g of groups) expect(g.Tags?.find(t => t.Key === 'zdt:lock')).toBeUndefined()
      const registered = sim
        .targetHealth(p.targetGroupArn)
        .filter(t => t.TargetHealth?.State === 'healthy')
        .map(t => t.Target?.Id)
      expect(registered.sort()).toEqual((serving[0].Instances ?? []).map(i => i.InstanceId).sort())
    }
  )
})

describe('a cancelled ecs-rolling deploy', () => {
  function ecsWorld() {
    sim?.restore()
    sim = createSimulation({ seed: 3 })
    const web = sim.addEcsService({
      circuitBreaker: true,
      healthCheck: { intervalSeconds: 10, healthyThreshold: 3 },
      deregistrationDelaySeconds: 30
    })
    const inputs = releaseInputs(web)
    return { web, inputs }
  }

  it('SIGINT mid-rollout: no rollback of its own, the summary names what ECS carries on with', async () => {
    const signalAfterMs = await momentIn(ecsWorld().inputs, 'Rollout', 15_000)

    const { web, inputs } = ecsWorld()
    const traffic = sim.startTraffic(`${web.url}/`, 10)
    const r = await runActionInSim(sim, inputs, { sigintAfterMs: signalAfterMs })
    expect(r.run.cancelled?.by).toBe('SIGINT')
    expect(r.durationMs - signalAfterMs).toBeLessThanOrEqual(CANCEL_BUDGET_MS)
    expect(r.summary).toContain('zdt-deploy ecs-rolling: cancelled')
    expect(r.failedMessage).toContain('Cancelled by SIGINT during Rollout.')
    expect(r.failedMessage).toMatch(
      /ECS carries on with deployment ecs-svc\/\S+ of web:2 on \S+: this run did not roll it back; the deployment circuit breaker stops it if tasks keep failing and rolls back to the previous revision\./
    )
    expect(r.failedMessage).toContain(
      `aws ecs describe-services --cluster ${web.clusterName} --services ${web.serviceName}`
    )
    expect(r.summary).toContain('ECS carries on with deployment')
    expect(r.lines.some(l => /Rollback/.test(l))).toBe(false)
    // The one UpdateService is the deploy's own: no rollback was attempted.
    expect(sim.calls.inputs('ecs:UpdateService')).toHaveLength(1)
    const after = sim.calls.all.filter(
      c => c.atMs >= sim.clock.startMs + signalAfterMs && !/^(Describe|List|Get)/.test(c.operation)
    )
    expect(after.map(c => c.operation)).toEqual([])
    // ECS carried on by itself: the service ends on the new revision with no failed request.
    await sim.clock.advance(10 * 60_000)
    expect(sim.service(web.clusterName, web.serviceName).taskDefinition).toMatch(/web:2$/)
    expect(traffic.stop().failed).toBe(0)
  })
})
