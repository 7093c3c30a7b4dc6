// Cancellation. GitHub cancels a step by sending SIGINT to its node process, SIGTERM 7.5 s later,
// and kills the process tree 2.5 s after that
// (https://docs.github.com/en/actions/reference/workflow-cancellation-reference). On the first
// signal the run's AbortSignal aborts: every wait on the run's clock ends at once, pollUntil looks no
// more, and AwsApi refuses new mutating calls. The strategy unwinds, then the safe states it
// registered on ctx.state (RunState.onCancel) run within CANCEL_BUDGET_MS on the same injected clock,
// with a clock and an AwsApi of their own, so the simulation tests all of it on virtual time.
//
// Why no `post:` step: a JavaScript action's `runs.post` does run after a cancelled job (post-if
// defaults to always(); the runner's StepsRunner evaluates it against the job status), but in a new
// process that knows only what GITHUB_STATE carried, after the other actions' post steps, it is
// skipped when the runner itself shuts down, and nothing runs when the runner machine dies. The
// in-process safe state plus a lock that a later run frees by asking GitHub whether its run ended
// cover the cancel and the death alike.
import type { Clock } from './clock.js'
import type { Reporter } from './report.js'

export type CancelSignal = 'SIGINT' | 'SIGTERM'

/** From the first signal: the strategy's unwinding and every safe state, well inside the 7.5 s to SIGTERM. */
export const CANCEL_BUDGET_MS = 5000
/** Of that budget: how long the strategy may take to unwind (its call in flight lands and is recorded). */
export const SETTLE_MS = 1000
/** After the budget: the GitHub deployment's final status. 5 + 1.5 s stays clear of SIGTERM at 7.5 s. */
export const REPORT_BUDGET_MS = 1500

/** What every wait and refused call of a cancelled run rejects with. */
export class CancelledError extends Error {
  constructor(readonly by: string) {
    super(`Cancelled (${by})`)
    this.name = 'CancelledError'
  }
}

/** True for the error a cancelled run's waits and calls fail with: not a failure of the deploy. */
export function isCancellation(e: unknown): boolean {
  return e instanceof CancelledError
}

/** `work`, or a rejection with the signal's reason as soon as the signal aborts, whichever comes first. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      v => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      }
    )
  })
}

/** The clock a run (or its safe state) is handed: every sleep ends as soon as `signal` aborts. */
export function cancellableClock(clock: Clock, signal: AbortSignal): Clock {
  return {
    now: () => clock.now(),
    // Raced as well as passed on, so a clock that ignores the signal still ends the wait at once.
    sleep: ms => untilAborted(clock.sleep(ms, signal), signal)
  }
}

/** A signal that aborts `ms` from now on `clock`; `done()` clears its timer. */
export function deadlineSignal(
  clock: Clock,
  ms: number,
  reason: () => Error
): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController()
  const cleared = new AbortController()
  clock.sleep(ms, cleared.signal).then(
    () => controller.abort(reason()),
    () => {}
  )
  return { signal: controller.signal, done: () => cleared.abort() }
}

/** `work`'s result, or undefined once `ms` pass on `clock` first (the work goes on unwatched). */
export async function withinMs<T>(clock: Clock, ms: number, work: Promise<T>): Promise<T | undefined> {
  const timeout = deadlineSignal(clock, ms, () => new Error('timed out'))
  try {
    return await untilAborted(work, timeout.signal)
  } catch (e) {
    if (timeout.signal.aborted && e === timeout.signal.reason) return undefined
    throw e
  } finally {
    timeout.done()
  }
}

/** Subscribes to the signals that cancel a run; returns the unsubscribe. */
export type SignalSource = (onSignal: (name: CancelSignal) => void) => () => void

/**
 * The process's SIGINT and SIGTERM. While subscribed, they no longer end the process by themselves:
 * the run ends when its safe state is reached.
 */
export const processSignals: SignalSource = onSignal => {
  const onInt = () => onSignal('SIGINT')
  const onTerm = () => onSignal('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return () => {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
}

/** One run's cancellation: the signal the run's clock and AwsApi honour, and when and why it came. */
export class RunCancellation {
  private readonly controller = new AbortController()
  readonly signal = this.controller.signal
  /** Resolves with the first signal's name. */
  readonly requested: Promise<CancelSignal>
  private resolveRequested: (name: CancelSignal) => void = () => {}
  private first: { by: CancelSignal; atMs: number; phase: string | undefined } | undefined

  constructor(
    private readonly clock: Clock,
    private readonly log: Reporter
  ) {
    this.requested = new Promise(resolve => (this.resolveRequested = resolve))
  }

  get by(): CancelSignal | undefined {
    return this.first?.by
  }

  /** The phase that was running when the first signal came. */
  get phase(): string | undefined {
    return this.first?.phase
  }

  /** A signal arrived. The first cancels; a later one (GitHub's SIGTERM) changes nothing but a log line. */
  receive(name: CancelSignal): void {
    const now = this.clock.now()
    if (this.first) {
      const leftMs = Math.max(0, this.first.atMs + CANCEL_BUDGET_MS - now)
      this.log.warning(
        `${name} while reaching a safe state: going on for the ${(leftMs / 1000).toFixed(1)}s the budget has left, then exiting.`
      )
      return
    }
    this.first = { by: name, atMs: now, phase: this.log.currentPhase }
    this.log.warning(
      `${name}: the run is cancelled. Starting no new work; bringing the deploy to a safe state within ${CANCEL_BUDGET_MS / 1000}s.`
    )
    this.controller.abort(new CancelledError(name))
    this.resolveRequested(name)
  }

  /** Milliseconds of the budget left (the whole budget before any signal). */
  budgetLeftMs(): number {
    return this.first ? Math.max(0, this.first.atMs + CANCEL_BUDGET_MS - this.clock.now()) : CANCEL_BUDGET_MS
  }
}
