// Target groups and their attributes: the API handlers, the builder, and which load balancers use a
// group.
import type {
  Action,
  CreateTargetGroupCommandInput,
  DeleteTargetGroupCommandInput,
  DescribeTargetGroupAttributesCommandInput,
  DescribeTargetGroupsCommandInput,
  ModifyTargetGroupAttributesCommandInput,
  ModifyTargetGroupCommandInput,
  Tag,
  TargetGroup
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { page } from '../paging.js'
import type { ElbModel } from './index.js'
import { loadBalancerByArn } from './load-balancers.js'
import type { HealthCheckConfig, TargetGroupRecord } from './records.js'
import { checkHealthCheck, validArn } from './validation.js'

export const DEFAULT_ATTRIBUTES: Array<[string, string]> = [
  ['deregistration_delay.timeout_seconds', '300'],
  ['stickiness.enabled', 'false'],
  ['stickiness.type', 'lb_cookie'],
  ['stickiness.lb_cookie.duration_seconds', '86400'],
  ['slow_start.duration_seconds', '0'],
  ['load_balancing.algorithm.type', 'round_robin'],
  ['load_balancing.cross_zone.enabled', 'use_load_balancer_configuration'],
  ['target_group_health.dns_failover.minimum_healthy_targets.count', '1'],
  ['target_group_health.unhealthy_state_routing.minimum_healthy_targets.count', '1']
]

export function forwardsTo(a: Action, tgArn: string): boolean {
  if (a.Type !== 'forward') return false
  return (
    a.TargetGroupArn === tgArn || (a.ForwardConfig?.TargetGroups ?? []).some(t => t.TargetGroupArn === tgArn)
  )
}

export function targetGroupByArn(elb: ElbModel, arn: string): TargetGroupRecord {
  validArn(arn, 'targetgroup', 'target group')
  const tg = elb.targetGroups.get(arn)
  if (!tg || elb.world.faults.hidden(arn))
    throw elb.error('TargetGroupNotFound', 'One or more target groups not found')
  return tg
}

/** Load balancers whose listeners or rules forward to `tg`. */
export function loadBalancersUsing(elb: ElbModel, tg: TargetGroupRecord): Set<string> {
  const lbs = new Set<string>()
  for (const l of elb.listeners.values()) {
    const actions = [...l.defaultActions, ...l.rules.flatMap(r => r.actions)]
    if (actions.some(a => forwardsTo(a, tg.arn))) lbs.add(l.loadBalancerArn)
  }
  return lbs
}

export function tgShape(elb: ElbModel, tg: TargetGroupRecord): TargetGroup {
  const hc = tg.healthCheck
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol as TargetGroup['Protocol'],
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: hc.protocol as TargetGroup['HealthCheckProtocol'],
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    HealthCheckPath: hc.path,
    Matcher: { HttpCode: hc.matcher },
    LoadBalancerArns: [...loadBalancersUsing(elb, tg)],
    TargetType: tg.targetType as TargetGroup['TargetType'],
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4'
  }
}

export function describeTargetGroups(elb: ElbModel, input: DescribeTargetGroupsCommandInput) {
  let tgs: TargetGroupRecord[]
  if (input.TargetGroupArns?.length) {
    tgs = input.TargetGroupArns.map(arn => targetGroupByArn(elb, arn))
  } else if (input.Names?.length) {
    tgs = input.Names.map(name => {
      const tg = [...elb.targetGroups.values()].find(t => t.name === name)
      if (!tg || elb.world.faults.hidden(tg.arn)) {
        throw elb.error('TargetGroupNotFound', 'One or more target groups not found')
      }
      return tg
    })
  } else if (input.LoadBalancerArn) {
    validArn(input.LoadBalancerArn, 'loadbalancer', 'load balancer')
    const lb = loadBalancerByArn(elb, input.LoadBalancerArn)
    tgs = [...elb.targetGroups.values()].filter(
      tg => loadBalancersUsing(elb, tg).has(lb.arn) && !elb.world.faults.hidden(tg.arn)
    )
  } else {
    tgs = [...elb.targetGroups.values()].filter(tg => !elb.world.faults.hidden(tg.arn))
  }
  const { items, next } = page(tgs, input.Marker, input.PageSize)
  return { TargetGroups: items.map(tg => tgShape(elb, tg)), NextMarker: next }
}

