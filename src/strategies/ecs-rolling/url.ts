// The URL users reach the service at, when the `url` input is empty: target group -> its load
// balancer -> the listener that forwards to it (or the first HTTP/HTTPS listener).
import { hasErrorCode } from '../../errors.js'
import type { Listener, Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsApi } from '../../aws/api.js'
import { describeListeners, describeLoadBalancer, describeRules, listenerUrl } from '../../aws/elbv2.js'
import { forwardsTo, ruleHosts } from '../../aws/rules.js'
import type { TargetGroupFacts } from './preflight-rules.js'

/** The listener whose default action forwards to the target group, else the first HTTP(S) one. */
export function pickListener(listeners: Listener[], targetGroupArn: string): Listener | undefined {
  const web = listeners.filter(l => l.Protocol === 'HTTP' || l.Protocol === 'HTTPS')
  return web.find(l => forwardsTo(l.DefaultActions, targetGroupArn)) ?? web[0]
}

export type DerivedUrl =
  | { url: string; via: string }
  /** The target group is reached only through a listener rule whose request the URL cannot make. */
  | { url: undefined; via: string }

/** The literal host a rule forwarding to the target group matches (`web.example.com`), if any. */
export function ruleHost(rule: Rule, targetGroupArn: string): string | undefined {
  if (!forwardsTo(rule.Actions, targetGroupArn)) return undefined
  // Only a rule on the host alone matches every path the smoke test and the probe request.
  if ((rule.Conditions ?? []).some(c => c.Field !== 'host-header')) return undefined
  return ruleHosts(rule).find(h => !/[*?]/.test(h))
}

export async function deriveUrl(
  aws: AwsApi,
  targetGroups: TargetGroupFacts[]
): Promise<DerivedUrl | undefined> {
  let onlyByRule: DerivedUrl | undefined
  for (const tg of targetGroups) {
    const lbArn = tg.loadBalancerArns[0]
    if (!lbArn) continue
    const lb = await describeLoadBalancer(aws, lbArn)
    const listeners = await describeListeners(aws, lbArn)
    const web = listeners.filter(l => l.Protocol === 'HTTP' || l.Protocol === 'HTTPS')
    const direct = web.find(l => forwardsTo(l.DefaultActions, tg.arn))
    if (direct) return { url: listenerUrl(lb, direct), via: viaListener(lb.LoadBalancerName, direct) }
    // Behind a shared ALB the target group is usually reached through a host rule, and the ALB's own
    // DNS name reaches the default action (another service, a fixed 404) instead.
    for (const listener of web) {
      const rules = (await rulesOf(aws, listener)).filter(r => !r.IsDefault)
      const matching = rules.filter(r => forwardsTo(r.Actions, tg.arn))
      if (matching.length === 0) continue
      const host = matching.map(r => ruleHost(r, tg.arn)).find(h => h !== undefined)
      if (host) {
        const url = new URL(listenerUrl(lb, listener))
        url.hostname = host
        return {
          url: url.toString().replace(/\/+$/, ''),
          via: `${viaListener(lb.LoadBalancerName, listener)}, rule for host ${host}`
        }
      }
      onlyByRule ??= {
        url: undefined,
        via:
          `target group ${tg.name} is reached only through a rule of the ${listener.Protocol} listener ` +
          `on port ${listener.Port} that a plain request to ${lb.DNSName} does not match`
      }
    }
    if (onlyByRule) continue
    const fallback = pickListener(listeners, tg.arn)
    if (fallback) return { url: listenerUrl(lb, fallback), via: viaListener(lb.LoadBalancerName, fallback) }
  }
  return onlyByRule
}

/** A listener's rules; none when a role from an older copy of iam/ecs-rolling.json may not read them. */
async function rulesOf(aws: AwsApi, listener: Listener): Promise<Rule[]> {
  try {
    return await describeRules(aws, listener.ListenerArn ?? '')
  } catch (e) {
    if (hasErrorCode(e, 'AccessDenied')) return []
    throw e
  }
}

function viaListener(lbName: string | undefined, listener: Listener): string {
  return `load balancer ${lbName}, ${listener.Protocol} listener on port ${listener.Port}`
}
