// What the ELBv2 model keeps about each resource, and how a listener answers a request.
import type {
  Action,
  RuleCondition,
  Tag,
  TargetHealthReasonEnum,
  TargetHealthStateEnum
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { ScheduledEvent } from '../timeline.js'

export interface LoadBalancerRecord {
  arn: string
  name: string
  id: string
  dnsName: string
  scheme: string
  vpcId: string
  createdAt: Date
  securityGroups: string[]
  tags: Tag[]
}

export interface ListenerRecord {
  arn: string
  loadBalancerArn: string
  port: number
  protocol: string
  defaultActions: Action[]
  certificates?: Array<{ CertificateArn?: string }>
  sslPolicy?: string
  tags: Tag[]
  /** The listener's non-default rules; the default rule is derived from defaultActions. */
  rules: RuleRecord[]
  defaultRuleArn: string
}

export interface RuleRecord {
  arn: string
  listenerArn: string
  priority: number
  conditions: RuleCondition[]
  actions: Action[]
  tags: Tag[]
}

export interface TargetRecord {
  id: string
  port: number
  availabilityZone?: string
  state: TargetHealthStateEnum
  reason?: TargetHealthReasonEnum
  description?: string
  passes: number
  fails: number
  registeredAt: number
  check?: ScheduledEvent
  drain?: ScheduledEvent
  drainingSince?: number
  /** The ALB still sends new requests here until then (deregistration takes a moment to apply). */
  routeUntil?: number
  onDrained: Array<() => void>
}

export interface HealthCheckConfig {
  protocol: string
  port: string
  enabled: boolean
  intervalSeconds: number
  timeoutSeconds: number
  healthyThreshold: number
  unhealthyThreshold: number
  path: string
  matcher: string
}

export interface TargetGroupRecord {
  arn: string
  name: string
  protocol: string
  port: number
  vpcId: string
  targetType: string
  healthCheck: HealthCheckConfig
  attributes: Map<string, string>
  tags: Tag[]
  targets: Map<string, TargetRecord>
  /** Removed targets the ALB still routes to for a moment. */
  ghosts: TargetRecord[]
  roundRobin: number
  createdAt: number
}

export const key = (id: string, port: number) => `${id}:${port}`

/** How a listener answers a request: which target group, or a fixed answer. */
export type RouteDecision =
  | { kind: 'forward'; targetGroup: TargetGroupRecord | undefined; listener: ListenerRecord; rule: string }
  | { kind: 'fixed'; status: number; location?: string; listener: ListenerRecord; rule: string }
  | { kind: 'no-load-balancer' }
  | { kind: 'no-listener' }
  | { kind: 'not-admitted' }
