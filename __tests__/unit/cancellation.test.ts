// A cancelled run on the virtual clock: waits end at the instant of the signal, pollUntil looks no
// more, AwsApi starts no new write, and the safe states run within the grace budget.
import { describe, expect, it } from '@jest/globals'
import { AwsApi } from '../../src/aws/api.js'
import type { AwsClients } from '../../src/aws/clients.js'
import {
  CANCEL_BUDGET_MS,
  CancelledError,
  RunCancellation,
  SETTLE_MS,
  cancellableClock,
  isCancellation,
  withinMs
} from '../../src/cancellation.js'
import { systemClock } from '../../src/clock.js'
import type { DeployContext } from '../../src/context.js'
import { pollUntil } from '../../src/poll.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'
import { Outputs, RunState, runOutcome } from '../../src/run-state.js'
import { reachSafeState } from '../../src/safe-state.js'
import { VirtualClock } from '../sim/clock.js'

function world() {
  const clock = new VirtualClock()
  const sink = new MemorySink()
  const log = new Reporter(sink, clock)
  const cancellation = new RunCancellation(clock, log)
  const runClock = cancellableClock(clock, cancellation.signal)
  /** Sends `name` `ms` of virtual time from now. */
  const signalAt = (ms: number, name: 'SIGINT' | 'SIGTERM' = 'SIGINT') =>
    void clock.sleep(ms).then(() => cancellation.receive(name))
  return { clock, sink, log, cancellation, runClock, signalAt }
}

/** An AwsApi whose calls count, throttled the first `throttled` times. */
function api(clock: VirtualClock, log: Reporter, signal: AbortSignal, throttled = 0) {
  let calls = 0
  const aws = new AwsApi({} as AwsClients, {
    clock: cancellableClock(clock, signal),
    log,
    dryRun: false,
    signal,
    random: () => 0.5
  })
  const call = async () => {
    calls++
    if (calls <= throttled) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })
    return 'ok'
  }
  return { aws, call, calls: () => calls }
}

describe('the run clock', () => {
  it('ends a long sleep at the instant of the signal, with the cancellation', async () => {
    const w = world()
    w.signalAt(1000)
    const error = await w.clock.run(() => w.runClock.sleep(3_600_000).catch((e: unknown) => e))
    expect(error).toBeInstanceOf(CancelledError)
    expect(isCancellation(error)).toBe(true)
    expect((error as CancelledError).by).toBe('SIGINT')
    expect(w.clock.elapsed()).toBe(1000)
  })

  it('refuses to start a sleep once cancelled', async () => {
    const w = world()
    w.cancellation.receive('SIGTERM')
    const started = w.clock.now()
    await expect(w.clock.run(() => w.runClock.sleep(5000))).rejects.toThrow('Cancelled (SIGTERM)')
    expect(w.clock.now()).toBe(started)
  })

  it('the system clock clears its timer on abort', async () => {
    const controller = new AbortController()
    const t0 = Date.now()
    const sleeping = systemClock.sleep(60_000, controller.signal)
    setTimeout(() => controller.abort(new CancelledError('SIGINT')), 10)
    await expect(sleeping).rejects.toBeInstanceOf(CancelledError)
    expect(Date.now() - t0).toBeLessThan(1000)
  })
})

describe('pollUntil on a cancelled run', () => {
  it('stops mid-wait at the signal and looks no more', async () => {
    const w = world()
    const looks: number[] = []
    w.signalAt(20_000)
    const error = await w.clock.run(() =>
      pollUntil(
        { clock: w.runClock, log: w.log, signal: w.cancellation.signal },
        { key: 'rollout', timeoutMs: 600_000, intervalMs: 15_000, deadline: 'clip' },
        async n => {
          looks.push(n)
          return { done: false, status: 'in progress' }
        }
      ).catch((e: unknown) => e)
    )
    expect(error).toBeInstanceOf(CancelledError)
    expect(looks).toEqual([1, 2])
    expect(w.clock.elapsed()).toBe(20_000)
  })

  it('runs no tick once the signal came during a look', async () => {
    const w = world()
    let ticks = 0
    const error = await w.clock.run(() =>
      pollUntil(
        { clock: w.runClock, log: w.log, signal: w.cancellation.signal },
        { key: 'k', timeoutMs: 60_000, intervalMs: 5000, deadline: 'whole', tick: async () => void ticks++ },
        async () => {
          w.cancellation.receive('SIGINT')
          return { done: false }
        }
      ).catch((e: unknown) => e)
    )
    expect(error).toBeInstanceOf(CancelledError)
    expect(ticks).toBe(0)
  })
})

