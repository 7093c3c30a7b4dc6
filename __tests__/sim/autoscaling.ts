// EC2 Auto Scaling as a blue/green deploy sees it: groups that launch instances from a launch template
// version (Pending -> InService), register them in their attached target groups, terminate surplus
// instances after draining, move instances to and from Standby, keep tags and scaling activities, and
// report instance refreshes. Wording and error codes follow the real service.
import type {
  Activity,
  AttachLoadBalancerTargetGroupsCommandInput,
  AutoScalingGroup,
  CreateOrUpdateTagsCommandInput,
  DeleteTagsCommandInput,
  DescribeAutoScalingGroupsCommandInput,
  DescribeAutoScalingInstancesCommandInput,
  DescribeInstanceRefreshesCommandInput,
  DescribeLoadBalancerTargetGroupsCommandInput,
  DescribeScalingActivitiesCommandInput,
  DescribeTagsCommandInput,
  DetachLoadBalancerTargetGroupsCommandInput,
  EnterStandbyCommandInput,
  ExitStandbyCommandInput,
  InstanceRefresh,
  InstanceRefreshStatus,
  LifecycleState,
  SetDesiredCapacityCommandInput,
  TagDescription,
  TerminateInstanceInAutoScalingGroupCommandInput,
  UpdateAutoScalingGroupCommandInput
} from '@aws-sdk/client-auto-scaling'
import { amiNotFound, Backend, DEFAULT_BEHAVIOR, type AppBehavior } from './apps.js'
import { deepCopy } from './copy.js'
import type { InstanceRecord, LaunchTemplateRecord } from './ec2.js'
import type { Handler, TargetGroupRecord } from './elbv2.js'
import { awsError } from './errors.js'
import type { ScheduledEvent } from './timeline.js'
import type { World } from './world.js'

export interface AsgInstanceRecord {
  id: string
  availabilityZone: string
  lifecycle: LifecycleState
  health: 'Healthy' | 'Unhealthy'
  /** The launch template as the group named it when the instance was launched. */
  launchTemplate: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string }
  imageId: string
  behavior: AppBehavior
  launchedAt: number
  inServiceAt?: number
  instance: InstanceRecord
  backend?: Backend
  /** Target groups the instance is registered in. */
  registrations: Set<string>
  events: ScheduledEvent[]
}

interface AttachmentRecord {
  arn: string
  state: 'Adding' | 'Added' | 'InService' | 'Removing'
}

export interface AsgRecord {
  name: string
  arn: string
  minSize: number
  maxSize: number
  desiredCapacity: number
  launchTemplate: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string }
  attachments: AttachmentRecord[]
  instances: AsgInstanceRecord[]
  tags: TagDescription[]
  healthCheckType: string
  healthCheckGracePeriod: number
  defaultCooldown: number
  vpcZoneIdentifier: string
  createdAt: number
  /** Newest first. */
  activities: Activity[]
  refreshes: InstanceRefresh[]
  reconcile?: ScheduledEvent
  launchFailureStreak: number
  nextLaunchAt: number
}

/** How a test sets up an instance refresh that is (or was) running on a group. */
export interface InjectedRefresh {
  status?: InstanceRefreshStatus
  statusReason?: string
  percentageComplete?: number
  /** It finishes (Successful) this many seconds from now. */
  finishesAfterSeconds?: number
}

const COUNTED: ReadonlySet<string> = new Set(['Pending', 'InService'])

export class AutoScalingModel {
  readonly groups = new Map<string, AsgRecord>()

  /** Launches failed so far by AMI, for a `launchFailures` count. */
  private readonly scriptedLaunchFailures = new Map<string, number>()
  constructor(private readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return {
      DescribeAutoScalingGroups: i =>
        this.describeAutoScalingGroups(i as DescribeAutoScalingGroupsCommandInput),
      DescribeAutoScalingInstances: i =>
        this.describeAutoScalingInstances(i as DescribeAutoScalingInstancesCommandInput),
      UpdateAutoScalingGroup: i => this.updateAutoScalingGroup(i as UpdateAutoScalingGroupCommandInput),
      SetDesiredCapacity: i => this.setDesiredCapacity(i as SetDesiredCapacityCommandInput),
      AttachLoadBalancerTargetGroups: i =>
        this.attachTargetGroups(i as AttachLoadBalancerTargetGroupsCommandInput),
      DetachLoadBalancerTargetGroups: i =>
        this.detachTargetGroups(i as DetachLoadBalancerTargetGroupsCommandInput),
      DescribeLoadBalancerTargetGroups: i =>
        this.describeLoadBalancerTargetGroups(i as DescribeLoadBalancerTargetGroupsCommandInput),
      EnterStandby: i => this.enterStandby(i as EnterStandbyCommandInput),
      ExitStandby: i => this.exitStandby(i as ExitStandbyCommandInput),
      TerminateInstanceInAutoScalingGroup: i =>
        this.terminateInstanceInGroup(i as TerminateInstanceInAutoScalingGroupCommandInput),
      CreateOrUpdateTags: i => this.createOrUpdateTags(i as CreateOrUpdateTagsCommandInput),
      DeleteTags: i => this.deleteTags(i as DeleteTagsCommandInput),
      DescribeTags: i => this.describeTags(i as DescribeTagsCommandInput),
      DescribeInstanceRefreshes: i =>
        this.describeInstanceRefreshes(i as DescribeInstanceRefreshesCommandInput),
      DescribeScalingActivities: i =>
        this.describeScalingActivities(i as DescribeScalingActivitiesCommandInput)
    }
  }

