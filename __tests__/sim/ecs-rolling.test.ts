// ecs-rolling scenarios in the simulation: real run() and strategy, AWS and HTTP from the simulated
// world on a virtual clock, background users on the production URL the whole time.
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  DescribeServicesCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type ServiceEvent
} from '@aws-sdk/client-ecs'
import {
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
  ModifyListenerCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  cannotPullContainer,
  hostCondition,
  createSimulation,
  type ActionInputs,
  type EcsFixture,
  type EcsServiceOptions,
  type HealthModel,
  type SimRunResult,
  type Simulation,
  type SimulationOptions,
  type Traffic
} from './index.js'
import { QUICK, V2, deployService } from './ecs-scenarios.js'

let sim: Simulation
afterEach(() => sim?.restore())

function world(
  opts: EcsServiceOptions = {},
  settings: Pick<SimulationOptions, 'timing' | 'healthModel'> = {}
): { web: EcsFixture; traffic: Traffic } {
  sim = createSimulation({ seed: 1, ...settings })
  const web = sim.addEcsService({ ...QUICK, ...opts })
  // Users of the production URL, independent of the action, from before the deploy to its end.
  const traffic = sim.startTraffic(`${web.url}/`, 10, { name: 'users' })
  return { web, traffic }
}

const deploy = (web: EcsFixture, inputs: ActionInputs = {}) => deployService(sim, web, inputs)

/** When the service logged an event matching `pattern` (virtual epoch ms). */
function eventAt(web: EcsFixture, pattern: RegExp): number {
  const events: ServiceEvent[] = sim.service(web.clusterName, web.serviceName).events ?? []
  const e = events.find(x => pattern.test(x.message ?? ''))
  if (!e?.createdAt) throw new Error(`no service event matches ${pattern}`)
  return e.createdAt.getTime()
}

const phase = (r: SimRunResult, name: string) => r.run.log.phases.find(p => p.name === name)
const runsRevision = (web: EcsFixture) => sim.service(web.clusterName, web.serviceName).taskDefinition
const serviceTag = async (web: EcsFixture, key: string) => {
  const { services } = await sim.clients.ecs.send(
    new DescribeServicesCommand({ cluster: web.clusterName, services: [web.serviceName], include: ['TAGS'] })
  )
  return services?.[0]?.tags?.find(t => t.key === key)?.value
}

