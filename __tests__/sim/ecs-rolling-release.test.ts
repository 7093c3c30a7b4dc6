// ecs-rolling's release workflow in the simulation: a pre-deploy task (migrations) that gates the
// update, stopped when the run stops waiting for it, and the crash's own log lines (CloudWatch Logs)
// in the failure, deduplicated across tasks.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { RunState } from '../../src/run-state.js'
import {
  createSimulation,
  type ActionInputs,
  type EcsFixture,
  type EcsServiceOptions,
  type RunInSimOptions,
  type SimRunResult,
  type Simulation,
  type Traffic
} from './index.js'
import { QUICK, V2, deployService } from './ecs-scenarios.js'

let sim: Simulation
afterEach(() => sim?.restore())

const LOGS = { group: '/ecs/web', prefix: 'ecs' }
const MIGRATE = ['npm', 'run', 'migrate']

function world(opts: EcsServiceOptions = {}): { web: EcsFixture; traffic: Traffic } {
  sim = createSimulation({ seed: 7 })
  const web = sim.addEcsService({ ...QUICK, awslogs: LOGS, ...opts })
  const traffic = sim.startTraffic(`${web.url}/`, 10, { name: 'users' })
  return { web, traffic }
}

const deploy = (web: EcsFixture, inputs: ActionInputs = {}, opts: RunInSimOptions = {}) =>
  deployService(sim, web, { 'pre-deploy-command': JSON.stringify(MIGRATE), ...inputs }, opts)

const runsRevision = (web: EcsFixture) => sim.service(web.clusterName, web.serviceName).taskDefinition
const index = (r: SimRunResult, pattern: RegExp) => r.lines.findIndex(l => pattern.test(l))

describe('the pre-deploy task', () => {
  it('runs the migration from the new revision on the service network, streams its lines, then rolls out', async () => {
    const { web, traffic } = world()
    sim.setCommandBehavior(MIGRATE.join(' '), {
      runSeconds: 40,
      logLines: ['Applying 0042_add_orders', 'Applied 1 migration']
    })
    const r = await deploy(web)
    const users = traffic.stop()

    expect(r.failedMessage).toBeUndefined()
    expect(r.ok).toBe(true)
    expect(runsRevision(web)).toMatch(/web:2$/)
    const writes = sim.calls.mutating().map(c => c.action)
    expect(writes.indexOf('ecs:RunTask')).toBeLessThan(writes.indexOf('ecs:UpdateService'))
    const [run] = sim.calls.inputs('ecs:RunTask')
    const service = sim.service(web.clusterName, web.serviceName)
    expect(run).toMatchObject({
      cluster: web.clusterName,
      taskDefinition: expect.stringMatching(/web:2$/),
      launchType: 'FARGATE',
      networkConfiguration: service.networkConfiguration,
      overrides: { containerOverrides: [{ name: web.containerName, command: MIGRATE }] },
      clientToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      tags: expect.arrayContaining([{ key: 'zdt:managed-by', value: 'zdt-deploy' }])
    })
    // Its lines arrive while it runs, before the task is seen STOPPED.
    const first = index(r, /^\[web\] Applying 0042_add_orders$/)
    expect(first).toBeGreaterThan(-1)
    expect(index(r, /^\[web\] Applied 1 migration$/)).toBeGreaterThan(first)
    expect(first).toBeLessThan(index(r, /^Pre-deploy task \w+: STOPPED$/))
    expect(r.lines.filter(l => l.includes('Applying 0042_add_orders'))).toHaveLength(1)
    expect(r.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^Pre-deploy task \w+ exited 0$/)]))
    expect(users.failed).toBe(0)
  })

  it('fails before any UpdateService when the migration exits 1, with its last log lines', async () => {
    const { web, traffic } = world()
    sim.setCommandBehavior(MIGRATE.join(' '), {
      runSeconds: 15,
      exitCode: 1,
      logLines: ['Applying 0043_drop_orders', 'Error: relation "orders" is referenced by "invoices"']
    })
    const r = await deploy(web)
    traffic.stop()

    expect(r.ok).toBe(false)
    expect(sim.calls.count('ecs:UpdateService')).toBe(0)
    expect(runsRevision(web)).toMatch(/web:1$/)
    expect(r.failedMessage).toMatch(
      /^The pre-deploy task \w+ from web:2 exited with code 1 \(Essential container in task exited\)\. The service was not changed\./
    )
    expect(r.failedMessage).toContain("container 'web', exit code 1: Essential container in task exited")
    expect(r.failedMessage).toContain('  | Error: relation "orders" is referenced by "invoices"')
    expect(r.outputs['rolled-back']).toBe('false')
  })

  it('fails when its task cannot start, before the service is touched', async () => {
    const { web } = world()
    sim.setImageBehavior(V2, { failToStart: 'CannotPullContainerError: pull image manifest failed' })
    const r = await deploy(web)

    expect(r.ok).toBe(false)
    expect(sim.calls.count('ecs:UpdateService')).toBe(0)
    expect(r.failedMessage).toMatch(/stopped before its command ran: CannotPullContainerError/)
  })

  it('stops its task when the run is cancelled mid-migration, and changes nothing else', async () => {
    const { web } = world()
    sim.setCommandBehavior(MIGRATE.join(' '), { runSeconds: 900, logLines: ['Migrating a big table'] })
    const cancelAfter = (state: RunState) => void sim.clock.sleep(120_000).then(() => state.stopRunning())
    const r = await deploy(web, {}, { onState: cancelAfter })

    expect(r.ok).toBe(false)
    const [stop] = sim.calls.inputs('ecs:StopTask')
    const task = String(stop?.task ?? '')
    expect(stop).toMatchObject({ cluster: web.clusterName, reason: 'zdt-deploy: the deploy was cancelled' })
    expect(sim.calls.count('ecs:StopTask')).toBe(1)
    expect(r.failedMessage).toMatch(
      /^The deploy was cancelled while the pre-deploy task \w+ ran; the task was stopped/
    )
    expect(sim.calls.count('ecs:UpdateService')).toBe(0)
    expect(sim.world.ecs.tasks.get(task.split('/').pop() ?? '')?.lastStatus).toBe('STOPPED')
  })

  it("stops its task when it outlasts 'wait-timeout'", async () => {
    const { web } = world()
    sim.setCommandBehavior(MIGRATE.join(' '), { runSeconds: 3600 })
    const r = await deploy(web, { 'wait-timeout': '120' })

    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(
      /did not stop within 'wait-timeout' 2m; it was stopped and the service was not changed/
    )
    expect(sim.calls.inputs('ecs:StopTask')).toEqual([
      expect.objectContaining({ reason: 'zdt-deploy: the deploy stopped waiting for it' })
    ])
    expect(sim.calls.count('ecs:UpdateService')).toBe(0)
  })

  it('is planned in a dry run, not run', async () => {
    const { web } = world()
    const r = await deploy(web, { 'dry-run': 'true' })

    expect(r.ok).toBe(true)
    expect(sim.calls.count('ecs:RunTask')).toBe(0)
    expect(r.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[dry-run\] would call ecs:RunTask .*"command":\["npm","run","migrate"\]/)
      ])
    )
    expect(r.summary).toMatch(/`ecs:RunTask`/)
  })
})

