// The deploys the bench runs in the simulation: one ecs-rolling and one asg-blue-green at a given
// size, with the world's timings spelled out so the bench can say what AWS itself needs. The numbers
// are the sim's defaults (__tests__/sim/README.md), which are AWS's: a 30 s health check interval,
// 5 checks to be healthy again after unhealthy, 300 s deregistration delay.
import {
  createSimulation,
  runActionInSim,
  type AppBehavior,
  type AsgPairFixture,
  type EcsFixture,
  type Simulation,
  type SimRunResult
} from '../__tests__/sim/index.js'

export const TIMING = {
  startSeconds: 20,
  intervalSeconds: 30,
  healthyThreshold: 5,
  deregistrationSeconds: 300,
  validationSeconds: 60
}

// A new task or instance is a newly registered target: healthy after its first passing check, one
// interval after registration (AWS's documented behaviour, the simulation's default health model).
export const healthySeconds = TIMING.intervalSeconds

export interface Deploy {
  sim: Simulation
  result: SimRunResult
  startedMs: number
}

interface DeployOptions<Fixture> {
  seed?: number
  /** How the new tasks or instances behave (default: healthy, TIMING.startSeconds to start). */
  behavior?: AppBehavior
  /** Background users, 10 requests a second, while the action runs. */
  traffic?: boolean
  /** Runs once the world is built, before the action: to watch it, shift it, slow it. */
  prepare?: (sim: Simulation, fixture: Fixture) => Promise<void>
}

export async function ecsDeploy(
  tasks: number,
  opts: DeployOptions<EcsFixture> & {
    circuitBreaker?: { enable: boolean; rollback: boolean }
    intervalSeconds?: number
    healthyThreshold?: number
    deregistrationSeconds?: number
  } = {}
): Promise<Deploy> {
  const sim = createSimulation({ seed: opts.seed ?? 7 })
  const image = 'registry.example.com/web:v2'
  sim.setImageBehavior(image, opts.behavior ?? { startSeconds: TIMING.startSeconds })
  const web = sim.addEcsService({
    desiredCount: tasks,
    circuitBreaker: opts.circuitBreaker ?? true,
    healthCheck: {
      intervalSeconds: opts.intervalSeconds ?? TIMING.intervalSeconds,
      healthyThreshold: opts.healthyThreshold ?? TIMING.healthyThreshold
    },
    deregistrationDelaySeconds: opts.deregistrationSeconds ?? TIMING.deregistrationSeconds
  })
  await opts.prepare?.(sim, web)
  const traffic = opts.traffic ? sim.startTraffic(`${web.url}/`, 10) : undefined
  const startedMs = sim.clock.now()
  const result = await runActionInSim(sim, {
    strategy: 'ecs-rolling',
    cluster: web.clusterName,
    service: web.serviceName,
    image,
    environment: 'production',
    probe: false
  })
  traffic?.stop()
  return { sim, result, startedMs }
}

export async function asgDeploy(
  instances: number,
  opts: DeployOptions<AsgPairFixture> & { validationSeconds?: number } = {}
): Promise<Deploy> {
  const sim = createSimulation({ seed: opts.seed ?? 7 })
  const ami = 'ami-0b0b0b0b0b0b0b0b2'
  const pair = sim.addAsgPair({ activeCount: instances, maxSize: Math.max(4, instances * 2) })
  sim.addAmi(ami, opts.behavior ?? { startSeconds: TIMING.startSeconds })
  await opts.prepare?.(sim, pair)
  const traffic = opts.traffic ? sim.startTraffic(`${pair.url}/`, 10) : undefined
  const startedMs = sim.clock.now()
  const result = await runActionInSim(sim, {
    strategy: 'asg-blue-green',
    'blue-asg': pair.blue.name,
    'green-asg': pair.green.name,
    'target-group': pair.targetGroupArn,
    'synthetic-target-group': pair.syntheticTargetGroupArn ?? '',
    'listener-arn': pair.listenerArn,
    'ami-id': ami,
    'validation-window': opts.validationSeconds ?? TIMING.validationSeconds,
    environment: 'production',
    probe: false
  })
  traffic?.stop()
  return { sim, result, startedMs }
}

/** Read calls (Describe*, List*, Get*) the run made. */
export function readCalls(d: Deploy): number {
  return d.sim.calls.all.filter(c => /^(Describe|List|Get)/.test(c.operation)).length
}
