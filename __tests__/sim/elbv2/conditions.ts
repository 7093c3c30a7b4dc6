// Rule conditions: their values, the shape AWS answers with, and which requests they match.
import type { RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import { deepCopy } from '../copy.js'

export function conditionValues(c: RuleCondition): string[] {
  switch (c.Field) {
    case 'host-header':
      return c.HostHeaderConfig?.Values ?? c.Values ?? []
    case 'path-pattern':
      return c.PathPatternConfig?.Values ?? c.Values ?? []
    case 'http-header':
      return c.HttpHeaderConfig?.Values ?? []
    case 'http-request-method':
      return c.HttpRequestMethodConfig?.Values ?? []
    case 'source-ip':
      return c.SourceIpConfig?.Values ?? []
    default:
      return c.Values ?? []
  }
}

/** AWS answers host-header and path-pattern conditions with both Values and their *Config. */
export function normalizeCondition(c: RuleCondition): RuleCondition {
  const copy = deepCopy(c)
  if (c.Field === 'host-header') {
    const values = conditionValues(c)
    copy.Values = [...values]
    copy.HostHeaderConfig = { Values: [...values] }
  } else if (c.Field === 'path-pattern') {
    const values = conditionValues(c)
    copy.Values = [...values]
    copy.PathPatternConfig = { Values: [...values] }
  }
  return copy
}

export function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    caseInsensitive ? 'i' : ''
  )
  return re.test(value)
}

export function conditionMatches(
  c: RuleCondition,
  host: string,
  path: string,
  query: URLSearchParams,
  headers: Record<string, string>
): boolean {
  switch (c.Field) {
    case 'host-header':
      return conditionValues(c).some(v => wildcard(v, host, true))
    case 'path-pattern':
      return conditionValues(c).some(v => wildcard(v, path, false))
    case 'http-header': {
      const value = headers[(c.HttpHeaderConfig?.HttpHeaderName ?? '').toLowerCase()]
      return value !== undefined && conditionValues(c).some(v => wildcard(v, value, true))
    }
    case 'http-request-method':
      return conditionValues(c).includes('GET')
    case 'query-string':
      return (c.QueryStringConfig?.Values ?? []).some(kv =>
        (kv.Key === undefined ? [...query.values()] : query.getAll(kv.Key)).some(v =>
          wildcard(kv.Value ?? '*', v, true)
        )
      )
    case 'source-ip':
      return conditionValues(c).includes('0.0.0.0/0')
    default:
      return false
  }
}
