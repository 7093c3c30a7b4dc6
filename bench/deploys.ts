// The deploys the product sections of the bench run in the simulation: one ecs-rolling and one
// asg-blue-green at a given size, with the world's timings spelled out so the bench can say what
// AWS itself needs. The numbers are the sim's defaults (__tests__/sim/README.md), which are AWS's:
// a 30 s health check interval, 5 checks to be healthy, 300 s deregistration delay.
import {
  createSimulation,
  runActionInSim,
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

export const healthySeconds = TIMING.intervalSeconds * TIMING.healthyThreshold

export interface Deploy {
  sim: Simulation
  result: SimRunResult
  startedMs: number
}

export async function ecsDeploy(
  tasks: number,
  opts: {
    seed?: number
    startSeconds?: number
    image?: string
    circuitBreaker?: boolean | { enable: boolean; rollback: boolean }
  } = {}
): Promise<Deploy> {
  const sim = createSimulation({ seed: opts.seed ?? 7 })
  const image = opts.image ?? 'registry.example.com/web:v2'
  sim.setImageBehavior(image, { startSeconds: opts.startSeconds ?? TIMING.startSeconds })
  const web = sim.addEcsService({
    desiredCount: tasks,
    circuitBreaker: opts.circuitBreaker ?? true,
    healthCheck: { intervalSeconds: TIMING.intervalSeconds, healthyThreshold: TIMING.healthyThreshold },
    deregistrationDelaySeconds: TIMING.deregistrationSeconds
  })
  const startedMs = sim.clock.now()
  const result = await runActionInSim(sim, {
    strategy: 'ecs-rolling',
    cluster: web.clusterName,
    service: web.serviceName,
    image,
    environment: 'production',
    probe: false
  })
  return { sim, result, startedMs }
}

export async function asgDeploy(
  instances: number,
  opts: { seed?: number; startSeconds?: number } = {}
): Promise<Deploy> {
  const sim = createSimulation({ seed: opts.seed ?? 7 })
  const ami = 'ami-0b0b0b0b0b0b0b0b2'
  const pair = sim.addAsgPair({ activeCount: instances, maxSize: Math.max(4, instances * 2) })
  sim.addAmi(ami, { startSeconds: opts.startSeconds ?? TIMING.startSeconds })
  const startedMs = sim.clock.now()
  const result = await runActionInSim(sim, {
    strategy: 'asg-blue-green',
    'blue-asg': pair.blue.name,
    'green-asg': pair.green.name,
    'target-group': pair.targetGroupArn,
    'synthetic-target-group': pair.syntheticTargetGroupArn ?? '',
    'listener-arn': pair.listenerArn,
    'ami-id': ami,
    'validation-window': TIMING.validationSeconds,
    environment: 'production',
    probe: false
  })
  return { sim, result, startedMs }
}

/** Read calls (Describe*, List*, Get*) the run made. */
export function readCalls(d: Deploy): number {
  return d.sim.calls.all.filter(c => /^(Describe|List|Get)/.test(c.operation)).length
}
