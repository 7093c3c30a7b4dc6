// Elastic Load Balancing v2 as the action sees it: load balancers, listeners, rules, target groups
// and target health that moves over time (initial -> healthy after HealthyThresholdCount passing
// checks, unhealthy after UnhealthyThresholdCount failures, draining for the deregistration delay).
// Shapes and error codes follow the real API.
import type {
  Action,
  AddTagsCommandInput,
  CreateListenerCommandInput,
  CreateLoadBalancerCommandInput,
  CreateRuleCommandInput,
  CreateTargetGroupCommandInput,
  DescribeAccountLimitsCommandInput,
  DeleteListenerCommandInput,
  DeleteRuleCommandInput,
  DeleteTargetGroupCommandInput,
  DeregisterTargetsCommandInput,
  DescribeListenersCommandInput,
  DescribeLoadBalancersCommandInput,
  DescribeRulesCommandInput,
  DescribeTagsCommandInput,
  DescribeTargetGroupAttributesCommandInput,
  DescribeTargetGroupsCommandInput,
  DescribeTargetHealthCommandInput,
  Listener,
  LoadBalancer,
  ModifyListenerCommandInput,
  ModifyRuleCommandInput,
  ModifyTargetGroupAttributesCommandInput,
  ModifyTargetGroupCommandInput,
  RedirectActionConfig,
  RegisterTargetsCommandInput,
  RemoveTagsCommandInput,
  Rule,
  RuleCondition,
  SetRulePrioritiesCommandInput,
  Tag,
  TargetDescription,
  TargetGroup,
  TargetHealthDescription,
  TargetHealthReasonEnum,
  TargetHealthStateEnum
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { awsError } from './errors.js'
import { deepCopy } from './copy.js'
import type { ScheduledEvent } from './timeline.js'
import type { World } from './world.js'

/** A command's input as sent; handlers validate what AWS validates. */
export type Handler = (input: object) => unknown

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

const DEFAULT_ATTRIBUTES: Array<[string, string]> = [
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

const MAX_TAGS = 50

const key = (id: string, port: number) => `${id}:${port}`

/** How a listener answers a request: which target group, or a fixed answer. */
export type RouteDecision =
  | { kind: 'forward'; targetGroup: TargetGroupRecord | undefined; listener: ListenerRecord; rule: string }
  | { kind: 'fixed'; status: number; location?: string; listener: ListenerRecord; rule: string }
  | { kind: 'no-load-balancer' }
  | { kind: 'no-listener' }

export class ElbModel {
  readonly loadBalancers = new Map<string, LoadBalancerRecord>()
  readonly listeners = new Map<string, ListenerRecord>()
  readonly targetGroups = new Map<string, TargetGroupRecord>()

  constructor(private readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return {
      DescribeAccountLimits: i => this.describeAccountLimits(i as DescribeAccountLimitsCommandInput),
      DescribeLoadBalancers: i => this.describeLoadBalancers(i as DescribeLoadBalancersCommandInput),
      CreateLoadBalancer: i => this.createLoadBalancerCommand(i as CreateLoadBalancerCommandInput),
      DescribeListeners: i => this.describeListeners(i as DescribeListenersCommandInput),
      CreateListener: i => this.createListener(i as CreateListenerCommandInput),
      ModifyListener: i => this.modifyListener(i as ModifyListenerCommandInput),
      DeleteListener: i => this.deleteListener(i as DeleteListenerCommandInput),
      DescribeRules: i => this.describeRules(i as DescribeRulesCommandInput),
      CreateRule: i => this.createRule(i as CreateRuleCommandInput),
      ModifyRule: i => this.modifyRule(i as ModifyRuleCommandInput),
      DeleteRule: i => this.deleteRule(i as DeleteRuleCommandInput),
      SetRulePriorities: i => this.setRulePriorities(i as SetRulePrioritiesCommandInput),
      DescribeTargetGroups: i => this.describeTargetGroups(i as DescribeTargetGroupsCommandInput),
      CreateTargetGroup: i => this.createTargetGroup(i as CreateTargetGroupCommandInput),
      ModifyTargetGroup: i => this.modifyTargetGroup(i as ModifyTargetGroupCommandInput),
      DeleteTargetGroup: i => this.deleteTargetGroup(i as DeleteTargetGroupCommandInput),
      DescribeTargetGroupAttributes: i =>
        this.describeTargetGroupAttributes(i as DescribeTargetGroupAttributesCommandInput),
      ModifyTargetGroupAttributes: i =>
        this.modifyTargetGroupAttributes(i as ModifyTargetGroupAttributesCommandInput),
      RegisterTargets: i => this.registerTargets(i as RegisterTargetsCommandInput),
      DeregisterTargets: i => this.deregisterTargets(i as DeregisterTargetsCommandInput),
      DescribeTargetHealth: i => this.describeTargetHealth(i as DescribeTargetHealthCommandInput),
      AddTags: i => this.addTags(i as AddTagsCommandInput),
      RemoveTags: i => this.removeTags(i as RemoveTagsCommandInput),
      DescribeTags: i => this.describeTags(i as DescribeTagsCommandInput)
    }
  }

  private get now(): number {
    return this.world.now()
  }

  private error(code: string, message: string): Error {
    return awsError('elbv2', code, message)
  }

  // ---- account limits ----------------------------------------------------------------------

  private describeAccountLimits(input: DescribeAccountLimitsCommandInput) {
    const l = this.world.limits
    const limits: Array<[string, number]> = [
      ['application-load-balancers', 50],
      ['target-groups', l.targetGroups],
      ['targets-per-application-load-balancer', 1000],
      ['listeners-per-application-load-balancer', l.listenersPerLoadBalancer],
      ['rules-per-application-load-balancer', l.rulesPerLoadBalancer],
      ['target-groups-per-action-on-application-load-balancer', l.targetGroupsPerForwardAction],
      ['target-groups-per-application-load-balancer', l.targetGroupsPerLoadBalancer],
      ['certificates-per-application-load-balancer', 25],
      ['condition-values-per-alb-rule', 5],
      ['condition-wildcards-per-alb-rule', 5]
    ]
    const { items, next } = page(limits, input.Marker, input.PageSize)
    return { Limits: items.map(([Name, Max]) => ({ Name, Max: String(Max) })), NextMarker: next }
  }

  // ---- load balancers ----------------------------------------------------------------------

  /** Creates an internet-facing application load balancer (world builders and CreateLoadBalancer). */
  addLoadBalancer(opts: { name: string; scheme?: string; vpcId?: string; tags?: Tag[] }): LoadBalancerRecord {
    if ([...this.loadBalancers.values()].some(lb => lb.name === opts.name)) {
      throw this.error('DuplicateLoadBalancerName', 'A load balancer with the same name exists')
    }
    const id = this.world.ids.hex(16)
    const lb: LoadBalancerRecord = {
      arn: this.world.arn('elasticloadbalancing', `loadbalancer/app/${opts.name}/${id}`),
      name: opts.name,
      id,
      dnsName:
        `${opts.scheme === 'internal' ? 'internal-' : ''}${opts.name}-${this.world.ids.digits(10)}.${this.world.region}.elb.amazonaws.com`.toLowerCase(),
      scheme: opts.scheme ?? 'internet-facing',
      vpcId: opts.vpcId ?? 'vpc-0sim0000000000001',
      createdAt: new Date(this.now),
      securityGroups: ['sg-0sim0000000000001'],
      tags: [...(opts.tags ?? [])]
    }
    this.loadBalancers.set(lb.arn, lb)
    this.world.faults.created('loadbalancer', lb.arn)
    return lb
  }

  private createLoadBalancerCommand(input: CreateLoadBalancerCommandInput) {
    if (!input.Name) throw this.error('ValidationError', 'A load balancer name must be specified')
    if (input.Type && input.Type !== 'application') {
      throw this.error('ValidationError', `sim models application load balancers only, not '${input.Type}'`)
    }
    const lb = this.addLoadBalancer({ name: input.Name, scheme: input.Scheme, tags: input.Tags })
    return { LoadBalancers: [this.lbShape(lb)] }
  }

  private lbShape(lb: LoadBalancerRecord): LoadBalancer {
    return {
      LoadBalancerArn: lb.arn,
      DNSName: lb.dnsName,
      CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
      CreatedTime: lb.createdAt,
      LoadBalancerName: lb.name,
      Scheme: lb.scheme as LoadBalancer['Scheme'],
      VpcId: lb.vpcId,
      State: { Code: 'active' },
      Type: 'application',
      AvailabilityZones: this.world.zones.map((z, i) => ({
        ZoneName: z,
        SubnetId: `subnet-0sim00000000000${i + 1}`
      })),
      SecurityGroups: [...lb.securityGroups],
      IpAddressType: 'ipv4'
    }
  }

  private loadBalancer(arn: string): LoadBalancerRecord {
    const lb = this.loadBalancers.get(arn)
    if (!lb || this.world.faults.hidden(arn)) {
      throw this.error('LoadBalancerNotFound', `Load balancer '${arn}' not found`)
    }
    return lb
  }

  private describeLoadBalancers(input: DescribeLoadBalancersCommandInput) {
    let lbs: LoadBalancerRecord[]
    if (input.LoadBalancerArns?.length) {
      lbs = input.LoadBalancerArns.map(arn => {
        validArn(arn, 'loadbalancer', 'load balancer')
        return this.loadBalancer(arn)
      })
    } else if (input.Names?.length) {
      lbs = input.Names.map(name => {
        const lb = [...this.loadBalancers.values()].find(l => l.name === name)
        if (!lb || this.world.faults.hidden(lb.arn)) {
          throw this.error('LoadBalancerNotFound', `One or more load balancers not found`)
        }
        return lb
      })
    } else {
      lbs = [...this.loadBalancers.values()].filter(lb => !this.world.faults.hidden(lb.arn))
    }
    const { items, next } = page(lbs, input.Marker, input.PageSize)
    return { LoadBalancers: items.map(lb => this.lbShape(lb)), NextMarker: next }
  }

  // ---- listeners ---------------------------------------------------------------------------

  private listener(arn: string): ListenerRecord {
    validArn(arn, 'listener', 'listener')
    const l = this.listeners.get(arn)
    if (!l || this.world.faults.hidden(arn))
      throw this.error('ListenerNotFound', 'The specified listener does not exist.')
    return l
  }

  private listenerShape(l: ListenerRecord): Listener {
    return {
      ListenerArn: l.arn,
      LoadBalancerArn: l.loadBalancerArn,
      Port: l.port,
      Protocol: l.protocol as Listener['Protocol'],
      DefaultActions: deepCopy(l.defaultActions),
      ...(l.certificates ? { Certificates: deepCopy(l.certificates) } : {}),
      ...(l.sslPolicy ? { SslPolicy: l.sslPolicy } : {})
    }
  }

  private describeListeners(input: DescribeListenersCommandInput) {
    let listeners: ListenerRecord[]
    if (input.ListenerArns?.length) {
      listeners = input.ListenerArns.map(arn => this.listener(arn))
    } else if (input.LoadBalancerArn) {
      validArn(input.LoadBalancerArn, 'loadbalancer', 'load balancer')
      const lb = this.loadBalancer(input.LoadBalancerArn)
      listeners = [...this.listeners.values()].filter(
        l => l.loadBalancerArn === lb.arn && !this.world.faults.hidden(l.arn)
      )
    } else {
      throw this.error('ValidationError', 'You must specify either listener ARNs or a load balancer ARN')
    }
    const { items, next } = page(listeners, input.Marker, input.PageSize)
    return { Listeners: items.map(l => this.listenerShape(l)), NextMarker: next }
  }

  /** Creates a listener (world builders and CreateListener). */
  addListener(opts: {
    loadBalancerArn: string
    port: number
    protocol?: string
    defaultActions: Action[]
    certificates?: Array<{ CertificateArn?: string }>
    sslPolicy?: string
    tags?: Tag[]
  }): ListenerRecord {
    const lb = this.loadBalancer(opts.loadBalancerArn)
    const protocol = opts.protocol ?? (opts.port === 443 ? 'HTTPS' : 'HTTP')
    if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
      throw this.error('ValidationError', `Listener port '${opts.port}' must be between 1 and 65535`)
    }
    if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
      throw this.error(
        'UnsupportedProtocol',
        `Protocol '${protocol}' is not supported by application load balancers`
      )
    }
    if (protocol === 'HTTPS' && !opts.certificates?.length) {
      throw this.error('ValidationError', 'A certificate must be specified for HTTPS listeners')
    }
    const existing = [...this.listeners.values()].filter(l => l.loadBalancerArn === lb.arn)
    if (existing.some(l => l.port === opts.port)) {
      throw this.error('DuplicateListener', 'A listener already exists on this port for this load balancer')
    }
    if (existing.length >= this.world.limits.listenersPerLoadBalancer) {
      throw this.error(
        'TooManyListeners',
        `You've reached the limit on the number of listeners per load balancer`
      )
    }
    const actions = this.checkActions(opts.defaultActions, lb.arn)
    const id = this.world.ids.hex(16)
    const arn = this.world.arn('elasticloadbalancing', `listener/app/${lb.name}/${lb.id}/${id}`)
    const listener: ListenerRecord = {
      arn,
      loadBalancerArn: lb.arn,
      port: opts.port,
      protocol,
      defaultActions: actions,
      certificates: opts.certificates,
      sslPolicy: protocol === 'HTTPS' ? (opts.sslPolicy ?? 'ELBSecurityPolicy-2016-08') : undefined,
      tags: [...(opts.tags ?? [])],
      rules: [],
      defaultRuleArn: this.world.arn(
        'elasticloadbalancing',
        `listener-rule/app/${lb.name}/${lb.id}/${id}/${this.world.ids.hex(16)}`
      )
    }
    this.listeners.set(arn, listener)
    this.world.faults.created('listener', arn)
    this.refreshUsage()
    return listener
  }

  private createListener(input: CreateListenerCommandInput) {
    if (!input.LoadBalancerArn) throw this.error('ValidationError', 'A load balancer ARN must be specified')
    validArn(input.LoadBalancerArn, 'loadbalancer', 'load balancer')
    if (!input.DefaultActions?.length)
      throw this.error('ValidationError', 'At least one default action must be specified')
    const l = this.addListener({
      loadBalancerArn: input.LoadBalancerArn,
      port: input.Port ?? NaN,
      protocol: input.Protocol,
      defaultActions: input.DefaultActions,
      certificates: input.Certificates,
      sslPolicy: input.SslPolicy,
      tags: input.Tags
    })
    return { Listeners: [this.listenerShape(l)] }
  }

  private modifyListener(input: ModifyListenerCommandInput) {
    const l = this.listener(input.ListenerArn ?? '')
    if (input.Port !== undefined && input.Port !== l.port) {
      if (
        [...this.listeners.values()].some(
          o => o.loadBalancerArn === l.loadBalancerArn && o.port === input.Port
        )
      ) {
        throw this.error('DuplicateListener', 'A listener already exists on this port for this load balancer')
      }
      l.port = input.Port
    }
    if (input.Protocol) l.protocol = input.Protocol
    if (input.Certificates) l.certificates = input.Certificates
    if (input.DefaultActions) l.defaultActions = this.checkActions(input.DefaultActions, l.loadBalancerArn)
    this.refreshUsage()
    return { Listeners: [this.listenerShape(l)] }
  }

  private deleteListener(input: DeleteListenerCommandInput) {
    const l = this.listener(input.ListenerArn ?? '')
    this.listeners.delete(l.arn)
    this.refreshUsage()
    return {}
  }

  // ---- rules -------------------------------------------------------------------------------

  private ruleShape(r: RuleRecord): Rule {
    return {
      RuleArn: r.arn,
      Priority: String(r.priority),
      Conditions: r.conditions.map(normalizeCondition),
      Actions: deepCopy(r.actions),
      IsDefault: false
    }
  }

  private defaultRuleShape(l: ListenerRecord): Rule {
    return {
      RuleArn: l.defaultRuleArn,
      Priority: 'default',
      Conditions: [],
      Actions: deepCopy(l.defaultActions),
      IsDefault: true
    }
  }

  private findRule(arn: string): { listener: ListenerRecord; rule: RuleRecord | undefined } | undefined {
    for (const l of this.listeners.values()) {
      if (l.defaultRuleArn === arn) return { listener: l, rule: undefined }
      const rule = l.rules.find(r => r.arn === arn)
      if (rule) return { listener: l, rule }
    }
    return undefined
  }

  private rule(arn: string): { listener: ListenerRecord; rule: RuleRecord | undefined } {
    validArn(arn, 'listener-rule', 'rule')
    const found = this.findRule(arn)
    if (!found || this.world.faults.hidden(arn))
      throw this.error('RuleNotFound', 'One or more rules not found')
    return found
  }

  private describeRules(input: DescribeRulesCommandInput) {
    let rules: Rule[]
    if (input.RuleArns?.length) {
      rules = input.RuleArns.map(arn => {
        const { listener, rule } = this.rule(arn)
        return rule ? this.ruleShape(rule) : this.defaultRuleShape(listener)
      })
    } else if (input.ListenerArn) {
      const l = this.listener(input.ListenerArn)
      rules = [
        ...[...l.rules]
          .filter(r => !this.world.faults.hidden(r.arn))
          .sort((a, b) => a.priority - b.priority)
          .map(r => this.ruleShape(r)),
        this.defaultRuleShape(l)
      ]
    } else {
      throw this.error('ValidationError', 'You must specify either listener ARN or rule ARNs')
    }
    const { items, next } = page(rules, input.Marker, input.PageSize)
    return { Rules: items, NextMarker: next }
  }

  /** Creates a rule (world builders and CreateRule). */
  addRule(opts: {
    listenerArn: string
    priority: number
    conditions: RuleCondition[]
    actions: Action[]
    tags?: Tag[]
  }): RuleRecord {
    const l = this.listener(opts.listenerArn)
    if (!Number.isInteger(opts.priority) || opts.priority < 1 || opts.priority > 50000) {
      throw this.error('ValidationError', `Priority '${opts.priority}' must be between 1 and 50000`)
    }
    if (l.rules.some(r => r.priority === opts.priority))
      throw this.error('PriorityInUse', 'The specified priority is in use.')
    const rulesOnLoadBalancer = [...this.listeners.values()]
      .filter(o => o.loadBalancerArn === l.loadBalancerArn)
      .reduce((n, o) => n + o.rules.length, 0)
    if (rulesOnLoadBalancer >= this.world.limits.rulesPerLoadBalancer) {
      throw this.error('TooManyRules', `You've reached the limit on the number of rules per load balancer`)
    }
    const conditions = this.checkConditions(opts.conditions)
    const actions = this.checkActions(opts.actions, l.loadBalancerArn)
    const lb = this.loadBalancers.get(l.loadBalancerArn) as LoadBalancerRecord
    const rule: RuleRecord = {
      arn: this.world.arn(
        'elasticloadbalancing',
        `listener-rule/app/${lb.name}/${lb.id}/${l.arn.split('/').pop()}/${this.world.ids.hex(16)}`
      ),
      listenerArn: l.arn,
      priority: opts.priority,
      conditions,
      actions,
      tags: [...(opts.tags ?? [])]
    }
    l.rules.push(rule)
    this.world.faults.created('rule', rule.arn)
    this.refreshUsage()
    return rule
  }

  private createRule(input: CreateRuleCommandInput) {
    if (!input.ListenerArn) throw this.error('ValidationError', 'A listener ARN must be specified')
    const rule = this.addRule({
      listenerArn: input.ListenerArn,
      priority: input.Priority ?? NaN,
      conditions: input.Conditions ?? [],
      actions: input.Actions ?? [],
      tags: input.Tags
    })
    return { Rules: [this.ruleShape(rule)] }
  }

  private modifyRule(input: ModifyRuleCommandInput) {
    const { listener, rule } = this.rule(input.RuleArn ?? '')
    if (!rule) {
      if (input.Conditions?.length)
        throw this.error('OperationNotPermitted', 'Conditions cannot be specified for the default rule')
      if (input.Actions) listener.defaultActions = this.checkActions(input.Actions, listener.loadBalancerArn)
      this.refreshUsage()
      return { Rules: [this.defaultRuleShape(listener)] }
    }
    if (input.Conditions) rule.conditions = this.checkConditions(input.Conditions)
    if (input.Actions) rule.actions = this.checkActions(input.Actions, listener.loadBalancerArn)
    this.refreshUsage()
    return { Rules: [this.ruleShape(rule)] }
  }

  private deleteRule(input: DeleteRuleCommandInput) {
    const { listener, rule } = this.rule(input.RuleArn ?? '')
    if (!rule) throw this.error('OperationNotPermitted', 'Default rule cannot be deleted')
    listener.rules = listener.rules.filter(r => r !== rule)
    this.refreshUsage()
    return {}
  }

  private setRulePriorities(input: SetRulePrioritiesCommandInput) {
    const changes = (input.RulePriorities ?? []).map(p => {
      const { listener, rule } = this.rule(p.RuleArn ?? '')
      if (!rule) throw this.error('OperationNotPermitted', 'The default rule priority cannot be changed')
      const priority = p.Priority ?? NaN
      if (!Number.isInteger(priority) || priority < 1 || priority > 50000) {
        throw this.error('ValidationError', `Priority '${priority}' must be between 1 and 50000`)
      }
      return { listener, rule, priority }
    })
    for (const c of changes) {
      const moving = new Set(changes.filter(o => o.listener === c.listener).map(o => o.rule))
      const clash =
        c.listener.rules.some(r => !moving.has(r) && r.priority === c.priority) ||
        changes.some(o => o !== c && o.listener === c.listener && o.priority === c.priority)
      if (clash) throw this.error('PriorityInUse', 'The specified priority is in use.')
    }
    for (const c of changes) c.rule.priority = c.priority
    return { Rules: changes.map(c => this.ruleShape(c.rule)) }
  }

  private checkConditions(conditions: RuleCondition[]): RuleCondition[] {
    if (conditions.length === 0)
      throw this.error('ValidationError', 'A rule must have at least one condition')
    for (const c of conditions) {
      const known = [
        'host-header',
        'path-pattern',
        'http-header',
        'http-request-method',
        'query-string',
        'source-ip'
      ]
      if (!c.Field || !known.includes(c.Field)) {
        throw this.error(
          'ValidationError',
          `Condition field '${c.Field ?? ''}' must be one of [${known.join(', ')}]`
        )
      }
      if (c.Field === 'http-header' && !c.HttpHeaderConfig?.HttpHeaderName) {
        throw this.error(
          'ValidationError',
          'An HTTP header name must be specified for http-header conditions'
        )
      }
      if (conditionValues(c).length === 0 && c.Field !== 'query-string') {
        throw this.error('ValidationError', `A condition value must be specified for '${c.Field}'`)
      }
    }
    return deepCopy(conditions)
  }

  /** Validates actions the way ELB does, and fills in the fields AWS adds (Order, ForwardConfig). */
  private checkActions(actions: Action[], loadBalancerArn: string): Action[] {
    if (actions.length === 0) throw this.error('ValidationError', 'At least one action must be specified')
    return actions.map((a, index) => {
      const action = deepCopy(a)
      action.Order ??= index + 1
      if (action.Type === 'forward') {
        const arns =
          action.ForwardConfig?.TargetGroups?.map(t => t.TargetGroupArn ?? '') ??
          (action.TargetGroupArn ? [action.TargetGroupArn] : [])
        if (arns.length === 0)
          throw this.error('ValidationError', 'A target group ARN must be specified for forward actions')
        if (arns.length > this.world.limits.targetGroupsPerForwardAction) {
          throw this.error(
            'TooManyTargetGroups',
            'You have reached the limit on the number of target groups per action'
          )
        }
        for (const arn of arns) {
          validArn(arn, 'targetgroup', 'target group')
          const tg = this.targetGroups.get(arn)
          if (!tg) throw this.error('TargetGroupNotFound', `Target group '${arn}' not found`)
          const lbs = this.loadBalancersUsing(tg)
          if (lbs.size > 0 && !lbs.has(loadBalancerArn)) {
            throw this.error(
              'TargetGroupAssociationLimit',
              `The following target groups cannot be associated with more than one load balancer: ${arn}`
            )
          }
        }
        const onLoadBalancer = new Set(
          [...this.targetGroups.values()]
            .filter(tg => this.loadBalancersUsing(tg).has(loadBalancerArn))
            .map(tg => tg.arn)
        )
        for (const arn of arns) onLoadBalancer.add(arn)
        if (onLoadBalancer.size > this.world.limits.targetGroupsPerLoadBalancer) {
          throw this.error(
            'TooManyUniqueTargetGroupsPerLoadBalancer',
            `You've reached the limit on the number of unique target groups per load balancer`
          )
        }
        if (!action.ForwardConfig) {
          action.ForwardConfig = {
            TargetGroups: [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false }
          }
        } else {
          action.ForwardConfig.TargetGroups = action.ForwardConfig.TargetGroups?.map(t => ({
            TargetGroupArn: t.TargetGroupArn,
            Weight: t.Weight ?? 1
          }))
          action.ForwardConfig.TargetGroupStickinessConfig ??= { Enabled: false }
          if (arns.length === 1) action.TargetGroupArn = arns[0]
        }
      } else if (action.Type === 'fixed-response') {
        if (!action.FixedResponseConfig?.StatusCode) {
          throw this.error('ValidationError', 'A status code must be specified for fixed-response actions')
        }
      } else if (action.Type !== 'redirect') {
        throw this.error(
          'ValidationError',
          `sim models forward, fixed-response and redirect actions, not '${action.Type}'`
        )
      }
      return action
    })
  }

  // ---- target groups -----------------------------------------------------------------------

  targetGroup(arn: string): TargetGroupRecord {
    validArn(arn, 'targetgroup', 'target group')
    const tg = this.targetGroups.get(arn)
    if (!tg || this.world.faults.hidden(arn))
      throw this.error('TargetGroupNotFound', 'One or more target groups not found')
    return tg
  }

  /** Load balancers whose listeners or rules forward to `tg`. */
  loadBalancersUsing(tg: TargetGroupRecord): Set<string> {
    const lbs = new Set<string>()
    for (const l of this.listeners.values()) {
      const actions = [...l.defaultActions, ...l.rules.flatMap(r => r.actions)]
      if (actions.some(a => forwardsTo(a, tg.arn))) lbs.add(l.loadBalancerArn)
    }
    return lbs
  }

  private tgShape(tg: TargetGroupRecord): TargetGroup {
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
      LoadBalancerArns: [...this.loadBalancersUsing(tg)],
      TargetType: tg.targetType as TargetGroup['TargetType'],
      ProtocolVersion: 'HTTP1',
      IpAddressType: 'ipv4'
    }
  }

  private describeTargetGroups(input: DescribeTargetGroupsCommandInput) {
    let tgs: TargetGroupRecord[]
    if (input.TargetGroupArns?.length) {
      tgs = input.TargetGroupArns.map(arn => this.targetGroup(arn))
    } else if (input.Names?.length) {
      tgs = input.Names.map(name => {
        const tg = [...this.targetGroups.values()].find(t => t.name === name)
        if (!tg || this.world.faults.hidden(tg.arn)) {
          throw this.error('TargetGroupNotFound', 'One or more target groups not found')
        }
        return tg
      })
    } else if (input.LoadBalancerArn) {
      validArn(input.LoadBalancerArn, 'loadbalancer', 'load balancer')
      const lb = this.loadBalancer(input.LoadBalancerArn)
      tgs = [...this.targetGroups.values()].filter(
        tg => this.loadBalancersUsing(tg).has(lb.arn) && !this.world.faults.hidden(tg.arn)
      )
    } else {
      tgs = [...this.targetGroups.values()].filter(tg => !this.world.faults.hidden(tg.arn))
    }
    const { items, next } = page(tgs, input.Marker, input.PageSize)
    return { TargetGroups: items.map(tg => this.tgShape(tg)), NextMarker: next }
  }

  /** Creates a target group (world builders and CreateTargetGroup); defaults are AWS's. */
  addTargetGroup(opts: {
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
  }): TargetGroupRecord {
    const name = opts.name
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name)) {
      throw this.error(
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
    this.checkHealthCheck(healthCheck)
    const existing = [...this.targetGroups.values()].find(t => t.name === name)
    if (existing) {
      const same =
        existing.protocol === protocol &&
        existing.port === (opts.port ?? 80) &&
        existing.targetType === targetType &&
        JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck)
      if (same) return existing
      throw this.error(
        'DuplicateTargetGroupName',
        `A target group with the same name '${name}' exists, but with different settings`
      )
    }
    if (this.targetGroups.size >= this.world.limits.targetGroups) {
      throw this.error(
        'TooManyTargetGroups',
        'You have reached the limit on the number of target groups for your AWS account'
      )
    }
    const tg: TargetGroupRecord = {
      arn: this.world.arn('elasticloadbalancing', `targetgroup/${name}/${this.world.ids.hex(16)}`),
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
      createdAt: this.now
    }
    if (opts.deregistrationDelaySeconds !== undefined) {
      tg.attributes.set('deregistration_delay.timeout_seconds', String(opts.deregistrationDelaySeconds))
    }
    this.targetGroups.set(tg.arn, tg)
    this.world.faults.created('targetgroup', tg.arn)
    return tg
  }

  private checkHealthCheck(hc: HealthCheckConfig): void {
    const problems: string[] = []
    if (hc.intervalSeconds < 5 || hc.intervalSeconds > 300)
      problems.push('Health check interval must be between 5 and 300 seconds')
    if (hc.timeoutSeconds < 2 || hc.timeoutSeconds > 120)
      problems.push('Health check timeout must be between 2 and 120 seconds')
    if (hc.timeoutSeconds >= hc.intervalSeconds)
      problems.push('Health check timeout must be smaller than the interval')
    if (hc.healthyThreshold < 2 || hc.healthyThreshold > 10)
      problems.push('Healthy threshold count must be between 2 and 10')
    if (hc.unhealthyThreshold < 2 || hc.unhealthyThreshold > 10)
      problems.push('Unhealthy threshold count must be between 2 and 10')
    if (!hc.path.startsWith('/'))
      problems.push(`Health check path '${hc.path}' must begin with a '/' character`)
    if (parseMatcher(hc.matcher) === undefined)
      problems.push(`Health check matcher HTTP code '${hc.matcher}' must be a valid HTTP code, list or range`)
    if (problems.length > 0) throw this.error('ValidationError', problems[0])
  }

  private createTargetGroup(input: CreateTargetGroupCommandInput) {
    const tg = this.addTargetGroup({
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
    return { TargetGroups: [this.tgShape(tg)] }
  }

  private modifyTargetGroup(input: ModifyTargetGroupCommandInput) {
    const tg = this.targetGroup(input.TargetGroupArn ?? '')
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
    this.checkHealthCheck(hc)
    tg.healthCheck = hc
    return { TargetGroups: [this.tgShape(tg)] }
  }

  private deleteTargetGroup(input: DeleteTargetGroupCommandInput) {
    const arn = input.TargetGroupArn ?? ''
    validArn(arn, 'targetgroup', 'target group')
    const tg = this.targetGroups.get(arn)
    if (!tg) throw this.error('TargetGroupNotFound', 'One or more target groups not found')
    if (this.loadBalancersUsing(tg).size > 0) {
      throw this.error('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`)
    }
    for (const t of tg.targets.values()) {
      t.check?.cancel()
      t.drain?.cancel()
      for (const done of t.onDrained.splice(0)) done()
    }
    this.targetGroups.delete(arn)
    return {}
  }

  private describeTargetGroupAttributes(input: DescribeTargetGroupAttributesCommandInput) {
    const tg = this.targetGroup(input.TargetGroupArn ?? '')
    return { Attributes: [...tg.attributes.entries()].map(([Key, Value]) => ({ Key, Value })) }
  }

  private modifyTargetGroupAttributes(input: ModifyTargetGroupAttributesCommandInput) {
    const tg = this.targetGroup(input.TargetGroupArn ?? '')
    for (const a of input.Attributes ?? []) {
      if (!a.Key || !tg.attributes.has(a.Key)) {
        throw this.error('ValidationError', `Target group attribute key '${a.Key ?? ''}' is not recognized`)
      }
      if (a.Key === 'deregistration_delay.timeout_seconds') {
        const v = Number(a.Value)
        if (!Number.isInteger(v) || v < 0 || v > 3600) {
          throw this.error(
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
  deregistrationDelaySeconds(tg: TargetGroupRecord): number {
    return Number(tg.attributes.get('deregistration_delay.timeout_seconds') ?? '300')
  }

  // ---- targets and their health ------------------------------------------------------------

  private describeTargetHealth(input: DescribeTargetHealthCommandInput): {
    TargetHealthDescriptions: TargetHealthDescription[]
  } {
    const tg = this.targetGroup(input.TargetGroupArn ?? '')
    if (input.Targets?.length) {
      return {
        TargetHealthDescriptions: input.Targets.map(t => {
          const record = tg.targets.get(key(t.Id ?? '', t.Port ?? tg.port))
          if (record) return this.healthShape(tg, record)
          return {
            Target: { Id: t.Id, Port: t.Port ?? tg.port },
            HealthCheckPort: String(t.Port ?? tg.port),
            TargetHealth: {
              State: 'unused',
              Reason: 'Target.NotRegistered',
              Description: 'Target is not registered to the target group'
            }
          }
        })
      }
    }
    return { TargetHealthDescriptions: [...tg.targets.values()].map(t => this.healthShape(tg, t)) }
  }

  /** Target health as DescribeTargetHealth reports it, without going through the API (for assertions). */
  targetHealth(arn: string): TargetHealthDescription[] {
    const tg = this.targetGroups.get(arn)
    if (!tg) throw new Error(`sim: no target group ${arn}`)
    return [...tg.targets.values()].map(t => this.healthShape(tg, t))
  }

  private healthShape(_tg: TargetGroupRecord, t: TargetRecord): TargetHealthDescription {
    return {
      Target: {
        Id: t.id,
        Port: t.port,
        ...(t.availabilityZone ? { AvailabilityZone: t.availabilityZone } : {})
      },
      HealthCheckPort: String(t.port),
      TargetHealth: {
        State: t.state,
        ...(t.reason ? { Reason: t.reason } : {}),
        ...(t.description ? { Description: t.description } : {})
      }
    }
  }

  private registerTargets(input: RegisterTargetsCommandInput) {
    const tg = this.targetGroup(input.TargetGroupArn ?? '')
    if (!input.Targets?.length) throw this.error('ValidationError', 'At least one target must be specified')
    for (const t of input.Targets) this.checkTarget(tg, t)
    for (const t of input.Targets)
      this.register(tg, { id: t.Id ?? '', port: t.Port, availabilityZone: t.AvailabilityZone })
    return {}
  }

  private checkTarget(tg: TargetGroupRecord, t: TargetDescription): void {
    const id = t.Id ?? ''
    if (tg.targetType === 'instance' && !/^i-[0-9a-f]{8,17}$/.test(id)) {
      throw this.error('InvalidTarget', `The following targets are not valid instances: '${id}'`)
    }
    if (tg.targetType === 'ip' && !/^\d{1,3}(\.\d{1,3}){3}$/.test(id)) {
      throw this.error('ValidationError', `The IP address '${id}' is not a valid IPv4 address`)
    }
  }

  /** Registers a target: health checks start (or it waits as `unused` if no load balancer uses the group). */
  register(tg: TargetGroupRecord, t: { id: string; port?: number; availabilityZone?: string }): TargetRecord {
    const port = t.port ?? tg.port
    const existing = tg.targets.get(key(t.id, port))
    if (existing && existing.state !== 'draining') return existing
    if (existing) {
      // Registered again while draining: it is back in service once it passes health checks.
      existing.drain?.cancel()
      existing.drainingSince = undefined
      existing.routeUntil = undefined
      for (const done of existing.onDrained.splice(0)) done()
      this.startChecking(tg, existing)
      return existing
    }
    const record: TargetRecord = {
      id: t.id,
      port,
      availabilityZone: t.availabilityZone,
      state: 'initial',
      passes: 0,
      fails: 0,
      registeredAt: this.now,
      onDrained: []
    }
    tg.ghosts = tg.ghosts.filter(g => g.id !== t.id || g.port !== port)
    tg.targets.set(key(t.id, port), record)
    this.startChecking(tg, record)
    return record
  }

  private startChecking(tg: TargetGroupRecord, t: TargetRecord): void {
    t.check?.cancel()
    t.passes = 0
    t.fails = 0
    if (this.loadBalancersUsing(tg).size === 0) {
      this.setState(
        t,
        'unused',
        'Target.NotInUse',
        'Target group is not configured to receive traffic from the load balancer'
      )
      return
    }
    this.setState(t, 'initial', 'Elb.RegistrationInProgress', 'Target registration is in progress')
    this.scheduleCheck(tg, t)
  }

  private scheduleCheck(tg: TargetGroupRecord, t: TargetRecord): void {
    t.check = this.world.timeline.after(tg.healthCheck.intervalSeconds * 1000, () => this.healthCheck(tg, t))
  }

  /** One health check of one target, as an ALB node makes it. */
  private healthCheck(tg: TargetGroupRecord, t: TargetRecord): void {
    if (tg.targets.get(key(t.id, t.port)) !== t || t.state === 'draining' || t.state === 'unused') return
    const hc = tg.healthCheck
    const backend = this.world.endpoints.get(t.id)
    const answer = backend ? backend.answer(hc.path, this.now) : ({ error: 'timeout' } as const)
    const accepted = 'status' in answer && statusMatches(hc.matcher, answer.status)
    if (accepted) {
      t.fails = 0
      t.passes++
      if (t.state !== 'healthy' && t.passes >= hc.healthyThreshold) this.setState(t, 'healthy')
      else if (t.state === 'initial')
        this.setState(t, 'initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress')
    } else {
      t.passes = 0
      t.fails++
      if (t.state !== 'unhealthy' && t.fails >= hc.unhealthyThreshold) {
        if ('status' in answer) {
          this.setState(
            t,
            'unhealthy',
            'Target.ResponseCodeMismatch',
            `Health checks failed with these codes: [${answer.status}]`
          )
        } else if (answer.error === 'timeout') {
          this.setState(t, 'unhealthy', 'Target.Timeout', 'Request timed out')
        } else {
          this.setState(t, 'unhealthy', 'Target.FailedHealthChecks', 'Health checks failed')
        }
      } else if (t.state === 'initial') {
        this.setState(t, 'initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress')
      }
    }
    this.scheduleCheck(tg, t)
  }

  private setState(
    t: TargetRecord,
    state: TargetHealthStateEnum,
    reason?: TargetHealthReasonEnum,
    description?: string
  ): void {
    t.state = state
    t.reason = reason
    t.description = description
  }

  private deregisterTargets(input: DeregisterTargetsCommandInput) {
    const tg = this.targetGroup(input.TargetGroupArn ?? '')
    if (!input.Targets?.length) throw this.error('ValidationError', 'At least one target must be specified')
    const missing = input.Targets.filter(t => !tg.targets.has(key(t.Id ?? '', t.Port ?? tg.port)))
    if (missing.length > 0) {
      throw this.error(
        'InvalidTarget',
        `The following targets are not registered in target group '${tg.arn}': ${missing.map(t => `'${t.Id}'`).join(', ')}`
      )
    }
    for (const t of input.Targets) this.deregister(tg, t.Id ?? '', t.Port)
    return {}
  }

  /**
   * Starts draining a target: no new requests once the change has reached the ALB
   * (albRoutingGraceSeconds), gone after the deregistration delay. `onDrained` runs when it is gone.
   */
  deregister(tg: TargetGroupRecord, id: string, port?: number, onDrained?: () => void): void {
    const t = tg.targets.get(key(id, port ?? tg.port))
    if (!t) {
      onDrained?.()
      return
    }
    if (onDrained) t.onDrained.push(onDrained)
    if (t.state === 'draining') return
    t.check?.cancel()
    if (t.state === 'unused') {
      this.remove(tg, t)
      return
    }
    // Only a target that was getting requests keeps getting them while the change propagates: a
    // healthy one, or any registered one while the group fails open (nothing healthy).
    const failingOpen = ![...tg.targets.values()].some(o => o.state === 'healthy')
    const wasReceiving = t.state === 'healthy' || failingOpen
    this.setState(t, 'draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress')
    t.drainingSince = this.now
    t.routeUntil = wasReceiving ? this.now + this.world.timing.albRoutingGraceSeconds * 1000 : undefined
    t.drain = this.world.timeline.after(this.deregistrationDelaySeconds(tg) * 1000, () => this.remove(tg, t))
  }

  private remove(tg: TargetGroupRecord, t: TargetRecord): void {
    if (tg.targets.get(key(t.id, t.port)) !== t) return
    tg.targets.delete(key(t.id, t.port))
    if (t.routeUntil !== undefined && t.routeUntil > this.now) tg.ghosts.push(t)
    for (const done of t.onDrained.splice(0)) done()
  }

  /** Targets whose group changed between used and unused start or stop being health-checked. */
  private refreshUsage(): void {
    for (const tg of this.targetGroups.values()) {
      const used = this.loadBalancersUsing(tg).size > 0
      for (const t of tg.targets.values()) {
        if (used && t.state === 'unused') this.startChecking(tg, t)
        else if (!used && t.state !== 'unused' && t.state !== 'draining') {
          t.check?.cancel()
          this.setState(
            t,
            'unused',
            'Target.NotInUse',
            'Target group is not configured to receive traffic from the load balancer'
          )
        }
      }
    }
  }

  // ---- tags --------------------------------------------------------------------------------

  private taggable(arn: string): { tags: Tag[] } {
    if (arn.includes(':targetgroup/')) return this.targetGroup(arn)
    if (arn.includes(':listener-rule/')) {
      const { listener, rule } = this.rule(arn)
      if (!rule) return { tags: listener.tags }
      return rule
    }
    if (arn.includes(':listener/')) return this.listener(arn)
    if (arn.includes(':loadbalancer/')) return this.loadBalancer(arn)
    throw this.error('ValidationError', `'${arn}' is not a valid Elastic Load Balancing resource ARN`)
  }

  private addTags(input: AddTagsCommandInput) {
    const targets = (input.ResourceArns ?? []).map(arn => this.taggable(arn))
    const keys = (input.Tags ?? []).map(t => t.Key)
    if (new Set(keys).size !== keys.length)
      throw this.error('DuplicateTagKeys', 'A tag key was specified more than once.')
    for (const r of targets) {
      const merged = new Map(r.tags.map(t => [t.Key, t]))
      for (const t of input.Tags ?? []) merged.set(t.Key, { Key: t.Key, Value: t.Value })
      if (merged.size > MAX_TAGS)
        throw this.error('TooManyTags', `You've reached the limit on the number of tags for this resource`)
      r.tags.splice(0, r.tags.length, ...merged.values())
    }
    return {}
  }

  private removeTags(input: RemoveTagsCommandInput) {
    for (const arn of input.ResourceArns ?? []) {
      const r = this.taggable(arn)
      const drop = new Set(input.TagKeys ?? [])
      r.tags.splice(0, r.tags.length, ...r.tags.filter(t => !drop.has(t.Key ?? '')))
    }
    return {}
  }

  private describeTags(input: DescribeTagsCommandInput) {
    if (!input.ResourceArns?.length)
      throw this.error('ValidationError', 'At least one resource ARN must be specified')
    if (input.ResourceArns.length > 20)
      throw this.error('ValidationError', 'You can specify at most 20 resource ARNs')
    return {
      TagDescriptions: input.ResourceArns.map(arn => ({
        ResourceArn: arn,
        Tags: deepCopy(this.taggable(arn).tags)
      }))
    }
  }

  // ---- routing (the HTTP side) ----------------------------------------------------------------

  /** Which listener rule answers a request to `host:port path` with `headers`. */
  route(
    host: string,
    port: number,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>
  ): RouteDecision {
    const lb = [...this.loadBalancers.values()].find(l => l.dnsName === host.toLowerCase())
    if (!lb) return { kind: 'no-load-balancer' }
    const listener = [...this.listeners.values()].find(l => l.loadBalancerArn === lb.arn && l.port === port)
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
    const groups = action.ForwardConfig?.TargetGroups ?? [
      { TargetGroupArn: action.TargetGroupArn, Weight: 1 }
    ]
    const total = groups.reduce((s, g) => s + (g.Weight ?? 1), 0)
    if (total <= 0) return { kind: 'fixed', status: 503, listener, rule: label }
    let pick = this.world.routingRandom() * total
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
      targetGroup: this.targetGroups.get(chosen.TargetGroupArn ?? ''),
      listener,
      rule: label
    }
  }

  /**
   * The target the ALB sends the next request to: round robin over healthy targets (plus targets
   * whose deregistration has not reached the ALB yet); when none is healthy it fails open to every
   * registered target. Undefined when the group has nothing registered (the ALB answers 503).
   */
  pickTarget(tg: TargetGroupRecord): TargetRecord | undefined {
    const now = this.now
    tg.ghosts = tg.ghosts.filter(g => (g.routeUntil ?? 0) > now)
    const all = [...tg.targets.values()]
    const lingering = [...all.filter(t => t.state === 'draining' && (t.routeUntil ?? 0) > now), ...tg.ghosts]
    const healthy = all.filter(t => t.state === 'healthy')
    let candidates = [...healthy, ...lingering]
    if (healthy.length === 0) {
      candidates = [...all.filter(t => t.state === 'initial' || t.state === 'unhealthy'), ...lingering]
    }
    if (candidates.length === 0) return undefined
    return candidates[tg.roundRobin++ % candidates.length]
  }
}

// ---- helpers -------------------------------------------------------------------------------

function validArn(arn: string, type: string, what: string): void {
  if (!arn.startsWith('arn:aws') || !arn.includes(`:elasticloadbalancing:`) || !arn.includes(`:${type}/`)) {
    throw awsError('elbv2', 'ValidationError', `'${arn}' is not a valid ${what} ARN`)
  }
}

function forwardsTo(a: Action, tgArn: string): boolean {
  if (a.Type !== 'forward') return false
  return (
    a.TargetGroupArn === tgArn || (a.ForwardConfig?.TargetGroups ?? []).some(t => t.TargetGroupArn === tgArn)
  )
}

/** ELB pages with a marker; the sim's marker is the next index. */
function page<T>(
  items: T[],
  marker: string | undefined,
  pageSize: number | undefined
): { items: T[]; next?: string } {
  const start = marker ? Number(marker) : 0
  const size = pageSize ?? 400
  const slice = items.slice(start, start + size)
  return { items: slice, next: start + size < items.length ? String(start + size) : undefined }
}

function conditionValues(c: RuleCondition): string[] {
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
function normalizeCondition(c: RuleCondition): RuleCondition {
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

function wildcard(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    caseInsensitive ? 'i' : ''
  )
  return re.test(value)
}

function conditionMatches(
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

/** `200`, `200,302`, `200-299` -> ranges; undefined when malformed. */
export function parseMatcher(matcher: string): Array<[number, number]> | undefined {
  const ranges: Array<[number, number]> = []
  for (const part of matcher.split(',')) {
    const m = /^\s*(\d{3})(?:\s*-\s*(\d{3}))?\s*$/.exec(part)
    if (!m) return undefined
    const lo = Number(m[1])
    const hi = Number(m[2] ?? m[1])
    if (lo < 200 || hi > 499 || hi < lo) return undefined
    ranges.push([lo, hi])
  }
  return ranges
}

export function statusMatches(matcher: string, status: number): boolean {
  return (parseMatcher(matcher) ?? []).some(([lo, hi]) => status >= lo && status <= hi)
}
