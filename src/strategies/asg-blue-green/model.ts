// What the strategy knows about a group and a target group, distilled from the AWS answers so the
// decisions (roles, locks, plans) are pure functions of it.
import type {
  AutoScalingGroup,
  LaunchTemplateSpecification,
  LifecycleHook
} from '@aws-sdk/client-auto-scaling'
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2'

export interface InstanceView {
  id: string
  /** InService, Pending, Standby, Terminating, ... */
  lifecycle: string
  /** Healthy or Unhealthy, as Auto Scaling sees it. */
  health: string
  /** Scale-in protection: lowering the desired capacity does not terminate it. */
  protectedFromScaleIn?: boolean
}

export interface TemplateSpec {
  id?: string
  name?: string
  /** `7`, `$Latest`, `$Default`; absent means `$Default`. */
  version?: string
}

export interface GroupView {
  name: string
  minSize: number
  maxSize: number
  desired: number
  instances: InstanceView[]
  targetGroupArns: string[]
  tags: Record<string, string>
  launchTemplate: TemplateSpec | undefined
  /** Set when the group launches from a launch configuration or a mixed instances policy. */
  otherLaunchSource: string | undefined
  /** The launch template a mixed instances policy launches from. */
  mixedTemplate?: TemplateSpec
  healthCheckType: string
  gracePeriodSeconds: number
  /** e.g. `Delete in progress`; undefined for a normal group. */
  status: string | undefined
  /** Suspended Auto Scaling processes (`Launch`, `Terminate`, `AddToLoadBalancer`, ...). */
  suspendedProcesses?: string[]
  /** New instances start protected from scale-in (NewInstancesProtectedFromScaleIn). */
  newInstancesProtected?: boolean
  /** The group has a warm pool (WarmPoolConfiguration). */
  hasWarmPool?: boolean
}

function templateSpec(lt: LaunchTemplateSpecification | undefined): TemplateSpec | undefined {
  return lt ? { id: lt.LaunchTemplateId, name: lt.LaunchTemplateName, version: lt.Version } : undefined
}

export function toGroupView(g: AutoScalingGroup): GroupView {
  const lt = g.LaunchTemplate
  return {
    name: g.AutoScalingGroupName ?? '',
    minSize: g.MinSize ?? 0,
    maxSize: g.MaxSize ?? 0,
    desired: g.DesiredCapacity ?? 0,
    instances: (g.Instances ?? []).map(i => ({
      id: i.InstanceId ?? '',
      lifecycle: i.LifecycleState ?? 'unknown',
      health: i.HealthStatus ?? 'unknown',
      protectedFromScaleIn: i.ProtectedFromScaleIn ?? false
    })),
    targetGroupArns: g.TargetGroupARNs ?? [],
    tags: Object.fromEntries((g.Tags ?? []).map(t => [t.Key ?? '', t.Value ?? ''])),
    launchTemplate: templateSpec(lt),
    mixedTemplate: templateSpec(g.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification),
    otherLaunchSource: lt
      ? undefined
      : g.MixedInstancesPolicy
        ? 'a mixed instances policy'
        : g.LaunchConfigurationName
          ? `launch configuration ${g.LaunchConfigurationName}`
          : 'no launch template',
    healthCheckType: g.HealthCheckType ?? 'EC2',
    gracePeriodSeconds: g.HealthCheckGracePeriod ?? 0,
    status: g.Status,
    suspendedProcesses: (g.SuspendedProcesses ?? []).map(p => p.ProcessName ?? '').filter(Boolean),
    newInstancesProtected: g.NewInstancesProtectedFromScaleIn ?? false,
    hasWarmPool: g.WarmPoolConfiguration !== undefined
  }
}

/** Ids of the group's instances in one lifecycle state. */
export function idsIn(group: GroupView, lifecycle: string): string[] {
  return group.instances.filter(i => i.lifecycle === lifecycle).map(i => i.id)
}

