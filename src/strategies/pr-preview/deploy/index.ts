// Deploying a PR's preview: copy the base service into a task definition, target group, route and ECS
// service of its own (or update the existing ones in place), wait for it, smoke-test it, comment.
// Reads first; then the steps, each `(run) => Promise<void>` over one run state; undo if one fails;
// then the proof, and a rollback if the proof fails.
import { isCancellation } from '../../../cancellation.js'
import { Outputs } from '../../../constants.js'
import type { StrategyResult } from '../../../context.js'
import { startDeployment } from '../../../deployments.js'
import { errorMessage } from '../../../errors.js'
import { reportPlan } from '../../../summary.js'
import { readBaseService, readSharedAlb, type PreviewContext } from '../base.js'
import { upsertPreviewComment } from '../comment.js'
import { findPreviews, isEmpty, noResources } from '../find.js'
import { previewNames } from '../naming.js'
import { previewTags } from '../tags.js'
import { previewSafeState } from './cancelled.js'
import { creationFailure, failureWords, withOutcome } from './failure.js'
import { checkQuotas } from './quotas.js'
import { checkReachable } from './reachable.js'
import { commentModel, describeExisting, liveMessage, plannedMessage, previewSection } from './report.js'
import { ensureRoute } from './routing.js'
import { createdByRun, made, type PreviewRun, type Step } from './run.js'
import { ensureService } from './service.js'
import { ensureTargetGroup } from './target-group.js'
import { registerPreviewTaskDefinition, runPreviewPreDeployTask } from './task-definition.js'
import { deregisterOld, retagAndTidy } from './tidy.js'
import { rollBack, undo } from './undo.js'
import { previewUrl, type PreviewUrl } from './url.js'
import { verifyPreview } from './verify.js'

/** The steps that make the preview stand, in order; `when` leaves a step (and its phase) out. */
const STEPS: Array<{ phase: string; step: Step; when?: (run: PreviewRun) => boolean }> = [
  { phase: 'Check the load balancer quotas', step: checkQuotas },
  { phase: 'Check the preview can be reached', step: checkReachable },
  { phase: 'Register the preview task definition', step: registerPreviewTaskDefinition },
  {
    phase: 'Pre-deploy task',
    step: runPreviewPreDeployTask,
    when: run => !!run.ctx.settings.preDeployCommand
  },
  { phase: 'Target group', step: ensureTargetGroup },
  { phase: 'Route traffic to the preview', step: ensureRoute },
  { phase: 'Preview service', step: ensureService },
  { phase: 'Refresh tags, remove stale routes', step: retagAndTidy, when: run => !isEmpty(run.existing) }
]

export async function deployPreview(ctx: PreviewContext, pr: number): Promise<StrategyResult> {
  // The `environment` output is run()'s: `pr-<n>`, or the input as given. The GitHub deployment stays per
  // PR (names.environment), so a teardown marks only this PR's inactive.
  ctx.state.setRolledBack(false)
  const run = await readPreview(ctx, pr)
  await makePreview(run)
  const target = urlOf(run)
  ctx.outputs.set(Outputs.Url, target.url)
  if (ctx.aws.dryRun) {
    reportPlan(ctx.log, ctx.aws.mutations)
    return { outcome: 'planned', message: plannedMessage(run, target.url) }
  }
  return proveAndAnnounce(run, target)
}

async function readPreview(ctx: PreviewContext, pr: number): Promise<PreviewRun> {
  const { log, settings } = ctx
  const names = previewNames(settings.cluster, settings.service, pr, settings.previewDomain)
  const alb = await log.phase('Read the shared load balancer', () => readSharedAlb(ctx))
  const base = await log.phase('Read the base service', () => readBaseService(ctx))
  const found = await log.phase('Find the existing preview', () => findPreviews(ctx, alb, pr))
  const existing = found.get(pr) ?? noResources(pr)
  const run: PreviewRun = {
    ctx,
    pr,
    names,
    alb,
    base,
    existing,
    tags: previewTags(alb, pr, ctx.clock.now()),
    made: {}
  }
  log.info(describeExisting(run))
  return run
}

/** Runs the steps; a failure undoes what this run created and is reported as what it was. */
async function makePreview(run: PreviewRun): Promise<void> {
  if (!run.ctx.aws.dryRun) previewSafeState(run)
  try {
    for (const { phase, step, when } of STEPS)
      if (!when || when(run)) await run.ctx.log.phase(phase, () => step(run))
  } catch (e) {
    // A cancelled run leaves what it made, tagged, for a re-run or a teardown (cancelled.ts).
    if (isCancellation(e)) throw e
    await undo(run)
    throw await creationFailure(run, e)
  }
  // Only once the preview stands: an undone revision is no output. A dry run registered nothing.
  if (createdByRun(run).some(d => d.kind === 'task definition'))
    run.ctx.outputs.set(Outputs.TaskDefinitionArn, made(run, 'taskDefinition').taskDefinitionArn ?? '')
}

function urlOf(run: PreviewRun): PreviewUrl {
  const { ctx, alb } = run
  return previewUrl({
    input: ctx.settings.url,
    pr: run.pr,
    port: made(run, 'route').port,
    protocol: alb.listener.Protocol,
    host: run.names.host,
    albDnsName: alb.loadBalancer.DNSName
  })
}

/** Waits, smoke-tests, tidies old revisions and comments; a failure rolls back and says so. */
async function proveAndAnnounce(run: PreviewRun, target: PreviewUrl): Promise<StrategyResult> {
  const { ctx } = run
  const tracker = await startDeployment(ctx.github, ctx.event, run.names.environment, ctx.log)
  const offCancel = previewSafeState(run, tracker)
  const model = commentModel(run, target.url)
  try {
    const detail = await verifyPreview(run, target)
    await ctx.log.phase('Deregister old preview revisions', () => deregisterOld(run))
    await upsertPreviewComment(ctx, { ...model, status: 'deployed', detail })
    const message = liveMessage(run, target.url, detail)
    await tracker.finish(true, target.url, message)
    ctx.log.section('Preview', previewSection(run, target.url))
    offCancel()
    return { outcome: 'deployed', message }
  } catch (e) {
    if (isCancellation(e)) throw e
    const words = await failureWords(run, e)
    const rollback = await rollBack(run, e)
    // The rollback first: the comment shortens a long failure.
    const detail = rollback === undefined ? errorMessage(e) : `${rollback}. ${errorMessage(e)}`
    await upsertPreviewComment(ctx, { ...model, status: 'failed', detail })
    const failure = withOutcome(e, rollback, words)
    await tracker.finish(false, target.url, errorMessage(failure))
    throw failure
  }
}
