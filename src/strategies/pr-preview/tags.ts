// The tags that make a resource part of a preview. Re-runs, teardowns and sweeps find resources by these,
// never by memory (SPEC "Resources it creates are tagged").
import { MANAGED_BY_VALUE, Tags } from '../../constants.js'

/** Which base service (`<cluster>/<service>`) a preview copies: previews of two services stay apart. */
export const PREVIEW_OF_TAG = 'zdt:preview-of'

export type TagMap = Record<string, string>

export interface PreviewScope {
  /** owner/repo */
  repo: string
  baseKey: string
}

export function previewTags(scope: PreviewScope, pr: number, deployedAt: number): TagMap {
  return {
    [Tags.ManagedBy]: MANAGED_BY_VALUE,
    [Tags.Repo]: scope.repo,
    [Tags.Pr]: String(pr),
    [PREVIEW_OF_TAG]: scope.baseKey,
    [Tags.DeployedAt]: new Date(deployedAt).toISOString()
  }
}

/** The PR number when `tags` mark a preview of this scope (and of `pr`, when given); else undefined. */
export function previewPr(tags: TagMap | undefined, scope: PreviewScope, pr?: number): number | undefined {
  if (!tags) return undefined
  if (tags[Tags.ManagedBy] !== MANAGED_BY_VALUE) return undefined
  if (tags[Tags.Repo] !== scope.repo || tags[PREVIEW_OF_TAG] !== scope.baseKey) return undefined
  const raw = tags[Tags.Pr]
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined
  const n = Number(raw)
  return pr === undefined || n === pr ? n : undefined
}

/** Milliseconds since the epoch of `zdt:deployed-at`, or undefined when missing or unreadable. */
export function deployedAt(tags: TagMap | undefined): number | undefined {
  const raw = tags?.[Tags.DeployedAt]
  if (!raw) return undefined
  const ms = Date.parse(raw)
  return Number.isNaN(ms) ? undefined : ms
}

export const toEcsTags = (tags: TagMap) => Object.entries(tags).map(([key, value]) => ({ key, value }))
export const toElbTags = (tags: TagMap) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
export const fromEcsTags = (tags: Array<{ key?: string; value?: string }> | undefined): TagMap =>
  Object.fromEntries((tags ?? []).map(t => [t.key ?? '', t.value ?? '']))
