// Listeners: the API handlers and the builder.
import type {
  Action,
  CreateListenerCommandInput,
  DeleteListenerCommandInput,
  DescribeListenersCommandInput,
  Listener,
  ModifyListenerCommandInput,
  Tag
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { deepCopy } from '../copy.js'
import { page } from '../paging.js'
import { refreshUsage } from './health.js'
import type { ElbModel } from './index.js'
import { loadBalancerByArn } from './load-balancers.js'
import type { ListenerRecord } from './records.js'
import { checkActions, validArn } from './validation.js'

export function listenerByArn(elb: ElbModel, arn: string): ListenerRecord {
  validArn(arn, 'listener', 'listener')
  const l = elb.listeners.get(arn)
  if (!l || elb.world.faults.hidden(arn))
    throw elb.error('ListenerNotFound', 'The specified listener does not exist.')
  return l
}

export function listenerShape(l: ListenerRecord): Listener {
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

export function describeListeners(elb: ElbModel, input: DescribeListenersCommandInput) {
  let listeners: ListenerRecord[]
  if (input.ListenerArns?.length) {
    listeners = input.ListenerArns.map(arn => listenerByArn(elb, arn))
  } else if (input.LoadBalancerArn) {
    validArn(input.LoadBalancerArn, 'loadbalancer', 'load balancer')
    const lb = loadBalancerByArn(elb, input.LoadBalancerArn)
    listeners = [...elb.listeners.values()].filter(
      l => l.loadBalancerArn === lb.arn && !elb.world.faults.hidden(l.arn)
    )
  } else {
    throw elb.error('ValidationError', 'You must specify either listener ARNs or a load balancer ARN')
  }
  const { items, next } = page(listeners, input.Marker, input.PageSize)
  return { Listeners: items.map(l => listenerShape(l)), NextMarker: next }
}

/** Creates a listener (world builders and CreateListener). */
export function addListener(
  elb: ElbModel,
  opts: {
    loadBalancerArn: string
    port: number
    protocol?: string
    defaultActions: Action[]
    certificates?: Array<{ CertificateArn?: string }>
    sslPolicy?: string
    tags?: Tag[]
  }
): ListenerRecord {
  const lb = loadBalancerByArn(elb, opts.loadBalancerArn)
  const protocol = opts.protocol ?? (opts.port === 443 ? 'HTTPS' : 'HTTP')
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
    throw elb.error('ValidationError', `Listener port '${opts.port}' must be between 1 and 65535`)
  }
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
    throw elb.error(
      'UnsupportedProtocol',
      `Protocol '${protocol}' is not supported by application load balancers`
    )
  }
  if (protocol === 'HTTPS' && !opts.certificates?.length) {
    throw elb.error('ValidationError', 'A certificate must be specified for HTTPS listeners')
  }
  const existing = [...elb.listeners.values()].filter(l => l.loadBalancerArn === lb.arn)
  if (existing.some(l => l.port === opts.port)) {
    throw elb.error('DuplicateListener', 'A listener already exists on this port for this load balancer')
  }
  if (existing.length >= elb.world.limits.listenersPerLoadBalancer) {
    throw elb.error(
      'TooManyListeners',
      `You've reached the limit on the number of listeners per load balancer`
    )
  }
  const actions = checkActions(elb, opts.defaultActions, lb.arn)
  const id = elb.world.ids.hex(16)
  const arn = elb.world.arn('elasticloadbalancing', `listener/app/${lb.name}/${lb.id}/${id}`)
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
    defaultRuleArn: elb.world.arn(
      'elasticloadbalancing',
      `listener-rule/app/${lb.name}/${lb.id}/${id}/${elb.world.ids.hex(16)}`
    )
  }
  elb.listeners.set(arn, listener)
  elb.world.faults.created('listener', arn)
  refreshUsage(elb)
  return listener
}

export function createListener(elb: ElbModel, input: CreateListenerCommandInput) {
  if (!input.LoadBalancerArn) throw elb.error('ValidationError', 'A load balancer ARN must be specified')
  validArn(input.LoadBalancerArn, 'loadbalancer', 'load balancer')
  if (!input.DefaultActions?.length)
    throw elb.error('ValidationError', 'At least one default action must be specified')
  const l = addListener(elb, {
    loadBalancerArn: input.LoadBalancerArn,
    port: input.Port ?? NaN,
    protocol: input.Protocol,
    defaultActions: input.DefaultActions,
    certificates: input.Certificates,
    sslPolicy: input.SslPolicy,
    tags: input.Tags
  })
  return { Listeners: [listenerShape(l)] }
}

export function modifyListener(elb: ElbModel, input: ModifyListenerCommandInput) {
  const l = listenerByArn(elb, input.ListenerArn ?? '')
  if (input.Port !== undefined && input.Port !== l.port) {
    if (
      [...elb.listeners.values()].some(o => o.loadBalancerArn === l.loadBalancerArn && o.port === input.Port)
    ) {
      throw elb.error('DuplicateListener', 'A listener already exists on this port for this load balancer')
    }
    l.port = input.Port
  }
  if (input.Protocol) l.protocol = input.Protocol
  if (input.Certificates) l.certificates = input.Certificates
  if (input.DefaultActions) l.defaultActions = checkActions(elb, input.DefaultActions, l.loadBalancerArn)
  refreshUsage(elb)
  return { Listeners: [listenerShape(l)] }
}

export function deleteListener(elb: ElbModel, input: DeleteListenerCommandInput) {
  const l = listenerByArn(elb, input.ListenerArn ?? '')
  elb.listeners.delete(l.arn)
  refreshUsage(elb)
  return {}
}
