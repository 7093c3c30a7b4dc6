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
