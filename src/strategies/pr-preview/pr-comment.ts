// Posting the PR comment. The preview is what matters: no token, or GitHub refusing, is a warning.
import { errorMessage } from '../../errors.js'
import type { PreviewContext } from './base.js'
import { renderComment, type CommentModel } from './comment.js'

function statusMarker(status: CommentModel['status']): string {
  return `<!-- zdt-deploy:status:${status} -->`
}

function body(model: CommentModel): string {
  return `${renderComment(model)}\n${statusMarker(model.status)}`
}

/** Creates the comment or edits the one carrying the marker. */
export async function upsertPreviewComment(ctx: PreviewContext, model: CommentModel): Promise<void> {
  const { github, log } = ctx
  if (ctx.aws.dryRun) {
    log.info(`[dry-run] would comment on PR #${model.pr}: preview ${model.status}`)
    return
  }
  if (!github) {
    log.warning(`No 'github-token': the preview's URL was not commented on PR #${model.pr}.`)
    return
  }
  try {
    await github.upsertComment(model.pr, model.marker, body(model))
    log.info(`PR #${model.pr} comment: preview ${model.status}`)
  } catch (e) {
    log.warning(`Could not comment on PR #${model.pr}: ${hint(e)}`)
  }
}

/** Edits the existing comment only (a teardown never creates one); skips it if it already says so. */
export async function editPreviewComment(ctx: PreviewContext, model: CommentModel): Promise<void> {
  const { github, log } = ctx
  if (ctx.aws.dryRun) {
    log.info(`[dry-run] would mark the PR #${model.pr} comment: preview ${model.status}`)
    return
  }
  if (!github) {
    log.warning(`No 'github-token': the PR #${model.pr} comment was not updated.`)
    return
  }
  try {
    const existing = await github.findComment(model.pr, model.marker)
    if (!existing || existing.body.includes(statusMarker(model.status))) return
    await github.updateComment(existing.id, body(model))
    log.info(`PR #${model.pr} comment: preview ${model.status}`)
  } catch (e) {
    log.warning(`Could not update the PR #${model.pr} comment: ${hint(e)}`)
  }
}

function hint(e: unknown): string {
  const status = (e as { status?: number }).status
  if (status === 403 || status === 401)
    return `${errorMessage(e)} (the token needs 'pull-requests: write'; fork PRs get a read-only token)`
  return errorMessage(e)
}
