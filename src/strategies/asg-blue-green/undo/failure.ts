// A step failed: take the deploy back (undo before traffic moved, rollBack after), then fail with
// the original cause and what was done about it.
import { DeployError, errorMessage } from '../../../errors.js'
import { writeRoleTags } from '../roles.js'
import type { AsgRun } from '../state.js'
import { rollBack, undo } from './undo.js'

export type TakeBack = 'undo' | 'rollBack'

// The log group of each, as the job summary has always named them.
const PHASE: Record<TakeBack, string> = { undo: 'Abort', rollBack: 'Rollback' }
// How the failure line names what failed too.
const NAME: Record<TakeBack, string> = { undo: 'abort', rollBack: 'rollback' }

/** Runs the undo or the rollback, then fails with the original cause and what was done about it. */
export async function failAfterUndo(run: AsgRun, cause: unknown, how: TakeBack): Promise<never> {
  const { ctx } = run
  const message = errorMessage(cause).replace(/\.?$/, '.')
  const hint = cause instanceof DeployError ? cause.hint : undefined
  if (how === 'rollBack' && !ctx.settings.rollback) return failKeepingNewFleet(run, cause, message, hint)
  try {
    await ctx.log.phase(PHASE[how], () => (how === 'undo' ? undo(run) : rollBack(run)))
  } catch (e) {
    throw new DeployError(
      `${message} The ${NAME[how]} failed too: ${errorMessage(e)}`,
      takeBackHint(run, e),
      {
        cause
      }
    )
  }
  throw new DeployError(`${message} ${takenBack(run, how)}`, hint, { cause })
}

/** 'rollback: false': the new fleet serves, and the role tags say so for the next run and for people. */
async function failKeepingNewFleet(
  run: AsgRun,
  cause: unknown,
  message: string,
  hint: string | undefined
): Promise<never> {
  const { ctx, active, standby } = run
  await writeRoleTags(ctx, standby.name, active.name)
  const waiting = `${active.name}'s instances ${run.did.oldIds.join(', ')} wait in Standby`
  const byHand =
    `to roll back by hand, exit Standby for those instances, wait until they are healthy, then ` +
    `detach ${standby.name} from the target group; to keep the new version, run the deploy again (it retires the ` +
    `old fleet).`
  throw new DeployError(
    `${message} Not rolled back ('rollback: false'): ${standby.name} serves traffic, ${waiting}.`,
    `${byHand}${hint ? ` Then: ${hint}` : ''}`,
    { cause }
  )
}

function takeBackHint(run: AsgRun, e: unknown): string {
  if (e instanceof DeployError && e.hint) return e.hint
  return (
    `check ${run.active.name} and ${run.standby.name} by hand: which one is attached to the target group, ` +
    `and with how many instances.`
  )
}

function takenBack(run: AsgRun, how: TakeBack): string {
  const { active, standby } = run
  if (how === 'undo')
    return `Aborted before any traffic moved: ${active.name} still serves, ${standby.name} is back to zero.`
  if (run.did.oldIds.length > 0)
    return `Rolled back: ${active.name} serves traffic again, ${standby.name} is back to zero.`
  return `Rolled back: ${standby.name} is out of the target group and back to zero, as before the deploy.`
}
