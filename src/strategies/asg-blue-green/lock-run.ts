// Whether the run a lock names is still alive, asked of GitHub (src/workflow-runs.ts): a run that has
// completed, or whose attempt a newer attempt has replaced, holds nothing, whatever the lock's age.
// Only when GitHub cannot be asked (no token, 403, a run of another repository, a run GitHub does not
// know) does the lock's age decide, as it did before.
import type { DeployContext } from '../../context.js'
import { Tags } from '../../constants.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import { describeHolder, lockIsFresh, parseLock, type LockHolder } from './lock.js'
import type { GroupView } from './model.js'
import { askAboutRun, type RunVerdict } from '../../workflow-runs.js'

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
