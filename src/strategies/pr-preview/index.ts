// The pr-preview strategy: one isolated copy of a base ECS service per pull request on a shared ALB.
// What a run does comes from `preview-action` or the event: deploy (PR opened, pushed to, reopened,
// labeled), tear down (PR closed), or sweep (schedule / workflow_dispatch).
import { Inputs } from '../../constants.js'
import type { DeployContext, StrategyResult } from '../../context.js'
import { DeployError } from '../../errors.js'
import type { PrPreviewSettings } from '../../inputs.js'
import { isForkPullRequest, pullRequestNumber, selectAction } from './action.js'
import { deployPreview } from './deploy/index.js'
import { sweepPreviews } from './sweep/index.js'
import { destroyPreview } from './teardown/index.js'

export async function prPreview(ctx: DeployContext<PrPreviewSettings>): Promise<StrategyResult> {
  const { settings, event, log } = ctx
  const action = selectAction(settings.previewAction, event, settings.environment)
  if (action.kind === 'skip') {
    // run() logs the result's message: said once.
    return { outcome: 'skipped', message: `Nothing to do: ${action.why}.` }
  }
  log.info(`pr-preview: ${action.kind} (${action.why})`)
  if (action.kind === 'sweep') return sweepPreviews(ctx)

  const pr = pullRequestNumber(event, settings.environment)
  if (pr === undefined)
    throw new DeployError(
      `pr-preview ${action.kind} needs a pull request, and event '${event.eventName || 'unknown'}' carries none.`,
      `run it on pull_request events, or set '${Inputs.Environment}' to the PR's environment, e.g. 'pr-42'.`
    )
  if (isForkPullRequest(event) && !settings.allowForks) {
    const fork = event.pullRequest?.headRepo ? `the fork ${event.pullRequest.headRepo}` : 'a deleted fork'
    const message =
      `PR #${pr} comes from ${fork}: previews of forks are refused (their code would run ` +
      `with this repository's AWS access). Set '${Inputs.AllowForks}: true' to allow them.`
    log.warning(message)
    log.section('Preview skipped', message)
    return { outcome: 'skipped', message: `Preview of fork PR #${pr} skipped.` }
  }
  return action.kind === 'deploy' ? deployPreview(ctx, pr) : destroyPreview(ctx, pr)
}
