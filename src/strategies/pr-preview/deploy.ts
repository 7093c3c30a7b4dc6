// Deploying a PR's preview: copy the base service into a task definition, target group, route and ECS
// service of its own (or update the existing ones in place), wait for it, smoke-test it, comment.
import type { TaskDefinition } from '@aws-sdk/client-ecs'
import { imageOf } from '../../aws/containers.js'
import { Inputs, Outputs } from '../../constants.js'
import type { StrategyResult } from '../../context.js'
import { startDeployment } from '../../deployments.js'
import { DeployError, errorMessage } from '../../errors.js'
import { smokeTest, unreachableNotice, unreachableReason } from '../../smoke.js'
import { reportPlan } from '../../summary.js'
import { runPreDeployTask } from '../ecs-rolling/pre-deploy.js'
import { readBaseService, readSharedAlb, type PreviewContext, type SharedAlb } from './base.js'
import type { CommentModel } from './comment.js'
import { CreatedResources, undoCreated } from './created.js'
import { findPreviews, isEmpty, noResources, type PreviewResources } from './find.js'
import { commentMarker, previewNames, type PreviewNames } from './naming.js'
import { upsertPreviewComment } from './pr-comment.js'
import { checkAlbQuotas, quotaError } from './quotas.js'
import { ensureHostRule, ensurePortListener, type Route } from './routing.js'
import { rollBackPreview } from './rollback.js'
import { previewTags } from './tags.js'
import { previewUrl } from './url.js'
import { waitForStable } from './wait.js'
import {
  deregisterOld,
  ensureService,
  ensureTargetGroup,
  registerPreviewTaskDefinition,
  retagAndTidy
} from './resources.js'

export async function deployPreview(ctx: PreviewContext, pr: number): Promise<StrategyResult> {
  const { settings, aws, log, outputs, clock } = ctx
  const names = previewNames(settings.cluster, settings.service, pr, settings.previewDomain)
  // The `environment` output is run()'s: `pr-<n>`, or the input as given (SPEC). The GitHub
  // deployment stays per PR (names.environment), so a teardown marks only this PR's inactive.
  ctx.state.setRolledBack(false)

  const alb = await log.phase('Read the shared load balancer', () => readSharedAlb(ctx))
  const base = await log.phase('Read the base service', () => readBaseService(ctx))
  const existing =
    (await log.phase('Find the existing preview', () => findPreviews(ctx, alb, pr))).get(pr) ??
    noResources(pr)
  log.info(describeExisting(existing, names))

  const tags = previewTags(alb, pr, clock.now())
  const created = new CreatedResources(ctx.state)
  let taskDefinition: TaskDefinition
  let route: Route
  try {
    const targetGroupExists = existing.targetGroups.length > 0
    await log.phase('Check the load balancer quotas', () =>
      checkAlbQuotas(ctx, alb, pr, {
        targetGroup: !targetGroupExists,
        rule: names.host !== undefined && !(targetGroupExists && existing.rules.length > 0),
        listener: names.host === undefined && !(targetGroupExists && existing.listeners.length > 0)
      })
    )
    taskDefinition = await log.phase('Register the preview task definition', () =>
      registerPreviewTaskDefinition(ctx, base, names, tags, created)
    )
    // The preview's own migrations (its database), from its revision, before its service changes.
    const command = settings.preDeployCommand
    const revision = taskDefinition
    if (command)
      await log.phase('Pre-deploy task', () =>
        runPreDeployTask(ctx, {
          taskDefinitionArn: revision.taskDefinitionArn ?? '',
          containers: revision.containerDefinitions ?? [],
          service: base.service,
          command
        })
      )
    const targetGroup = await log.phase('Target group', () =>
      ensureTargetGroup(ctx, base, names, tags, existing, created)
    )
    const targetGroupArn = targetGroup.TargetGroupArn ?? ''
    route = await log.phase('Route traffic to the preview', () =>
      names.host
        ? ensureHostRule(ctx, alb, {
            pr,
            host: names.host,
            targetGroupArn,
            tags,
            created,
            existing: existing.rules
          })
        : ensurePortListener(ctx, alb, { pr, targetGroupArn, tags, created, existing: existing.listeners })
    )
    await log.phase('Preview service', () =>
      ensureService(ctx, alb, base, names, taskDefinition, targetGroupArn, tags, created)
    )
    if (!isEmpty(existing))
      await log.phase('Refresh tags, remove stale routes', () =>
        retagAndTidy(ctx, existing, route, targetGroupArn, tags)
      )
  } catch (e) {
    if (created.size > 0 && !aws.dryRun)
      await log.phase('Undo what this run created', () => undoCreated(ctx, settings.cluster, created))
    throw quotaError(e, alb, pr) ?? (await concurrentRunError(ctx, alb, pr, existing)) ?? e
  }

  // Only once the preview stands: an undone revision is no output. A dry run registers nothing.
  if (!aws.dryRun) outputs.set(Outputs.TaskDefinitionArn, taskDefinition.taskDefinitionArn ?? '')
  const { url, hostHeader } = previewUrl({
    input: settings.url,
    pr,
    port: route.port,
    protocol: alb.listener.Protocol,
    host: names.host,
    albDnsName: alb.loadBalancer.DNSName
  })
  outputs.set(Outputs.Url, url)
  const where = `ECS service ${names.service} in cluster ${alb.cluster}`

  if (aws.dryRun) {
    reportPlan(log, aws.mutations)
    return {
      outcome: 'planned',
      message: `Dry run: planned the preview of PR #${pr} at ${url}; nothing was changed.`
    }
  }

  const tracker = await startDeployment(ctx.github, ctx.event, names.environment, log)
  const model = commentModel(ctx, names, alb, url, where)
  try {
    await log.phase('Wait for the preview to be stable', () =>
      waitForStable(ctx, settings.cluster, names.service, taskDefinition.taskDefinitionArn ?? '')
    )
    let detail = `${settings.previewDesiredCount} task(s) running`
    // A derived name nobody can resolve (no wildcard DNS record for the preview domain yet, an
    // emulator's made-up ALB name) cannot be smoke-tested: say so rather than fail the preview.
    const unresolvable =
      settings.url || settings.previewDesiredCount === 0
        ? undefined
        : await unreachableReason(ctx.http, `${url}${settings.healthPath}`, {
            kinds: ['dns'],
            headers: hostHeader ? { Host: hostHeader } : undefined
          })
    if (unresolvable !== undefined) {
      log.warning(unreachableNotice(url, unresolvable, Inputs.Url))
      detail = `${detail}; not smoke-tested (${url} does not resolve from the runner)`
    } else if (settings.previewDesiredCount > 0) {
      const smoke = await log.phase('Smoke test', () =>
        smokeTest(
          { http: ctx.http, clock, log },
          {
            url: `${url}${settings.healthPath}`,
            headers: hostHeader ? { Host: hostHeader } : undefined,
            accept: settings.healthStatus,
            timeoutSeconds: settings.healthTimeoutSeconds
          }
        )
      )
      detail = `smoke test ${settings.healthPath} answered ${smoke.status}`
    } else {
      log.info(`'${Inputs.PreviewDesiredCount}' is 0: no task runs, so there is nothing to smoke-test.`)
    }
    await log.phase('Deregister old preview revisions', () =>
      deregisterOld(ctx, existing, taskDefinition.taskDefinitionArn ?? '')
    )
    await upsertPreviewComment(ctx, { ...model, status: 'deployed', detail })
    const message = `Preview of PR #${pr} is live at ${url} (${imageOf(taskDefinition, base.imageContainer) ?? 'image unchanged'}, ${detail}).`
    await tracker.finish(true, url, message)
    log.section(
      'Preview',
      `| | |\n| --- | --- |\n| PR | #${pr} |\n| URL | ${url} |\n| Service | \`${names.service}\` |\n| Task definition | \`${taskDefinition.taskDefinitionArn}\` |\n| Routing | ${route.kind === 'host' ? `host ${route.host} (rule priority ${route.priority})` : `listener port ${route.port}`} |`
    )
    return { outcome: 'deployed', message }
  } catch (e) {
    const rollback = await rollBackPreview(ctx, names.service, taskDefinition.taskDefinitionArn ?? '', e)
    const failure = rollback === undefined ? e : withOutcome(e, rollback)
    // The rollback first: the comment shortens a long failure.
    const detail = rollback === undefined ? errorMessage(e) : `${rollback}. ${errorMessage(e)}`
    await upsertPreviewComment(ctx, { ...model, status: 'failed', detail })
    await tracker.finish(false, url, errorMessage(failure))
    throw failure
  }
}

