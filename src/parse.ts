// Parsers for the forms inputs take. Each returns a value or a problem that names the expected form;
// the input module attaches the input's name.

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string }
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const bad = <T>(expected: string): Parsed<T> => ({ ok: false, expected })

/** Strict booleans: `true` or `false` only (configure-aws-credentials). */
export function parseBoolean(raw: string): Parsed<boolean> {
  if (raw === 'true') return ok(true)
  if (raw === 'false') return ok(false)
  return bad('`true` or `false`')
}

export function parseInteger(raw: string, min: number, max = Number.MAX_SAFE_INTEGER): Parsed<number> {
  if (!/^\d+$/.test(raw)) return bad(`a whole number from ${min} to ${max}`)
  const n = Number(raw)
  if (n < min || n > max) return bad(`a whole number from ${min} to ${max}`)
  return ok(n)
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }

/** Seconds: a plain number (`300`) or units (`5m`, `7d`, `1h30m`). */
export function parseDuration(raw: string, minSeconds = 0): Parsed<number> {
  const form = 'seconds or a duration such as `300`, `90s`, `5m`, `1h30m`, `7d`'
  const trimmed = raw.trim().toLowerCase()
  let seconds: number
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    seconds = Number(trimmed)
  } else if (/^(\d+[smhdw])+$/.test(trimmed)) {
    seconds = 0
    for (const [, n, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) seconds += Number(n) * UNIT_SECONDS[unit]
  } else {
    return bad(form)
  }
  if (!Number.isFinite(seconds) || seconds < minSeconds) return bad(`${form}, at least ${minSeconds}`)
  return ok(seconds)
}

/** Accepted HTTP status codes: `200`, `200,204`, `200-299`, `200-204,301`. */
export interface StatusMatcher {
  ranges: Array<[number, number]>
  text: string
}

export function parseStatusMatcher(raw: string): Parsed<StatusMatcher> {
  const form = 'HTTP status codes as a list and/or ranges, e.g. `200`, `200,204` or `200-299`'
  const ranges: Array<[number, number]> = []
  const parts = raw.split(',').map(p => p.trim())
  for (const part of parts) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part)
    if (!m) return bad(form)
    const lo = Number(m[1])
    const hi = m[2] ? Number(m[2]) : lo
    if (lo < 100 || hi > 599 || hi < lo) return bad(form)
    ranges.push([lo, hi])
  }
  return ok({ ranges, text: parts.join(',') })
}

export function statusAccepted(matcher: StatusMatcher, status: number): boolean {
  return matcher.ranges.some(([lo, hi]) => status >= lo && status <= hi)
}

/** `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/name/id` and friends. */
export function parseArn(raw: string, service: string, resourcePrefix: string): Parsed<string> {
  const expected = `an ARN like arn:aws:${service}:<region>:<account>:${resourcePrefix}/...`
  const m = /^arn:aws[a-z-]*:([a-z0-9-]+):[a-z0-9-]*:\d{12}:(.+)$/.exec(raw.trim())
  if (!m || m[1] !== service || !m[2].startsWith(`${resourcePrefix}/`)) return bad(expected)
  return ok(raw.trim())
}

/** `Name: value`, the header that routes to a synthetic target group. */
export function parseHeader(raw: string): Parsed<{ name: string; value: string }> {
  const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.+)$/.exec(raw.trim())
  if (!m) return bad('a header `Name: value`, e.g. `Synthetic: True`')
  return ok({ name: m[1], value: m[2].trim() })
}

export function parsePortRange(raw: string): Parsed<{ from: number; to: number }> {
  const form = 'a port range `from-to` within 1-65535, e.g. `8000-8999`'
  const m = /^(\d{1,5})\s*-\s*(\d{1,5})$/.exec(raw.trim())
  if (!m) return bad(form)
  const from = Number(m[1])
  const to = Number(m[2])
  if (from < 1 || to > 65535 || to < from) return bad(form)
  return ok({ from, to })
}

/** An absolute http(s) URL; pr-preview may use `{pr}` and `{port}` placeholders in it. */
export function parseUrl(raw: string): Parsed<string> {
  try {
    const u = new URL(raw.replaceAll('{pr}', '1').replaceAll('{port}', '1'))
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme')
    return ok(raw.replace(/\/+$/, ''))
  } catch {
    return bad('an absolute http:// or https:// URL')
  }
}

// A registered revision: `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>` or
// `<family>:<revision>` (a family is up to 255 letters, digits, hyphens and underscores).
const REVISION_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}:\d+$/
const FAMILY_REVISION = /^[A-Za-z0-9_-]{1,255}:\d+$/

/** Whether `task-definition` names a registered revision rather than a file. */
export function isTaskDefinitionRevision(raw: string): boolean {
  return REVISION_ARN.test(raw) || FAMILY_REVISION.test(raw)
}

/**
 * A revision ARN or `family:revision`; anything starting with `arn:` that is not a task-definition
 * revision ARN is refused rather than read as a file name.
 */
export function parseTaskDefinitionRevision(raw: string): Parsed<string> {
  if (isTaskDefinitionRevision(raw)) return ok(raw)
  return bad(
    'a task-definition revision ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>), `family:revision`, or a file path'
  )
}

/**
 * The command of a one-off task: a JSON array of strings (`["npm", "run", "migrate"]`, used as it is)
 * or a shell command line, run as `sh -c '<line>'` (the image needs a shell for that form).
 */
export function parseCommand(raw: string): Parsed<string[]> {
  const form =
    'a JSON array of strings such as ["npm","run","migrate"], or a shell command line such as `npm run migrate`'
  const text = raw.trim()
  if (text === '') return bad(form)
  if (!text.startsWith('[')) return ok(['sh', '-c', text])
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return bad(`${form} (it starts with '[' but is not valid JSON)`)
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(p => typeof p === 'string'))
    return bad(`${form} (a non-empty array of strings)`)
  return ok(parsed as string[])
}
