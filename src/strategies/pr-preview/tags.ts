// The tags that make a resource part of a preview. Re-runs, teardowns and sweeps find resources by these,
// never by memory (SPEC "Resources it creates are tagged").
import { managedTags, type TagMap } from '../../aws/tags.js'
import { MANAGED_BY_VALUE, Tags } from '../../constants.js'

/** Which base service (`<cluster>/<service>`) a preview copies: previews of two services stay apart. */
export const PREVIEW_OF_TAG = 'zdt:preview-of'

export interface PreviewScope {
  /** owner/repo */
  repo: string
  baseKey: string
}

export function previewTags(scope: PreviewScope, pr: number, deployedAt: number): TagMap {
  return {
    ...managedTags(scope.repo),
    // Written even when empty: previewPr matches a preview by it.
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