/**
 * A fresh preview whose creation failed while, after this run's undo, resources of the PR exist: another
 * run of the same PR (`opened` and `labeled` fire together) created them at the same moment.
 */
async function concurrentRunError(
  ctx: PreviewContext,
  alb: SharedAlb,
  pr: number,
  existing: PreviewResources
): Promise<DeployError | undefined> {
  if (ctx.aws.dryRun || !isEmpty(existing)) return undefined
  // A failing look is no reason to hide the original failure.
  const now = await findPreviews(ctx, alb, pr).then(
    found => found.get(pr),
    () => undefined
  )
  if (!now || isEmpty(now)) return undefined
  return new DeployError(
    `Another run created the preview of PR #${pr} at the same moment as this one; this run undid what it had created and stopped, and the other run's preview stands.`,
    `give the workflow one concurrency group per pull request, e.g. 'concurrency: preview-\${{ github.event.pull_request.number }}', so runs of a PR queue instead of racing; re-run this job to update the preview.`
  )
}

/** The failure, with what happened to the preview after it appended; the fix stays the failure's. */
function withOutcome(e: unknown, outcome: string): Error {
  const message = `${errorMessage(e)}; ${outcome}`
  if (e instanceof DeployError) return new DeployError(message, e.hint, { cause: e })
  // Keeps the AWS error's name: run() explains AccessDenied and the like by it.
  return Object.assign(new Error(message, { cause: e }), { name: (e as Error)?.name ?? 'Error' })
}

function describeExisting(r: PreviewResources, names: PreviewNames): string {
  if (r.services.length + r.targetGroups.length + r.rules.length + r.listeners.length === 0)
    return `No preview of PR #${names.pr} yet: creating ${names.service}.`
  const parts = [
    r.services.length ? `service ${r.services.map(s => `${s.serviceName} (${s.status})`).join(', ')}` : '',
    r.targetGroups.length ? `target group ${r.targetGroups.map(t => t.TargetGroupName).join(', ')}` : '',
    r.rules.length ? `rule ${r.rules.map(x => x.Priority).join(', ')}` : '',
    r.listeners.length ? `listener :${r.listeners.map(l => l.Port).join(', :')}` : ''
  ].filter(Boolean)
  return `Existing preview of PR #${names.pr}: ${parts.join('; ')}. Updating it in place.`
}

function commentModel(
  ctx: PreviewContext,
  names: PreviewNames,
  alb: SharedAlb,
  url: string,
  where: string
): CommentModel {
  const pr = ctx.event.pullRequest
  return {
    marker: commentMarker(alb.baseKey),
    pr: names.pr,
    status: 'deployed',
    url,
    sha: pr?.headSha || ctx.event.sha || undefined,
    branch: pr?.headRef || undefined,
    title: pr?.title || undefined,
    at: ctx.clock.now(),
    where
  }
}
