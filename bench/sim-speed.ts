// How much faster than AWS the simulation runs a deploy, and what it costs in memory: the same
// deploys side by side at growing sizes; numbers are ratios of virtual to
// real time, so they compare across machines.
import { createSimulation, runActionInSim, type Simulation } from '../__tests__/sim/index.js'
import { table } from './table.js'

interface Row {
  scenario: string
  virtualSeconds: number
  realMs: number
  requests: number
  heapMb: number
}

async function measure(scenario: string, build: (sim: Simulation) => Promise<number>): Promise<Row> {
  globalThis.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const sim = createSimulation({ seed: 7 })
  const started = performance.now()
  try {
    const virtualSeconds = await build(sim)
    return {
      scenario,
      virtualSeconds,
      realMs: performance.now() - started,
      requests: sim.requests.list().length,
      heapMb: (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024
    }
  } finally {
    sim.restore()
  }
}

async function ecsRolling(tasks: number): Promise<Row> {
  return measure(`ecs-rolling, ${tasks} tasks`, async sim => {
    const web = sim.addEcsService({ desiredCount: tasks, circuitBreaker: true })
    const traffic = sim.startTraffic(`${web.url}/`, 10)
    const r = await runActionInSim(sim, {
      strategy: 'ecs-rolling',
      cluster: web.clusterName,
      service: web.serviceName,
      image: 'registry.example.com/web:v2',
      environment: 'production'
    })
    traffic.stop()
    if (!r.ok) throw new Error(`ecs-rolling ${tasks} failed: ${r.failedMessage}`)
    return r.durationMs / 1000
  })
}

async function asgBlueGreen(instances: number): Promise<Row> {
  return measure(`asg-blue-green, ${instances} instances`, async sim => {
    const pair = sim.addAsgPair({ activeCount: instances, maxSize: Math.max(4, instances * 2) })
    sim.addAmi('ami-0b0b0b0b0b0b0b0b2')
    const traffic = sim.startTraffic(`${pair.url}/`, 10)
    const r = await runActionInSim(sim, {
      strategy: 'asg-blue-green',
      'blue-asg': pair.blue.name,
      'green-asg': pair.green.name,
      'target-group': pair.targetGroupArn,
      'synthetic-target-group': pair.syntheticTargetGroupArn ?? '',
      'listener-arn': pair.listenerArn,
      'ami-id': 'ami-0b0b0b0b0b0b0b0b2',
      'validation-window': '60',
      environment: 'production'
    })
    traffic.stop()
    if (!r.ok) throw new Error(`asg-blue-green ${instances} failed: ${r.failedMessage}`)
    return r.durationMs / 1000
  })
}

export async function simSpeed(): Promise<string> {
  const rows: Row[] = []
  for (const n of [2, 10, 50]) rows.push(await ecsRolling(n))
  for (const n of [1, 3, 20]) rows.push(await asgBlueGreen(n))
  return table(
    ['scenario', 'virtual', 'real', 'virtual/real', 'simulated requests', 'heap'],
    rows.map(r => [
      r.scenario,
      `${r.virtualSeconds.toFixed(0)} s`,
      `${r.realMs.toFixed(0)} ms`,
      `${Math.round((r.virtualSeconds * 1000) / r.realMs)}x`,
      r.requests,
      `${r.heapMb.toFixed(1)} MB`
    ])
  )
}
