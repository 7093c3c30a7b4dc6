// Tearing a PR's preview down when the PR closes: everything tagged as its preview goes, and the PR
// comment says so. Nothing found (a second run, a PR that never had a preview) is a quiet success.
import { Inputs } from '../../../constants.js'
import type { StrategyResult } from '../../../context.js'
import { markEnvironmentInactive } from '../../../deployments.js'
import type { PreviewContext } from '../base.js'
import { readSharedAlb } from '../base.js'
import { findPreviews, isEmpty } from '../find.js'
import { commentMarker } from '../naming.js'
import { editPreviewComment } from '../comment.js'
import { removePreview } from './remove.js'

export async function destroyPreview(ctx: PreviewContext, pr: number): Promise<StrategyResult> {
  const { log, settings, aws } = ctx
  const alb = await log.phase('Read the shared load balancer', () => readSharedAlb(ctx))
  const found = (await log.phase(`Find the preview of PR #${pr}`, () => findPreviews(ctx, alb, pr))).get(pr)
  const comment = {
    marker: commentMarker(alb.baseKey),
    pr,
    status: 'torn-down' as const,
    sha: ctx.event.pullRequest?.headSha || undefined,
    branch: ctx.event.pullRequest?.headRef || undefined,
    at: ctx.clock.now(),
    detail:
      ctx.event.pullRequest?.action === 'closed'
        ? `pull request #${pr} closed`
        : `'${Inputs.PreviewAction}: ${settings.previewAction}' on ${ctx.event.eventName || 'a manual run'}`
  }
  if (!found || isEmpty(found)) {
    log.info(`No preview of PR #${pr} exists: nothing to tear down.`)
    await editPreviewComment(ctx, comment)
    if (!aws.dryRun) await markEnvironmentInactive(ctx.github, `pr-${pr}`, log)
    return { outcome: 'torn-down', message: `No preview of PR #${pr} to tear down.` }
  }
  const removed = await removePreview(ctx, settings.cluster, found)
  log.section(`Preview of PR #${pr} torn down`, removed.map(r => `- ${r}`).join('\n'))
  if (aws.dryRun)
    return {
      outcome: 'planned',
      message: `Dry run: would tear down the preview of PR #${pr}; nothing was changed.`
    }
  await editPreviewComment(ctx, comment)
  // The PR's own GitHub environment (deploys record it per PR, whatever the 'environment' input says).
  await markEnvironmentInactive(ctx.github, `pr-${pr}`, log)
  return { outcome: 'torn-down', message: `Preview of PR #${pr} torn down (${removed.join(', ')}).` }
}
