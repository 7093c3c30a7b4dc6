// pr-preview killed after each of its writes (SIGKILL: no cleanup), then run again: a re-run of the
// deploy ends with one preview (one service, target group, rule or listener and PR comment) serving the
// new image, and production never fails a request; a teardown, or the sweep once the PR is closed,
// removes everything of the preview, whatever the killed run had made of it.
import { afterEach, describe, expect, it } from '@jest/globals'
import { prEvent } from '../../testkit/moto-preview.js'
import { crashPointsOf, crashThenRerun, type CrashPoint, type CrashWorld } from './crash-points.js'
import { QUICK } from './ecs-scenarios.js'
import { FakeGitHub, createSimulation, runActionInSim, type Simulation } from './index.js'
import { NOTHING, leftovers, ok, previewWorld, type PreviewWorld } from './preview-scenarios.js'

let sim: Simulation | undefined
afterEach(() => sim?.restore())

const PR = 7
const FIRST = 'registry.example.com/web:pr'
const PUSHED = 'registry.example.com/web:pr-7-b'
const MIGRATE = ['npm', 'run', 'migrate']

interface Scenario {
  name: string
  mode: 'host' | 'port'
  /** The PR has a live preview already, and this push redeploys it in place. */
  redeploy: boolean
  /** The preview's migrations run first, as a one-off task from its new revision. */
  preDeploy?: boolean
}

interface PreviewCrashWorld extends CrashWorld {
  sim: Simulation
  preview: PreviewWorld
  image: string
}

/**
 * A base service with a quick target group (health checks 10 s apart, 30 s deregistration delay: not
 * AWS's default, so the preview sets it) and PR 7's deploy; with `redeploy`, its first deploy already
 * done, its calls cleared, so the crash points are those of the push.
 */
async function world({ mode, redeploy, preDeploy }: Scenario): Promise<PreviewCrashWorld> {
  sim?.restore()
  sim = createSimulation({ seed: 7 })
  const preview = previewWorld(sim, mode, QUICK)
  if (preDeploy) sim.setCommandBehavior(MIGRATE.join(' '), { runSeconds: 120 })
  const migrate = preDeploy ? { 'pre-deploy-command': JSON.stringify(MIGRATE) } : {}
  const opts = { eventName: 'pull_request', github: preview.github }
  if (redeploy) {
    const first = await runActionInSim(sim, preview.inputs(), { ...opts, event: prEvent(PR) })
    if (!first.ok) throw new Error(`the first deploy of the redeploy world failed: ${first.failedMessage}`)
    sim.calls.clear()
  }
  const image = redeploy ? PUSHED : FIRST
  return {
    sim,
    preview,
    image,
    inputs: preview.inputs({ image, ...migrate }),
    opts: { ...opts, event: prEvent(PR, { action: redeploy ? 'synchronize' : 'opened' }) },
    trafficUrl: `${preview.web.url}/`
  }
}

const closed = { opts: { event: prEvent(PR, { action: 'closed' }) } }

/** Every resource the load balancer and the cluster hold, tagged or not: nothing untagged is left over. */
function everything(s: Simulation) {
  const { ecs, elbv2 } = s.world
  const listeners = [...elbv2.listeners.values()]
  return {
    services: [...ecs.services.values()].filter(x => x.status !== 'INACTIVE').map(x => x.name),
    targetGroups: [...elbv2.targetGroups.values()].map(t => t.name),
    listeners: listeners.map(l => l.port),
    rules: listeners.flatMap(l => l.rules.map(r => r.priority)),
    /** The revisions tasks run (or start, or stop), one-off tasks included. */
    revisionsInUse: [
      ...new Set(
        [...ecs.tasks.values()].filter(t => t.lastStatus !== 'STOPPED').map(t => t.taskDefinitionArn)
      )
    ].sort()
  }
}

const scenarios: Scenario[] = [
  { name: 'a first deploy, host mode', mode: 'host', redeploy: false },
  { name: 'a first deploy, port mode', mode: 'port', redeploy: false },
  { name: 'a push to a live preview, host mode', mode: 'host', redeploy: true },
  { name: 'a first deploy with a pre-deploy task, host mode', mode: 'host', redeploy: false, preDeploy: true }
]
// One world at a time: a simulation holds the SDK clients' mocks while it lives.
const suites: Array<Scenario & { points: CrashPoint[] }> = []
for (const s of scenarios) suites.push({ ...s, points: await crashPointsOf(() => world(s)) })

