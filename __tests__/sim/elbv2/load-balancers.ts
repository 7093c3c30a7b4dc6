// Load balancers and the account limits ELBv2 reports for them: the API handlers and the builder.
import type {
  CreateLoadBalancerCommandInput,
  DescribeAccountLimitsCommandInput,
  DescribeLoadBalancersCommandInput,
  LoadBalancer,
  Tag
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { page } from '../paging.js'
import type { ElbModel } from './index.js'
import type { LoadBalancerRecord } from './records.js'
import { validArn } from './validation.js'

export function describeAccountLimits(elb: ElbModel, input: DescribeAccountLimitsCommandInput) {
  const l = elb.world.limits
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

/** Creates an internet-facing application load balancer (world builders and CreateLoadBalancer). */
export function addLoadBalancer(
  elb: ElbModel,
  opts: { name: string; scheme?: string; vpcId?: string; tags?: Tag[] }
): LoadBalancerRecord {
  if ([...elb.loadBalancers.values()].some(lb => lb.name === opts.name)) {
    throw elb.error('DuplicateLoadBalancerName', 'A load balancer with the same name exists')
  }
  const id = elb.world.ids.hex(16)
  const lb: LoadBalancerRecord = {
    arn: elb.world.arn('elasticloadbalancing', `loadbalancer/app/${opts.name}/${id}`),
    name: opts.name,
    id,
    dnsName:
      `${opts.scheme === 'internal' ? 'internal-' : ''}${opts.name}-${elb.world.ids.digits(10)}.${elb.world.region}.elb.amazonaws.com`.toLowerCase(),
    scheme: opts.scheme ?? 'internet-facing',
    vpcId: opts.vpcId ?? 'vpc-0sim0000000000001',
    createdAt: new Date(elb.now),
    securityGroups: ['sg-0sim0000000000001'],
    tags: [...(opts.tags ?? [])]
  }
  elb.loadBalancers.set(lb.arn, lb)
  elb.world.faults.created('loadbalancer', lb.arn)
  return lb
}

export function createLoadBalancer(elb: ElbModel, input: CreateLoadBalancerCommandInput) {
  if (!input.Name) throw elb.error('ValidationError', 'A load balancer name must be specified')
  if (input.Type && input.Type !== 'application') {
    throw elb.error('ValidationError', `sim models application load balancers only, not '${input.Type}'`)
  }
  const lb = addLoadBalancer(elb, { name: input.Name, scheme: input.Scheme, tags: input.Tags })
  return { LoadBalancers: [lbShape(elb, lb)] }
}

export function lbShape(elb: ElbModel, lb: LoadBalancerRecord): LoadBalancer {
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
    AvailabilityZones: elb.world.zones.map((z, i) => ({
      ZoneName: z,
      SubnetId: `subnet-0sim00000000000${i + 1}`
    })),
    SecurityGroups: [...lb.securityGroups],
    IpAddressType: 'ipv4'
  }
}

export function loadBalancerByArn(elb: ElbModel, arn: string): LoadBalancerRecord {
  const lb = elb.loadBalancers.get(arn)
  if (!lb || elb.world.faults.hidden(arn)) {
    throw elb.error('LoadBalancerNotFound', `Load balancer '${arn}' not found`)
  }
  return lb
}

export function describeLoadBalancers(elb: ElbModel, input: DescribeLoadBalancersCommandInput) {
  let lbs: LoadBalancerRecord[]
  if (input.LoadBalancerArns?.length) {
    lbs = input.LoadBalancerArns.map(arn => {
      validArn(arn, 'loadbalancer', 'load balancer')
      return loadBalancerByArn(elb, arn)
    })
  } else if (input.Names?.length) {
    lbs = input.Names.map(name => {
      const lb = [...elb.loadBalancers.values()].find(l => l.name === name)
      if (!lb || elb.world.faults.hidden(lb.arn)) {
        throw elb.error('LoadBalancerNotFound', `One or more load balancers not found`)
      }
      return lb
    })
  } else {
    lbs = [...elb.loadBalancers.values()].filter(lb => !elb.world.faults.hidden(lb.arn))
  }
  const { items, next } = page(lbs, input.Marker, input.PageSize)
  return { LoadBalancers: items.map(lb => lbShape(elb, lb)), NextMarker: next }
}
