// How a failed deploy is reported: before the preview stood (after undo), as the quota or race it was
// when it was one; after, with the crash's own words (the last log lines of its tasks) and what happened
// to the preview (rolled back, left on the new revision).
import { lastWords, tasksOfRevision } from '../../../container-logs.js'
import { DeployError, errorMessage } from '../../../errors.js'
import { findPreviews, isEmpty } from '../find.js'
import { quotaError } from './quotas.js'
import { made, type PreviewRun } from './run.js'

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

/**
 * The last log lines of the preview's tasks of the new revision, deduplicated (src/container-logs.ts): of
 * those that stopped (a crash loop, an image that does not start), or else of those running (a failed
 * smoke test). Read before a rollback stops them for another reason. Only for a failure users can act on.
 */
export async function failureWords(run: PreviewRun, failure: unknown): Promise<string | undefined> {
  if (!(failure instanceof DeployError)) return undefined
  const { ctx, names } = run
  const { aws, log, settings } = ctx
  const revision = made(run, 'taskDefinition')
  // A failing look is no reason to hide the original failure.
  const tasks = await tasksOfRevision(
    aws,
    settings.cluster,
    names.service,
    revision.taskDefinitionArn ?? ''
  ).catch((e: unknown) => {
    log.debug(`Reading the preview's tasks for their last log lines: ${errorMessage(e)}`)
    return []
  })
  const stopped = tasks.filter(t => t.lastStatus === 'STOPPED')
  return lastWords({ aws, log, region: settings.region }, stopped.length > 0 ? stopped : tasks, {
    container: run.base.lbContainer.name,
    taskDefinitions: [revision]
  })
}

/**
 * The failure, with what happened to the preview after it appended and then the crash's own words (on
 * lines of their own); the fix stays the failure's.
 */
export function withOutcome(e: unknown, outcome: string | undefined, words?: string): unknown {
  if (outcome === undefined && words === undefined) return e
  const message = `${errorMessage(e)}${outcome === undefined ? '' : `; ${outcome}`}${words ? `\n${words}` : ''}`
  if (e instanceof DeployError) return new DeployError(message, e.hint, { cause: e })
  // Keeps the AWS error's name: run() explains AccessDenied and the like by it.
  return Object.assign(new Error(message, { cause: e }), { name: (e as Error)?.name ?? 'Error' })
}