describe.each(suites)('pr-preview, $name, killed after any write', scenario => {
  const { mode, redeploy, points } = scenario

  it('has crash points: the run writes', () => {
    expect(points.map(p => p.operation)).toContain(
      redeploy ? 'ecs:UpdateService' : mode === 'host' ? 'elbv2:CreateRule' : 'elbv2:CreateListener'
    )
    if (scenario.preDeploy) expect(points.map(p => p.operation)).toContain('ecs:RunTask')
  })

  it.each(points)('killed after $name, then re-run: one preview, serving the new image', async point => {
    const w = await world(scenario)
    const { web, github } = w.preview
    const before = everything(w.sim)
    const { rerun, failedRequests } = await crashThenRerun(w, point)
    ok(rerun)
    expect(rerun.result?.outcome).toBe('deployed')

    const service = w.sim.service(web.clusterName, `web-pr-${PR}`)
    const left = leftovers(w.sim, PR)
    expect(left.services).toEqual([`web-pr-${PR} ACTIVE`])
    expect(left.targetGroups).toHaveLength(1)
    expect(mode === 'host' ? left.rules : left.listeners).toHaveLength(1)
    expect(mode === 'host' ? left.listeners : left.rules).toEqual([])
    // One revision of the preview's family is left, the one the service runs, with the new image.
    expect(left.taskDefinitions).toEqual([service.taskDefinition])
    expect(w.sim.taskDefinition(service.taskDefinition!).containerDefinitions?.[0].image).toBe(w.image)
    expect(service.deployments).toHaveLength(1)
    expect(service.runningCount).toBe(service.desiredCount)

    // The preview serves from its one target group, set as a normal run sets it.
    const tg = [...w.sim.world.elbv2.targetGroups.values()].find(t => t.name === left.targetGroups[0])!
    expect(service.loadBalancers?.map(l => l.targetGroupArn)).toEqual([tg.arn])
    expect(w.sim.targetHealth(tg.arn).map(t => t.TargetHealth?.State)).toEqual(['healthy'])
    expect(tg.attributes.get('deregistration_delay.timeout_seconds')).toBe('30')
    // Nothing else: no untagged target group, rule or listener beside the preview's one of each.
    const now = everything(w.sim)
    expect(now.targetGroups).toHaveLength(
      redeploy ? before.targetGroups.length : before.targetGroups.length + 1
    )
    expect(now.rules).toHaveLength(before.rules.length + (mode === 'host' && !redeploy ? 1 : 0))
    expect(now.listeners).toHaveLength(before.listeners.length + (mode === 'port' && !redeploy ? 1 : 0))
    // Tasks run production's revision and the preview's one: none of the killed run's revision is left.
    expect(now.revisionsInUse).toEqual([web.taskDefinitionArn, service.taskDefinition].sort())
    // Production is as it was.
    const base = w.sim.service(web.clusterName, web.serviceName)
    expect(base.taskDefinition).toBe(web.taskDefinitionArn)
    expect(base.deployments).toHaveLength(1)

    // One comment on the PR, saying the preview is live at the URL the re-run reports.
    const comments = github.commentBodies(PR)
    expect(comments).toHaveLength(1)
    expect(comments[0]).toContain('Preview is ready')
    expect(comments[0]).toContain(`- **URL:** ${rerun.outputs.url}`)
    expect(rerun.outputs.url).toBe(mode === 'host' ? web.url : `${web.url}:${left.listeners[0]}`)
    // The PR's GitHub deployment of the re-run says live, at that URL.
    const last = deploymentsOf(github).at(-1)?.statuses.at(-1)
    expect(last).toMatchObject({ state: 'success', environmentUrl: rerun.outputs.url })
    expect(failedRequests).toBe(0)
    expect(w.sim.requests.failures()).toEqual([])
    expectMigrationsOneAtATime(w.sim)
  })

  it.each(points)('killed after $name, then torn down: nothing of the preview is left', async point => {
    const w = await world(scenario)
    const { github } = w.preview
    const { rerun, failedRequests } = await crashThenRerun(w, point, 60_000, closed)
    ok(rerun)
    expect(rerun.result?.outcome).toBe('torn-down')
    // ECS drains the deleted service and then forgets it.
    await w.sim.advance(10 * 60_000)
    expect(leftovers(w.sim, PR)).toEqual(NOTHING)
    expect(everything(w.sim)).toEqual(everythingOfBaseOnly(w))
    // A teardown edits the comment a deploy wrote, and never writes one: a first deploy killed
    // before its comment leaves none.
    const comments = github.commentBodies(PR)
    if (redeploy) {
      expect(comments).toHaveLength(1)
      expect(comments[0]).toContain('Preview torn down')
    } else expect(comments).toEqual([])
    // Every GitHub deployment of the PR, the killed run's too, is inactive: the PR links no dead URL.
    expect(deploymentsOf(github).map(d => d.statuses.at(-1)?.state)).toEqual(
      deploymentsOf(github).map(() => 'inactive')
    )
    expect(failedRequests).toBe(0)
  })

  it.each(points)('killed after $name, the PR closed: the sweep removes the preview', async point => {
    const w = await world(scenario)
    w.preview.github.setPullRequest(PR, 'closed')
    const schedule = { opts: { eventName: 'schedule', event: { schedule: '17 3 * * *' } } }
    const { rerun, failedRequests } = await crashThenRerun(w, point, 60_000, schedule)
    ok(rerun)
    expect(rerun.summary).toMatch(new RegExp(`\\| #${PR} \\| 🧹 removed \\| pull request closed \\|`))
    await w.sim.advance(10 * 60_000)
    expect(leftovers(w.sim, PR)).toEqual(NOTHING)
    expect(everything(w.sim)).toEqual(everythingOfBaseOnly(w))
    const comments = w.preview.github.commentBodies(PR)
    if (redeploy) expect(comments[0]).toContain('Preview removed')
    else expect(comments).toEqual([])
    expect(failedRequests).toBe(0)
  })
})

