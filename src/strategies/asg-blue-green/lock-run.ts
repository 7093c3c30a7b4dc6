// Whether the run a lock names is still alive, asked of GitHub (the Actions runs API, which needs
// `actions: read`): a run that has completed, or whose attempt a newer attempt has replaced, holds
// nothing, whatever the lock's age. Only when GitHub cannot be asked (no token, 403, a run of another
// repository, a run GitHub does not know) does the lock's age decide, as it did before.
import type { DeployContext } from '../../context.js'
import { errorMessage } from '../../errors.js'
import { Tags } from '../../constants.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import { describeHolder, lockIsFresh, parseLock, type LockHolder } from './lock.js'
import type { GroupView } from './model.js'

/** What GitHub says of a lock's run: `live` holds it, `ended` frees it, `unknown` leaves it to age. */
export interface RunVerdict {
  kind: 'live' | 'ended' | 'unknown'
  /** Why, in words: GitHub's answer, or why it could not be asked. */
  why: string
}

/** True while the lock keeps this run waiting: its run is live, or unknown and the lock still young. */
export function lockHeld(
  lock: LockHolder,
  verdict: RunVerdict | undefined,
  nowMs: number,
  waitTimeoutSeconds: number
): boolean {
  if (verdict?.kind === 'live') return true
  if (verdict?.kind === 'ended') return false
  return lockIsFresh(lock, nowMs, waitTimeoutSeconds)
}

/** Asks GitHub about the run one lock names. Never throws: an unanswered question is `unknown`. */
export async function askAboutRun(
  ctx: DeployContext<AsgBlueGreenSettings>,
  lock: LockHolder
): Promise<RunVerdict> {
  const { event, github } = ctx
  const run = `run ${lock.runId}`
  // An earlier attempt of this very run has ended: this attempt only starts once it has.
  if (lock.runId === event.runId && lock.attempt && event.runAttempt && lock.attempt < event.runAttempt)
    return {
      kind: 'ended',
      why: `it is attempt ${lock.attempt} of this run, now at attempt ${event.runAttempt}`
    }
  if (!github) return { kind: 'unknown', why: 'no github-token to ask GitHub with' }
  if (lock.runId === 'local') return { kind: 'unknown', why: 'it names no workflow run' }
  if (lock.repository && lock.repository !== event.repository)
    return { kind: 'unknown', why: `${run} is a run of another repository (${lock.repository})` }
  let status
  try {
    status = await github.workflowRun(lock.runId)
  } catch (e) {
    if ((e as { status?: number }).status === 403)
      return {
        kind: 'unknown',
        why: "the github-token may not read workflow runs (403: it needs 'actions: read')"
      }
    return { kind: 'unknown', why: `GitHub did not answer about ${run} (${errorMessage(e)})` }
  }
  if (!status) return { kind: 'unknown', why: `GitHub does not know ${run}` }
  if (status.status === 'completed')
    return {
      kind: 'ended',
      why: `GitHub says ${run} has completed${status.conclusion ? ` (${status.conclusion})` : ''}`
    }
  if (lock.attempt && status.attempt > lock.attempt)
    return {
      kind: 'ended',
      why: `GitHub says ${run} is at attempt ${status.attempt}, so attempt ${lock.attempt} has ended`
    }
  return { kind: 'live', why: `GitHub says ${run} is ${status.status}` }
}

/**
 * GitHub's verdict on every other run's lock on `groups`, by the lock's raw value, each asked once.
 * A lock GitHub cannot be asked about is said once (a line per change), with when its age frees it.
 */
export async function askAboutLockRuns(
  ctx: DeployContext<AsgBlueGreenSettings>,
  groups: GroupView[],
  ownLock?: string
): Promise<Map<string, RunVerdict>> {
  const verdicts = new Map<string, RunVerdict>()
  for (const g of groups) {
    const lock = parseLock(g.tags[Tags.Lock])
    if (!lock || lock.raw === ownLock || verdicts.has(lock.raw)) continue
    const verdict = await askAboutRun(ctx, lock)
    verdicts.set(lock.raw, verdict)
    if (verdict.kind === 'unknown' && lockIsFresh(lock, ctx.clock.now(), ctx.settings.waitTimeoutSeconds)) {
      const expires = new Date(lock.atMs + ctx.settings.waitTimeoutSeconds * 1000).toISOString()
      ctx.log.change(
        `lock-run ${lock.raw}`,
        `Lock of ${describeHolder(lock)}: GitHub cannot be asked whether it is still running (${verdict.why}); ` +
          `going by its age instead: it counts as abandoned once older than wait-timeout, at ${expires}.`
      )
    }
  }
  return verdicts
}
