// A deploy cancelled in the simulation, on the virtual clock: SIGINT at several moments of an
// asg-blue-green deploy (with the listener's own synthetic header rule, one the run makes, or no
// synthetic checks) stops the run within the grace budget, says `cancelled` and what was left, the
// lock does not outlive the run, and an immediate re-run converges; the same for ecs-rolling before
// (its pre-deploy task), during (the rollout) and after (the smoke test) the traffic move.
import { afterEach, describe, expect, it } from '@jest/globals'
import { CANCEL_BUDGET_MS } from '../../src/cancellation.js'
import {
  createSimulation,
  runActionInSim,
  type ActionInputs,
  type AsgPairFixture,
  type Simulation
} from './index.js'
import { V2, releaseInputs } from './ecs-scenarios.js'

let sim: Simulation
afterEach(() => sim?.restore())

const NEW_AMI = 'ami-0feedfacecafe0002'

/**
 * Where the synthetic header rule comes from: the listener already has it (the fixture's, made by
 * hand), the run creates it (a synthetic target group alone), or there are no synthetic checks.
 */
type HeaderRule = 'on the listener' | 'made by the run' | 'none'

/** A fresh world (the same one for the same seed) and the deploy's inputs. */
function world(rule: HeaderRule = 'on the listener') {
  sim?.restore()
  sim = createSimulation({ seed: 3 })
  const p = sim.addAsgPair({
    activeCount: 2,
    synthetic: rule === 'none' ? false : { rule: rule === 'on the listener' }
  })
  sim.addAmi(NEW_AMI)
  const inputs = {
    strategy: 'asg-blue-green',
    'blue-asg': p.blue.name,
    'green-asg': p.green.name,
    'target-group': p.targetGroupArn,
    ...(p.syntheticTargetGroupArn
      ? { 'synthetic-target-group': p.syntheticTargetGroupArn, 'listener-arn': p.listenerArn }
      : {}),
    'ami-id': NEW_AMI,
    environment: 'production',
    'validation-window': '600'
  }
  return { p, inputs }
}

