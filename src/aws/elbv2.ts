// The thin layer over Elastic Load Balancing v2: target groups, target health, listeners, rules.
// Shared by every strategy; add functions, keep each one a single AWS operation (plus paging).
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeAccountLimitsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  type Certificate,
  type CreateTargetGroupCommandInput,
  type Listener,
  type LoadBalancer,
  type ProtocolEnum,
  type Rule,
  type RuleCondition,
  type TargetGroup,
  type TargetHealthDescription
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { DeployError, hasErrorCode } from '../errors.js'
import type { AwsApi, RetryOptions } from './api.js'
import { forwardsTo } from './rules.js'
import { toElbTags } from './tags.js'

export async function describeTargetGroup(aws: AwsApi, arn: string): Promise<TargetGroup> {
  const out = await aws.read('elasticloadbalancing:DescribeTargetGroups', () =>
    aws.clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }))
  )
  const tg = out.TargetGroups?.[0]
  if (!tg)
    throw new DeployError(`Target group ${arn} was not found.`, 'check the target group ARN and the region.')
  return tg
}

/** Target group attributes as a map (`deregistration_delay.timeout_seconds`, ...). */
export async function targetGroupAttributes(aws: AwsApi, arn: string): Promise<Record<string, string>> {
  const out = await aws.read('elasticloadbalancing:DescribeTargetGroupAttributes', () =>
    aws.clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }))
  )
  return Object.fromEntries((out.Attributes ?? []).map(a => [a.Key ?? '', a.Value ?? '']))
}

/** Seconds a deregistered target keeps draining; AWS's default is 300. */
export async function deregistrationDelaySeconds(aws: AwsApi, arn: string): Promise<number> {
  const value = (await targetGroupAttributes(aws, arn))['deregistration_delay.timeout_seconds']
  return value === undefined || value === '' ? 300 : Number(value)
}

export async function describeTargetHealth(aws: AwsApi, arn: string): Promise<TargetHealthDescription[]> {
  const out = await aws.read('elasticloadbalancing:DescribeTargetHealth', () =>
    aws.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))
  )
  return out.TargetHealthDescriptions ?? []
}

/** `healthy 2, initial 1, draining 2`: how target health is logged (one line per change). */
export function targetHealthCounts(targets: TargetHealthDescription[]): string {
  const counts = new Map<string, number>()
  for (const t of targets) {
    const state = t.TargetHealth?.State ?? 'unknown'
    counts.set(state, (counts.get(state) ?? 0) + 1)
  }
  if (counts.size === 0) return 'no targets'
  return [...counts.entries()].map(([state, n]) => `${state} ${n}`).join(', ')
}

export async function describeLoadBalancer(aws: AwsApi, arn: string): Promise<LoadBalancer> {
  const out = await aws.read('elasticloadbalancing:DescribeLoadBalancers', () =>
    aws.clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))
  )
  const lb = out.LoadBalancers?.[0]
  if (!lb) throw new DeployError(`Load balancer ${arn} was not found.`, 'check the ARN and the region.')
  return lb
}

export async function describeListener(aws: AwsApi, arn: string): Promise<Listener> {
  const out = await aws.read('elasticloadbalancing:DescribeListeners', () =>
    aws.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [arn] }))
  )
  const listener = out.Listeners?.[0]
  if (!listener)
    throw new DeployError(`Listener ${arn} was not found.`, 'check the listener ARN and the region.')
  return listener
}

export async function describeListeners(aws: AwsApi, loadBalancerArn: string): Promise<Listener[]> {
  const listeners: Listener[] = []
  let marker: string | undefined
  do {
    const out = await aws.read('elasticloadbalancing:DescribeListeners', () =>
      aws.clients.elbv2.send(
        new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker })
      )
    )
    listeners.push(...(out.Listeners ?? []))
    marker = out.NextMarker
  } while (marker)
  return listeners
}

export async function describeRules(aws: AwsApi, listenerArn: string): Promise<Rule[]> {
  const rules: Rule[] = []
  let marker: string | undefined
  do {
    const out = await aws.read('elasticloadbalancing:DescribeRules', () =>
      aws.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }))
    )
    rules.push(...(out.Rules ?? []))
    marker = out.NextMarker
  } while (marker)
  return rules
}

/** Listener rules by ARN (ECS blue/green's production and test rules), in the order asked. */
export async function describeRulesByArn(aws: AwsApi, ruleArns: string[]): Promise<Rule[]> {
  if (ruleArns.length === 0) return []
  const out = await aws.read('elasticloadbalancing:DescribeRules', () =>
    aws.clients.elbv2.send(new DescribeRulesCommand({ RuleArns: ruleArns }))
  )
  const byArn = new Map((out.Rules ?? []).map(r => [r.RuleArn, r]))
  return ruleArns.flatMap(arn => byArn.get(arn) ?? [])
}