/** Creates a target group (world builders and CreateTargetGroup); defaults are AWS's. */
export function addTargetGroup(
  elb: ElbModel,
  opts: {
    name: string
    protocol?: string
    port?: number
    vpcId?: string
    targetType?: string
    healthCheckPath?: string
    healthCheckIntervalSeconds?: number
    healthCheckTimeoutSeconds?: number
    healthyThresholdCount?: number
    unhealthyThresholdCount?: number
    matcher?: string
    deregistrationDelaySeconds?: number
    tags?: Tag[]
  }
): TargetGroupRecord {
  const name = opts.name
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name)) {
    throw elb.error(
      'ValidationError',
      name.length > 32
        ? `The target group name '${name}' cannot be longer than '32' characters`
        : `Target group name '${name}' can only contain characters that are alphanumeric characters or hyphens(-), and must not begin or end with a hyphen`
    )
  }
  const targetType = opts.targetType ?? 'instance'
  const protocol = opts.protocol ?? 'HTTP'
  const healthCheck: HealthCheckConfig = {
    protocol,
    port: 'traffic-port',
    enabled: true,
    intervalSeconds: opts.healthCheckIntervalSeconds ?? 30,
    timeoutSeconds: opts.healthCheckTimeoutSeconds ?? 5,
    healthyThreshold: opts.healthyThresholdCount ?? 5,
    unhealthyThreshold: opts.unhealthyThresholdCount ?? 2,
    path: opts.healthCheckPath ?? '/',
    matcher: opts.matcher ?? '200'
  }
  checkHealthCheck(elb, healthCheck)
  const existing = [...elb.targetGroups.values()].find(t => t.name === name)
  if (existing) {
    const same =
      existing.protocol === protocol &&
      existing.port === (opts.port ?? 80) &&
      existing.targetType === targetType &&
      JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck)
    if (same) return existing
    throw elb.error(
      'DuplicateTargetGroupName',
      `A target group with the same name '${name}' exists, but with different settings`
    )
  }
  if (elb.targetGroups.size >= elb.world.limits.targetGroups) {
    throw elb.error(
      'TooManyTargetGroups',
      'You have reached the limit on the number of target groups for your AWS account'
    )
  }
  const tg: TargetGroupRecord = {
    arn: elb.world.arn('elasticloadbalancing', `targetgroup/${name}/${elb.world.ids.hex(16)}`),
    name,
    protocol,
    port: opts.port ?? 80,
    vpcId: opts.vpcId ?? 'vpc-0sim0000000000001',
    targetType,
    healthCheck,
    attributes: new Map(DEFAULT_ATTRIBUTES),
    tags: [...(opts.tags ?? [])],
    targets: new Map(),
    ghosts: [],
    roundRobin: 0,
    createdAt: elb.now
  }
  if (opts.deregistrationDelaySeconds !== undefined) {
    tg.attributes.set('deregistration_delay.timeout_seconds', String(opts.deregistrationDelaySeconds))
  }
  elb.targetGroups.set(tg.arn, tg)
  elb.world.faults.created('targetgroup', tg.arn)
  return tg
}

export function createTargetGroup(elb: ElbModel, input: CreateTargetGroupCommandInput) {
  const tg = addTargetGroup(elb, {
    name: input.Name ?? '',
    protocol: input.Protocol,
    port: input.Port,
    vpcId: input.VpcId,
    targetType: input.TargetType,
    healthCheckPath: input.HealthCheckPath,
    healthCheckIntervalSeconds: input.HealthCheckIntervalSeconds,
    healthCheckTimeoutSeconds: input.HealthCheckTimeoutSeconds,
    healthyThresholdCount: input.HealthyThresholdCount,
    unhealthyThresholdCount: input.UnhealthyThresholdCount,
    matcher: input.Matcher?.HttpCode,
    tags: input.Tags
  })
  return { TargetGroups: [tgShape(elb, tg)] }
}