describe('AwsApi on a cancelled run', () => {
  it('starts no new write and records none', async () => {
    const w = world()
    const a = api(w.clock, w.log, w.cancellation.signal)
    w.cancellation.receive('SIGINT')
    await expect(a.aws.write('UpdateService', { service: 'web' }, a.call, 'planned')).rejects.toThrow(
      CancelledError
    )
    expect(a.calls()).toBe(0)
    expect(a.aws.mutations).toEqual([])
    // Reads still answer: the safe state and the last report may need to look.
    await expect(a.aws.read('DescribeServices', a.call)).resolves.toBe('ok')
  })

  it('does not retry a throttled write after the signal', async () => {
    const w = world()
    const a = api(w.clock, w.log, w.cancellation.signal, 1)
    w.signalAt(100)
    const error = await w.clock.run(() =>
      a.aws.write('CreateRule', {}, a.call, 'planned').catch((e: unknown) => e)
    )
    expect(error).toBeInstanceOf(CancelledError)
    expect(a.calls()).toBe(1)
  })

  it("boundTo: the safe state's view writes under its own signal and shares the record", async () => {
    const w = world()
    const a = api(w.clock, w.log, w.cancellation.signal)
    w.cancellation.receive('SIGINT')
    const budget = new AbortController()
    const safe = a.aws.boundTo(budget.signal, cancellableClock(w.clock, budget.signal))
    await expect(safe.write('DeleteTags', { group: 'blue' }, a.call, 'planned')).resolves.toBe('ok')
    expect(a.aws.mutations).toEqual([{ operation: 'DeleteTags', params: { group: 'blue' } }])
  })
})

describe('RunState safe states', () => {
  it('runs newest first; a name registered again replaces its handler; unregister removes only its own', () => {
    const state = new RunState(new Outputs(() => {}))
    const a = async () => ['a']
    const b = async () => ['b']
    const c = async () => ['c']
    state.onCancel('lock', a)
    const offCutover = state.onCancel('cutover', b)
    state.onCancel('cutover', c)
    expect(state.safeStates().map(([name, fn]) => [name, fn])).toEqual([
      ['cutover', c],
      ['lock', a]
    ])
    offCutover()
    expect(state.safeStates().map(([name]) => name)).toEqual(['cutover', 'lock'])
    expect(runOutcome(state, true, undefined)).toBe('failed')
    state.setCancelled({ by: 'SIGINT', left: [] })
    expect(runOutcome(state, true, undefined)).toBe('cancelled')
  })
})

