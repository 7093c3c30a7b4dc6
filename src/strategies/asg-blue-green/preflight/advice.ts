// Settings that cost a blue/green deploy time or safety, each with what to change: printed in the
// pre-flight and the job summary, never a reason to refuse.
import { formatDuration } from '../../../clock.js'
import {
  LONG_DEREGISTRATION_DELAY_SECONDS,
  firstCheckSeconds,
  recoverySeconds,
  slowHealthChecks,
  type Finding
} from '../../../preflight.js'
import type { GroupView, TargetGroupInfo } from '../model.js'

export function recommendations(active: GroupView, main: TargetGroupInfo): string[] {
  const advice: string[] = []
  if (slowHealthChecks(main)) {
    advice.push(
      `Target group ${main.name} checks every ${main.intervalSeconds}s: a new instance gets traffic after its ` +
        `first passing check (${formatDuration(firstCheckSeconds(main))}), at the cutover and in a rollback, but ` +
        `after ${main.healthyThreshold} in a row (${formatDuration(recoverySeconds(main))}) once it turned ` +
        `unhealthy (e.g. while booting): checks every 10-15s and 2-3 passes prove a healthy ` +
        `${main.healthCheckPath} as well.`
    )
  }
  if (main.deregistrationDelaySeconds > LONG_DEREGISTRATION_DELAY_SECONDS) {
    advice.push(
      `Target group ${main.name} drains for ${main.deregistrationDelaySeconds}s: the cutover and a rollback each ` +
        `wait that long. Lower deregistration_delay.timeout_seconds to just above your slowest request (e.g. 30-120s).`
    )
  }
  if (main.healthCheckPath === '/') {
    advice.push(
      `Target group ${main.name} health-checks '/': apps often redirect or render a full page there. Add a cheap ` +
        `/healthz endpoint and point the health check at it.`
    )
  }
  if (active.healthCheckType !== 'ELB') {
    advice.push(
      `${active.name} uses ${active.healthCheckType} health checks: Auto Scaling does not replace an instance ` +
        `that fails the load balancer's health check. Set the groups' health check type to ELB.`
    )
  }
  return advice
}

/** The recommendations as advise-level findings: each sentence says its fix. */
export function adviceFindings(active: GroupView, main: TargetGroupInfo): Finding[] {
  return recommendations(active, main).map(message => ({ level: 'advise', message, hint: '' }))
}
