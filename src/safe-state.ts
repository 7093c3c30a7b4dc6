// What a cancelled run does before it exits: lets the strategy unwind for a moment, runs the safe
// states the strategy registered (RunState.onCancel, newest first) within the grace budget, and
// words what was left: each safe state's own lines, then what the run's record says it changed.
import {
  CancelledError,
  SETTLE_MS,
  cancellableClock,
  deadlineSignal,
  isCancellation,
  untilAborted,
  withinMs,
  type RunCancellation
} from './cancellation.js'
import type { Clock } from './clock.js'
import type { DeployContext } from './context.js'
import { errorMessage } from './errors.js'
import type { Cancelled, Done } from './run-state.js'

/**
 * Brings a cancelled run to its safe state. `ctx` is the run's (its clock and AwsApi are cancelled);
 * `clock` the plain injected one; `unwound` settles when the strategy has stopped.
 */
export async function reachSafeState(
  ctx: DeployContext,
  clock: Clock,
  cancellation: RunCancellation,
  unwound: Promise<unknown>
): Promise<Cancelled> {
  const by = cancellation.by ?? 'a signal'
  const phase = cancellation.phase
  const budget = deadlineSignal(
    clock,
    cancellation.budgetLeftMs(),
    () => new CancelledError('the grace budget ran out')
  )
  try {
    // Its call in flight lands and is recorded; its next wait or write ends it.
    await withinMs(clock, Math.min(SETTLE_MS, cancellation.budgetLeftMs()), unwound)
    const safeClock = cancellableClock(clock, budget.signal)
    const safe: DeployContext = {
      ...ctx,
      clock: safeClock,
      aws: ctx.aws.boundTo(budget.signal, safeClock),
      signal: budget.signal
    }
    const left = [`Cancelled by ${by}${phase ? ` during ${phase}` : ''}.`]
    const handlers = ctx.state.safeStates()
    if (handlers.length > 0) {
      await ctx.log.phase('Safe state', async () => {
        for (const [name, handler] of handlers) left.push(...(await runOne(safe, name, handler)))
      })
    }
    left.push(...recordLines(ctx))
    for (const line of left) ctx.log.info(line)
    return { by, left }
  } finally {
    budget.done()
  }
}

async function runOne(
  safe: DeployContext,
  name: string,
  handler: (ctx: DeployContext) => Promise<string[] | void>
): Promise<string[]> {
  if (safe.signal.aborted) return [`${name}: not made safe, the grace budget ran out first.`]
  try {
    return (await untilAborted(handler(safe), safe.signal)) ?? []
  } catch (e) {
    return [
      isCancellation(e)
        ? `${name}: the grace budget ran out before its safe state was reached.`
        : `${name}: its safe state failed: ${errorMessage(e)}`
    ]
  }
}

/** What the run's record says it changed; the AWS calls it made when nothing was recorded. */
function recordLines(ctx: DeployContext): string[] {
  const done = ctx.state.done
  if (done.length > 0) return [`This run ${done.map(describeDone).join('; ')}.`]
  if (ctx.aws.dryRun) return ['A dry run: nothing was changed.']
  const calls = ctx.aws.mutations.map(m => m.operation)
  if (calls.length === 0) return ['Nothing was changed before the cancellation.']
  return [`Changing AWS calls this run made: ${calls.join(', ')}.`]
}

const describeDone = (d: Done) => `${d.change} ${d.kind} ${d.id}`
