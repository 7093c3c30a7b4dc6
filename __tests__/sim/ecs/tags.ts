// Tags on clusters, services, task definitions and tasks: TagResource, UntagResource,
// ListTagsForResource.
import type {
  ListTagsForResourceCommandInput,
  Tag,
  TagResourceCommandInput,
  UntagResourceCommandInput
} from '@aws-sdk/client-ecs'
import { deepCopy } from '../copy.js'
import type { EcsModel } from './index.js'

export function taggable(ecs: EcsModel, arn: string): { tags: Tag[] } {
  for (const s of ecs.services.values()) if (s.arn === arn && s.status !== 'INACTIVE') return s
  for (const c of ecs.clusters.values()) if (c.arn === arn) return c
  for (const revisions of ecs.taskDefinitions.values())
    for (const td of revisions) if (td.arn === arn) return td
  for (const t of ecs.tasks.values()) if (t.arn === arn) return t
  throw ecs.error('InvalidParameterException', 'The specified resource could not be found.')
}

export function tagResource(ecs: EcsModel, input: TagResourceCommandInput) {
  const r = taggable(ecs, input.resourceArn ?? '')
  const merged = new Map(r.tags.map(t => [t.key, t]))
  for (const t of input.tags ?? []) merged.set(t.key, { key: t.key, value: t.value })
  if (merged.size > 50) throw ecs.error('InvalidParameterException', 'A resource can have at most 50 tags.')
  r.tags.splice(0, r.tags.length, ...merged.values())
  return {}
}

export function untagResource(ecs: EcsModel, input: UntagResourceCommandInput) {
  const r = taggable(ecs, input.resourceArn ?? '')
  const drop = new Set(input.tagKeys ?? [])
  r.tags.splice(0, r.tags.length, ...r.tags.filter(t => !drop.has(t.key ?? '')))
  return {}
}

export function listTagsForResource(ecs: EcsModel, input: ListTagsForResourceCommandInput) {
  return { tags: deepCopy(taggable(ecs, input.resourceArn ?? '').tags) }
}
