// The sweep (schedule / workflow_dispatch): every preview of this repository and base service, found by
// tags, is removed when its PR is closed (asked from GitHub) or it has been idle longer than
// `preview-ttl`; the job summary lists what was removed and what was kept, and why.
import { formatDuration } from '../../../clock.js'
import { Inputs } from '../../../constants.js'
import type { StrategyResult } from '../../../context.js'
import { markEnvironmentInactive } from '../../../deployments.js'
import { DeployError, errorMessage } from '../../../errors.js'
import { readSharedAlb, type PreviewContext } from '../base.js'
import { findPreviews } from '../find.js'
import { commentMarker } from '../naming.js'
import { editPreviewComment } from '../comment.js'
import { removePreview } from '../teardown/remove.js'

export type PrState = 'open' | 'closed' | 'missing' | 'unknown'

export interface SweepDecision {
  remove: boolean
  reason: string
}

/** Pure: whether a preview goes, and why (closed PR first, then idleness). */
export function decide(
  state: PrState,
  deployedAt: number | undefined,
  now: number,
  ttlSeconds: number
): SweepDecision {
  if (state === 'closed') return { remove: true, reason: 'pull request closed' }
  if (state === 'missing') return { remove: true, reason: 'pull request not found' }
  const stateNote = state === 'unknown' ? 'pull request state unknown' : 'pull request open'
  if (deployedAt === undefined) return { remove: false, reason: `${stateNote}; no deploy time recorded` }
  const idle = Math.max(0, (now - deployedAt) / 1000)
  if (idle > ttlSeconds)
    return {
      remove: true,
      reason: `idle for ${formatDuration(idle)} (${Inputs.PreviewTtl} ${formatDuration(ttlSeconds)})`
    }
  return { remove: false, reason: `${stateNote}; last deployed ${formatDuration(idle)} ago` }
}

interface Row {
  pr: number
  decision: SweepDecision
  outcome: 'removed' | 'kept' | 'failed' | 'planned'
  detail: string
}

export async function sweepPreviews(ctx: PreviewContext): Promise<StrategyResult> {
  const { log, settings, clock, aws } = ctx
  const alb = await log.phase('Read the shared load balancer', () => readSharedAlb(ctx))
  const previews = await log.phase('Find previews', () => findPreviews(ctx, alb))
  log.info(
    previews.size === 0
      ? `No previews of ${alb.baseKey} in ${alb.repo}.`
      : `Previews of ${alb.baseKey}: PR ${[...previews.keys()]
          .sort((a, b) => a - b)
          .map(n => `#${n}`)
          .join(', ')}`
  )
  if (!ctx.github)
    log.warning(
      `No 'github-token': pull request states are unknown, so only '${Inputs.PreviewTtl}' decides what the ` +
        `sweep removes.`
    )

  const rows: Row[] = []
  for (const r of [...previews.values()].sort((a, b) => a.pr - b.pr)) {
    const state = await pullRequestState(ctx, r.pr)
    const decision = decide(state, r.deployedAt, clock.now(), settings.previewTtlSeconds)
    if (!decision.remove) {
      rows.push({ pr: r.pr, decision, outcome: 'kept', detail: '' })
      continue
    }
    log.info(`PR #${r.pr}: removing (${decision.reason})`)
    try {
      const removed = await removePreview(ctx, settings.cluster, r)
      if (aws.dryRun) {
        rows.push({ pr: r.pr, decision, outcome: 'planned', detail: removed.join(', ') })
        continue
      }
      rows.push({ pr: r.pr, decision, outcome: 'removed', detail: removed.join(', ') })
      await editPreviewComment(ctx, {
        marker: commentMarker(alb.baseKey),
        pr: r.pr,
        status: 'removed',
        at: clock.now(),
        detail: decision.reason
      })
      await markEnvironmentInactive(ctx.github, `pr-${r.pr}`, log)
    } catch (e) {
      log.warning(`PR #${r.pr}: the preview could not be removed: ${errorMessage(e)}`)
      rows.push({ pr: r.pr, decision, outcome: 'failed', detail: errorMessage(e) })
    }
  }

  log.section('Preview sweep', sweepTable(rows, alb.baseKey, settings.previewTtlSeconds))
  const count = (o: Row['outcome']) => rows.filter(r => r.outcome === o).length
  const failed = rows.filter(r => r.outcome === 'failed')
  if (failed.length > 0)
    throw new DeployError(
      `The sweep could not remove the preview of ${failed.map(r => `PR #${r.pr}`).join(', ')}: ${failed[0].detail}`,
      'see the log above for the AWS error; the next sweep tries again.'
    )
  const message = aws.dryRun
    ? `Dry run: the sweep would remove ${count('planned')} preview(s) and keep ${count('kept')}; nothing was changed.`
    : `Sweep: removed ${count('removed')} preview(s), kept ${count('kept')}.`
  return { outcome: aws.dryRun ? 'planned' : 'swept', message }
}

async function pullRequestState(ctx: PreviewContext, pr: number): Promise<PrState> {
  if (!ctx.github) return 'unknown'
  try {
    return (await ctx.github.pullRequestState(pr)) ?? 'missing'
  } catch (e) {
    ctx.log.warning(`Could not read the state of PR #${pr} from GitHub: ${errorMessage(e)}`)
    return 'unknown'
  }
}

function sweepTable(rows: Row[], key: string, ttlSeconds: number): string {
  if (rows.length === 0) return `No previews of \`${key}\` found.`
  const icon: Record<Row['outcome'], string> = {
    removed: '🧹 removed',
    kept: 'kept',
    failed: '❌ failed',
    planned: 'would remove'
  }
  const lines = [
    `Previews of \`${key}\`, ${Inputs.PreviewTtl} ${formatDuration(ttlSeconds)}:`,
    '',
    '| PR | Outcome | Why |',
    '| --- | --- | --- |',
    ...rows.map(r => `| #${r.pr} | ${icon[r.outcome]} | ${r.decision.reason.replace(/\|/g, '/')} |`)
  ]
  return lines.join('\n')
}
