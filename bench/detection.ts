// How long after AWS changes state the product notices, beside the official action's waiter. Each
// sample shifts the run against the world's clock (a random start and a random task or instance
// start time), watches the world every 100 ms of virtual time for the event, and takes the first
// read of the action that could see it.
import type { Simulation } from '../__tests__/sim/index.js'
import { seededRandom } from '../__tests__/sim/random.js'
import { asgDeploy, ecsDeploy, TIMING } from './deploys.js'
import { percentile, table } from './table.js'

interface Sample {
  /** Seconds from the event to the action's first read after it. */
  delay: number
  /** Seconds from the start of the wait (the action's UpdateService or scale-out) to the event. */
  eventAfterWait: number
}

type Scenario = 'COMPLETED' | 'FAILED' | 'rollback'

interface Deployment {
  status: string
  taskDefinition: string
  rolloutState?: string
  createdAt: Date
  updatedAt: Date
}

const WATCH_MS = 100
const random = seededRandom(13)

/**
 * Polls `seen` on the world's own timeline until it gives the event's time (the state's own
 * timestamp when AWS has one, else the instant it was first seen).
 */
function watch(sim: Simulation, seen: () => number | undefined): { at: () => number | undefined } {
  let at: number | undefined
  const tick = () => {
    at = seen()
    if (at === undefined) sim.world.timeline.after(WATCH_MS, tick)
  }
  sim.world.timeline.after(0, tick)
  return { at: () => at }
}

/**
 * Each AWS answer takes 20-300 ms, as real ones do over the internet. The simulation answers in no
 * time, which would keep every poll on an exact grid from the action's own calls, and a health check
 * scheduled from the same call would always land on a poll.
 */
function withLatency(sim: Simulation): void {
  const send = sim.dispatcher.send.bind(sim.dispatcher)
  sim.dispatcher.send = async (service, operation, input) => {
    await sim.clock.sleep(20 + random() * 280)
    return send(service, operation, input)
  }
}

function firstCallAfter(
  sim: Simulation,
  operation: string,
  atMs: number,
  match: (input: Record<string, unknown>) => boolean = () => true
): number {
  const call = sim.calls.of(operation).find(c => c.atMs >= atMs && match(c.input))
  if (!call) throw new Error(`no ${operation} after the event`)
  return call.atMs
}

async function ecsSample(scenario: Scenario): Promise<Sample> {
  let event: { at: () => number | undefined } | undefined
  const startSeconds = TIMING.startSeconds + random() * 10
  const { sim } = await ecsDeploy(2, {
    seed: Math.floor(random() * 1e9),
    behavior:
      scenario === 'COMPLETED'
        ? { startSeconds }
        : { startSeconds, failToStart: 'CannotPullContainerError: not found' },
    circuitBreaker: { enable: true, rollback: scenario === 'rollback' },
    // Short checks and drain: the event's timing, not its distance from the start, is measured.
    intervalSeconds: 10,
    healthyThreshold: 2,
    deregistrationSeconds: 15,
    prepare: async (sim, web) => {
      withLatency(sim)
      await sim.advance(random() * 5000)
      const describe = () =>
        (
          sim.world.ecs.handlers.DescribeServices({
            cluster: web.clusterName,
            services: [web.serviceName]
          }) as {
            services: Array<{ deployments: Deployment[] }>
          }
        ).services[0].deployments
      const ours = (d: Deployment) => !d.taskDefinition.endsWith(':1')
      // ECS stamps a deployment's updatedAt when its rolloutState changes, and a rollback is a new
      // deployment of the revision before (its createdAt).
      event = watch(sim, () => {
        const all = describe()
        if (scenario === 'rollback') {
          const back = all.find(d => !ours(d) && d.status === 'PRIMARY')
          return back && all.some(d => ours(d)) ? back.createdAt.getTime() : undefined
        }
        return all.find(d => ours(d) && d.rolloutState === scenario)?.updatedAt.getTime()
      })
    }
  })
  try {
    await sim.advance(2 * WATCH_MS)
    const at = event?.at()
    if (at === undefined) throw new Error(`${scenario}: the event never happened`)
    const waitStarted = sim.calls.of('UpdateService')[0].atMs
    return {
      delay: (firstCallAfter(sim, 'DescribeServices', at) - at) / 1000,
      eventAfterWait: (at - waitStarted) / 1000
    }
  } finally {
    sim.restore()
  }
}