describe('reachSafeState', () => {
  function ctxFor(w: ReturnType<typeof world>, dryRun = false) {
    const state = new RunState(new Outputs(() => {}))
    const a = api(w.clock, w.log, w.cancellation.signal)
    const aws = new AwsApi({} as AwsClients, {
      clock: w.runClock,
      log: w.log,
      dryRun,
      signal: w.cancellation.signal
    })
    const ctx = {
      aws,
      clock: w.runClock,
      log: w.log,
      state,
      signal: w.cancellation.signal
    } as unknown as DeployContext
    return { ctx, state, call: a.call }
  }

  it('lets the strategy unwind, runs the safe states newest first and words what the record says', async () => {
    const w = world()
    const { ctx, state, call } = ctxFor(w)
    state.record('created', 'target group', 'tg-pr-7')
    state.record('changed', 'service', 'web')
    const order: string[] = []
    state.onCancel('lock', async safe => {
      order.push(`lock at ${w.clock.elapsed()}`)
      await safe.aws.write('DeleteTags', {}, call, 'planned')
      return ['Lock released on blue and green.']
    })
    state.onCancel('rollout', async safe => {
      await safe.clock.sleep(500)
      order.push(`rollout at ${w.clock.elapsed()}`)
      return ['ECS carries on with deployment ecs-svc/1; watch service web.']
    })
    w.cancellation.receive('SIGINT')
    const unwound = w.clock.sleep(200)
    const done = await w.clock.run(async () => {
      await w.log.phase('Rollout', () => w.runClock.sleep(60_000)).catch(() => {})
      return { cancelled: await reachSafeState(ctx, w.clock, w.cancellation, unwound) }
    })
    // Unwound after 200 ms (not the whole SETTLE_MS), then the newest safe state first.
    expect(order).toEqual(['rollout at 700', 'lock at 700'])
    expect(done.cancelled).toEqual({
      by: 'SIGINT',
      left: [
        'Cancelled by SIGINT.',
        'ECS carries on with deployment ecs-svc/1; watch service web.',
        'Lock released on blue and green.',
        'This run created target group tg-pr-7; changed service web.'
      ]
    })
    expect(w.log.phases.map(p => [p.name, p.outcome])).toEqual([
      ['Rollout', 'cancelled'],
      ['Safe state', 'ok']
    ])
  })

  it('names the phase it found running, and stops a safe state that outruns the budget', async () => {
    const w = world()
    const { ctx, state } = ctxFor(w)
    let later = false
    state.onCancel('slow', async safe => {
      await safe.clock.sleep(60_000)
      later = true
    })
    state.onCancel('stuck', () => new Promise<void>(() => {}))
    const result = await w.clock.run(async () => {
      const phase = w.log.phase('Validation window', () => w.runClock.sleep(3_600_000)).catch(() => {})
      await w.clock.sleep(10)
      w.cancellation.receive('SIGINT')
      // The strategy never unwinds: the run goes on after SETTLE_MS all the same.
      const cancelled = await reachSafeState(ctx, w.clock, w.cancellation, new Promise(() => {}))
      await phase
      return cancelled
    })
    expect(later).toBe(false)
    expect(w.clock.elapsed()).toBe(10 + CANCEL_BUDGET_MS)
    expect(result.left).toEqual([
      'Cancelled by SIGINT during Validation window.',
      'stuck: the grace budget ran out before its safe state was reached.',
      'slow: not made safe, the grace budget ran out first.',
      'Nothing was changed before the cancellation.'
    ])
    expect(SETTLE_MS).toBeLessThan(CANCEL_BUDGET_MS)
  })

  it('reports a failed safe state and goes on with the next', async () => {
    const w = world()
    const { ctx, state } = ctxFor(w, true)
    state.onCancel('lock', async () => ['Lock released.'])
    state.onCancel('rule', async () => {
      throw new Error('AccessDenied')
    })
    w.cancellation.receive('SIGTERM')
    const result = await w.clock.run(() => reachSafeState(ctx, w.clock, w.cancellation, Promise.resolve()))
    expect(result.left).toEqual([
      'Cancelled by SIGTERM.',
      'rule: its safe state failed: AccessDenied',
      'Lock released.',
      'A dry run: nothing was changed.'
    ])
  })
})

describe('RunCancellation', () => {
  it('a second signal only says how much of the budget is left', async () => {
    const w = world()
    w.signalAt(0, 'SIGINT')
    w.signalAt(1500, 'SIGTERM')
    const first = await w.clock.run(async () => {
      const name = await w.cancellation.requested
      await w.clock.sleep(2000)
      return name
    })
    expect(first).toBe('SIGINT')
    expect(w.cancellation.by).toBe('SIGINT')
    expect(w.cancellation.budgetLeftMs()).toBe(CANCEL_BUDGET_MS - 2000)
    expect(w.sink.lines).toContain(
      '::warning::SIGTERM while reaching a safe state: going on for the 3.5s the budget has left, then exiting.'
    )
  })

  it('withinMs gives up on slow work after its time on the clock', async () => {
    const w = world()
    const slow = w.clock.sleep(10_000).then(() => 'late')
    expect(await w.clock.run(() => withinMs(w.clock, 1500, slow))).toBeUndefined()
    expect(w.clock.elapsed()).toBe(1500)
    expect(await w.clock.run(() => withinMs(w.clock, 1500, Promise.resolve('now')))).toBe('now')
  })
})