/** Tags of up to 20 ELB resources (the API's limit per call), by ARN. */
export async function describeTags(
  aws: AwsApi,
  arns: string[]
): Promise<Map<string, Record<string, string>>> {
  const result = new Map<string, Record<string, string>>()
  for (let i = 0; i < arns.length; i += 20) {
    const batch = arns.slice(i, i + 20)
    const out = await aws.read('elasticloadbalancing:DescribeTags', () =>
      aws.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: batch }))
    )
    for (const d of out.TagDescriptions ?? []) {
      result.set(
        d.ResourceArn ?? '',
        Object.fromEntries((d.Tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']))
      )
    }
  }
  return result
}

/** The URL of a load balancer's listener: how `url` is derived when the input is empty. */
export function listenerUrl(lb: LoadBalancer, listener: Listener): string {
  const scheme = listener.Protocol === 'HTTPS' ? 'https' : 'http'
  const port = listener.Port
  const defaultPort = scheme === 'https' ? 443 : 80
  return `${scheme}://${lb.DNSName}${port && port !== defaultPort ? `:${port}` : ''}`
}

/**
 * A listener rule forwarding requests that match `conditions` to one target group, tagged.
 * Fails with PriorityInUse when another rule took `priority` meanwhile: callers pick another.
 */
export async function createForwardRule(
  aws: AwsApi,
  params: {
    listenerArn: string
    priority: number
    conditions: RuleCondition[]
    targetGroupArn: string
    tags: Record<string, string>
  }
): Promise<Rule> {
  const input = {
    ListenerArn: params.listenerArn,
    Priority: params.priority,
    Conditions: params.conditions,
    Actions: [{ Type: 'forward' as const, TargetGroupArn: params.targetGroupArn }],
    Tags: toElbTags(params.tags)
  }
  const out = await aws
    .write(
      'elasticloadbalancing:CreateRule',
      {
        ListenerArn: params.listenerArn,
        Priority: params.priority,
        Conditions: params.conditions,
        TargetGroupArn: params.targetGroupArn
      },
      () => aws.clients.elbv2.send(new CreateRuleCommand(input)),
      {
        $metadata: {},
        Rules: [
          {
            RuleArn: `(planned rule ${params.priority})`,
            Priority: String(params.priority),
            Conditions: params.conditions
          }
        ]
      }
    )
    .catch(async (e: unknown) => {
      // A retry whose first attempt landed (its answer lost on the way back) meets its own rule: the
      // rule at that priority forwarding to this target group is the one asked for, not a rival's.
      const own = hasErrorCode(e, 'PriorityInUse')
        ? (await describeRules(aws, params.listenerArn)).find(
            r => r.Priority === String(params.priority) && forwardsTo(r.Actions, params.targetGroupArn)
          )
        : undefined
      if (!own) throw e
      return { $metadata: {}, Rules: [own] }
    })
  return out.Rules?.[0] ?? {}
}

/** Sets target group attributes (`deregistration_delay.timeout_seconds`, ...). */
export async function modifyTargetGroupAttributes(
  aws: AwsApi,
  arn: string,
  attributes: Record<string, string>
): Promise<void> {
  const Attributes = Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }))
  await aws.write(
    'elasticloadbalancing:ModifyTargetGroupAttributes',
    { TargetGroupArn: arn, Attributes: attributes },
    () => aws.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes })),
    undefined
  )
}

/** Every target group of the region, or of one load balancer when `loadBalancerArn` is given. */
export async function listTargetGroups(aws: AwsApi, loadBalancerArn?: string): Promise<TargetGroup[]> {
  const groups: TargetGroup[] = []
  let marker: string | undefined
  do {
    const out = await aws.read('elasticloadbalancing:DescribeTargetGroups', () =>
      aws.clients.elbv2.send(
        new DescribeTargetGroupsCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker, PageSize: 400 })
      )
    )
    groups.push(...(out.TargetGroups ?? []))
    marker = out.NextMarker
  } while (marker)
  return groups
}

/** A tagged target group; in dry-run a planned one carrying the name. */
export async function createTargetGroup(
  aws: AwsApi,
  input: CreateTargetGroupCommandInput,
  tags: Record<string, string>
): Promise<TargetGroup> {
  const full = { ...input, Tags: toElbTags(tags) }
  const out = await aws.write(
    'elasticloadbalancing:CreateTargetGroup',
    { ...input },
    () => aws.clients.elbv2.send(new CreateTargetGroupCommand(full)),
    {
      $metadata: {},
      TargetGroups: [
        { ...input, TargetGroupName: input.Name, TargetGroupArn: `(planned target group ${input.Name})` }
      ]
    }
  )
  const tg = out.TargetGroups?.[0]
  if (!tg?.TargetGroupArn)
    throw new DeployError(`CreateTargetGroup returned no target group for ${input.Name}.`)
  return tg
}

/**
 * A target group can stay invisible for a moment after its creation (eventual consistency), and rules,
 * listeners and ECS refuse it meanwhile: this returns once a describe finds it. A dry run created none.
 */
export async function untilTargetGroupVisible(aws: AwsApi, arn: string): Promise<void> {
  if (aws.dryRun) return
  await aws.retryOn(['TargetGroupNotFound'], 'elasticloadbalancing:DescribeTargetGroups', () =>
    describeTargetGroup(aws, arn)
  )
}