/** The listener's rules (read from the model, no API call) with their tags. */
function listenerRules(p: AsgPairFixture) {
  return sim.world.elbv2.listeners
    .get(p.listenerArn)!
    .rules.map(r => ({ arn: r.arn, tags: Object.fromEntries(r.tags.map(t => [t.Key, t.Value])) }))
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
  it.each<HeaderRule>(['on the listener', 'made by the run'])(
    'SIGINT in the validation window (synthetic header rule: %s): cancelled within the budget, the lock released on both groups',
    async rule => {
      const signalAfterMs = await momentIn(world(rule).inputs, 'Validation window', 60_000)

      const { p, inputs } = world(rule)
      const r = await runActionInSim(sim, inputs, { sigintAfterMs: signalAfterMs })
      expect(r.ok).toBe(false)
      expect(r.run.cancelled?.by).toBe('SIGINT')
      expect(r.durationMs - signalAfterMs).toBeLessThanOrEqual(CANCEL_BUDGET_MS)
      expect(r.summary).toContain('zdt-deploy asg-blue-green: cancelled')
      expect(r.failedMessage).toContain('Cancelled by SIGINT during Validation window.')
      expect(r.failedMessage).toContain(`Lock released on ${p.blue.name} and ${p.green.name}.`)
      for (const name of [p.blue.name, p.green.name])
        expect(sim.autoScalingGroup(name).Tags?.find(t => t.Key === 'zdt:lock')).toBeUndefined()
      // Nothing written after the signal but the role tags saying which fleet serves, and the lock's
      // release: the header rule stays, as a finished deploy leaves it, for the next run to use.
      const after = sim.calls.all.filter(
        c => c.atMs >= sim.clock.startMs + signalAfterMs && !/^(Describe|List|Get)/.test(c.operation)
      )
      expect(after.map(c => c.operation)).toEqual([
        'CreateOrUpdateTags',
        'CreateOrUpdateTags',
        'DeleteTags',
        'DeleteTags'
      ])
      expect(listenerRules(p)).toHaveLength(1)
    }
  )

  interface Moment {
    when: string
    phase: string
    intoPhaseMs: number
    /** What the cancellation says it left. */
    left: RegExp
    trafficMoved: boolean
  }
  const moments: Moment[] = [
    {
      when: 'before the traffic move',
      phase: 'Prepare standby',
      intoPhaseMs: 30_000,
      left: /Set shop-green's desired capacity back to 0\./,
      trafficMoved: false
    },
    {
      when: 'during the synthetic checks',
      phase: 'Synthetic checks',
      intoPhaseMs: 10_000,
      left: /Detached shop-green from the target group it joined\.[\s\S]*Set shop-green's desired capacity back to 0\./,
      trafficMoved: false
    },
    {
      when: 'during the traffic move',
      phase: 'Cutover',
      intoPhaseMs: 5_000,
      left: /shop-green's new instances drain out of .* and stay running/,
      trafficMoved: false
    },
    {
      when: 'after the traffic move',
      phase: 'Validation window',
      intoPhaseMs: 60_000,
      left: /shop-green serves traffic with the new version; shop-blue's old instances \(.*\) stay in Standby/,
      trafficMoved: true
    }
  ]
  const cases = moments.flatMap(m =>
    (['on the listener', 'made by the run', 'none'] as HeaderRule[])
      .filter(rule => rule !== 'none' || m.phase !== 'Synthetic checks')
      .map(rule => ({ ...m, rule }))
  )

  it.each(cases)(
    'SIGINT $when (synthetic header rule: $rule): traffic stays on healthy targets, the summary says what was left, a re-run converges',
    async ({ phase: phaseName, intoPhaseMs, left, trafficMoved, rule }) => {
      const first = world(rule)
      const minSize = sim.autoScalingGroup(first.p.blue.name).MinSize
      const signalAfterMs = await momentIn(first.inputs, phaseName, intoPhaseMs)

      const { p, inputs } = world(rule)
      const traffic = sim.startTraffic(`${p.url}/`, 10)
      const r = await runActionInSim(sim, inputs, { sigintAfterMs: signalAfterMs })
      expect(r.run.cancelled?.by).toBe('SIGINT')
      expect(r.durationMs - signalAfterMs).toBeLessThanOrEqual(CANCEL_BUDGET_MS)
      expect(r.summary).toContain('zdt-deploy asg-blue-green: cancelled')
      expect(r.failedMessage).toContain(`Cancelled by SIGINT during ${phaseName}.`)
      expect(r.failedMessage).toMatch(left)
      expect(r.failedMessage).toContain(`Lock released on ${p.blue.name} and ${p.green.name}.`)
      expect(r.lines.some(l => /Rollback|Abort/.test(l))).toBe(false)
      // The header rule the run made goes with the rest before the traffic moved; after, it stays,
      // as a finished deploy leaves it. The listener's own rule is never the run's to delete.
      const leftByCancel = listenerRules(p)
      if (rule === 'on the listener') expect(leftByCancel.map(x => x.arn)).toEqual([p.syntheticRuleArn])
      else if (rule === 'made by the run') expect(leftByCancel).toHaveLength(trafficMoved ? 1 : 0)
      if (rule === 'made by the run' && phaseName === 'Synthetic checks')
        expect(r.failedMessage).toContain('Deleted the synthetic header rule this run created.')

      // An immediate re-run with the same inputs: no wait for a lock, and the steady state.
      const rerunFromMs = sim.clock.now()
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
      const servingIds = (serving[0].Instances ?? []).map(i => i.InstanceId!)
      expect(registered.sort()).toEqual([...servingIds].sort())

      // One header rule routes the synthetic checks: none left over, none duplicated; no group stays
      // in the synthetic target group, and the re-run's checks reached its new fleet only.
      const rules = listenerRules(p)
      if (rule === 'none') {
        expect(rules).toEqual([])
        return
      }
      expect(rules).toHaveLength(1)
      if (rule === 'on the listener') {
        expect(rules[0].arn).toBe(p.syntheticRuleArn)
        expect(sim.calls.count('elasticloadbalancing:DeleteRule')).toBe(0)
      } else {
        expect(rules[0].tags).toMatchObject({ 'zdt:managed-by': 'zdt-deploy' })
        if (leftByCancel.length > 0) expect(rules[0].arn).toBe(leftByCancel[0].arn)
      }
      for (const g of groups) expect(g.TargetGroupARNs ?? []).not.toContain(p.syntheticTargetGroupArn)
      // The fleet the cancelled run left serving was still in the synthetic target group: out first.
      expect(again.lines.some(l => /is attached to the synthetic target group .* detaching it/.test(l))).toBe(
        trafficMoved
      )
      const checks = sim.requests
        .list('action')
        .filter(q => q.atMs >= rerunFromMs && q.headers?.Synthetic === 'True')
      expect(checks.length).toBeGreaterThan(0)
      expect(checks.filter(q => !servingIds.includes(q.owner ?? '')).map(q => q.owner)).toEqual([])
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

  /**
   * The deploy of `w` run again with SIGINT `signalAfterMs` in, background users throughout: it is
   * cancelled within the budget, during `phase`, and says so.
   */
  async function cancelledDuring(
    w: { web: { url?: string }; inputs: ActionInputs },
    signalAfterMs: number,
    phase: string
  ) {
    const traffic = sim.startTraffic(`${w.web.url}/`, 10, { name: 'users' })
    const r = await runActionInSim(sim, w.inputs, { sigintAfterMs: signalAfterMs })
    expect(r.run.cancelled?.by).toBe('SIGINT')
    expect(r.durationMs - signalAfterMs).toBeLessThanOrEqual(CANCEL_BUDGET_MS)
    expect(r.summary).toContain('zdt-deploy ecs-rolling: cancelled')
    expect(r.failedMessage).toContain(`Cancelled by SIGINT during ${phase}.`)
    return { r, traffic }
  }

  it('SIGINT mid-rollout: no rollback of its own, the summary names what ECS carries on with', async () => {
    const signalAfterMs = await momentIn(ecsWorld().inputs, 'Rollout', 15_000)

    const w = ecsWorld()
    const { web } = w
    const { r, traffic } = await cancelledDuring(w, signalAfterMs, 'Rollout')
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

  it('SIGINT during the pre-deploy task, before the traffic move: the task stopped, the service untouched; a re-run deploys', async () => {
    const migrate = { 'pre-deploy-command': '["npm", "run", "migrate"]' }
    const withTask = () => {
      const w = ecsWorld()
      sim.setCommandBehavior('npm run migrate', { runSeconds: 300 })
      return { ...w, inputs: { ...w.inputs, ...migrate } }
    }
    const signalAfterMs = await momentIn(withTask().inputs, 'Pre-deploy task', 60_000)

    const w = withTask()
    const { web, inputs } = w
    const { r, traffic } = await cancelledDuring(w, signalAfterMs, 'Pre-deploy task')
    // The task was stopped by the safe state, and the service was never changed.
    expect(sim.calls.count('ecs:StopTask')).toBe(1)
    expect(r.failedMessage).toContain('Stopped the pre-deploy task')
    expect(r.lines.some(l => /Could not stop the pre-deploy task/.test(l))).toBe(false)
    expect(sim.calls.count('ecs:UpdateService')).toBe(0)
    expect(sim.service(web.clusterName, web.serviceName).taskDefinition).toMatch(/web:1$/)

    const again = await runActionInSim(sim, inputs)
    expect(again.failedMessage).toBeUndefined()
    expect(sim.service(web.clusterName, web.serviceName).taskDefinition).toBe(
      again.outputs['task-definition-arn']
    )
    expect(traffic.stop().failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
  })

  it('SIGINT during the smoke test, after the traffic move: nothing rolled back, the service on the new revision; a re-run proves it', async () => {
    // The smoke test's path keeps answering 503 (the load balancer checks /healthz): it retries.
    const smoking = () => {
      const w = ecsWorld()
      sim.setImageBehavior(V2, { paths: { '/ready': { status: 503 } } })
      // The probe would ask the same path: off, so the rollout completes and the smoke test retries.
      return {
        ...w,
        inputs: { ...w.inputs, 'health-path': '/ready', 'health-timeout': '300', probe: 'false' }
      }
    }
    const signalAfterMs = await (async () => {
      const { inputs } = smoking()
      const whole = await runActionInSim(sim, inputs)
      const ph = whole.run.log.phases.find(x => x.name === 'Smoke test')!
      return ph.startMs - sim.clock.startMs + 60_000
    })()

    const w = smoking()
    const { web, inputs } = w
    const { r, traffic } = await cancelledDuring(w, signalAfterMs, 'Smoke test')
    expect(r.failedMessage).toMatch(
      /ECS had completed deployment ecs-svc\/\S+: main\/web runs web:2\. The run stopped before its smoke test .* rolled nothing back/
    )
    expect(r.lines.some(l => /Rollback/.test(l))).toBe(false)
    expect(sim.calls.inputs('ecs:UpdateService')).toHaveLength(1)
    expect(sim.service(web.clusterName, web.serviceName).taskDefinition).toMatch(/web:2$/)

    // A re-run that smoke-tests a path the tasks answer finds the service on web:2 and proves it.
    const again = await runActionInSim(sim, { ...inputs, 'health-path': '/healthz' })
    expect(again.failedMessage).toBeUndefined()
    expect(again.summary).toContain('zdt-deploy ecs-rolling: unchanged')
    expect(traffic.stop().failed).toBe(0)
    // The smoke test's own 503s are the point; users' requests never failed.
    expect(sim.requests.failures('users')).toEqual([])
  })
})
