// How a failed deploy is reported: before the preview stood (after undo), as the quota or race it was
// when it was one; after, with what happened to the preview (rolled back, left on the new revision).
import { DeployError, errorMessage } from '../../../errors.js'
import { findPreviews, isEmpty } from '../find.js'
import { quotaError } from './quotas.js'
import type { PreviewRun } from './run.js'

/** The error a failure before the preview stood is reported as, once undo has run. */
export async function creationFailure(run: PreviewRun, e: unknown): Promise<unknown> {
  return quotaError(e, run.alb, run.pr) ?? (await concurrentRunError(run)) ?? e
}

/**
 * A fresh preview whose creation failed while, after this run's undo, resources of the PR exist: another
 * run of the same PR (`opened` and `labeled` fire together) created them at the same moment.
 */
async function concurrentRunError(run: PreviewRun): Promise<DeployError | undefined> {
  if (!isEmpty(run.existing)) return undefined
  // A failing look is no reason to hide the original failure.
  const now = await findPreviews(run.ctx, run.alb, run.pr).then(
    found => found.get(run.pr),
    () => undefined
  )
  if (!now || isEmpty(now)) return undefined
  return new DeployError(
    `Another run created the preview of PR #${run.pr} at the same moment as this one; this run undid what it ` +
      `had created and stopped, and the other run's preview stands.`,
    `give the workflow one concurrency group per pull request, e.g. ` +
      `'concurrency: preview-\${{ github.event.pull_request.number }}', so runs of a PR queue instead of racing; ` +
      're-run this job to update the preview.'
  )
}

/** The failure, with what happened to the preview after it appended; the fix stays the failure's. */
export function withOutcome(e: unknown, outcome: string | undefined): unknown {
  if (outcome === undefined) return e
  const message = `${errorMessage(e)}; ${outcome}`
  if (e instanceof DeployError) return new DeployError(message, e.hint, { cause: e })
  // Keeps the AWS error's name: run() explains AccessDenied and the like by it.
  return Object.assign(new Error(message, { cause: e }), { name: (e as Error)?.name ?? 'Error' })
}