  private get now(): number {
    return this.world.now()
  }

  private error(code: string, message: string): Error {
    return awsError('autoscaling', code, message)
  }

  private iso(ms = this.now): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  group(name: string | undefined): AsgRecord {
    const g = this.groups.get(name ?? '')
    if (!g || this.world.faults.hidden(g.arn)) {
      throw this.error(
        'ValidationError',
        `AutoScalingGroup name not found - AutoScalingGroup ${name ?? ''} not found`
      )
    }
    return g
  }

  // ---- groups ------------------------------------------------------------------------------

  /** Creates a group (world builders); `steady` starts it with its instances InService and healthy. */
  addGroup(opts: {
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
  }): AsgRecord {
    if (this.groups.has(opts.name))
      throw this.error(
        'AlreadyExists',
        `AutoScalingGroup by this name already exists - A group with the name ${opts.name} already exists`
      )
    const template = this.world.ec2.template({ id: opts.launchTemplate.id, name: opts.launchTemplate.name })
    const group: AsgRecord = {
      name: opts.name,
      arn: this.world.arn(
        'autoscaling',
        `autoScalingGroup:${this.world.ids.uuid()}:autoScalingGroupName/${opts.name}`
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
      createdAt: this.now - 86_400_000,
      activities: [],
      refreshes: [],
      launchFailureStreak: 0,
      nextLaunchAt: this.now
    }
    this.groups.set(group.name, group)
    this.world.faults.created('autoscalinggroup', group.arn)
    if (opts.steady) {
      for (let i = 0; i < group.desiredCapacity; i++) {
        const instance = this.launch(
          group,
          `an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${i} to ${i + 1}`
        )
        if (!instance) continue
        for (const e of instance.events) e.cancel()
        instance.events = []
        this.inService(group, instance)
        instance.launchedAt = instance.instance.launchedAt = this.now - 3_600_000
        for (const arn of instance.registrations) {
          const target = this.world.elbv2.targetGroups
            .get(arn)
            ?.targets.get(`${instance.id}:${this.world.elbv2.targetGroups.get(arn)?.port}`)
          if (target && target.state === 'initial') {
            target.state = 'healthy'
            target.reason = undefined
            target.description = undefined
            target.passes = 10
          }
        }
      }
      for (const a of group.activities) a.StartTime = a.EndTime = new Date(this.now - 3_600_000)
    }
    this.scheduleReconcile(group, 0)
    return group
  }

  groupShape(g: AsgRecord): AutoScalingGroup {
    return {
      AutoScalingGroupName: g.name,
      AutoScalingGroupARN: g.arn,
      LaunchTemplate: { ...g.launchTemplate },
      MinSize: g.minSize,
      MaxSize: g.maxSize,
      DesiredCapacity: g.desiredCapacity,
      DefaultCooldown: g.defaultCooldown,
      AvailabilityZones: [...this.world.zones],
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
      ServiceLinkedRoleARN: `arn:aws:iam::${this.world.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      TrafficSources: g.attachments
        .filter(a => a.state !== 'Removing')
        .map(a => ({ Identifier: a.arn, Type: 'elbv2' })),
      CapacityRebalance: false
    }
  }

  private describeAutoScalingGroups(input: DescribeAutoScalingGroupsCommandInput) {
    let groups = input.AutoScalingGroupNames?.length
      ? input.AutoScalingGroupNames.map(n => this.groups.get(n)).filter(
          (g): g is AsgRecord => g !== undefined
        )
      : [...this.groups.values()]
    groups = groups.filter(g => !this.world.faults.hidden(g.arn))
    for (const f of input.Filters ?? []) {
      const values = f.Values ?? []
      if (f.Name === 'tag-key') groups = groups.filter(g => g.tags.some(t => values.includes(t.Key ?? '')))
      else if (f.Name === 'tag-value')
        groups = groups.filter(g => g.tags.some(t => values.includes(t.Value ?? '')))
      else if (f.Name?.startsWith('tag:')) {
        const k = f.Name.slice(4)
        groups = groups.filter(g => g.tags.some(t => t.Key === k && values.includes(t.Value ?? '')))
      } else throw this.error('ValidationError', `Filter name '${f.Name ?? ''}' is invalid`)
    }
    const { items, next } = tokenPage(groups, input.NextToken, Math.min(input.MaxRecords ?? 50, 100))
    return { AutoScalingGroups: items.map(g => this.groupShape(g)), NextToken: next }
  }

  private describeAutoScalingInstances(input: DescribeAutoScalingInstancesCommandInput) {
    const all = [...this.groups.values()].flatMap(g => g.instances.map(i => ({ g, i })))
    const wanted = input.InstanceIds?.length ? all.filter(x => input.InstanceIds?.includes(x.i.id)) : all
    const { items, next } = tokenPage(wanted, input.NextToken, Math.min(input.MaxRecords ?? 50, 50))
    return {
      AutoScalingInstances: items.map(({ g, i }) => ({
        InstanceId: i.id,
        InstanceType: i.instance.instanceType,
        AutoScalingGroupName: g.name,
        AvailabilityZone: i.availabilityZone,
        LifecycleState: i.lifecycle,
        HealthStatus: i.health.toUpperCase(),
        LaunchTemplate: { ...i.launchTemplate },
        ProtectedFromScaleIn: false
      })),
      NextToken: next
    }
  }

  private checkCapacity(min: number, max: number, desired: number): void {
    if (min > max)
      throw this.error(
        'ValidationError',
        `Max bound, ${max}, must be greater than or equal to min bound, ${min}`
      )
    if (desired < min || desired > max) {
      throw this.error(
        'ValidationError',
        `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`
      )
    }
  }

  private resolveTemplateSpec(spec: {
    LaunchTemplateId?: string
    LaunchTemplateName?: string
    Version?: string
  }) {
    let template: LaunchTemplateRecord
    try {
      template = this.world.ec2.template({ id: spec.LaunchTemplateId, name: spec.LaunchTemplateName })
    } catch {
      throw this.error(
        'ValidationError',
        `You must use a valid fully-formed launch template. The specified launch template, with template ${spec.LaunchTemplateId ? `ID ${spec.LaunchTemplateId}` : `name ${spec.LaunchTemplateName ?? ''}`}, does not exist.`
      )
    }
    const version = spec.Version ?? '$Default'
    if (!this.world.ec2.findVersion(template, version)) {
      throw this.error(
        'ValidationError',
        `You must use a valid fully-formed launch template. The specified launch template, with template ID ${template.id}, version ${version}, does not exist.`
      )
    }
    return { LaunchTemplateId: template.id, LaunchTemplateName: template.name, Version: version }
  }

  private updateAutoScalingGroup(input: UpdateAutoScalingGroupCommandInput) {
    const g = this.group(input.AutoScalingGroupName)
    const min = input.MinSize ?? g.minSize
    const max = input.MaxSize ?? g.maxSize
    let desired = input.DesiredCapacity ?? g.desiredCapacity
    // AWS: a new MinSize above the current size raises the desired capacity; a new MaxSize below lowers it.
    if (input.DesiredCapacity === undefined) {
      if (input.MinSize !== undefined && desired < min) desired = min
      if (input.MaxSize !== undefined && desired > max) desired = max
    }
    this.checkCapacity(min, max, desired)
    const template = input.LaunchTemplate ? this.resolveTemplateSpec(input.LaunchTemplate) : undefined
    if (input.HealthCheckType !== undefined && !['EC2', 'ELB'].includes(input.HealthCheckType)) {
      throw this.error(
        'ValidationError',
        `Health check type '${input.HealthCheckType}' is not one of EC2, ELB`
      )
    }
    const before = g.desiredCapacity
    g.minSize = min
    g.maxSize = max
    g.desiredCapacity = desired
    if (template) g.launchTemplate = template
    if (input.HealthCheckType !== undefined) g.healthCheckType = input.HealthCheckType
    if (input.HealthCheckGracePeriod !== undefined) g.healthCheckGracePeriod = input.HealthCheckGracePeriod
    if (input.DefaultCooldown !== undefined) g.defaultCooldown = input.DefaultCooldown
    if (desired !== before) g.nextLaunchAt = this.now
    this.scheduleReconcile(g, 0)
    return {}
  }

  private setDesiredCapacity(input: SetDesiredCapacityCommandInput) {
    const g = this.group(input.AutoScalingGroupName)
    const d = input.DesiredCapacity ?? g.desiredCapacity
    if (d > g.maxSize)
      throw this.error(
        'ValidationError',
        `New SetDesiredCapacity value ${d} is above max value ${g.maxSize} for the AutoScalingGroup.`
      )
    if (d < g.minSize)
      throw this.error(
        'ValidationError',
        `New SetDesiredCapacity value ${d} is below min value ${g.minSize} for the AutoScalingGroup.`
      )
    g.desiredCapacity = d
    g.nextLaunchAt = this.now
    this.scheduleReconcile(g, 0)
    return {}
  }

  // ---- target groups -----------------------------------------------------------------------

  private instanceTargetGroup(arn: string): TargetGroupRecord {
    const tg = this.world.elbv2.targetGroups.get(arn)
    if (!tg || tg.targetType !== 'instance') {
      throw this.error(
        'ValidationError',
        `Provided Target Groups may not be valid. Please ensure they exist and try again.`
      )
    }
    return tg
  }

  private attachTargetGroups(input: AttachLoadBalancerTargetGroupsCommandInput) {
    const g = this.group(input.AutoScalingGroupName)
    const arns = input.TargetGroupARNs ?? []
    if (arns.length === 0)
      throw this.error('ValidationError', 'At least one target group ARN must be specified')
    const tgs = arns.map(arn => this.instanceTargetGroup(arn))
    for (const tg of tgs) {
      const existing = g.attachments.find(a => a.arn === tg.arn)
      if (existing && existing.state !== 'Removing') continue
      if (existing) existing.state = 'Adding'
      else g.attachments.push({ arn: tg.arn, state: 'Adding' })
      for (const i of g.instances) if (i.lifecycle === 'InService') this.registerInstance(i, tg)
      const attachment = g.attachments.find(a => a.arn === tg.arn) as AttachmentRecord
      this.world.timeline.after(5000, () => {
        if (attachment.state === 'Adding') attachment.state = 'Added'
      })
    }
    return {}
  }

  private detachTargetGroups(input: DetachLoadBalancerTargetGroupsCommandInput) {
    const g = this.group(input.AutoScalingGroupName)
    for (const arn of input.TargetGroupARNs ?? []) {
      const attachment = g.attachments.find(a => a.arn === arn)
      if (!attachment || attachment.state === 'Removing') continue
      attachment.state = 'Removing'
      const tg = this.world.elbv2.targetGroups.get(arn)
      let pending = 0
      const done = () => {
        if (--pending <= 0) g.attachments = g.attachments.filter(a => a !== attachment)
      }
      for (const i of g.instances) {
        if (!i.registrations.delete(arn)) continue
        pending++
        if (tg) this.world.elbv2.deregister(tg, i.id, tg.port, done)
        else done()
      }
      if (pending === 0) g.attachments = g.attachments.filter(a => a !== attachment)
    }
    return {}
  }

  private describeLoadBalancerTargetGroups(input: DescribeLoadBalancerTargetGroupsCommandInput) {
    const g = this.group(input.AutoScalingGroupName)
    return {
      LoadBalancerTargetGroups: g.attachments.map(a => {
        const tg = this.world.elbv2.targetGroups.get(a.arn)
        const anyHealthy = g.instances.some(i => tg?.targets.get(`${i.id}:${tg.port}`)?.state === 'healthy')
        const state = a.state === 'Added' && anyHealthy ? 'InService' : a.state
        return { LoadBalancerTargetGroupARN: a.arn, State: state }
      })
    }
  }

  private registerInstance(i: AsgInstanceRecord, tg: TargetGroupRecord): void {
    if (i.registrations.has(tg.arn)) return
    this.world.elbv2.register(tg, { id: i.id, availabilityZone: i.availabilityZone })
    i.registrations.add(tg.arn)
  }

  /** Deregisters an instance from every group it is in; `onDrained` once all have drained. */
  private deregisterInstance(i: AsgInstanceRecord, onDrained: () => void): void {
    let pending = i.registrations.size
    if (pending === 0) {
      onDrained()
      return
    }
    for (const arn of [...i.registrations]) {
      i.registrations.delete(arn)
      const tg = this.world.elbv2.targetGroups.get(arn)
      const done = () => {
        if (--pending === 0) onDrained()
      }
      if (tg) this.world.elbv2.deregister(tg, i.id, tg.port, done)
      else done()
    }
  }

  // ---- standby -----------------------------------------------------------------------------

  private instancesOf(g: AsgRecord, ids: string[] | undefined, state: LifecycleState): AsgInstanceRecord[] {
    if (!ids?.length) throw this.error('ValidationError', 'At least one instance ID must be specified')
    if (ids.length > 20) throw this.error('ValidationError', 'The number of instance IDs cannot exceed 20')
    return ids.map(id => {
      const i = g.instances.find(x => x.id === id)
      if (!i)
        throw this.error('ValidationError', `The instance ${id} is not part of Auto Scaling group ${g.name}.`)
      if (i.lifecycle !== state) throw this.error('ValidationError', `The instance ${id} is not in ${state}.`)
      return i
    })
  }

  private enterStandby(input: EnterStandbyCommandInput) {
    const g = this.group(input.AutoScalingGroupName)
    if (input.ShouldDecrementDesiredCapacity === undefined) {
      throw this.error('ValidationError', 'ShouldDecrementDesiredCapacity is required')
    }
    const instances = this.instancesOf(g, input.InstanceIds, 'InService')
    const before = g.desiredCapacity
    if (input.ShouldDecrementDesiredCapacity) {
      const after = before - instances.length
      if (after < g.minSize) {
        throw this.error(
          'ValidationError',
          `AutoScalingGroup ${g.name} has min-size=${g.minSize}, max-size=${g.maxSize}, and desired-capacity=${before}. You requested to move ${instances.length} instances to standby, decrementing desired capacity to ${after}, which would take it below min-size.`
        )
      }
      g.desiredCapacity = after
    }
    const activities = instances.map((i, n) => {
      i.lifecycle = 'EnteringStandby'
      const to = input.ShouldDecrementDesiredCapacity ? before - n - 1 : before
      const activity = this.activity(g, {
        Description: `Moving EC2 instance to Standby: ${i.id}`,
        Cause: `At ${this.iso()} instance ${i.id} was moved to standby in response to a user request${input.ShouldDecrementDesiredCapacity ? `, shrinking the capacity from ${before - n} to ${to}` : ''}.`,
        StatusCode: 'InProgress',
        Progress: 50
      })
      this.deregisterInstance(i, () => {
        if (i.lifecycle !== 'EnteringStandby') return
        i.lifecycle = 'Standby'
        this.finishActivity(activity, 'Successful')
      })
      return deepCopy(activity)
    })
    this.scheduleReconcile(g, 0)
    return { Activities: activities }
  }

  private exitStandby(input: ExitStandbyCommandInput) {
    const g = this.group(input.AutoScalingGroupName)
    const instances = this.instancesOf(g, input.InstanceIds, 'Standby')
    const before = g.desiredCapacity
    const after = before + instances.length
    if (after > g.maxSize) {
      throw this.error(
        'ValidationError',
        `AutoScalingGroup ${g.name} has min-size=${g.minSize}, max-size=${g.maxSize}, and desired-capacity=${before}. You requested to move ${instances.length} instances out of standby, incrementing desired capacity to ${after}, which would take it above max-size.`
      )
    }
    g.desiredCapacity = after
    const activities = instances.map((i, n) => {
      i.lifecycle = 'Pending'
      const activity = this.activity(g, {
        Description: `Moving EC2 instance out of Standby: ${i.id}`,
        Cause: `At ${this.iso()} instance ${i.id} was moved out of standby in response to a user request, increasing the capacity from ${before + n} to ${before + n + 1}.`,
        StatusCode: 'PreInService',
        Progress: 30
      })
      i.events.push(
        this.world.timeline.after(this.world.timing.asgExitStandbySeconds * 1000, () => {
          if (i.lifecycle !== 'Pending') return
          this.inService(g, i)
          this.finishActivity(activity, 'Successful')
        })
      )
      return deepCopy(activity)
    })
    this.scheduleReconcile(g, 0)
    return { Activities: activities }
  }

  private terminateInstanceInGroup(input: TerminateInstanceInAutoScalingGroupCommandInput) {
    const g = [...this.groups.values()].find(x => x.instances.some(i => i.id === input.InstanceId))
    if (!g)
      throw this.error(
        'ValidationError',
        `Instance Id not found - No managed instance found for instance ID: ${input.InstanceId ?? ''}`
      )
    const i = g.instances.find(x => x.id === input.InstanceId) as AsgInstanceRecord
    if (input.ShouldDecrementDesiredCapacity) {
      if (g.desiredCapacity - 1 < g.minSize) {
        throw this.error(
          'ValidationError',
          `Currently, desiredSize equals minSize (${g.minSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`
        )
      }
      g.desiredCapacity--
    }
    const activity = this.terminate(
      g,
      i,
      `At ${this.iso()} instance ${i.id} was taken out of service in response to a user request${input.ShouldDecrementDesiredCapacity ? `, shrinking the capacity from ${g.desiredCapacity + 1} to ${g.desiredCapacity}` : ''}.`
    )
    this.scheduleReconcile(g, 0)
    return { Activity: deepCopy(activity) }
  }

  // ---- tags --------------------------------------------------------------------------------

  private createOrUpdateTags(input: CreateOrUpdateTagsCommandInput) {
    for (const t of input.Tags ?? []) {
      if (t.ResourceType !== 'auto-scaling-group')
        throw this.error('ValidationError', `ResourceType must be 'auto-scaling-group'`)
      const g = this.group(t.ResourceId)
      const existing = g.tags.find(x => x.Key === t.Key)
      const tag = {
        ResourceId: g.name,
        ResourceType: 'auto-scaling-group',
        Key: t.Key,
        Value: t.Value ?? '',
        PropagateAtLaunch: t.PropagateAtLaunch ?? false
      }
      if (existing) Object.assign(existing, tag)
      else g.tags.push(tag)
      if (g.tags.length > 50)
        throw this.error('LimitExceeded', 'The number of tags per Auto Scaling group cannot exceed 50.')
    }
    return {}
  }

  private deleteTags(input: DeleteTagsCommandInput) {
    for (const t of input.Tags ?? []) {
      const g = this.group(t.ResourceId)
      g.tags = g.tags.filter(x => !(x.Key === t.Key && (t.Value === undefined || x.Value === t.Value)))
    }
    return {}
  }

  private describeTags(input: DescribeTagsCommandInput) {
    let tags = [...this.groups.values()].filter(g => !this.world.faults.hidden(g.arn)).flatMap(g => g.tags)
    for (const f of input.Filters ?? []) {
      const values = f.Values ?? []
      if (f.Name === 'auto-scaling-group') tags = tags.filter(t => values.includes(t.ResourceId ?? ''))
      else if (f.Name === 'key') tags = tags.filter(t => values.includes(t.Key ?? ''))
      else if (f.Name === 'value') tags = tags.filter(t => values.includes(t.Value ?? ''))
      else if (f.Name === 'propagate-at-launch')
        tags = tags.filter(t => values.includes(String(t.PropagateAtLaunch)))
      else throw this.error('ValidationError', `Filter name '${f.Name ?? ''}' is invalid`)
    }
    tags.sort(
      (a, b) =>
        (a.ResourceId ?? '').localeCompare(b.ResourceId ?? '') || (a.Key ?? '').localeCompare(b.Key ?? '')
    )
    const { items, next } = tokenPage(tags, input.NextToken, Math.min(input.MaxRecords ?? 100, 100))
    return { Tags: deepCopy(items), NextToken: next }
  }

  // ---- refreshes and activities ------------------------------------------------------------

  /** Puts an instance refresh on a group (default: one in progress), as a test fixture. */
  injectInstanceRefresh(groupName: string, opts: InjectedRefresh = {}): InstanceRefresh {
    const g = this.group(groupName)
    const refresh: InstanceRefresh = {
      InstanceRefreshId: this.world.ids.uuid(),
      AutoScalingGroupName: g.name,
      Status: opts.status ?? 'InProgress',
      ...(opts.statusReason ? { StatusReason: opts.statusReason } : {}),
      StartTime: new Date(this.now - 60_000),
      PercentageComplete: opts.percentageComplete ?? 40,
      InstancesToUpdate: Math.max(1, g.instances.length - 1)
    }
    if (refresh.Status !== 'InProgress' && refresh.Status !== 'Pending') refresh.EndTime = new Date(this.now)
    g.refreshes.unshift(refresh)
    if (opts.finishesAfterSeconds !== undefined) {
      this.world.timeline.after(opts.finishesAfterSeconds * 1000, () => {
        refresh.Status = 'Successful'
        refresh.PercentageComplete = 100
        refresh.InstancesToUpdate = 0
        refresh.EndTime = new Date(this.now)
      })
    }
    return refresh
  }

  private describeInstanceRefreshes(input: DescribeInstanceRefreshesCommandInput) {
    const g = this.group(input.AutoScalingGroupName)
    const wanted = input.InstanceRefreshIds?.length
      ? g.refreshes.filter(r => input.InstanceRefreshIds?.includes(r.InstanceRefreshId ?? ''))
      : g.refreshes
    const { items, next } = tokenPage(wanted, input.NextToken, Math.min(input.MaxRecords ?? 50, 100))
    return { InstanceRefreshes: deepCopy(items), NextToken: next }
  }

  private describeScalingActivities(input: DescribeScalingActivitiesCommandInput) {
    const groups = input.AutoScalingGroupName
      ? [this.group(input.AutoScalingGroupName)]
      : [...this.groups.values()]
    let activities = groups
      .flatMap(g => g.activities)
      .sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0))
    if (input.ActivityIds?.length)
      activities = activities.filter(a => input.ActivityIds?.includes(a.ActivityId ?? ''))
    const { items, next } = tokenPage(activities, input.NextToken, Math.min(input.MaxRecords ?? 100, 100))
    return { Activities: deepCopy(items), NextToken: next }
  }

  private activity(
    g: AsgRecord,
    fields: Pick<Activity, 'Description' | 'Cause' | 'StatusCode' | 'Progress'> & { StatusMessage?: string }
  ): Activity {
    const activity: Activity = {
      ActivityId: this.world.ids.uuid(),
      AutoScalingGroupName: g.name,
      AutoScalingGroupARN: g.arn,
      StartTime: new Date(this.now),
      Details: JSON.stringify({
        'Subnet ID': 'subnet-0sim000000000001',
        'Availability Zone': this.world.zones[0]
      }),
      ...fields
    } as Activity
    g.activities.unshift(activity)
    if (g.activities.length > 100) g.activities.length = 100
    return activity
  }

  private finishActivity(a: Activity, status: 'Successful' | 'Failed', message?: string): void {
    a.StatusCode = status
    a.Progress = 100
    a.EndTime = new Date(this.now)
    if (message) a.StatusMessage = message
  }

  // ---- the group's own work ----------------------------------------------------------------

  private scheduleReconcile(g: AsgRecord, delayMs: number): void {
    const at = this.now + delayMs
    if (g.reconcile && g.reconcile.at <= at) return
    g.reconcile?.cancel()
    g.reconcile = this.world.timeline.at(at, () => {
      g.reconcile = undefined
      this.reconcile(g)
      this.scheduleReconcile(g, this.world.timing.asgReconcileSeconds * 1000)
    })
  }

  /** Launches or terminates instances until Pending + InService = desired; replaces unhealthy ones. */
  private reconcile(g: AsgRecord): void {
    this.checkHealth(g)
    const counted = g.instances.filter(i => COUNTED.has(i.lifecycle))
    if (counted.length < g.desiredCapacity && this.now >= g.nextLaunchAt) {
      const from = counted.length
      for (let n = from; n < g.desiredCapacity; n++) {
        const cause = `an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${g.desiredCapacity}`
        if (!this.launch(g, cause)) break
      }
    } else if (counted.length > g.desiredCapacity) {
      const surplus = counted.length - g.desiredCapacity
      const current = this.world.ec2.findVersion(
        this.world.ec2.template({ id: g.launchTemplate.LaunchTemplateId }),
        g.launchTemplate.Version
      )?.number
      // Default termination policy, simplified: instances of another template version first, then the oldest.
      const order = [...counted].sort(
        (a, b) =>
          Number(this.versionOf(b) === current) - Number(this.versionOf(a) === current) ||
          a.launchedAt - b.launchedAt
      )
      for (const i of order.slice(0, surplus)) {
        this.terminate(
          g,
          i,
          `At ${this.iso()} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${counted.length} to ${g.desiredCapacity}.`
        )
      }
    }
  }

  private versionOf(i: AsgInstanceRecord): number | undefined {
    const t = this.world.ec2.templates.get(i.launchTemplate.LaunchTemplateId)
    return t ? this.world.ec2.findVersion(t, i.launchTemplate.Version)?.number : undefined
  }

  /** ELB health checks (HealthCheckType ELB): an InService instance unhealthy after the grace period is replaced. */
  private checkHealth(g: AsgRecord): void {
    for (const i of g.instances) {
      if (i.lifecycle !== 'InService') continue
      const dead = i.instance.state === 'terminated'
      const elbUnhealthy =
        g.healthCheckType === 'ELB' &&
        (i.inServiceAt ?? 0) + g.healthCheckGracePeriod * 1000 <= this.now &&
        [...i.registrations].some(arn => {
          const tg = this.world.elbv2.targetGroups.get(arn)
          return tg?.targets.get(`${i.id}:${tg.port}`)?.state === 'unhealthy'
        })
      if (!dead && !elbUnhealthy) continue
      i.health = 'Unhealthy'
      this.terminate(
        g,
        i,
        `At ${this.iso()} an instance was taken out of service in response to ${dead ? 'an EC2 instance status check failure' : 'an ELB system health check failure'}.`
      )
    }
  }

  /** Launches one instance from the group's launch template; undefined (and a failed activity) if it cannot. */
  private launch(g: AsgRecord, cause: string): AsgInstanceRecord | undefined {
    const template = this.world.ec2.template({ id: g.launchTemplate.LaunchTemplateId })
    const version = this.world.ec2.findVersion(template, g.launchTemplate.Version)
    const imageId = version?.data.ImageId ?? ''
    const behavior = this.world.apps.forAmi(imageId)
    const scriptedFailures = this.scriptedLaunchFailures.get(imageId) ?? 0
    const scripted =
      behavior.launchFailure !== undefined &&
      (behavior.launchFailures === undefined || scriptedFailures < behavior.launchFailures)
    const failure = !version
      ? `The specified launch template version ${g.launchTemplate.Version} does not exist. Launching EC2 instance failed.`
      : !this.world.ec2.images.has(imageId)
        ? amiNotFound(imageId)
        : scripted
          ? behavior.launchFailure
          : undefined
    if (failure) {
      if (scripted && failure === behavior.launchFailure)
        this.scriptedLaunchFailures.set(imageId, scriptedFailures + 1)
      const a = this.activity(g, {
        Description: `Launching a new EC2 instance.  Status Reason: ${failure}`,
        Cause: `At ${this.iso()} ${cause}.`,
        StatusCode: 'Failed',
        Progress: 100
      })
      this.finishActivity(a, 'Failed', failure)
      g.launchFailureStreak++
      g.nextLaunchAt = this.now + Math.min(300, 10 * 2 ** (g.launchFailureStreak - 1)) * 1000
      return undefined
    }
    const zone = this.world.zones[g.instances.length % this.world.zones.length]
    const instance = this.world.ec2.launchInstance({
      imageId,
      instanceType: version?.data.InstanceType,
      availabilityZone: zone,
      tags: [
        { Key: 'aws:autoscaling:groupName', Value: g.name },
        ...g.tags.filter(t => t.PropagateAtLaunch).map(t => ({ Key: t.Key, Value: t.Value }))
      ]
    })
    const record: AsgInstanceRecord = {
      id: instance.id,
      availabilityZone: zone,
      lifecycle: 'Pending',
      health: 'Healthy',
      launchTemplate: { ...g.launchTemplate },
      imageId,
      behavior,
      launchedAt: this.now,
      instance,
      registrations: new Set(),
      events: []
    }
    g.instances.push(record)
    const a = this.activity(g, {
      Description: `Launching a new EC2 instance: ${instance.id}`,
      Cause: `At ${this.iso()} ${cause}.`,
      StatusCode: 'InProgress',
      Progress: 30
    })
    const startMs = (behavior.startSeconds ?? DEFAULT_BEHAVIOR.startSeconds) * 1000
    record.events.push(
      this.world.timeline.after(startMs, () => {
        if (record.lifecycle !== 'Pending') return
        this.inService(g, record)
        this.finishActivity(a, 'Successful')
        g.launchFailureStreak = 0
      })
    )
    return record
  }

  /** The instance is InService: its app runs, it joins every attached target group. */
  private inService(g: AsgRecord, i: AsgInstanceRecord): void {
    i.lifecycle = 'InService'
    i.inServiceAt = this.now
    if (i.instance.state === 'pending') i.instance.state = 'running'
    if (!i.backend) {
      const backend = new Backend(i.id, i.id, i.behavior, this.now + (i.behavior.bootSeconds ?? 0) * 1000)
      i.backend = backend
      i.instance.backend = backend
      this.world.endpoints.set(i.id, backend)
      if (i.behavior.crashAfterSeconds !== undefined)
        backend.stop(this.now + i.behavior.crashAfterSeconds * 1000)
    }
    for (const a of g.attachments) {
      if (a.state === 'Removing') continue
      const tg = this.world.elbv2.targetGroups.get(a.arn)
      if (tg) this.registerInstance(i, tg)
    }
  }

  /** Terminating: deregister and drain (the app keeps serving meanwhile), then the instance is gone. */
  private terminate(g: AsgRecord, i: AsgInstanceRecord, cause: string): Activity {
    for (const e of i.events) e.cancel()
    i.lifecycle = 'Terminating'
    const a = this.activity(g, {
      Description: `Terminating EC2 instance: ${i.id}`,
      Cause: cause,
      StatusCode: i.registrations.size > 0 ? 'WaitingForELBConnectionDraining' : 'InProgress',
      Progress: 50
    })
    this.deregisterInstance(i, () => {
      i.instance.state = 'shutting-down'
      const shutdown = i.behavior.shutdownSeconds ?? DEFAULT_BEHAVIOR.shutdownSeconds
      i.backend?.stop(this.now + shutdown * 1000)
      this.world.timeline.after(Math.max(shutdown, 1) * 1000, () => {
        i.instance.state = 'terminated'
        i.lifecycle = 'Terminated'
        g.instances = g.instances.filter(x => x !== i)
        this.finishActivity(a, 'Successful')
        this.scheduleReconcile(g, 0)
      })
    })
    return a
  }
}

function tokenPage<T>(items: T[], token: string | undefined, size: number): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0
  const slice = items.slice(start, start + size)
  return { items: slice, next: start + size < items.length ? String(start + size) : undefined }
}
