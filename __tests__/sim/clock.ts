// The virtual clock: `sleep` registers a timer instead of waiting, and `run` drives an async function
// to completion by jumping virtual time from one timer to the next. A 20-minute deploy takes
// milliseconds, and the same inputs always give the same interleaving.
import type { Clock } from '../../src/clock.js'
import { formatDuration } from '../../src/clock.js'
import { TimeHeap } from './heap.js'

/** 2025-01-06 09:00:00 UTC, a Monday morning: where every simulation starts unless told otherwise. */
export const DEFAULT_START_MS = Date.UTC(2025, 0, 6, 9, 0, 0)

export interface RunOptions {
  /** Virtual time the run may take before it fails (default 6 h). */
  limitMs?: number
  /** Timer batches the run may process before it fails (default 1,000,000). */
  maxSteps?: number
}

/** A run went past its virtual time or step limit, or waited on something no timer will resolve. */
export class SimClockError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SimClockError'
  }
}

interface Timer {
  at: number
  seq: number
  resolve: () => void
}

/** Called with the time the clock is about to move to, before any timer due then is resolved. */
export type AdvanceHook = (toMs: number) => void

const DEFAULT_LIMIT_MS = 6 * 3600_000
const DEFAULT_MAX_STEPS = 1_000_000
// Consecutive steps without time moving forward: a `sleep(0)` loop that never yields real progress.
const MAX_STEPS_AT_ONE_INSTANT = 10_000
// Real I/O (a file read) is waited for, not skipped over in virtual time: these are the request
// handles Node reports while such work is in flight.
const IO_REQUESTS = new Set([
  'FSReqCallback',
  'FSReqPromise',
  'CloseReq',
  'GetAddrInfoReqWrap',
  'TCPConnectWrap'
])
const IO_WAIT_LIMIT_MS = 5000
const STUCK_GRACE_MS = 250

const immediate = () => new Promise<void>(resolve => setImmediate(resolve))
const realDelay = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

export class VirtualClock implements Clock {
  readonly startMs: number
  private current: number
  private seq = 0
  private readonly timers = new TimeHeap<Timer>()
  private readonly hooks: AdvanceHook[] = []
  private running = false

  constructor(startMs: number = DEFAULT_START_MS) {
    this.startMs = startMs
    this.current = startMs
  }

  now(): number {
    return this.current
  }

  /** Virtual milliseconds since the clock was made. */
  elapsed(): number {
    return this.current - this.startMs
  }

  /** As the system clock: with a signal, rejects with its reason the instant it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (typeof ms !== 'number' || Number.isNaN(ms)) {
      return Promise.reject(new TypeError(`sim clock: sleep(${String(ms)}) needs a number of milliseconds`))
    }
    if (signal?.aborted) return Promise.reject(signal.reason)
    const at = this.current + Math.max(0, ms)
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal?.reason)
      signal?.addEventListener('abort', onAbort, { once: true })
      // An aborted sleep's timer stays in the heap and wakes nothing when it comes due.
      this.timers.push({
        at,
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      })
    })
  }

  /** Timers registered and not yet due. */
  get pendingTimers(): number {
    return this.timers.size
  }

  /** The world registers here so it reaches each instant before the sleepers waiting for it wake. */
  onAdvance(hook: AdvanceHook): void {
    this.hooks.push(hook)
  }

  /**
   * Runs `fn` to completion on virtual time: settle pending promise work, and whenever everything
   * waits on timers, move to the earliest one (ties in registration order), let the world catch up
   * to that instant, then wake every sleeper due then. Fails with a SimClockError at the virtual
   * time limit, the step limit, or when nothing could ever wake the run.
   */
  async run<T>(fn: () => Promise<T>, opts: RunOptions = {}): Promise<T> {
    if (this.running) throw new SimClockError('sim clock: run() is already in progress (runs do not nest)')
    this.running = true
    const limitMs = opts.limitMs ?? DEFAULT_LIMIT_MS
    const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS
    const startedAt = this.current
    const deadline = startedAt + limitMs
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined
    ;(async () => fn())().then(
      value => (outcome = { ok: true, value }),
      (error: unknown) => (outcome = { ok: false, error })
    )
    try {
      let steps = 0
      let atSameInstant = 0
      for (;;) {
        await this.settle()
        if (!outcome && this.timers.size === 0) await this.waitForStraggler(() => outcome !== undefined)
        if (outcome) break
        const next = this.timers.peek()
        if (!next) {
          throw new SimClockError(
            `sim clock: stuck at ${this.describe(this.current)}: the run is waiting on something that is not a virtual timer (a real setTimeout, real network I/O, or a promise nobody resolves)`
          )
        }
        if (next.at > deadline) {
          throw new SimClockError(
            `sim clock: virtual time limit of ${formatDuration(limitMs / 1000)} reached (at ${this.describe(deadline)}) and the run has not finished; the next timer is at ${this.describe(next.at)}`
          )
        }
        if (++steps > maxSteps) {
          throw new SimClockError(
            `sim clock: step limit of ${maxSteps} timer batches reached at ${this.describe(this.current)} and the run has not finished`
          )
        }
        atSameInstant = next.at === this.current ? atSameInstant + 1 : 0
        if (atSameInstant > MAX_STEPS_AT_ONE_INSTANT) {
          throw new SimClockError(
            `sim clock: ${MAX_STEPS_AT_ONE_INSTANT} timer batches at ${this.describe(this.current)} without time moving: a loop sleeps 0 ms forever`
          )
        }
        this.moveTo(next.at)
      }
    } finally {
      this.running = false
    }
    if (!outcome.ok) throw outcome.error
    return outcome.value
  }

  /** Lets `ms` of virtual time pass (the world evolves, background sleepers run). */
  advance(ms: number, opts: RunOptions = {}): Promise<void> {
    return this.run(() => this.sleep(ms), {
      maxSteps: opts.maxSteps,
      limitMs: Math.max(ms, opts.limitMs ?? 0)
    })
  }

  private moveTo(at: number): void {
    for (const hook of this.hooks) hook(at)
    this.current = at
    // Every sleeper due now wakes in registration order; their continuations run on the next settle.
    while (this.timers.size > 0 && (this.timers.peek() as Timer).at <= at)
      (this.timers.pop() as Timer).resolve()
  }

  /** Flushes promise continuations, and waits for real I/O in flight (a file read) to complete. */
  private async settle(): Promise<void> {
    await immediate()
    await immediate()
    const started = Date.now()
    while (ioInFlight() && Date.now() - started < IO_WAIT_LIMIT_MS) {
      await realDelay(1)
      await immediate()
    }
  }

  /** Nothing is scheduled: give real work a short grace period before calling the run stuck. */
  private async waitForStraggler(done: () => boolean): Promise<void> {
    const started = Date.now()
    while (!done() && this.timers.size === 0 && Date.now() - started < STUCK_GRACE_MS) {
      await realDelay(5)
      await this.settle()
    }
  }

  private describe(ms: number): string {
    return `${new Date(ms).toISOString()} (+${formatDuration((ms - this.startMs) / 1000)})`
  }
}

function ioInFlight(): boolean {
  return process.getActiveResourcesInfo().some(r => IO_REQUESTS.has(r))
}
