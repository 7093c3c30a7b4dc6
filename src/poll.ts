// The one poll loop: look at a state, log a line when it changes, stop when done, failed or out of
// time; sleep on the injected clock in between. Every wait of every strategy (and the smoke test)
// is a `pollUntil`; retrying a failed AWS call is AwsApi.retryOn's job, not this one's.
import type { Clock } from './clock.js'
import type { Reporter } from './report.js'

export interface PollDeps {
  clock: Clock
  log: Reporter
  /** Once it aborts, no further look or tick: the poll rejects with its reason (the run is cancelled). */
  signal?: AbortSignal
}

/** One look at the state being waited for. */
export interface Look {
  done: boolean
  /** The state in one line: logged (log.change under the poll's key) when it changes. */
  status?: string
  /** Stop now with this error, once the status is logged: nothing will get better. */
  failure?: Error
}

export interface PollOptions<L extends Look> {
  /** The log.change key of the status line. */
  key: string
  /** The log line of a status; the status itself by default. */
  line?: (status: string) => string
  /** Called after a status line changed, e.g. to add a row to a summary table. */
  onChange?: (look: L) => void
  timeoutMs: number
  intervalMs: number
  /**
   * How the last look meets the deadline. `clip`: the last sleep is cut short so a look lands on the
   * deadline. `whole`: every sleep is a whole interval, and none would end past the deadline.
   */
  deadline: 'clip' | 'whole'
  /** Run between looks, before the sleep (a long deploy refreshes its lock here). */
  tick?: () => Promise<void>
  /** The error a timeout fails with; without one (or when it returns none) the last look is returned. */
  timedOut?: (last: L, looks: number) => Error | undefined | Promise<Error | undefined>
}

/** How most waits are timed by the inputs: bounded by 'wait-timeout', a look every 'poll-interval'. */
export function inputTiming(settings: {
  waitTimeoutSeconds: number
  pollIntervalSeconds: number
}): Pick<PollOptions<Look>, 'timeoutMs' | 'intervalMs' | 'deadline'> {
  return {
    timeoutMs: settings.waitTimeoutSeconds * 1000,
    intervalMs: settings.pollIntervalSeconds * 1000,
    deadline: 'clip'
  }
}

export interface PollResult<L extends Look> {
  done: boolean
  last: L
  waitedMs: number
  /** How many looks it took. */
  looks: number
}

/** Looks until done (or failed, or timed out); `look` gets the number of the look, from 1. */
export async function pollUntil<L extends Look>(
  deps: PollDeps,
  opts: PollOptions<L>,
  look: (n: number) => Promise<L>
): Promise<PollResult<L>> {
  const { clock, log } = deps
  const started = clock.now()
  const deadline = started + opts.timeoutMs
  let n = 0
  for (;;) {
    deps.signal?.throwIfAborted()
    const last = await look(++n)
    if (last.status !== undefined && log.change(opts.key, opts.line?.(last.status) ?? last.status))
      opts.onChange?.(last)
    if (last.failure) throw last.failure
    if (last.done) return { done: true, last, waitedMs: clock.now() - started, looks: n }
    const now = clock.now()
    const outOfTime = opts.deadline === 'clip' ? now >= deadline : now + opts.intervalMs > deadline
    if (outOfTime) {
      const error = await opts.timedOut?.(last, n)
      if (error) throw error
      return { done: false, last, waitedMs: now - started, looks: n }
    }
    deps.signal?.throwIfAborted()
    await opts.tick?.()
    await clock.sleep(opts.deadline === 'clip' ? Math.min(opts.intervalMs, deadline - now) : opts.intervalMs)
  }
}
