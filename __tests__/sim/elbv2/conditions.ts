// Rule conditions: their values, the shape AWS answers with, and which requests they match. A rule
// matches when all its conditions do, a condition when any of its values does; host names, header
// values and query strings compare case-insensitively, paths and methods exactly; `*` and `?` are
// wildcards; source-ip compares the client's address with CIDR blocks.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html
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
      // Every simulated client sends GET (the prober and the traffic generators do nothing else).
      return conditionValues(c).includes(SIM_REQUEST_METHOD)
    case 'query-string':
      return (c.QueryStringConfig?.Values ?? []).some(kv =>
        (kv.Key === undefined ? [...query.values()] : query.getAll(kv.Key)).some(v =>
          wildcard(kv.Value ?? '*', v, true)
        )
      )
    case 'source-ip':
      return conditionValues(c).some(cidr => ipv4InCidr(SIM_CLIENT_IP, cidr))
    default:
      return false
  }
}

/** Where every simulated request comes from (a documentation address, RFC 5737) and how it asks. */
export const SIM_CLIENT_IP = '203.0.113.10'
export const SIM_REQUEST_METHOD = 'GET'

/** An IPv4 address inside an IPv4 block; an IPv6 block never holds the IPv4 client. */
function ipv4InCidr(ip: string, cidr: string): boolean {
  const [base, bits = '32'] = cidr.split('/')
  const toNumber = (a: string) => a.split('.').reduce((n, part) => n * 256 + Number(part), 0)
  if (base.includes(':')) return false
  const size = 2 ** (32 - Number(bits))
  return Math.floor(toNumber(ip) / size) === Math.floor(toNumber(base) / size)
}
