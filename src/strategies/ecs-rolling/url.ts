// The URL users reach the service at, when the `url` input is empty: target group -> its load
// balancer -> the listener that forwards to it (or the first HTTP/HTTPS listener).
import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsApi } from '../../aws/api.js'
import { describeListeners, describeLoadBalancer, listenerUrl } from '../../aws/elbv2.js'
import type { TargetGroupFacts } from './preflight-rules.js'

export function forwardsTo(listener: Listener, targetGroupArn: string): boolean {
  return (listener.DefaultActions ?? []).some(
    a =>
      a.Type === 'forward' &&
      (a.TargetGroupArn === targetGroupArn ||
        (a.ForwardConfig?.TargetGroups ?? []).some(t => t.TargetGroupArn === targetGroupArn))
  )
}

/** The listener whose default action forwards to the target group, else the first HTTP(S) one. */
export function pickListener(listeners: Listener[], targetGroupArn: string): Listener | undefined {
  const web = listeners.filter(l => l.Protocol === 'HTTP' || l.Protocol === 'HTTPS')
  return web.find(l => forwardsTo(l, targetGroupArn)) ?? web[0]
}

export interface DerivedUrl {
  url: string
  via: string
}

export async function deriveUrl(
  aws: AwsApi,
  targetGroups: TargetGroupFacts[]
): Promise<DerivedUrl | undefined> {
  for (const tg of targetGroups) {
    const lbArn = tg.loadBalancerArns[0]
    if (!lbArn) continue
    const lb = await describeLoadBalancer(aws, lbArn)
    const listener = pickListener(await describeListeners(aws, lbArn), tg.arn)
    if (!listener) continue
    return {
      url: listenerUrl(lb, listener),
      via: `load balancer ${lb.LoadBalancerName}, ${listener.Protocol} listener on port ${listener.Port}`
    }
  }
  return undefined
}
