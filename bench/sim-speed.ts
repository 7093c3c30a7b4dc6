// How much faster than AWS the simulation runs a deploy, and what it costs in memory: the same
// deploys side by side at growing sizes, with background traffic; numbers are ratios of virtual to
// real time, so they compare across machines.
import { asgDeploy, ecsDeploy, type Deploy } from './deploys.js'
import { table } from './table.js'

interface Row {
  scenario: string
  virtualSeconds: number
  realMs: number
  requests: number
  heapMb: number
}

async function measure(scenario: string, deploy: () => Promise<Deploy>): Promise<Row> {
  globalThis.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const started = performance.now()
  const { sim, result } = await deploy()
  try {
    if (!result.ok) throw new Error(`${scenario} failed: ${result.failedMessage}`)
    return {
      scenario,
      virtualSeconds: result.durationMs / 1000,
      realMs: performance.now() - started,
      requests: sim.requests.list().length,
      heapMb: (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024
    }
  } finally {
    sim.restore()
  }
}

export async function simSpeed(): Promise<string> {
  const rows: Row[] = []
  for (const n of [2, 10, 50])
    rows.push(await measure(`ecs-rolling, ${n} tasks`, () => ecsDeploy(n, { traffic: true })))
  for (const n of [1, 3, 20])
    rows.push(await measure(`asg-blue-green, ${n} instances`, () => asgDeploy(n, { traffic: true })))
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