export function modifyTargetGroup(elb: ElbModel, input: ModifyTargetGroupCommandInput) {
  const tg = targetGroupByArn(elb, input.TargetGroupArn ?? '')
  const hc: HealthCheckConfig = {
    ...tg.healthCheck,
    ...(input.HealthCheckPath !== undefined ? { path: input.HealthCheckPath } : {}),
    ...(input.HealthCheckIntervalSeconds !== undefined
      ? { intervalSeconds: input.HealthCheckIntervalSeconds }
      : {}),
    ...(input.HealthCheckTimeoutSeconds !== undefined
      ? { timeoutSeconds: input.HealthCheckTimeoutSeconds }
      : {}),
    ...(input.HealthyThresholdCount !== undefined ? { healthyThreshold: input.HealthyThresholdCount } : {}),
    ...(input.UnhealthyThresholdCount !== undefined
      ? { unhealthyThreshold: input.UnhealthyThresholdCount }
      : {}),
    ...(input.Matcher?.HttpCode !== undefined ? { matcher: input.Matcher.HttpCode } : {}),
    ...(input.HealthCheckEnabled !== undefined ? { enabled: input.HealthCheckEnabled } : {})
  }
  checkHealthCheck(elb, hc)
  tg.healthCheck = hc
  return { TargetGroups: [tgShape(elb, tg)] }
}

export function deleteTargetGroup(elb: ElbModel, input: DeleteTargetGroupCommandInput) {
  const arn = input.TargetGroupArn ?? ''
  validArn(arn, 'targetgroup', 'target group')
  const tg = elb.targetGroups.get(arn)
  if (!tg) throw elb.error('TargetGroupNotFound', 'One or more target groups not found')
  if (loadBalancersUsing(elb, tg).size > 0) {
    throw elb.error('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`)
  }
  for (const t of tg.targets.values()) {
    t.check?.cancel()
    t.drain?.cancel()
    for (const done of t.onDrained.splice(0)) done()
  }
  elb.targetGroups.delete(arn)
  return {}
}

export function describeTargetGroupAttributes(
  elb: ElbModel,
  input: DescribeTargetGroupAttributesCommandInput
) {
  const tg = targetGroupByArn(elb, input.TargetGroupArn ?? '')
  return { Attributes: [...tg.attributes.entries()].map(([Key, Value]) => ({ Key, Value })) }
}

export function modifyTargetGroupAttributes(elb: ElbModel, input: ModifyTargetGroupAttributesCommandInput) {
  const tg = targetGroupByArn(elb, input.TargetGroupArn ?? '')
  for (const a of input.Attributes ?? []) {
    if (!a.Key || !tg.attributes.has(a.Key)) {
      throw elb.error('ValidationError', `Target group attribute key '${a.Key ?? ''}' is not recognized`)
    }
    if (a.Key === 'deregistration_delay.timeout_seconds') {
      const v = Number(a.Value)
      if (!Number.isInteger(v) || v < 0 || v > 3600) {
        throw elb.error(
          'ValidationError',
          `'deregistration_delay.timeout_seconds' must be an integer between 0 and 3600`
        )
      }
    }
    tg.attributes.set(a.Key, a.Value ?? '')
  }
  return { Attributes: [...tg.attributes.entries()].map(([Key, Value]) => ({ Key, Value })) }
}

/** Seconds a deregistered target drains for. */
export function deregistrationDelaySeconds(tg: TargetGroupRecord): number {
  return Number(tg.attributes.get('deregistration_delay.timeout_seconds') ?? '300')
}
