// Auto Scaling groups: DescribeAutoScalingGroups, UpdateAutoScalingGroup, SetDesiredCapacity and the
// builder.
import type {
  AutoScalingGroup,
  DescribeAutoScalingGroupsCommandInput,
  SetDesiredCapacityCommandInput,
  UpdateAutoScalingGroupCommandInput
} from '@aws-sdk/client-auto-scaling'
import { deepCopy } from '../copy.js'
import { tokenPage } from '../paging.js'
import type { AutoScalingModel } from './index.js'
import { inService, launch, scheduleReconcile } from './reconcile.js'
import type { AsgRecord } from './records.js'
import { checkCapacity, resolveTemplateSpec } from './validation.js'

export function groupByName(asg: AutoScalingModel, name: string | undefined): AsgRecord {
  const g = asg.groups.get(name ?? '')
  if (!g || asg.world.faults.hidden(g.arn)) {
    throw asg.error(
      'ValidationError',
      `AutoScalingGroup name not found - AutoScalingGroup ${name ?? ''} not found`
    )
  }
  return g
}

/** Creates a group (world builders); `steady` starts it with its instances InService and healthy. */
export function addGroup(
  asg: AutoScalingModel,
  opts: {
    name: string
    launchTemplate: { id?: string; name?: string; version?: string }
    minSize: number
    maxSize: number
    desiredCapacity: number
    targetGroupArns?: string[]
    healthCheckType?: 'EC2' | 'ELB'
    healthCheckGracePeriod?: number
    tags?: Array<{ Key: string; Value: string; PropagateAtLaunch?: boolean }>
    steady?: boolean
    /** Launch through a mixed instances policy on the template, or from a launch configuration. */
    mixedInstancesPolicy?: boolean
    launchConfigurationName?: string
  }
): AsgRecord {
  if (asg.groups.has(opts.name))
    throw asg.error(
      'AlreadyExists',
      `AutoScalingGroup by this name already exists - A group with the name ${opts.name} already exists`
    )
  const template = asg.world.ec2.template({ id: opts.launchTemplate.id, name: opts.launchTemplate.name })
  const group: AsgRecord = {
    name: opts.name,
    arn: asg.world.arn(
      'autoscaling',
      `autoScalingGroup:${asg.world.ids.uuid()}:autoScalingGroupName/${opts.name}`
    ),
    minSize: opts.minSize,
    maxSize: opts.maxSize,
    desiredCapacity: opts.desiredCapacity,
    launchTemplate: {
      LaunchTemplateId: template.id,
      LaunchTemplateName: template.name,
      Version: opts.launchTemplate.version ?? '$Default'
    },
    attachments: (opts.targetGroupArns ?? []).map(arn => ({ arn, state: 'InService' as const })),
    instances: [],
    tags: (opts.tags ?? []).map(t => ({
      ResourceId: opts.name,
      ResourceType: 'auto-scaling-group',
      Key: t.Key,
      Value: t.Value,
      PropagateAtLaunch: t.PropagateAtLaunch ?? false
    })),
    healthCheckType: opts.healthCheckType ?? 'EC2',
    healthCheckGracePeriod: opts.healthCheckGracePeriod ?? 300,
    defaultCooldown: 300,
    vpcZoneIdentifier: 'subnet-0sim000000000001,subnet-0sim000000000002',
    createdAt: asg.now - 86_400_000,
    activities: [],
    refreshes: [],
    hooks: [],
    mixedInstancesPolicy: opts.mixedInstancesPolicy,
    launchConfigurationName: opts.launchConfigurationName,
    launchFailureStreak: 0,
    nextLaunchAt: asg.now
  }
  asg.groups.set(group.name, group)
  asg.world.faults.created('autoscalinggroup', group.arn)
  if (opts.steady) {
    for (let i = 0; i < group.desiredCapacity; i++) {
      const instance = launch(
        asg,
        group,
        `an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${i} to ${i + 1}`
      )
      if (!instance) continue
      for (const e of instance.events) e.cancel()
      instance.events = []
      inService(asg, group, instance)
      instance.launchedAt = instance.instance.launchedAt = asg.now - 3_600_000
      for (const arn of instance.registrations) {
        const target = asg.world.elbv2.targetGroups
          .get(arn)
          ?.targets.get(`${instance.id}:${asg.world.elbv2.targetGroups.get(arn)?.port}`)
        if (target && target.state === 'initial') {
          target.state = 'healthy'
          target.reason = undefined
          target.description = undefined
          target.passes = 10
        }
      }
    }
    for (const a of group.activities) a.StartTime = a.EndTime = new Date(asg.now - 3_600_000)
  }
  scheduleReconcile(asg, group, 0)
  return group
}

/**
 * Where the group launches from, as DescribeAutoScalingGroups says it: exactly one of LaunchTemplate,
 * MixedInstancesPolicy (its LaunchTemplate.LaunchTemplateSpecification) and LaunchConfigurationName
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AutoScalingGroup.html).
 */
function launchSource(g: AsgRecord): Partial<AutoScalingGroup> {
  if (g.launchConfigurationName) return { LaunchConfigurationName: g.launchConfigurationName }
  if (!g.mixedInstancesPolicy) return { LaunchTemplate: { ...g.launchTemplate } }
  return {
    MixedInstancesPolicy: {
      LaunchTemplate: { LaunchTemplateSpecification: { ...g.launchTemplate }, Overrides: [] },
      InstancesDistribution: { OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 100 }
    }
  }
}

