// Tags are how a re-run, a teardown and a sweep find what is theirs: every resource the action
// creates carries zdt:managed-by and zdt:repo, written in the form each service takes.
import { MANAGED_BY_VALUE, Tags } from '../constants.js'

export type TagMap = Record<string, string>

/** zdt:managed-by, and zdt:repo when the repository is known. */
export function managedTags(repository: string): TagMap {
  const tags: TagMap = { [Tags.ManagedBy]: MANAGED_BY_VALUE }
  if (repository) tags[Tags.Repo] = repository
  return tags
}

export const toEcsTags = (tags: TagMap) => Object.entries(tags).map(([key, value]) => ({ key, value }))
export const toElbTags = (tags: TagMap) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
export const fromEcsTags = (tags: Array<{ key?: string; value?: string }> | undefined): TagMap =>
  Object.fromEntries((tags ?? []).map(t => [t.key ?? '', t.value ?? '']))
