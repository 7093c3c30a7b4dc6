// ecs-rolling killed after each of its writes, then re-run: the service ends on the intended
// revision, reported as such, with no request failed across both runs and nothing of the killed run
// still running beside it (a second migration task, a second deployment).
import { afterEach, describe, expect, it } from '@jest/globals'
import { crashPointsOf, crashThenRerun, type CrashWorld } from './crash-points.js'
import { QUICK, V2, releaseInputs } from './ecs-scenarios.js'
import { createSimulation, FakeGitHub, type Simulation } from './index.js'

let sim: Simulation | undefined
afterEach(() => sim?.restore())

const MIGRATE = ['npm', 'run', 'migrate']

function world(preDeploy: boolean): CrashWorld {
  sim?.restore()
  sim = createSimulation({ seed: 7 })
  const web = sim.addEcsService({
    circuitBreaker: true,
    ...QUICK,
    awslogs: { group: '/ecs/web', prefix: 'ecs' }
  })
  if (!preDeploy) return { sim, inputs: releaseInputs(web), trafficUrl: `${web.url}/` }
  sim.setCommandBehavior(MIGRATE.join(' '), { runSeconds: 120, logLines: ['Applying 0042_add_orders'] })
  return {
    sim,
    inputs: { ...releaseInputs(web), 'pre-deploy-command': JSON.stringify(MIGRATE) },
    trafficUrl: `${web.url}/`
  }
}

const releases = [
  { name: 'a release', preDeploy: false, points: await crashPointsOf(() => world(false)) },
  {
    name: 'a release with a pre-deploy task',
    preDeploy: true,
    points: await crashPointsOf(() => world(true))
  }
]

describe.each(releases)(
  'ecs-rolling, $name, killed after any write, then re-run',
  ({ preDeploy, points }) => {
    it('has crash points: the run writes', () => {
      expect(points.map(p => p.operation)).toContain('ecs:UpdateService')
    })

    it.each(points)('killed after $name: the re-run converges', async point => {
      const w = world(preDeploy)
      const { rerun, failedRequests } = await crashThenRerun(w, point)
      expect(rerun.failedMessage).toBeUndefined()
      expect(rerun.ok).toBe(true)
      const service = w.sim.service('main', 'web')
      // The service runs what the re-run reports, and that revision runs the new image.
      expect(rerun.outputs['task-definition-arn']).toBe(service.taskDefinition)
      expect(w.sim.taskDefinition(service.taskDefinition!).containerDefinitions?.[0].image).toBe(V2)
      expect(service.deployments).toHaveLength(1)
      // One UpdateService across both runs: a re-run follows the deployment the killed run started.
      expect(w.sim.calls.count('ecs:UpdateService')).toBe(1)
      expect(service.runningCount).toBe(service.desiredCount)
      // Never two migrations at once, and none left running.
      const migrations = [...w.sim.world.ecs.tasks.values()]
        .filter(t => t.startedBy === 'zdt-deploy/pre-deploy')
        .sort((a, b) => a.createdAt - b.createdAt)
      expect(migrations.filter(t => t.lastStatus !== 'STOPPED')).toEqual([])
      for (const [earlier, later] of migrations.slice(1).map((t, i) => [migrations[i], t]))
        expect(later.createdAt).toBeGreaterThanOrEqual(earlier.stoppedAt!)
      // Every GitHub deployment has a final status: the re-run's success, the killed run's error.
      const deployments = (rerun.github as FakeGitHub).deployments
      expect(deployments.map(d => d.statuses.at(-1)?.state)).toEqual(
        deployments.length === 2 ? ['error', 'success'] : ['success']
      )
      expect(failedRequests).toBe(0)
      expect(w.sim.requests.failures()).toEqual([])
    })
  }
)
