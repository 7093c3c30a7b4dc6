// What a deploy says: the log line on what exists, the PR comment's model, the result message and the
// job summary's Preview section. Small pure functions over the run's state.
import { imageOf } from '../../../aws/containers.js'
import type { CommentModel } from '../comment.js'
import type { PreviewResources } from '../find.js'
import { commentMarker } from '../naming.js'
import { made, type PreviewRun, type Route } from './run.js'

export function describeExisting(run: PreviewRun): string {
  const { existing: r, names } = run
  if (r.services.length + r.targetGroups.length + r.rules.length + r.listeners.length === 0)
    return `No preview of PR #${names.pr} yet: creating ${names.service}.`
  return `Existing preview of PR #${names.pr}: ${existingParts(r).join('; ')}. Updating it in place.`
}

function existingParts(r: PreviewResources): string[] {
  return [
    r.services.length ? `service ${r.services.map(s => `${s.serviceName} (${s.status})`).join(', ')}` : '',
    r.targetGroups.length ? `target group ${r.targetGroups.map(t => t.TargetGroupName).join(', ')}` : '',
    r.rules.length ? `rule ${r.rules.map(x => x.Priority).join(', ')}` : '',
    r.listeners.length ? `listener :${r.listeners.map(l => l.Port).join(', :')}` : ''
  ].filter(Boolean)
}

export function commentModel(run: PreviewRun, url: string): CommentModel {
  const { ctx, names, alb } = run
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
    where: `ECS service ${names.service} in cluster ${alb.cluster}`
  }
}

export function plannedMessage(run: PreviewRun, url: string): string {
  return `Dry run: planned the preview of PR #${run.pr} at ${url}; nothing was changed.`
}

export function liveMessage(run: PreviewRun, url: string, detail: string): string {
  const image = imageOf(made(run, 'taskDefinition'), run.base.imageContainer) ?? 'image unchanged'
  return `Preview of PR #${run.pr} is live at ${url} (${image}, ${detail}).`
}

/** The job summary's Preview section: a two-column table. */
export function previewSection(run: PreviewRun, url: string): string {
  const rows = [
    ['PR', `#${run.pr}`],
    ['URL', url],
    ['Service', `\`${run.names.service}\``],
    ['Task definition', `\`${made(run, 'taskDefinition').taskDefinitionArn}\``],
    ['Routing', routingLine(made(run, 'route'))]
  ]
  return ['| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n')
}

function routingLine(route: Route): string {
  return route.kind === 'host'
    ? `host ${route.host} (rule priority ${route.priority})`
    : `listener port ${route.port}`
}
