// What every strategy's pre-flight shares: a finding (refuse, warn, advise), how long a target waits
// for its health checks, and the thresholds above which a health check or a deregistration delay
// costs a deploy enough time to say so.
import { formatDuration } from './clock.js'

/** refuse: stop before any change; warn: a risk; advise: a setting that costs time, said once. */
export type FindingLevel = 'refuse' | 'warn' | 'advise'

export interface Finding {
  level: FindingLevel
  message: string
  hint: string
}

/** A target group's health-check timing, as the pre-flights read it. */
export interface HealthCheckTiming {
  intervalSeconds: number
  healthyThreshold: number
}

// AWS: "After your target is registered, it must pass one health check to be considered healthy"
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html),
// and HealthyThresholdCount "only applies when a target is transitioning from an unhealthy state back
// to a healthy state" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-healthcheck.html).

/** Seconds a newly registered target waits to be healthy: its first check, about one interval. */
export function firstCheckSeconds(tg: HealthCheckTiming): number {
  return tg.intervalSeconds
}

/** Seconds a target that turned unhealthy waits to be healthy again: HealthyThresholdCount passes. */
export function recoverySeconds(tg: HealthCheckTiming): number {
  return tg.healthyThreshold * tg.intervalSeconds
}

/** `healthy after 1 passing check (30s), 5 in a row (2m30s) once unhealthy` */
export function healthyAfterText(tg: HealthCheckTiming): string {
  return (
    `healthy after 1 passing check (${formatDuration(firstCheckSeconds(tg))}), ` +
    `${tg.healthyThreshold} in a row (${formatDuration(recoverySeconds(tg))}) once unhealthy`
  )
}

// A new target waiting longer than AWS's default interval (30 s) for its first check, or one that
// turned unhealthy (e.g. failed checks while it started) waiting longer than this for its way back,
// is worth a recommendation. AWS's ECS guide suggests a 5 s interval and 2 passes for apps that start
// quickly (the page above).
export const SLOW_FIRST_CHECK_SECONDS = 30
export const SLOW_RECOVERY_SECONDS = 90

/** Whether a target group's checks cost a deploy enough time to recommend quicker ones. */
export function slowHealthChecks(tg: HealthCheckTiming): boolean {
  return firstCheckSeconds(tg) > SLOW_FIRST_CHECK_SECONDS || recoverySeconds(tg) > SLOW_RECOVERY_SECONDS
}

// Above this a deploy spends minutes just draining (the ALB default is 300 s).
export const LONG_DEREGISTRATION_DELAY_SECONDS = 120

/** What a rule says is wrong and how to fix it, before it is given a level. */
export type Problem = Pick<Finding, 'message' | 'hint'>

export function refusal(problem: Problem): Finding {
  return { level: 'refuse', message: problem.message, hint: problem.hint }
}

export function warning(message: string, hint = ''): Finding {
  return { level: 'warn', message, hint }
}