describe('ecs-rolling in the simulation', () => {
  it.each([2, 10])('rolls %d tasks to the new image with no failed request', async desiredCount => {
    const { web, traffic } = world({ desiredCount, circuitBreaker: true })
    const r = await deploy(web)
    const users = traffic.stop()

    expect(r.failedMessage).toBeUndefined()
    expect(r.result?.outcome).toBe('deployed')
    expect(runsRevision(web)).toMatch(/task-definition\/web:2$/)
    const tasks = sim.tasks(web.clusterName, web.serviceName).filter(t => t.lastStatus === 'RUNNING')
    expect(tasks).toHaveLength(desiredCount)
    expect(tasks.every(t => t.taskDefinitionArn?.endsWith('web:2') && t.containers?.[0]?.image === V2)).toBe(
      true
    )
    expect(r.outputs).toMatchObject({
      'task-definition-arn': expect.stringMatching(/web:2$/),
      'previous-task-definition-arn': web.taskDefinitionArn,
      'rolled-back': 'false',
      url: web.url,
      'probe-errors': '0'
    })
    expect(Number(r.outputs['probe-requests'])).toBeGreaterThan(100)
    expect(users.requests).toBeGreaterThan(500)
    expect(users.failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
    // Each service event is logged once.
    const started = r.lines.filter(l => /^Event .*has started/.test(l))
    expect(new Set(started).size).toBe(started.length)
    expect(sim.calls.inputs('ecs:UpdateService')).toEqual([
      expect.objectContaining({ taskDefinition: r.outputs['task-definition-arn'] })
    ])
  })

  // QUICK checks every 10 s and asks 3 passes: a new task is healthy after one check (10 s) as AWS
  // documents it, after 3 (30 s) in the stricter model; ECS drains old tasks only once new ones are.
  it.each<[HealthModel, number]>([
    ['documented', 10_000],
    ['threshold', 30_000]
  ])('rolls 4 tasks with no failed request under the %s health model', async (healthModel, admitMs) => {
    const { web, traffic } = world({ desiredCount: 4, circuitBreaker: true }, { healthModel })
    const r = await deploy(web)
    const users = traffic.stop()

    expect(r.failedMessage).toBeUndefined()
    expect(r.result?.outcome).toBe('deployed')
    expect(runsRevision(web)).toMatch(/task-definition\/web:2$/)
    expect(users.requests).toBeGreaterThan(500)
    expect(users.failed).toBe(0)
    expect(sim.requests.failures()).toEqual([])
    const admitted = eventAt(web, /has begun draining/) - eventAt(web, /\) registered 4 targets/)
    expect(admitted).toBeGreaterThanOrEqual(admitMs)
    expect(admitted).toBeLessThan(admitMs + 10_000)
  })

  it('detects the completed rollout within one poll-interval', async () => {
    const { web, traffic } = world()
    const r = await deploy(web, { 'poll-interval': 10 })
    traffic.stop()

    expect(r.ok).toBe(true)
    const completedAt = eventAt(web, /deployment completed/)
    const rollout = phase(r, 'Rollout')!
    expect(rollout.endMs).toBeGreaterThanOrEqual(completedAt)
    expect(rollout.endMs - completedAt).toBeLessThanOrEqual(10_000)
  })

  it('fails within one poll of the circuit breaker tripping on crashing tasks, waits for its rollback', async () => {
    const { web, traffic } = world({ desiredCount: 4, circuitBreaker: true })
    sim.setImageBehavior(V2, { crashAfterSeconds: 5, exitCode: 3 })
    const r = await deploy(web, { 'poll-interval': 5 })
    const users = traffic.stop()

    expect(r.ok).toBe(false)
    const failedAt = eventAt(web, /deployment failed: tasks failed to start/)
    const rollout = phase(r, 'Rollout')!
    expect(rollout.outcome).toBe('failed')
    expect(rollout.endMs).toBeGreaterThanOrEqual(failedAt)
    expect(rollout.endMs - failedAt).toBeLessThanOrEqual(5_000)
    expect(r.failedMessage).toMatch(/^ECS marked the rollout of web:2 FAILED after .*circuit breaker/)
    expect(r.failedMessage).toMatch(/ECS's circuit breaker rolled the service back to web:1/)
    expect(r.failedMessage).toMatch(/the essential container exited with code 3/)
    expect(r.outputs['rolled-back']).toBe('true')
    expect(runsRevision(web)).toMatch(/web:1$/)
    // The action did not start a rollback of its own: ECS's was already under way.
    expect(sim.calls.count('ecs:UpdateService')).toBe(1)
    expect(r.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Task \w+ stopped: Essential container in task exited; web exit code 3/)
      ])
    )
    expect(users.failed).toBe(0)
  })

  it('names the stopped tasks when the service and cluster inputs are ARNs (ListTasks takes a name)', async () => {
    const { web, traffic } = world({ desiredCount: 2, circuitBreaker: true })
    sim.setImageBehavior(V2, { crashAfterSeconds: 5, exitCode: 3 })
    const r = await deploy(web, { cluster: web.clusterArn, service: web.serviceArn, 'poll-interval': 5 })
    traffic.stop()

    expect(r.ok).toBe(false)
    expect(sim.calls.inputs('ecs:ListTasks')).toContainEqual(
      expect.objectContaining({ serviceName: web.serviceName, desiredStatus: 'STOPPED' })
    )
    expect(r.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Task \w+ stopped: Essential container in task exited; web exit code 3/)
      ])
    )
    expect(r.failedMessage).toMatch(/the essential container exited with code 3/)
  })

  it('rolls back itself when the circuit breaker stops the rollout without rolling back', async () => {
    const { web, traffic } = world({ desiredCount: 2, circuitBreaker: { enable: true, rollback: false } })
    sim.setImageBehavior(V2, { crashAfterSeconds: 5 })
    const r = await deploy(web)
    const users = traffic.stop()

    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(
      /FAILED .*; rolled back to web:1\. Cause: the essential container exited with code 1/
    )
    expect(r.outputs['rolled-back']).toBe('true')
    expect(
      sim.calls.inputs('ecs:UpdateService').map(i => (i as { taskDefinition: string }).taskDefinition)
    ).toEqual([expect.stringMatching(/web:2$/), web.taskDefinitionArn])
    expect(runsRevision(web)).toBe(web.taskDefinitionArn)
    expect(users.failed).toBe(0)
  })

  it('leaves the failed rollout in place with rollback: false, and says so', async () => {
    const { web, traffic } = world({ desiredCount: 2, circuitBreaker: { enable: true, rollback: false } })
    sim.setImageBehavior(V2, { crashAfterSeconds: 5 })
    const r = await deploy(web, { rollback: false })
    traffic.stop()

    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(/the service is left on web:2 \('rollback' is false\)/)
    expect(r.outputs['rolled-back']).toBe('false')
    expect(sim.calls.count('ecs:UpdateService')).toBe(1)
    expect(runsRevision(web)).toMatch(/web:2$/)
  })

  it('explains an image that cannot be pulled', async () => {
    const { web, traffic } = world({ circuitBreaker: true })
    sim.setImageBehavior(V2, { failToStart: cannotPullContainer(V2) })
    const r = await deploy(web)
    traffic.stop()

    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(/could not pull its container image/)
    expect(r.failedMessage).toMatch(/Fix: check that the image and tag exist/)
    expect(r.outputs['rolled-back']).toBe('true')
  })

  it('rolls back itself when the tasks never turn healthy and wait-timeout runs out', async () => {
    const { web, traffic } = world({ circuitBreaker: false })
    sim.setImageBehavior(V2, { paths: { '/healthz': { status: 500 } } })
    const r = await deploy(web, { 'wait-timeout': '5m', probe: false })
    const users = traffic.stop()

    expect(r.ok).toBe(false)
    const rollout = phase(r, 'Rollout')!
    expect(rollout.endMs - rollout.startMs).toBeGreaterThanOrEqual(300_000)
    expect(rollout.endMs - rollout.startMs).toBeLessThanOrEqual(303_000)
    expect(r.failedMessage).toMatch(
      /did not complete within 'wait-timeout' 5m \(2 of 2 tasks running, IN_PROGRESS\); rolled back to web:1\./
    )
    expect(r.failedMessage).toMatch(
      /Cause: the load balancer health check gets HTTP 500 from the new targets/
    )
    expect(r.outputs['rolled-back']).toBe('true')
    expect(
      sim.calls.inputs('ecs:UpdateService').map(i => (i as { taskDefinition: string }).taskDefinition)
    ).toEqual([expect.stringMatching(/web:2$/), web.taskDefinitionArn])
    expect(runsRevision(web)).toBe(web.taskDefinitionArn)
    expect(sim.tasks(web.clusterName, web.serviceName).filter(t => t.lastStatus === 'RUNNING')).toEqual([
      expect.objectContaining({ taskDefinitionArn: web.taskDefinitionArn }),
      expect.objectContaining({ taskDefinitionArn: web.taskDefinitionArn })
    ])
    expect(users.failed).toBe(0)
  })

  it('rolls back when the smoke test fails after a complete rollout', async () => {
    const { web, traffic } = world({ circuitBreaker: true })
    // Healthy for the load balancer, but the endpoint the action checks answers 500.
    sim.setImageBehavior(V2, { paths: { '/ready': { status: 500 } } })
    const r = await deploy(web, { 'health-path': '/ready', 'health-timeout': 20, probe: false })
    const users = traffic.stop()

    expect(r.ok).toBe(false)
    expect(phase(r, 'Rollout')?.outcome).toBe('ok')
    expect(phase(r, 'Smoke test')?.outcome).toBe('failed')
    expect(r.failedMessage).toMatch(
      /^Smoke test failed: GET .*\/ready answered 500 .*; rolled back to web:1\./
    )
    expect(r.outputs['rolled-back']).toBe('true')
    expect(runsRevision(web)).toBe(web.taskDefinitionArn)
    expect(users.failed).toBe(0)
    // Before the rollback started, the service was marked with the revision that failed.
    expect(await serviceTag(web, 'zdt:rolled-back-from')).toBe(r.outputs['task-definition-arn'])
    expect(sim.calls.all.map(c => c.action).filter(a => /TagResource|UpdateService/.test(a))).toEqual([
      'ecs:UpdateService',
      'ecs:TagResource',
      'ecs:UpdateService'
    ])
  })

  describe('a deploy that changes nothing still proves the service healthy', () => {
    it('passes on a steady service whose smoke test passes, having run it', async () => {
      const { web, traffic } = world()
      const r = await deploy(web, { image: web.image })
      traffic.stop()
      expect(r.failedMessage).toBeUndefined()
      expect(r.result).toMatchObject({
        outcome: 'unchanged',
        message: expect.stringContaining('nothing deployed; the service is steady and the smoke test passed')
      })
      expect(phase(r, 'Verify')?.outcome).toBe('ok')
      expect(phase(r, 'Smoke test')?.outcome).toBe('ok')
      expect(r.lines).toContainEqual(expect.stringMatching(/^Smoke test passed: 200/))
      expect(sim.calls.mutating()).toEqual([])
    })

    // A deploy cancelled while it rolled back a build that failed its smoke test leaves the service on
    // that build, marked by the tag the rollback writes before it starts. Here the first run keeps the
    // service on the failed build (rollback: false) and the mark is put as such a cancelled run leaves it.
    it('fails on the revision a cancelled rollback left in service, naming it, when the smoke test fails', async () => {
      const { web, traffic } = world({ circuitBreaker: true })
      // Healthy for the load balancer; the endpoint the smoke test checks answers 503.
      sim.setImageBehavior(V2, { paths: { '/ready': { status: 503 } } })
      const smoke = { 'health-path': '/ready', 'health-timeout': 10, probe: false }
      const first = await deploy(web, { ...smoke, rollback: false })
      expect(first.ok).toBe(false)
      const failed = runsRevision(web) ?? ''
      expect(failed).toMatch(/web:2$/)
      await sim.clients.ecs.send(
        new TagResourceCommand({
          resourceArn: web.serviceArn,
          tags: [{ key: 'zdt:rolled-back-from', value: failed }]
        })
      )
      sim.calls.clear()

      const again = await deploy(web, smoke)
      traffic.stop()
      expect(again.ok).toBe(false)
      expect(again.result).toBeUndefined()
      expect(phase(again, 'Verify')?.outcome).toBe('ok')
      expect(phase(again, 'Smoke test')?.outcome).toBe('failed')
      expect(again.failedMessage).toMatch(
        /^main\/web already runs web \(web=registry\.example\.com\/web:v2\), but it is not healthy: Smoke test failed: GET .*\/ready answered 503 .*\. web:2 is the revision a previous zdt-deploy run rolled back from \(service tag zdt:rolled-back-from\); that rollback did not finish\./
      )
      expect(again.lines).toContainEqual(
        expect.stringMatching(/^::warning::web:2 is the revision a previous zdt-deploy run rolled back from/)
      )
      expect(sim.calls.mutating()).toEqual([])
    })

    it('fails while another deployment is still in the service, without a smoke test', async () => {
      const { web, traffic } = world()
      // Someone else's deployment of the same revision, just started.
      await sim.clients.ecs.send(
        new UpdateServiceCommand({
          cluster: web.clusterName,
          service: web.serviceName,
          forceNewDeployment: true
        })
      )
      const r = await deploy(web, { image: web.image })
      traffic.stop()
      expect(r.ok).toBe(false)
      expect(r.failedMessage).toMatch(
        /^main\/web already runs web \(web=.*\), but the service is not steady: its deployment \S+ is IN_PROGRESS, not COMPLETED\./
      )
      expect(r.failedMessage).not.toContain('rolled back from')
      expect(phase(r, 'Smoke test')).toBeUndefined()
    })
  })

  it('fails and rolls back when the probe sees 502s from tasks that stop at once', async () => {
    // Deregistration delay 0 and an app that exits on SIGTERM, in a world where a deregistration takes 5 s
    // to reach every ALB node (stricter than AWS documents): the ALB still routes to stopped tasks.
    const { web, traffic } = world(
      { circuitBreaker: true, deregistrationDelaySeconds: 0 },
      { timing: { albRoutingGraceSeconds: 5 } }
    )
    const r = await deploy(web)
    const users = traffic.stop()

    expect(r.ok).toBe(false)
    expect(Number(r.outputs['probe-errors'])).toBeGreaterThan(0)
    // The failure line and the summary say when requests failed, not only how many.
    expect(r.failedMessage).toMatch(
      /The traffic probe saw \d+ failed request\(s\).*: 502 x \d+ between \d\d:\d\d:\d\d and \d\d:\d\d:\d\d/
    )
    expect(r.summary).toMatch(/- 502 x \d+ between \d\d:\d\d:\d\d and \d\d:\d\d:\d\d/)
    expect(r.outputs['rolled-back']).toBe('true')
    expect(runsRevision(web)).toBe(web.taskDefinitionArn)
    expect(users.failed).toBeGreaterThan(0) // these settings cannot keep the promise; the probe proves it
  })

  it('still succeeds when 30% of AWS calls are throttled', async () => {
    const { web, traffic } = world({ circuitBreaker: true })
    sim.faults.throttle({ fraction: 0.3 })
    const r = await deploy(web)
    const users = traffic.stop()

    expect(r.failedMessage).toBeUndefined()
    expect(sim.faults.throttled).toBeGreaterThan(5)
    expect(runsRevision(web)).toMatch(/web:2$/)
    expect(sim.calls.count('ecs:RegisterTaskDefinition')).toBeGreaterThanOrEqual(1)
    expect(users.failed).toBe(0)
  })

  it.each<[number, number]>([
    [1, 50],
    [3, 30]
  ])(
    'deploys %d task(s) at %d%% / 200%%: ECS rounds the minimum up, so no user sees a failure',
    async (n, min) => {
      // One task at 50%: 1 x 50% rounds up to 1 task that must stay healthy; the second starts beside it.
      const { web, traffic } = world({ desiredCount: n, minHealthyPercent: min, circuitBreaker: true })
      const r = await deploy(web)
      const users = traffic.stop()

      expect(r.failedMessage).toBeUndefined()
      expect(r.lines.join('\n')).not.toMatch(/Refused/)
      expect(runsRevision(web)).toMatch(/web:2$/)
      expect(users.failed).toBe(0)
    }
  )

  it('counts a service reached only through Service Connect as serving: a minimum of 0 tasks is refused', async () => {
    sim = createSimulation({ seed: 1 })
    const web = sim.addEcsService({ withoutLoadBalancer: true, desiredCount: 2, minHealthyPercent: 0 })
    const service = sim.world.ecs.services.get(`${web.clusterArn}/${web.serviceName}`)!
    service.serviceConnectConfiguration = {
      enabled: true,
      namespace: 'internal',
      services: [{ portName: 'http', clientAliases: [{ port: 80, dnsName: 'web.internal' }] }]
    }
    const r = await deploy(web)

    expect(r.failedMessage).toMatch(/serves traffic, but minimumHealthyPercent 0 keeps 0 of 2 tasks running/)
    expect(sim.calls.mutating()).toEqual([])
  })

  it.each<[string, EcsServiceOptions, RegExp]>([
    [
      'maximumPercent 100 and minimumHealthyPercent 100',
      { maxPercent: 100, minHealthyPercent: 100 },
      /can neither start nor stop/
    ],
    [
      'one task at 50% with no room for a second (maximumPercent 100)',
      { desiredCount: 1, minHealthyPercent: 50, maxPercent: 100 },
      /1 may run, 1 must stay healthy/
    ],
    [
      'a minimum of 0 tasks on a service behind a load balancer',
      { desiredCount: 3, minHealthyPercent: 0 },
      /keeps 0 of 3 tasks running/
    ],
    ['desiredCount 0', { desiredCount: 0 }, /desiredCount 0/]
  ])('refuses %s before any mutating call', async (_name, opts, reason) => {
    const { web, traffic } = world(opts)
    const r = await deploy(web)
    traffic.stop()

    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(/^Refused before changing anything/)
    expect(r.failedMessage).toMatch(reason)
    expect(r.failedMessage).toContain(`service '${web.serviceName}' in cluster '${web.clusterName}'`)
    expect(sim.calls.mutating()).toEqual([])
    expect(r.summary).toContain('⛔ **Refused:**')
    expect(runsRevision(web)).toBe(web.taskDefinitionArn)
  })

  it('behind a shared ALB derives the URL from the host rule, not the DNS name the default action answers', async () => {
    const { web, traffic } = world()
    const alb = web.alb!
    const elbv2 = sim.clients.elbv2
    await sim.run(async () => {
      // The listener's default action serves another service; ours is reached by its host name only.
      const [ours] =
        (await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [alb.targetGroupArn] })))
          .TargetGroups ?? []
      const other = await elbv2.send(
        new CreateTargetGroupCommand({ Name: 'other-tg', Protocol: 'HTTP', Port: 80, VpcId: ours.VpcId })
      )
      const otherArn = other.TargetGroups?.[0]?.TargetGroupArn
      await elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: alb.listenerArn,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: otherArn }]
        })
      )
    })
    sim.addListenerRule(alb.listenerArn, {
      priority: 10,
      conditions: [hostCondition('web.example.com')],
      targetGroupArn: alb.targetGroupArn
    })
    const r = await deploy(web, { 'dry-run': true })
    traffic.stop()

    expect(r.ok).toBe(true)
    expect(r.outputs.url).toBe('http://web.example.com')
    expect(r.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^URL: http:\/\/web\.example\.com \(derived from .*rule for host web\.example\.com\)/
        )
      ])
    )
  })

  it('warns about a health check the app redirects, with the estimate in the summary', async () => {
    const { web, traffic } = world({
      healthCheck: { path: '/', intervalSeconds: 30, healthyThreshold: 3 },
      deregistrationDelaySeconds: 120,
      behavior: { paths: { '/': { status: 302, location: '/login' } } }
    })
    const r = await deploy(web, { 'dry-run': true })
    traffic.stop()

    expect(r.ok).toBe(true)
    expect(r.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^::warning::Target group web-tg checks '\/' and accepts 200, but .* answers 302 \(redirect to \/login\)/
        ),
        expect.stringMatching(/^::warning::The deployment circuit breaker .* is off/)
      ])
    )
    expect(r.summary).toContain(
      '**Estimated minimum duration:** at least 3m: start ~30s + first passing check 30s + 2m deregistration delay'
    )
  })

  it('deploys a service without a load balancer, skipping the smoke test and the probe with a notice', async () => {
    sim = createSimulation({ seed: 3 })
    const worker = sim.addEcsService({ service: 'worker', withoutLoadBalancer: true, circuitBreaker: true })
    const r = await deploy(worker)

    expect(r.failedMessage).toBeUndefined()
    expect(runsRevision(worker)).toMatch(/worker:2$/)
    expect(r.outputs.url).toBeUndefined()
    expect(r.outputs['probe-requests']).toBeUndefined()
    expect(r.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Notice: no 'url' input and the service has no load balancer listener/),
        expect.stringMatching(/^Smoke test skipped/)
      ])
    )
    expect(sim.requests.list('action')).toEqual([])
  })

  it('redeploys the same revision with force-new-deployment, and finishes as unchanged without it', async () => {
    const { web, traffic } = world()
    const same = await deploy(web, { image: web.image })
    expect(same.result?.outcome).toBe('unchanged')
    expect(sim.calls.mutating()).toEqual([])

    const before = sim
      .tasks(web.clusterName, web.serviceName)
      .filter(t => t.lastStatus === 'RUNNING')
      .map(t => t.taskArn)
    expect(before).toHaveLength(2)
    const forced = await deploy(web, { image: web.image, 'force-new-deployment': true })
    const users = traffic.stop()
    expect(forced.failedMessage).toBeUndefined()
    expect(forced.result?.outcome).toBe('deployed')
    expect(sim.calls.count('ecs:RegisterTaskDefinition')).toBe(0)
    expect(sim.calls.inputs('ecs:UpdateService')).toEqual([
      expect.objectContaining({ taskDefinition: web.taskDefinitionArn, forceNewDeployment: true })
    ])
    expect(forced.outputs['task-definition-arn']).toBe(web.taskDefinitionArn)
    // Every task was replaced: none of the ones running before the forced deploy runs now.
    const running = sim.tasks(web.clusterName, web.serviceName).filter(t => t.lastStatus === 'RUNNING')
    expect(running).toHaveLength(2)
    expect(running.filter(t => before.includes(t.taskArn ?? ''))).toEqual([])
    expect(users.failed).toBe(0)
  })

  it('dry-run plans both mutating calls, makes none and does not wait', async () => {
    const { web, traffic } = world()
    const r = await deploy(web, { 'dry-run': true })
    traffic.stop()

    expect(r.failedMessage).toBeUndefined()
    expect(r.result?.outcome).toBe('planned')
    expect(sim.calls.mutating()).toEqual([])
    expect(r.durationMs).toBe(0)
    expect(r.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^\[dry-run\] would call ecs:RegisterTaskDefinition \{"family":"web","images":\["web=registry.example.com\/web:v2"\]\}/
        ),
        expect.stringMatching(
          /^\[dry-run\] would call ecs:UpdateService \{"cluster":"main","service":"web","taskDefinition":"web:<next revision>"/
        )
      ])
    )
  })
})
