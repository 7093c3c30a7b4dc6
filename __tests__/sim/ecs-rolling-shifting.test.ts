// ecs-rolling on services that deploy with ECS's own BLUE_GREEN, LINEAR and CANARY strategies: the
// run follows the service deployment stage by stage, gates the PAUSE hook at POST_TEST_TRAFFIC_SHIFT
// with a smoke test and a probe of the test route, probes production from the first production
// traffic shift to the end of bake time, and rolls back with ECS's own mechanism.
import { afterEach, describe, expect, it } from '@jest/globals'
import { UpdateServiceCommand, type DeploymentLifecycleHook } from '@aws-sdk/client-ecs'
import {
  createSimulation,
  type ActionInputs,
  type ShiftingFixture,
  type ShiftingServiceOptions,
  type SimRunResult,
  type Simulation,
  type Traffic
} from './index.js'
import { STAGES } from './ecs/blue-green.js'
import { QUICK, V2, deployService } from './ecs-scenarios.js'

let sim: Simulation
afterEach(() => sim?.restore())

const POLL_MS = 3000
const PAUSE_AFTER_TEST: DeploymentLifecycleHook = {
  targetType: 'PAUSE',
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
  timeoutConfiguration: { timeoutInMinutes: 10, action: 'ROLLBACK' }
}

function world(opts: Partial<ShiftingServiceOptions> = {}): { web: ShiftingFixture; traffic: Traffic } {
  sim = createSimulation({ seed: 1 })
  const web = sim.addShiftingService({ strategy: 'BLUE_GREEN', ...QUICK, circuitBreaker: true, ...opts })
  const traffic = sim.startTraffic(`${web.url}/`, 10, { name: 'users' })
  return { web, traffic }
}

const deploy = (web: ShiftingFixture, inputs: ActionInputs = {}) => deployService(sim, web, inputs)

/** The one service deployment the run started (the sim's record). */
function deploymentOf(web: ShiftingFixture, n = 0) {
  const all = [...sim.world.ecs.serviceDeployments.values()].filter(d => d.serviceName === web.serviceName)
  return all[n]
}

const runsRevision = (web: ShiftingFixture) => sim.service(web.clusterName, web.serviceName).taskDefinition
const stageLines = (r: SimRunResult) => r.lines.filter(l => /^Stage [A-Z_]+ started/.test(l))

/** Every stage and status the deployment entered was read by a DescribeServiceDeployments within a poll. */
function noticedWithinAPoll(web: ShiftingFixture, n = 0): void {
  const reads = sim.calls.of('ecs:DescribeServiceDeployments').map(c => c.atMs)
  for (const change of deploymentOf(web, n).history) {
    const seen = reads.find(at => at >= change.atMs)
    expect({ change, within: seen !== undefined && seen - change.atMs <= POLL_MS }).toEqual({
      change,
      within: true
    })
  }
}