export async function deleteTargetGroup(aws: AwsApi, arn: string): Promise<void> {
  await aws.write(
    'elasticloadbalancing:DeleteTargetGroup',
    { TargetGroupArn: arn },
    () => aws.clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn })),
    undefined
  )
}

// A target group stays "in use" for a moment after the rule or listener forwarding to it is deleted.
export const TARGET_GROUP_IN_USE_ATTEMPTS = 8
const TARGET_GROUP_IN_USE_BACKOFF_MS = 2500

/** DeleteTargetGroup, tried again while the load balancer still counts the target group in use. */
export async function deleteTargetGroupWhenFree(
  aws: AwsApi,
  arn: string,
  onRetry?: RetryOptions['onRetry']
): Promise<void> {
  await aws.retryOn(
    ['ResourceInUse'],
    'elasticloadbalancing:DeleteTargetGroup',
    () => deleteTargetGroup(aws, arn),
    {
      attempts: TARGET_GROUP_IN_USE_ATTEMPTS,
      backoffMs: TARGET_GROUP_IN_USE_BACKOFF_MS,
      onRetry
    }
  )
}

export async function deleteRule(aws: AwsApi, arn: string): Promise<void> {
  await aws.write(
    'elasticloadbalancing:DeleteRule',
    { RuleArn: arn },
    () => aws.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: arn })),
    undefined
  )
}

/**
 * A listener whose default action forwards to one target group, tagged. Protocol, TLS policy and
 * certificate come from the caller (a copy of another listener's, typically).
 */
export async function createForwardListener(
  aws: AwsApi,
  params: {
    loadBalancerArn: string
    port: number
    protocol: ProtocolEnum | undefined
    sslPolicy?: string
    certificates?: Certificate[]
    targetGroupArn: string
    tags: Record<string, string>
  }
): Promise<Listener> {
  const input = {
    LoadBalancerArn: params.loadBalancerArn,
    Port: params.port,
    Protocol: params.protocol,
    SslPolicy: params.protocol === 'HTTPS' || params.protocol === 'TLS' ? params.sslPolicy : undefined,
    Certificates: params.protocol === 'HTTPS' || params.protocol === 'TLS' ? params.certificates : undefined,
    DefaultActions: [{ Type: 'forward' as const, TargetGroupArn: params.targetGroupArn }],
    Tags: toElbTags(params.tags)
  }
  const out = await aws
    .write(
      'elasticloadbalancing:CreateListener',
      {
        LoadBalancerArn: params.loadBalancerArn,
        Port: params.port,
        Protocol: params.protocol,
        TargetGroupArn: params.targetGroupArn
      },
      () => aws.clients.elbv2.send(new CreateListenerCommand(input)),
      {
        $metadata: {},
        Listeners: [
          {
            ListenerArn: `(planned listener :${params.port})`,
            LoadBalancerArn: params.loadBalancerArn,
            Port: params.port,
            Protocol: params.protocol
          }
        ]
      }
    )
    .catch(async (e: unknown) => {
      // As with CreateRule: a retry meeting the listener its own first attempt made takes it.
      const own = hasErrorCode(e, 'DuplicateListener')
        ? (await describeListeners(aws, params.loadBalancerArn)).find(
            l => l.Port === params.port && forwardsTo(l.DefaultActions, params.targetGroupArn)
          )
        : undefined
      if (!own) throw e
      return { $metadata: {}, Listeners: [own] }
    })
  const listener = out.Listeners?.[0]
  if (!listener?.ListenerArn)
    throw new DeployError(`CreateListener returned no listener for port ${params.port}.`)
  return listener
}

export async function deleteListener(aws: AwsApi, arn: string): Promise<void> {
  await aws.write(
    'elasticloadbalancing:DeleteListener',
    { ListenerArn: arn },
    () => aws.clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: arn })),
    undefined
  )
}

/** Adds or overwrites tags on ELB resources (target groups, listeners, rules), 20 ARNs per call. */
export async function addTags(aws: AwsApi, arns: string[], tags: Record<string, string>): Promise<void> {
  const Tags = toElbTags(tags)
  for (let i = 0; i < arns.length; i += 20) {
    const batch = arns.slice(i, i + 20)
    await aws.write(
      'elasticloadbalancing:AddTags',
      { ResourceArns: batch, Tags: tags },
      () => aws.clients.elbv2.send(new AddTagsCommand({ ResourceArns: batch, Tags })),
      undefined
    )
  }
}

/** The account's ELB quotas by name (`rules-per-application-load-balancer`: 100, ...). */
export async function describeAccountLimits(aws: AwsApi): Promise<Record<string, number>> {
  const limits: Record<string, number> = {}
  let marker: string | undefined
  do {
    const out = await aws.read('elasticloadbalancing:DescribeAccountLimits', () =>
      aws.clients.elbv2.send(new DescribeAccountLimitsCommand({ Marker: marker }))
    )
    for (const l of out.Limits ?? []) if (l.Name && l.Max) limits[l.Name] = Number(l.Max)
    marker = out.NextMarker
  } while (marker)
  return limits
}
