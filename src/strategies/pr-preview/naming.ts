// Deterministic names for a preview's resources, derived from the base service and the PR number, so a
// re-run, a teardown and a sweep arrive at the same names (tags then confirm they are ours).
import { createHash } from 'node:crypto'
import { shortName } from '../../aws/arns.js'

/** `<cluster>/<service>`: which base service a preview copies (tag value and comment marker). */
export function baseKey(cluster: string, service: string): string {
  return `${shortName(cluster)}/${shortName(service)}`
}

/** Six hex digits that tell previews of different base services apart in 32-character names. */
export function baseHash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 6)
}

export interface PreviewNames {
  pr: number
  environment: string
  baseKey: string
  /** ECS service of the preview (and its task definition family). */
  service: string
  family: string
  targetGroup: string
  /** `pr-<n>.<domain>` in host mode. */
  host: string | undefined
}

const ECS_NAME_MAX = 255
const TARGET_GROUP_NAME_MAX = 32

/** ECS names allow letters, digits, hyphens and underscores (255 at most). */
function ecsName(base: string, suffix: string): string {
  const clean = base.replace(/[^A-Za-z0-9_-]/g, '-')
  return `${clean.slice(0, ECS_NAME_MAX - suffix.length)}${suffix}`
}

/**
 * Target group names: at most 32 characters, only letters, digits and hyphens, no leading, trailing or
 * doubled hyphen. `<base, shortened>-pr<n>-<hash of cluster/service>` keeps them unique per base.
 */
export function targetGroupName(key: string, pr: number): string {
  const suffix = `pr${pr}-${baseHash(key)}`
  const room = TARGET_GROUP_NAME_MAX - suffix.length - 1
  const service = key.split('/').pop() ?? ''
  const prefix = service
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, Math.max(0, room))
    .replace(/-+$/, '')
  return prefix ? `${prefix}-${suffix}` : suffix
}

/** Matches the target group names of one base service's previews; group 1 is the PR number. */
export function targetGroupNamePattern(key: string): RegExp {
  return new RegExp(`(?:^|-)pr(\\d+)-${baseHash(key)}$`)
}

/** The PR a task definition family is the preview family of (`web-pr-7` -> 7), else undefined. */
export function familyPr(cluster: string, service: string, family: string): number | undefined {
  const m = /-pr-(\d+)$/.exec(family)
  if (!m) return undefined
  const pr = Number(m[1])
  return previewNames(cluster, service, pr).family === family ? pr : undefined
}

/** What every preview family of a base service starts with: its name, as far as a long one stays whole. */
export function previewFamilyPrefix(service: string): string {
  return ecsName(shortName(service), '').slice(0, ECS_NAME_MAX - '-pr-'.length - 10)
}

export function previewHost(pr: number, domain: string): string {
  return `pr-${pr}.${domain}`
}

export function previewNames(cluster: string, service: string, pr: number, domain?: string): PreviewNames {
  const key = baseKey(cluster, service)
  const name = ecsName(shortName(service), `-pr-${pr}`)
  return {
    pr,
    environment: `pr-${pr}`,
    baseKey: key,
    service: name,
    family: name,
    targetGroup: targetGroupName(key, pr),
    host: domain ? previewHost(pr, domain) : undefined
  }
}

/**
 * Listener ports to try, in order: `from + pr mod size` first (stable for a PR across runs), then the
 * following ports, wrapping around the range, skipping `used`.
 */
export function portCandidates(pr: number, range: { from: number; to: number }, used: Set<number>): number[] {
  const size = range.to - range.from + 1
  const out: number[] = []
  for (let i = 0; i < size; i++) {
    const port = range.from + ((pr + i) % size)
    if (!used.has(port)) out.push(port)
  }
  return out
}

// Rule priorities previews take: from 1000 up, leaving 1-999 to rules people write by hand.
export const PRIORITY_FLOOR = 1000
export const PRIORITY_MAX = 50000

/** The first free priority at or after `PRIORITY_FLOOR + pr`, wrapping within the preview band. */
export function nextFreePriority(pr: number, used: Set<number>): number | undefined {
  const size = PRIORITY_MAX - PRIORITY_FLOOR + 1
  for (let i = 0; i < size; i++) {
    const priority = PRIORITY_FLOOR + ((pr + i) % size)
    if (!used.has(priority)) return priority
  }
  return undefined
}

/** The hidden marker that finds this preview's PR comment again. */
export function commentMarker(key: string): string {
  return `<!-- zdt-deploy:preview:${key.replace(/-{2,}/g, '-').replace(/[<>]/g, '')} -->`
}