/** `InService 2, Standby 1` or `no instances`: how a group's fleet is logged. */
export function lifecycleCounts(group: GroupView): string {
  if (group.instances.length === 0) return 'no instances'
  const counts = new Map<string, number>()
  for (const i of group.instances) {
    const key =
      i.lifecycle === 'InService' && i.health !== 'Healthy' ? `InService (${i.health})` : i.lifecycle
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts.entries()].map(([state, n]) => `${state} ${n}`).join(', ')
}

// Lifecycle states an instance passes through; a group with one of them is still changing.
const TRANSITIONAL = /^(Pending|Terminating|Detaching|EnteringStandby|Warmed:Pending|Warmed:Terminating)/

export function transitionalInstances(group: GroupView): InstanceView[] {
  return group.instances.filter(i => TRANSITIONAL.test(i.lifecycle))
}

export function describeTemplate(t: TemplateSpec | undefined): string {
  if (!t) return 'none'
  return `${t.name ?? t.id ?? '?'} version ${t.version ?? '$Default'}`
}

/** Target id -> state (`healthy`, `initial`, `draining`, ...) in one target group. */
export type TargetStates = Map<string, { state: string; reason?: string; description?: string }>

export function toTargetStates(targets: TargetHealthDescription[]): TargetStates {
  return new Map(
    targets.map(t => [
      t.Target?.Id ?? '',
      {
        state: t.TargetHealth?.State ?? 'unknown',
        reason: t.TargetHealth?.Reason,
        description: t.TargetHealth?.Description
      }
    ])
  )
}

// Registered and taking (or about to take) requests: what "serving" means for role detection.
const REGISTERED = new Set(['initial', 'healthy', 'unhealthy'])

export function isRegistered(state: string | undefined): boolean {
  return state !== undefined && REGISTERED.has(state)
}

/** `healthy 2, draining 1` over `ids` only, `not registered` for the ones the target group does not list. */
export function statesOf(ids: string[], targets: TargetStates): string {
  if (ids.length === 0) return 'no instances'
  const counts = new Map<string, number>()
  for (const id of ids) {
    const state = targets.get(id)?.state ?? 'not registered'
    counts.set(state, (counts.get(state) ?? 0) + 1)
  }
  return [...counts.entries()].map(([state, n]) => `${state} ${n}`).join(', ')
}

export interface TargetGroupInfo {
  arn: string
  name: string
  intervalSeconds: number
  healthyThreshold: number
  deregistrationDelaySeconds: number
  healthCheckPath: string
  loadBalancerArns: string[]
  /** `instance`, `ip`, `lambda`, `alb`: how the target group registers targets. */
  targetType?: string
  /** slow_start.duration_seconds: new targets get a linearly growing share of requests for this long. */
  slowStartSeconds?: number
}

/** A lifecycle hook, distilled: which transition it pauses, for how long, and what happens after. */
export interface HookView {
  name: string
  /** `launch` pauses in Pending:Wait, `terminate` in Terminating:Wait. */
  transition: 'launch' | 'terminate'
  heartbeatTimeoutSeconds: number
  /** CONTINUE or ABANDON once the heartbeat timeout elapses. */
  defaultResult: string
}

// AWS's defaults when a hook is created without them: one hour, then CONTINUE.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
const HOOK_HEARTBEAT_DEFAULT_SECONDS = 3600

export function toHookView(h: LifecycleHook): HookView {
  return {
    name: h.LifecycleHookName ?? '?',
    transition: h.LifecycleTransition === 'autoscaling:EC2_INSTANCE_TERMINATING' ? 'terminate' : 'launch',
    heartbeatTimeoutSeconds: h.HeartbeatTimeout ?? HOOK_HEARTBEAT_DEFAULT_SECONDS,
    defaultResult: h.DefaultResult ?? 'CONTINUE'
  }
}

/** `hook drain (Terminating:Wait up to 1h, then CONTINUE)`: how a hook is named in the log. */
export function describeHook(h: HookView): string {
  const state = h.transition === 'launch' ? 'Pending:Wait' : 'Terminating:Wait'
  return `lifecycle hook ${h.name} (${state} up to ${h.heartbeatTimeoutSeconds}s, then ${h.defaultResult})`
}

export interface Capacity {
  minSize: number
  maxSize: number
  desired: number
}
