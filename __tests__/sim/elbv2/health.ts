// Target health over time: registration, a health check every interval (healthy after the passes
// passesToHealthy asks, unhealthy after UnhealthyThresholdCount failures), draining for the
// deregistration delay, and `unused` while no listener or rule forwards to the group.
import type { TargetHealthReasonEnum, TargetHealthStateEnum } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { ElbModel } from './index.js'
import { key, type HealthCheckConfig, type TargetGroupRecord, type TargetRecord } from './records.js'
import { deregistrationDelaySeconds, loadBalancersUsing } from './target-groups.js'
import { statusMatches } from './validation.js'

/** Registers a target: health checks start (or it waits as `unused` if no load balancer uses the group). */
export function register(
  elb: ElbModel,
  tg: TargetGroupRecord,
  t: { id: string; port?: number; availabilityZone?: string }
): TargetRecord {
  const port = t.port ?? tg.port
  const existing = tg.targets.get(key(t.id, port))
  if (existing && existing.state !== 'draining') return existing
  if (existing) {
    // Registered again while draining: it is back in service once it passes health checks.
    existing.drain?.cancel()
    existing.drainingSince = undefined
    existing.routeUntil = undefined
    for (const done of existing.onDrained.splice(0)) done()
    startChecking(elb, tg, existing)
    return existing
  }
  const record: TargetRecord = {
    id: t.id,
    port,
    availabilityZone: t.availabilityZone,
    state: 'initial',
    passes: 0,
    fails: 0,
    registeredAt: elb.now,
    onDrained: []
  }
  tg.ghosts = tg.ghosts.filter(g => g.id !== t.id || g.port !== port)
  tg.targets.set(key(t.id, port), record)
  startChecking(elb, tg, record)
  return record
}

export function startChecking(elb: ElbModel, tg: TargetGroupRecord, t: TargetRecord): void {
  t.check?.cancel()
  t.passes = 0
  t.fails = 0
  if (loadBalancersUsing(elb, tg).size === 0) {
    setState(
      t,
      'unused',
      'Target.NotInUse',
      'Target group is not configured to receive traffic from the load balancer'
    )
    return
  }
  setState(t, 'initial', 'Elb.RegistrationInProgress', 'Target registration is in progress')
  scheduleCheck(elb, tg, t)
}

export function scheduleCheck(elb: ElbModel, tg: TargetGroupRecord, t: TargetRecord): void {
  t.check = elb.world.timeline.after(tg.healthCheck.intervalSeconds * 1000, () => healthCheck(elb, tg, t))
}

/** One health check of one target, as an ALB node makes it. */
export function healthCheck(elb: ElbModel, tg: TargetGroupRecord, t: TargetRecord): void {
  if (tg.targets.get(key(t.id, t.port)) !== t || t.state === 'draining' || t.state === 'unused') return
  const hc = tg.healthCheck
  const backend = elb.world.endpoints.get(t.id)
  const answer = backend ? backend.answer(hc.path, elb.now) : ({ error: 'timeout' } as const)
  const accepted = 'status' in answer && statusMatches(hc.matcher, answer.status)
  if (accepted) {
    t.fails = 0
    t.passes++
    if (t.state !== 'healthy' && t.passes >= passesToHealthy(elb, hc, t)) setState(t, 'healthy')
    else if (t.state === 'initial')
      setState(t, 'initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress')
  } else {
    t.passes = 0
    t.fails++
    if (t.state !== 'unhealthy' && t.fails >= hc.unhealthyThreshold) {
      if ('status' in answer) {
        setState(
          t,
          'unhealthy',
          'Target.ResponseCodeMismatch',
          `Health checks failed with these codes: [${answer.status}]`
        )
      } else if (answer.error === 'timeout') {
        setState(t, 'unhealthy', 'Target.Timeout', 'Request timed out')
      } else {
        setState(t, 'unhealthy', 'Target.FailedHealthChecks', 'Health checks failed')
      }
    } else if (t.state === 'initial') {
      setState(t, 'initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress')
    }
  }
  scheduleCheck(elb, tg, t)
}

/**
 * Consecutive passes that turn this target healthy. AWS: "After your target is registered, it must pass
 * one health check to be considered healthy"
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html);
 * HealthyThresholdCount is "the number of consecutive successful health checks required before
 * considering an unhealthy target healthy" (same page), and ECS's guide says it "only applies when a
 * target is transitioning from an unhealthy state back to a healthy state"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-healthcheck.html). A
 * target registered again (after draining, or when its group comes into use) starts `initial`, as a
 * new one. The world's `threshold` model asks HealthyThresholdCount passes from registration too.
 */
export function passesToHealthy(elb: ElbModel, hc: HealthCheckConfig, t: TargetRecord): number {
  if (t.state === 'unhealthy' || elb.world.healthModel === 'threshold') return hc.healthyThreshold
  return 1
}

export function setState(
  t: TargetRecord,
  state: TargetHealthStateEnum,
  reason?: TargetHealthReasonEnum,
  description?: string
): void {
  t.state = state
  t.reason = reason
  t.description = description
}

/**
 * Starts draining a target: no new requests once the change has reached the ALB
 * (albRoutingGraceSeconds), gone after the deregistration delay. `onDrained` runs when it is gone.
 */
export function deregister(
  elb: ElbModel,
  tg: TargetGroupRecord,
  id: string,
  port?: number,
  onDrained?: () => void
): void {
  const t = tg.targets.get(key(id, port ?? tg.port))
  if (!t) {
    onDrained?.()
    return
  }
  if (onDrained) t.onDrained.push(onDrained)
  if (t.state === 'draining') return
  t.check?.cancel()
  if (t.state === 'unused') {
    remove(elb, tg, t)
    return
  }
  // Only a target that was getting requests keeps getting them while the change propagates (a world
  // with albRoutingGraceSeconds > 0): a healthy one, or an unhealthy one while the group fails open.
  const failingOpen = [...tg.targets.values()].every(o => o.state === 'unhealthy' || o.state === 'draining')
  const wasReceiving = t.state === 'healthy' || failingOpen
  setState(t, 'draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress')
  t.drainingSince = elb.now
  t.routeUntil = wasReceiving ? elb.now + elb.world.timing.albRoutingGraceSeconds * 1000 : undefined
  t.drain = elb.world.timeline.after(deregistrationDelaySeconds(tg) * 1000, () => remove(elb, tg, t))
}

export function remove(elb: ElbModel, tg: TargetGroupRecord, t: TargetRecord): void {
  if (tg.targets.get(key(t.id, t.port)) !== t) return
  tg.targets.delete(key(t.id, t.port))
  if (t.routeUntil !== undefined && t.routeUntil > elb.now) tg.ghosts.push(t)
  for (const done of t.onDrained.splice(0)) done()
}

/** Targets whose group changed between used and unused start or stop being health-checked. */
export function refreshUsage(elb: ElbModel): void {
  for (const tg of elb.targetGroups.values()) {
    const used = loadBalancersUsing(elb, tg).size > 0
    for (const t of tg.targets.values()) {
      if (used && t.state === 'unused') startChecking(elb, tg, t)
      else if (!used && t.state !== 'unused' && t.state !== 'draining') {
        t.check?.cancel()
        setState(
          t,
          'unused',
          'Target.NotInUse',
          'Target group is not configured to receive traffic from the load balancer'
        )
      }
    }
  }
}