/** The new fleet is healthy in the synthetic target group: the stage the synthetic checks wait for. */
async function blueGreenSample(): Promise<Sample> {
  let event: { at: () => number | undefined } | undefined
  let synthetic = ''
  const { sim } = await asgDeploy(2, {
    seed: Math.floor(random() * 1e9),
    behavior: { startSeconds: TIMING.startSeconds + random() * 10 },
    validationSeconds: 30,
    prepare: async (sim, pair) => {
      withLatency(sim)
      await sim.advance(random() * 10_000)
      synthetic = pair.syntheticTargetGroupArn!
      event = watch(sim, () => {
        const { TargetHealthDescriptions: targets } = sim.world.elbv2.handlers.DescribeTargetHealth({
          TargetGroupArn: synthetic
        }) as { TargetHealthDescriptions: Array<{ TargetHealth?: { State?: string } }> }
        return targets.length === 2 && targets.every(t => t.TargetHealth?.State === 'healthy')
          ? sim.world.now()
          : undefined
      })
    }
  })
  try {
    await sim.advance(2 * WATCH_MS)
    const at = event?.at()
    if (at === undefined) throw new Error('blue/green: the new fleet never became healthy')
    const waitStarted = sim.calls.of('UpdateAutoScalingGroup')[0].atMs
    // Target health carries no timestamp: the event is known to WATCH_MS, so a read within that
    // much before the sighting counts as seeing it at once.
    const read = firstCallAfter(
      sim,
      'DescribeTargetHealth',
      at - WATCH_MS,
      i => i.TargetGroupArn === synthetic
    )
    return { delay: Math.max(0, read - at) / 1000, eventAfterWait: (at - waitStarted) / 1000 }
  } finally {
    sim.restore()
  }
}

// The official action waits with the SDK's waitUntilServicesStable: a first check at once, then
// attempt n waits a random time between minDelay and min(minDelay * 2^(n-1), maxDelay), and maxDelay
// itself once n passes log2(maxDelay / minDelay) + 1. Defaults 15 s and 600 s (the waiter in the
// @aws-sdk/client-ecs v2.6.3 bundles); the schedule is Smithy's waiter retry rule
// (https://smithy.io/2.0/additional-specs/waiters.html#waiter-retries).
const MIN_DELAY = 15
const MAX_DELAY = 600

function waiterDelay(eventAfterWait: number): number {
  const ceiling = Math.log(MAX_DELAY / MIN_DELAY) / Math.log(2) + 1
  let t = 0
  for (let attempt = 1; t < eventAfterWait; attempt++) {
    t +=
      attempt > ceiling
        ? MAX_DELAY
        : MIN_DELAY + random() * (Math.min(MIN_DELAY * 2 ** (attempt - 1), MAX_DELAY) - MIN_DELAY)
  }
  return t - eventAfterWait
}

function stats(xs: number[]): string[] {
  return [percentile(xs, 50), percentile(xs, 99), Math.max(...xs)].map(x => `${x.toFixed(1)} s`)
}

export async function detection(samples: number): Promise<string> {
  const rows: Array<Array<string | number>> = []
  const scenarios: Array<[string, () => Promise<Sample>]> = [
    ['COMPLETED', () => ecsSample('COMPLETED')],
    ['FAILED (circuit breaker, no rollback)', () => ecsSample('FAILED')],
    ['circuit-breaker rollback begins', () => ecsSample('rollback')],
    ['blue/green: new fleet healthy in the synthetic target group', blueGreenSample]
  ]
  for (const [name, sample] of scenarios) {
    const got: Sample[] = []
    for (let i = 0; i < samples; i++) got.push(await sample())
    const waiter = got.map(s => waiterDelay(s.eventAfterWait))
    rows.push([name, ...stats(got.map(s => s.delay)), ...stats(waiter)])
  }
  return (
    `${samples} samples per event (poll-interval 3 s, the default). The waiter column applies the official action's waitUntilServicesStable schedule (min delay ${MIN_DELAY} s, max delay ${MAX_DELAY} s) to the same event times; ` +
    `it has no acceptor for FAILED or a rollback (it waits until the service is stable again, or its timeout), and no blue/green stage, so those rows show only when its next poll would come.\n\n` +
    table(['event', 'p50', 'p99', 'max', 'waiter p50', 'waiter p99', 'waiter max'], rows)
  )
}
