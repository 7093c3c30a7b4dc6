// Crash points: a run killed (SIGKILL, no cleanup) right after one of its AWS writes, then the same
// deploy run again as a person pressing "Re-run" would. The crash points of a deploy are the writes
// in the call log of its normal run; the suites kill a fresh copy of the world after each of them.
import { expect } from '@jest/globals'
import { FakeGitHub } from './github.js'
import {
  runActionInSim,
  type ActionInputs,
  type RunInSimOptions,
  type SimRunResult,
  type Simulation
} from './index.js'

/** A fresh world (the same one each time: same seed, same builders) and the deploy to run in it. */
export interface CrashWorld {
  sim: Simulation
  inputs: ActionInputs
  opts?: RunInSimOptions
  /** Where background users send requests throughout both runs. */
  trafficUrl?: string
}

/** What a crash point is called in a test's name: its place among the writes and the operation. */
export interface CrashPoint {
  /** 1-based: the run dies once this many writes have reached AWS. */
  n: number
  operation: string
  name: string
}

/**
 * The writes of a normal run of the deploy, each a crash point. The normal run must succeed. A world
 * built by earlier runs (a preview deployed once) clears the call log before it is handed back.
 */
export async function crashPointsOf(build: () => CrashWorld | Promise<CrashWorld>): Promise<CrashPoint[]> {
  const w = await build()
  try {
    const r = await runActionInSim(w.sim, w.inputs, w.opts)
    if (!r.ok) throw new Error(`the normal run of the crash-point world failed: ${r.failedMessage}`)
    return w.sim.calls.mutating().map((c, i) => {
      const operation = `${c.service}:${c.operation}`
      return { n: i + 1, operation, name: `#${i + 1} ${operation}` }
    })
  } finally {
    w.sim.restore()
  }
}

export interface CrashAndRerun {
  killed: SimRunResult
  rerun: SimRunResult
  /** Background requests of both runs that failed (5xx, refused, reset, timeout). */
  failedRequests: number
}

/**
 * Kills the deploy right after crash point `point`, lets `pauseMs` pass (the runner dies, someone
 * presses Re-run), then runs the same deploy again as attempt 2 of the same workflow run, which is
 * what GitHub's runs API then says is in progress. `next` makes the second run another one: its
 * inputs, and options over the world's (a pull_request closed event: the teardown after a crash).
 */
export async function crashThenRerun(
  w: CrashWorld,
  point: CrashPoint,
  pauseMs = 60_000,
  next: { inputs?: ActionInputs; opts?: RunInSimOptions } = {}
): Promise<CrashAndRerun> {
  const traffic = w.trafficUrl ? w.sim.startTraffic(w.trafficUrl, 10) : undefined
  const env = { GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1', ...w.opts?.env }
  // One GitHub for both runs: what the killed run left there (a deployment, a comment) is the re-run's.
  const github = (w.opts?.github as FakeGitHub | undefined) ?? new FakeGitHub('acme/shop')
  const killed = await runActionInSim(w.sim, w.inputs, {
    ...w.opts,
    github,
    env,
    killAfterMutatingCalls: point.n
  })
  expect(killed.killed).toBe(true)
  // The run died right where the normal run made that write: the worlds are the same.
  const writes = w.sim.calls.mutating()
  expect(`${writes.at(-1)?.service}:${writes.at(-1)?.operation}`).toBe(point.operation)
  expect(writes).toHaveLength(point.n)

  await w.sim.clock.advance(pauseMs)
  github.setRun('4242', { status: 'in_progress', attempt: 2 })
  const rerun = await runActionInSim(w.sim, next.inputs ?? w.inputs, {
    ...w.opts,
    ...next.opts,
    github,
    env: { ...env, GITHUB_RUN_ATTEMPT: '2' }
  })
  // No GitHub deployment is left deploying: the re-run closed the one the killed run opened.
  const open = github.deployments.filter(d =>
    ['in_progress', 'queued'].includes(d.statuses.at(-1)?.state ?? '')
  )
  expect(open.map(d => `${d.environment} #${d.id}`)).toEqual([])
  return { killed, rerun, failedRequests: traffic ? traffic.stop().failed : 0 }
}