export function groupShape(asg: AutoScalingModel, g: AsgRecord): AutoScalingGroup {
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    ...launchSource(g),
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: g.desiredCapacity,
    DefaultCooldown: g.defaultCooldown,
    AvailabilityZones: [...asg.world.zones],
    LoadBalancerNames: [],
    TargetGroupARNs: g.attachments.filter(a => a.state !== 'Removing').map(a => a.arn),
    HealthCheckType: g.healthCheckType,
    HealthCheckGracePeriod: g.healthCheckGracePeriod,
    Instances: g.instances.map(i => ({
      InstanceId: i.id,
      InstanceType: i.instance.instanceType,
      AvailabilityZone: i.availabilityZone,
      LifecycleState: i.lifecycle,
      HealthStatus: i.health,
      LaunchTemplate: { ...i.launchTemplate },
      ProtectedFromScaleIn: false
    })),
    CreatedTime: new Date(g.createdAt),
    SuspendedProcesses: [],
    VPCZoneIdentifier: g.vpcZoneIdentifier,
    EnabledMetrics: [],
    Tags: deepCopy(g.tags),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: `arn:aws:iam::${asg.world.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    TrafficSources: g.attachments
      .filter(a => a.state !== 'Removing')
      .map(a => ({ Identifier: a.arn, Type: 'elbv2' })),
    CapacityRebalance: false
  }
}

export function describeAutoScalingGroups(
  asg: AutoScalingModel,
  input: DescribeAutoScalingGroupsCommandInput
) {
  let groups = input.AutoScalingGroupNames?.length
    ? input.AutoScalingGroupNames.map(n => asg.groups.get(n)).filter((g): g is AsgRecord => g !== undefined)
    : [...asg.groups.values()]
  groups = groups.filter(g => !asg.world.faults.hidden(g.arn))
  for (const f of input.Filters ?? []) {
    const values = f.Values ?? []
    if (f.Name === 'tag-key') groups = groups.filter(g => g.tags.some(t => values.includes(t.Key ?? '')))
    else if (f.Name === 'tag-value')
      groups = groups.filter(g => g.tags.some(t => values.includes(t.Value ?? '')))
    else if (f.Name?.startsWith('tag:')) {
      const k = f.Name.slice(4)
      groups = groups.filter(g => g.tags.some(t => t.Key === k && values.includes(t.Value ?? '')))
    } else throw asg.error('ValidationError', `Filter name '${f.Name ?? ''}' is invalid`)
  }
  const { items, next } = tokenPage(groups, input.NextToken, Math.min(input.MaxRecords ?? 50, 100))
  return { AutoScalingGroups: items.map(g => groupShape(asg, g)), NextToken: next }
}

export function updateAutoScalingGroup(asg: AutoScalingModel, input: UpdateAutoScalingGroupCommandInput) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  const min = input.MinSize ?? g.minSize
  const max = input.MaxSize ?? g.maxSize
  let desired = input.DesiredCapacity ?? g.desiredCapacity
  // AWS: a new MinSize above the current size raises the desired capacity; a new MaxSize below lowers it.
  if (input.DesiredCapacity === undefined) {
    if (input.MinSize !== undefined && desired < min) desired = min
    if (input.MaxSize !== undefined && desired > max) desired = max
  }
  checkCapacity(asg, min, max, desired)
  const template = input.LaunchTemplate ? resolveTemplateSpec(asg, input.LaunchTemplate) : undefined
  if (input.HealthCheckType !== undefined && !['EC2', 'ELB'].includes(input.HealthCheckType)) {
    throw asg.error('ValidationError', `Health check type '${input.HealthCheckType}' is not one of EC2, ELB`)
  }
  const before = g.desiredCapacity
  g.minSize = min
  g.maxSize = max
  g.desiredCapacity = desired
  if (template) g.launchTemplate = template
  if (input.HealthCheckType !== undefined) g.healthCheckType = input.HealthCheckType
  if (input.HealthCheckGracePeriod !== undefined) g.healthCheckGracePeriod = input.HealthCheckGracePeriod
  if (input.DefaultCooldown !== undefined) g.defaultCooldown = input.DefaultCooldown
  if (desired !== before) g.nextLaunchAt = asg.now
  scheduleReconcile(asg, g, 0)
  return {}
}

export function setDesiredCapacity(asg: AutoScalingModel, input: SetDesiredCapacityCommandInput) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  const d = input.DesiredCapacity ?? g.desiredCapacity
  if (d > g.maxSize)
    throw asg.error(
      'ValidationError',
      `New SetDesiredCapacity value ${d} is above max value ${g.maxSize} for the AutoScalingGroup.`
    )
  if (d < g.minSize)
    throw asg.error(
      'ValidationError',
      `New SetDesiredCapacity value ${d} is below min value ${g.minSize} for the AutoScalingGroup.`
    )
  g.desiredCapacity = d
  g.nextLaunchAt = asg.now
  scheduleReconcile(asg, g, 0)
  return {}
}
