// The HTTP side of the ALB: which rule answers a request, and which target gets it.
import type { RedirectActionConfig } from '@aws-sdk/client-elastic-load-balancing-v2'
import { conditionMatches } from './conditions.js'
import type { ElbModel } from './index.js'
import type { RouteDecision, TargetGroupRecord, TargetRecord } from './records.js'

/** Which listener rule answers a request to `host:port path` with `headers`. */
export function route(
  elb: ElbModel,
  host: string,
  port: number,
  path: string,
  query: URLSearchParams,
  headers: Record<string, string>
): RouteDecision {
  const lb = [...elb.loadBalancers.values()].find(l => l.dnsName === host.toLowerCase())
  if (!lb) return { kind: 'no-load-balancer' }
  // The load balancer's security groups drop what no inbound rule admits, before any listener sees it.
  if (!elb.world.ec2.admits(lb.securityGroups, port)) return { kind: 'not-admitted' }
  const listener = [...elb.listeners.values()].find(l => l.loadBalancerArn === lb.arn && l.port === port)
  if (!listener) return { kind: 'no-listener' }
  const lowered = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  // Host-header conditions match the request's Host header: the URL's host unless the client set one.
  const hostHeader = (lowered.host ?? host).replace(/:\d+$/, '')
  const rule = [...listener.rules]
    .sort((a, b) => a.priority - b.priority)
    .find(r => r.conditions.every(c => conditionMatches(c, hostHeader, path, query, lowered)))
  const actions = rule ? rule.actions : listener.defaultActions
  const label = rule ? `priority ${rule.priority}` : 'default'
  const action = [...actions]
    .sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))
    .find(a => a.Type === 'forward' || a.Type === 'fixed-response' || a.Type === 'redirect')
  if (!action) return { kind: 'fixed', status: 503, listener, rule: label }
  if (action.Type === 'fixed-response') {
    return {
      kind: 'fixed',
      status: Number(action.FixedResponseConfig?.StatusCode ?? 503),
      listener,
      rule: label
    }
  }
  if (action.Type === 'redirect') {
    const c: RedirectActionConfig = action.RedirectConfig ?? { StatusCode: 'HTTP_302' }
    const status = c.StatusCode === 'HTTP_301' ? 301 : 302
    const location = `${(c.Protocol ?? '#{protocol}').replace('#{protocol}', listener.protocol.toLowerCase())}://${(c.Host ?? '#{host}').replace('#{host}', host)}:${(c.Port ?? '#{port}').replace('#{port}', String(port))}${(c.Path ?? '#{path}').replace('#{path}', path)}`
    return { kind: 'fixed', status, location, listener, rule: label }
  }
  const groups = action.ForwardConfig?.TargetGroups ?? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }]
  const total = groups.reduce((s, g) => s + (g.Weight ?? 1), 0)
  if (total <= 0) return { kind: 'fixed', status: 503, listener, rule: label }
  let pick = elb.world.routingRandom() * total
  let chosen = groups[groups.length - 1]
  for (const g of groups) {
    pick -= g.Weight ?? 1
    if (pick < 0) {
      chosen = g
      break
    }
  }
  return {
    kind: 'forward',
    targetGroup: elb.targetGroups.get(chosen.TargetGroupArn ?? ''),
    listener,
    rule: label
  }
}

/**
 * The target the ALB sends the next request to: round robin over healthy targets. A draining target
 * gets no new requests ("the load balancer stops sending requests to targets that are deregistering",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DeregisterTargets.html), except
 * while the change propagates when the world sets `albRoutingGraceSeconds` above its default 0. With none
 * healthy it fails open only when every registered target is unhealthy ("if a target group contains only
 * unhealthy registered targets, the load balancer routes requests to all those targets",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html);
 * targets still `initial` get nothing. Undefined when nothing may get it (the ALB answers 503).
 */
export function pickTarget(elb: ElbModel, tg: TargetGroupRecord): TargetRecord | undefined {
  const now = elb.now
  tg.ghosts = tg.ghosts.filter(g => (g.routeUntil ?? 0) > now)
  const all = [...tg.targets.values()]
  const lingering = [...all.filter(t => t.state === 'draining' && (t.routeUntil ?? 0) > now), ...tg.ghosts]
  const healthy = all.filter(t => t.state === 'healthy')
  const registered = all.filter(t => t.state !== 'draining' && t.state !== 'unused')
  const failOpen =
    healthy.length === 0 && registered.length > 0 && registered.every(t => t.state === 'unhealthy')
  const candidates = [...(failOpen ? registered : healthy), ...lingering]
  if (candidates.length === 0) return undefined
  return candidates[tg.roundRobin++ % candidates.length]
}
