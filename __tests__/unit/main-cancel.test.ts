// run() cancelled by a signal in the middle of a wait, on the virtual clock: the strategy stops, its
// safe state runs within the grace budget, the job summary says `cancelled` and what was left, the
// GitHub deployment ends in `error`, and the step fails. The strategy dispatch is replaced by a small
// one here, so this proves main's wiring whatever state the real strategies are in.
import { describe, expect, it, jest } from '@jest/globals'
import type { AwsClients } from '../../src/aws/clients.js'
import type { SignalSource } from '../../src/cancellation.js'
import type { DeployContext, StrategyResult } from '../../src/context.js'

let behaviour: (ctx: DeployContext) => Promise<StrategyResult>
jest.unstable_mockModule('../../src/strategies/index.js', () => ({
  runStrategy: (ctx: DeployContext) => behaviour(ctx)
}))

const { run } = await import('../../src/main.js')
const { CANCEL_BUDGET_MS } = await import('../../src/cancellation.js')
const { pollUntil } = await import('../../src/poll.js')
const { MemorySink } = await import('../../testkit/memory-sink.js')
const { VirtualClock } = await import('../sim/clock.js')
const { FakeGitHub } = await import('../sim/github.js')

/** The plain clock of the current run: what an AWS call in flight, which no signal ends, waits on. */
let rawClock: InstanceType<typeof VirtualClock>

/** A run of the replaced strategy, SIGINT (and SIGTERM after `termAfterMs`, if given) `atMs` into it. */
async function cancelledRun(atMs: number, termAfterMs?: number) {
  const clock = (rawClock = new VirtualClock())
  const sink = new MemorySink()
  const github = new FakeGitHub('acme/shop')
  let failed: string | undefined
  let summary = ''
  const signals: SignalSource = onSignal => {
    void clock.sleep(atMs).then(() => onSignal('SIGINT'))
    if (termAfterMs !== undefined) void clock.sleep(atMs + termAfterMs).then(() => onSignal('SIGTERM'))
    return () => {}
  }
  const inputs: Record<string, string> = {
    strategy: 'ecs-rolling',
    cluster: 'main',
    service: 'web',
    environment: 'staging',
    'github-token': 'ghs_test'
  }
  const result = await clock.run(() =>
    run({
      getInput: name => inputs[name] ?? '',
      setOutput: () => {},
      setFailed: m => void (failed = m),
      writeSummary: async md => void (summary = md),
      sink,
      clock,
      env: {
        AWS_REGION: 'us-east-1',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SHA: 'abc123',
        GITHUB_RUN_ID: '41',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main'
      },
      createClients: () => ({}) as AwsClients,
      createGitHub: () => github,
      signals
    })
  )
  return { result, failed, summary, github, lines: sink.lines, elapsedMs: clock.elapsed() }
}

describe('a cancelled run', () => {
  it('stops mid-wait, runs the safe state, says cancelled, ends the deployment in error and fails', async () => {
    let looks = 0
    let writes = 0
    behaviour = async ctx => {
      ctx.state.record('changed', 'service', 'web')
      ctx.state.onCancel('rollout', async safe => {
        await safe.clock.sleep(300)
        return ['ECS carries on with deployment ecs-svc/2 of web; watch the service until it is steady.']
      })
      await ctx.log.phase('Rollout', () =>
        pollUntil(
          ctx,
          { key: 'rollout', timeoutMs: 1_800_000, intervalMs: 15_000, deadline: 'clip' },
          async () => {
            looks++
            return { done: false, status: 'IN_PROGRESS' }
          }
        )
      )
      // Never reached: the poll ends with the cancellation.
      await ctx.aws.write('UpdateService', {}, async () => void writes++, undefined)
      return { outcome: 'deployed', message: 'Deployed' }
    }
    const r = await cancelledRun(40_000)
    expect(r.result.ok).toBe(false)
    expect(r.result.cancelled?.by).toBe('SIGINT')
    expect(looks).toBe(3)
    expect(writes).toBe(0)
    // Unwound at once, then 300 ms of safe state: far inside the budget.
    expect(r.elapsedMs).toBe(40_300)
    expect(r.failed).toBe(
      [
        'Cancelled by SIGINT during Rollout.',
        'ECS carries on with deployment ecs-svc/2 of web; watch the service until it is steady.',
        'This run changed service web.'
      ].join('\n')
    )
    expect(r.summary).toContain('zdt-deploy ecs-rolling: cancelled')
    expect(r.summary).toContain('### What the cancellation left')
    expect(r.summary).toContain('- ECS carries on with deployment ecs-svc/2 of web')
    expect(r.summary).toMatch(/\| Rollout \| 40s \| cancelled \|/)
    const [deployment] = r.github.deployments
    expect(deployment.statuses.map(s => s.state)).toEqual(['in_progress', 'error'])
    expect(deployment.statuses[1].description).toBe(
      'Cancelled by SIGINT during Rollout. ECS carries on with deployment ecs-svc/2 of web; watch the service until it is steady.'
    )
  })

  it('goes on through a second signal until the budget ends, then exits', async () => {
    behaviour = async ctx => {
      ctx.state.onCancel('slow', async safe => {
        await safe.clock.sleep(60_000)
        return ['never said']
      })
      await ctx.clock.sleep(3_600_000)
      return { outcome: 'deployed', message: 'Deployed' }
    }
    const r = await cancelledRun(10_000, 2000)
    expect(r.elapsedMs).toBe(10_000 + CANCEL_BUDGET_MS)
    expect(r.lines).toContain(
      '::warning::SIGTERM while reaching a safe state: going on for the 3.0s the budget has left, then exiting.'
    )
    expect(r.failed).toContain('slow: the grace budget ran out before its safe state was reached.')
    expect(r.github.deployments[0].statuses.map(s => s.state)).toEqual(['in_progress', 'error'])
  })

  it('a signal during the last call still reports cancelled, and that the deploy had finished', async () => {
    behaviour = async () => {
      // The last call is in flight when the signal comes, and lands within the settling time.
      await rawClock.sleep(1500)
      return { outcome: 'deployed', message: 'Deployed: web runs web:2.' }
    }
    const r = await cancelledRun(1000)
    expect(r.result.cancelled?.left).toEqual([
      'Cancelled by SIGINT.',
      'The deploy had finished before it stopped: Deployed: web runs web:2.',
      'Nothing was changed before the cancellation.'
    ])
  })
})
