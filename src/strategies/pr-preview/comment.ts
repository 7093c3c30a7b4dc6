// The PR comment: one per preview, found again by its hidden marker and edited on every run. Anything
// a PR author controls (branch, title) is rendered inert: no links, mentions, HTML or code spans.
// Posting it: the preview is what matters, so no token, or GitHub refusing, is a warning.
import { errorMessage } from '../../errors.js'
import type { PreviewContext } from './base.js'

export type CommentStatus = 'deployed' | 'failed' | 'torn-down' | 'removed'

export interface CommentModel {
  marker: string
  pr: number
  status: CommentStatus
  url?: string
  sha?: string
  branch?: string
  title?: string
  /** Epoch milliseconds of this update. */
  at: number
  /** One line on what happened: the smoke test's answer, the failure, why a sweep removed it. */
  detail?: string
  /** Where the preview runs, e.g. `service web-pr-7 in cluster main`. */
  where?: string
}

// Characters that start markup in GitHub Markdown or HTML, written as numeric entities: they render as
// themselves but cannot open a link, an image, a tag, emphasis, a code span or a table cell.
const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '|': '&#124;',
  '\\': '&#92;',
  '!': '&#33;',
  '#': '&#35;',
  ':': '&#58;'
}

const MAX_TEXT = 200

/** PR-supplied text as plain, inert Markdown on one line. */
export function inert(text: string): string {
  // eslint-disable-next-line no-control-regex
  let t = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim()
  if (t.length > MAX_TEXT) t = `${t.slice(0, MAX_TEXT - 1)}…`
  return (
    t
      .replace(/[&<>"'`[\]()*_~|\\!#:]/g, c => ENTITY[c])
      // A zero-width space after `@` keeps `@team` from notifying anyone; after `www` from autolinking.
      .replace(/@/g, '@&#8203;')
      .replace(/www\./gi, m => `${m.slice(0, 3)}&#8203;.`)
  )
}

const SHA = /^[0-9a-f]{7,64}$/i
const SAFE_URL = /^https?:\/\/[^\s<>()[\]`"'\\]+$/

const HEADINGS: Record<CommentStatus, string> = {
  deployed: '✅ Preview is ready',
  failed: '❌ Preview failed',
  'torn-down': '🧹 Preview torn down',
  removed: '🧹 Preview removed'
}

/** `2024-05-01 12:00 UTC` */
export function commentTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export function renderComment(m: CommentModel): string {
  const lines = [m.marker, `### ${HEADINGS[m.status]}`, '']
  const live = m.status === 'deployed' || m.status === 'failed'
  if (live && m.url) lines.push(`- **URL:** ${SAFE_URL.test(m.url) ? m.url : inert(m.url)}`)
  if (m.sha) lines.push(`- **Commit:** ${SHA.test(m.sha) ? `\`${m.sha}\`` : inert(m.sha)}`)
  if (m.branch) lines.push(`- **Branch:** ${inert(m.branch)}`)
  if (m.title) lines.push(`- **Title:** ${inert(m.title)}`)
  lines.push(`- **Status:** ${statusLine(m)}`)
  lines.push(`- **Updated:** ${commentTime(m.at)}`)
  lines.push('')
  const footer =
    m.status === 'deployed' || m.status === 'failed'
      ? 'Updated on every push; torn down when the pull request closes.'
      : 'Push to the pull request again (or reopen it) to get a new preview.'
  lines.push(`<sub>zdt-deploy pr-preview${m.where ? ` · ${inert(m.where)}` : ''} · ${footer}</sub>`)
  return lines.join('\n')
}

function statusLine(m: CommentModel): string {
  const detail = m.detail ? `: ${inert(m.detail)}` : ''
  switch (m.status) {
    case 'deployed':
      return `deployed${detail}`
    case 'failed':
      return `failed${detail}`
    case 'torn-down':
      // The teardown's own reason (closed PR, or a manual `preview-action: destroy`): not user text.
      return `torn down${m.detail ? ` (${m.detail})` : ''}`
    case 'removed':
      return `removed by the sweep${detail}`
  }
}

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