const deploymentsOf = (github: FakeGitHub) => github.deployments.filter(d => d.environment === `pr-${PR}`)

/** Never two of the preview's migrations at once, and none left running. */
function expectMigrationsOneAtATime(s: Simulation): void {
  const migrations = [...s.world.ecs.tasks.values()]
    .filter(t => t.startedBy === 'zdt-deploy/pre-deploy')
    .sort((a, b) => a.createdAt - b.createdAt)
  expect(migrations.filter(t => t.lastStatus !== 'STOPPED')).toEqual([])
  for (const [earlier, later] of migrations.slice(1).map((t, i) => [migrations[i], t]))
    expect(later.createdAt).toBeGreaterThanOrEqual(earlier.stoppedAt!)
}

/** What the world held before any preview: the base service, its target group, listener and no rule. */
function everythingOfBaseOnly(w: PreviewCrashWorld) {
  const { web } = w.preview
  return {
    services: [web.serviceName],
    targetGroups: [web.alb!.targetGroupName],
    listeners: [web.alb!.port],
    rules: [],
    revisionsInUse: [web.taskDefinitionArn]
  }
}

/** A live preview of PR 7, and its teardown (the PR closed): the crash points are the teardown's. */
async function teardownWorld(mode: 'host' | 'port'): Promise<PreviewCrashWorld> {
  const w = await world({ name: 'a teardown', mode, redeploy: true })
  return { ...w, opts: { ...w.opts, ...closed.opts } }
}

const teardowns: Array<{ mode: 'host' | 'port'; points: CrashPoint[] }> = []
for (const mode of ['host', 'port'] as const)
  teardowns.push({ mode, points: await crashPointsOf(() => teardownWorld(mode)) })

describe.each(teardowns)(
  'pr-preview, a teardown in $mode mode, killed after any write',
  ({ mode, points }) => {
    it('has crash points: the teardown removes the route first', () => {
      expect(points[0].operation).toBe(mode === 'host' ? 'elbv2:DeleteRule' : 'elbv2:DeleteListener')
    })

    it.each(points)('killed after $name, then run again: nothing of the preview is left', async point => {
      const w = await teardownWorld(mode)
      const { github } = w.preview
      const { rerun, failedRequests } = await crashThenRerun(w, point)
      ok(rerun)
      expect(rerun.result?.outcome).toBe('torn-down')
      await w.sim.advance(10 * 60_000)
      expect(leftovers(w.sim, PR)).toEqual(NOTHING)
      expect(everything(w.sim)).toEqual(everythingOfBaseOnly(w))
      expect(github.commentBodies(PR)).toHaveLength(1)
      expect(github.commentBodies(PR)[0]).toContain('Preview torn down')
      expect(deploymentsOf(github).map(d => d.statuses.at(-1)?.state)).toEqual(['inactive'])
      expect(failedRequests).toBe(0)
    })
  }
)