describe("the crash's own words", () => {
  it('names the last log lines of a crash loop once, with how many tasks ended so', async () => {
    const { web, traffic } = world({ desiredCount: 4, circuitBreaker: true })
    sim.setImageBehavior(V2, {
      crashAfterSeconds: 5,
      exitCode: 3,
      logLines: ['Booting web v2', 'FATAL: DATABASE_URL is not set']
    })
    const r = await deploy(web, { 'pre-deploy-command': '' })
    traffic.stop()

    expect(r.ok).toBe(false)
    const message = r.failedMessage ?? ''
    expect(message).toMatch(
      /\n(\d+) tasks stopped with the same last lines \(container 'web', exit code 3: Essential container in task exited; tasks [\w, ]+\):\n {2}\| Booting web v2\n {2}\| FATAL: DATABASE_URL is not set/
    )
    expect(Number(/(\d+) tasks stopped with the same/.exec(message)?.[1])).toBeGreaterThanOrEqual(3)
    expect(message.split('FATAL: DATABASE_URL is not set')).toHaveLength(2)
    expect(sim.calls.count('logs:GetLogEvents')).toBeGreaterThanOrEqual(3)
  })

  it('shows the new tasks last lines when the smoke test fails', async () => {
    const { web, traffic } = world()
    // The target group checks /healthz, which passes; the smoke test asks /ready, which fails.
    sim.setImageBehavior(V2, {
      paths: { '/ready': { status: 500 } },
      logLines: ['GET /ready 500: cache unreachable']
    })
    const r = await deploy(web, {
      'pre-deploy-command': '',
      'health-path': '/ready',
      'health-timeout': '20',
      probe: 'false'
    })
    traffic.stop()

    expect(r.ok).toBe(false)
    expect(r.outputs['rolled-back']).toBe('true')
    expect(r.failedMessage).toMatch(/tasks stopped with the same last lines|its last log lines/)
    expect(r.failedMessage).toContain('  | GET /ready 500: cache unreachable')
  })

  it('says once which IAM action is missing when the logs cannot be read', async () => {
    const { web, traffic } = world({ desiredCount: 4, circuitBreaker: true })
    sim.setImageBehavior(V2, { crashAfterSeconds: 5, logLines: ['boom'] })
    sim.faults.failNext('logs:GetLogEvents', {
      code: 'AccessDeniedException',
      message: 'not authorized',
      count: 100
    })
    const r = await deploy(web, { 'pre-deploy-command': '' })
    traffic.stop()

    expect(r.ok).toBe(false)
    const notices = r.lines.filter(l => /reading log group '\/ecs\/web' was denied/.test(l))
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(
      /Add logs:GetLogEvents .* on arn:aws:logs:us-east-1:<account>:log-group:\/ecs\/web:\*/
    )
    expect(r.failedMessage).toMatch(/circuit breaker/)
  })

  it('says once that a container without awslogs cannot be read', async () => {
    const { web, traffic } = world({ desiredCount: 4, circuitBreaker: true, awslogs: undefined })
    sim.setImageBehavior(V2, { crashAfterSeconds: 5 })
    const r = await deploy(web, { 'pre-deploy-command': '' })
    traffic.stop()

    expect(r.ok).toBe(false)
    expect(r.lines.filter(l => l.includes("container 'web' has no logConfiguration"))).toHaveLength(1)
    expect(sim.calls.count('logs:GetLogEvents')).toBe(0)
  })
})