describe('ecs-rolling on ECS blue/green, linear and canary services', () => {
  const strategies: Array<[ShiftingServiceOptions['strategy'], Partial<ShiftingServiceOptions>, RegExp]> = [
    ['BLUE_GREEN', {}, /all production traffic at once/],
    ['CANARY', { canary: { canaryPercent: 10, canaryBakeTimeInMinutes: 2 } }, /canary 10% for 2 min/],
    ['LINEAR', { linear: { stepPercent: 25, stepBakeTimeInMinutes: 1 } }, /25% steps every 1 min/]
  ]
  it.each(strategies)(
    'deploys with %s: every stage followed, no failed request',
    async (strategy, extra, row) => {
      const { web, traffic } = world({ strategy, ...extra })
      const r = await deploy(web, { 'poll-interval': '3' })
      const users = traffic.stop()

      expect(r.failedMessage).toBeUndefined()
      expect(r.result?.outcome).toBe('deployed')
      expect(runsRevision(web)).toMatch(/web:2$/)
      expect(deploymentOf(web).status).toBe('SUCCESSFUL')
      const preflight = r.lines.slice(r.lines.indexOf('::group::Pre-flight') + 1)
      expect(preflight[0]).toMatch(new RegExp(`^Strategy: the service deploys with ECS's own ${strategy}`))
      expect(r.summary).toMatch(row)
      // Every documented stage but RECONCILE_SERVICE (no other revision was active), in order.
      expect(stageLines(r).map(l => l.split(' ')[1])).toEqual(STAGES.filter(s => s !== 'RECONCILE_SERVICE'))
      expect(stageLines(r)[1]).toMatch(/^Stage SCALE_UP started \(PRE_SCALE_UP took \d/)
      expect(r.lines).toEqual(
        expect.arrayContaining([expect.stringMatching(/^Traffic production: web-tg 0%, web-tg-green 100%/)])
      )
      expect(r.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^Bake time: \d+ min left/)]))
      expect(r.lines).toEqual(
        expect.arrayContaining([expect.stringMatching(/^Traffic probe started at PRODUCTION_TRAFFIC_SHIFT/)])
      )
      expect(r.outputs['probe-errors']).toBe('0')
      expect(sim.calls.count('ecs:StopServiceDeployment')).toBe(0)
      noticedWithinAPoll(web)
      expect(users.failed).toBe(0)
    }
  )

  it('rolls green back at the test-traffic gate: production never sees it, ECS puts blue back', async () => {
    const { web, traffic } = world({ lifecycleHooks: [PAUSE_AFTER_TEST] })
    // Green passes its target group's check (/healthz) but fails the app's readiness path.
    sim.setImageBehavior(V2, { paths: { '/ready': { status: 500 } } })
    const r = await deploy(web, { 'poll-interval': '3', 'health-path': '/ready', 'health-timeout': '20' })
    const users = traffic.stop()

    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(/^The gate at POST_TEST_TRAFFIC_SHIFT rolled the deployment back/)
    expect(r.failedMessage).toMatch(/Smoke test failed: GET .*\/ready answered 500/)
    expect(r.failedMessage).toMatch(/ECS rolled the service back to web:1/)
    expect(sim.calls.inputs('ecs:ContinueServiceDeployment')).toEqual([
      expect.objectContaining({ action: 'ROLLBACK' })
    ])
    const d = deploymentOf(web)
    expect(d.status).toBe('ROLLBACK_SUCCESSFUL')
    // Production traffic never moved: no stage from PRODUCTION_TRAFFIC_SHIFT on, weights back at blue.
    expect(d.history.map(h => h.stage)).not.toContain('PRODUCTION_TRAFFIC_SHIFT')
    expect(runsRevision(web)).toMatch(/web:1$/)
    expect(r.outputs['rolled-back']).toBe('true')
    expect(sim.calls.count('ecs:StopServiceDeployment')).toBe(0)
    noticedWithinAPoll(web)
    expect(users.failed).toBe(0)
  })

  it('stops the deployment with ECS rollback at once when the probe fails during bake time', async () => {
    const { web, traffic } = world({ bakeTimeMinutes: 10, desiredCount: 2 })
    // Green serves, then both its tasks crash during bake time.
    sim.setImageBehavior(V2, { crashAfterSeconds: 150 })
    const r = await deploy(web, { 'poll-interval': '3' })
    const users = traffic.stop()

    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(/^The traffic probe saw \d+ failed request\(s\) during the traffic shift/)
    expect(r.failedMessage).toMatch(/ECS rolled the service back to web:1/)
    const stop = sim.calls.of('ecs:StopServiceDeployment')
    expect(stop.map(c => c.input)).toEqual([expect.objectContaining({ stopType: 'ROLLBACK' })])
    const d = deploymentOf(web)
    expect(d.status).toBe('ROLLBACK_SUCCESSFUL')
    // The failure came during bake time, and the stop followed within one poll of the first failed request.
    const bake = d.history.find(h => h.stage === 'BAKE_TIME')!.atMs
    const firstFailure = sim.requests.failures().find(f => f.atMs >= bake)!.atMs
    expect(stop[0].atMs - firstFailure).toBeLessThanOrEqual(POLL_MS)
    expect(runsRevision(web)).toMatch(/web:1$/)
    expect(r.outputs['rolled-back']).toBe('true')
    noticedWithinAPoll(web)
    expect(users.failed).toBeGreaterThan(0)
  })

  it('names a PAUSE hook it does not answer, once, and its timeout as the cause of the rollback', async () => {
    const hook: DeploymentLifecycleHook = {
      targetType: 'PAUSE',
      lifecycleStages: ['POST_SCALE_UP'],
      timeoutConfiguration: { timeoutInMinutes: 2, action: 'ROLLBACK' }
    }
    const { web, traffic } = world({ lifecycleHooks: [hook] })
    const r = await deploy(web, { 'poll-interval': '3' })
    const users = traffic.stop()

    expect(r.ok).toBe(false)
    expect(r.lines.filter(l => /waits at POST_SCALE_UP for its PAUSE hook/.test(l))).toEqual([
      expect.stringMatching(
        /aws ecs continue-service-deployment --service-deployment-arn \S+ --hook-id \S+ --action CONTINUE/
      )
    ])
    expect(r.failedMessage).toMatch(
      /ECS is rolling the deployment back: the PAUSE hook at POST_SCALE_UP timed out \(timeout action ROLLBACK\)/
    )
    expect(r.failedMessage).not.toMatch(/circuit breaker/)
    expect(deploymentOf(web).status).toBe('ROLLBACK_SUCCESSFUL')
    expect(r.outputs['rolled-back']).toBe('true')
    noticedWithinAPoll(web)
    expect(users.failed).toBe(0)
  })

  it('names a deployment started by someone else that replaced ours, and does not roll it back', async () => {
    const { web, traffic } = world({ bakeTimeMinutes: 5 })
    // Someone updates the service back to web:1 a minute into our deployment.
    sim.world.timeline.after(60_000, () => {
      void sim.clients.ecs.send(
        new UpdateServiceCommand({
          cluster: web.clusterName,
          service: web.serviceName,
          taskDefinition: web.taskDefinitionArn
        })
      )
    })
    const r = await deploy(web, { 'poll-interval': '3' })
    const users = traffic.stop()

    const [ours, theirs] = [deploymentOf(web, 0), deploymentOf(web, 1)]
    expect(ours.status).toBe('STOPPED')
    expect(r.failedMessage).toContain(`was replaced after`)
    expect(r.failedMessage).toContain(`by service deployment ${theirs.arn}, which this run did not start`)
    expect(r.failedMessage).toMatch(/not rolling back: the deployment that replaced ours is in charge now/)
    expect(r.failedMessage).not.toMatch(/circuit breaker/)
    expect(sim.calls.count('ecs:StopServiceDeployment')).toBe(0)
    expect(users.failed).toBe(0)
  })

  it('dry-run plans the update of a blue/green service and changes nothing', async () => {
    const { web, traffic } = world({ lifecycleHooks: [PAUSE_AFTER_TEST] })
    const r = await deploy(web, { 'dry-run': true })
    traffic.stop()

    expect(r.failedMessage).toBeUndefined()
    expect(r.result?.outcome).toBe('planned')
    expect(sim.calls.mutating()).toEqual([])
    expect(r.lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\[dry-run\] would call ecs:UpdateService/)])
    )
  })
})
