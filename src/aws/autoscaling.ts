// The thin layer over EC2 Auto Scaling: groups, capacity, target group attachments, Standby, tags,
// instance refreshes and scaling activities. One AWS operation per function (plus paging/batching).
import {
  AttachLoadBalancerTargetGroupsCommand,
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeLifecycleHooksCommand,
  DescribeLoadBalancerTargetGroupsCommand,
  DescribeScalingActivitiesCommand,
  DetachLoadBalancerTargetGroupsCommand,
  EnterStandbyCommand,
  ExitStandbyCommand,
  UpdateAutoScalingGroupCommand,
  type Activity,
  type AutoScalingGroup,
  type InstanceRefresh,
  type LifecycleHook,
  type LoadBalancerTargetGroupState,
  type LaunchTemplateSpecification
} from '@aws-sdk/client-auto-scaling'
import { awsErrorCode, errorMessage, hasErrorCode } from '../errors.js'
import { allPages, type AwsApi } from './api.js'

// EnterStandby / ExitStandby take at most 20 instances per call.
const STANDBY_BATCH = 20

// Right after CreateLaunchTemplateVersion, Auto Scaling may not see the new version yet (EC2 is
// eventually consistent) and refuses it: "ValidationError: You must use a valid fully-formed launch
// template". The Terraform AWS provider retries the same error; a few short retries cover it.
const TEMPLATE_ATTEMPTS = 8
// UpdateAutoScalingGroup may also refuse while a scaling activity is in progress (a 400, so not
// retried as a transient error): it is, the activity ends by itself.
const SCALING_IN_PROGRESS = ['ScalingActivityInProgress', 'ScalingActivityInProgressFault']

export function isLaunchTemplateNotVisible(e: unknown): boolean {
  return hasErrorCode(e, 'ValidationError') && /valid fully-formed launch template/i.test(errorMessage(e))
}

export async function describeAutoScalingGroups(aws: AwsApi, names: string[]): Promise<AutoScalingGroup[]> {
  return allPages(async token => {
    const out = await aws.read('autoscaling:DescribeAutoScalingGroups', () =>
      aws.clients.autoscaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names, NextToken: token })
      )
    )
    return [out.AutoScalingGroups ?? [], out.NextToken]
  })
}

export interface CapacityUpdate {
  minSize?: number
  maxSize?: number
  desiredCapacity?: number
  launchTemplate?: LaunchTemplateSpecification
}

/** UpdateAutoScalingGroup with only the fields given: capacity and/or the launch template version. */
export async function updateAutoScalingGroup(
  aws: AwsApi,
  group: string,
  update: CapacityUpdate
): Promise<void> {
  const params = {
    AutoScalingGroupName: group,
    MinSize: update.minSize,
    MaxSize: update.maxSize,
    DesiredCapacity: update.desiredCapacity,
    LaunchTemplate: update.launchTemplate
  }
  const send = () => sent(aws.clients.autoscaling.send(new UpdateAutoScalingGroupCommand(params)))
  await aws.write(
    'autoscaling:UpdateAutoScalingGroup',
    withoutUndefined(params),
    () => retryingUpdate(aws, send, update.launchTemplate !== undefined),
    undefined
  )
}

async function retryingUpdate(aws: AwsApi, call: () => Promise<void>, withTemplate: boolean): Promise<void> {
  await aws.retryOn(
    e => (withTemplate && isLaunchTemplateNotVisible(e)) || hasErrorCode(e, ...SCALING_IN_PROGRESS),
    'autoscaling:UpdateAutoScalingGroup',
    call,
    { attempts: TEMPLATE_ATTEMPTS }
  )
}

export async function attachTargetGroups(
  aws: AwsApi,
  group: string,
  targetGroupArns: string[]
): Promise<void> {
  await changeTargetGroups(aws, group, targetGroupArns, 'attach')
}

export async function detachTargetGroups(
  aws: AwsApi,
  group: string,
  targetGroupArns: string[]
): Promise<void> {
  await changeTargetGroups(aws, group, targetGroupArns, 'detach')
}

/** Attaches or detaches target groups; done once the group lists all of them, or none. */
async function changeTargetGroups(
  aws: AwsApi,
  group: string,
  targetGroupArns: string[],
  how: 'attach' | 'detach'
): Promise<void> {
  const input = { AutoScalingGroupName: group, TargetGroupARNs: targetGroupArns }
  const listed = (g: AutoScalingGroup) => targetGroupArns.map(arn => (g.TargetGroupARNs ?? []).includes(arn))
  // A new command each attempt: the SDK is handed a fresh request on a retry.
  const [operation, command] =
    how === 'attach'
      ? ['autoscaling:AttachLoadBalancerTargetGroups', () => new AttachLoadBalancerTargetGroupsCommand(input)]
      : ['autoscaling:DetachLoadBalancerTargetGroups', () => new DetachLoadBalancerTargetGroupsCommand(input)]
  await unlessDone(
    aws,
    group,
    g => (how === 'attach' ? listed(g).every(Boolean) : !listed(g).some(Boolean)),
    () => aws.write(operation, input, () => sent(aws.clients.autoscaling.send(command())), undefined)
  )
}

/**
 * Runs `write`; when it fails, reads the group back and takes the write as done if `done` holds. A
 * retry whose first attempt was applied (its answer lost on the way back) fails on its own result:
 * the target group already detached, the instance no longer InService.
 */
async function unlessDone(
  aws: AwsApi,
  group: string,
  done: (g: AutoScalingGroup) => boolean,
  write: () => Promise<unknown>
): Promise<void> {
  try {
    await write()
  } catch (e) {
    if (aws.dryRun) throw e
    const [g] = await describeAutoScalingGroups(aws, [group]).catch(() => [])
    if (!g || !done(g)) throw e
  }
}

/** Every one of `ids` is in the group, in one of the lifecycle states `inState` accepts. */
const allIn = (g: AutoScalingGroup, ids: string[], inState: (lifecycle: string) => boolean) => {
  const found = (g.Instances ?? []).filter(i => ids.includes(i.InstanceId ?? ''))
  return found.length === ids.length && found.every(i => inState(i.LifecycleState ?? ''))
}

/**
 * Moves instances to Standby, decrementing the desired capacity so the group launches no
 * replacements. The instances leave every attached target group (and drain) but keep running.
 */
export async function enterStandby(aws: AwsApi, group: string, instanceIds: string[]): Promise<void> {
  for (let i = 0; i < instanceIds.length; i += STANDBY_BATCH) {
    const input = {
      AutoScalingGroupName: group,
      InstanceIds: instanceIds.slice(i, i + STANDBY_BATCH),
      ShouldDecrementDesiredCapacity: true
    }
    await unlessDone(
      aws,
      group,
      g => allIn(g, input.InstanceIds, l => l === 'Standby' || l === 'EnteringStandby'),
      () =>
        aws.write(
          'autoscaling:EnterStandby',
          input,
          () => sent(aws.clients.autoscaling.send(new EnterStandbyCommand(input))),
          undefined
        )
    )
  }
}

/** Returns Standby instances to service (desired capacity grows by as many); they rejoin attached target groups. */
export async function exitStandby(aws: AwsApi, group: string, instanceIds: string[]): Promise<void> {
  for (let i = 0; i < instanceIds.length; i += STANDBY_BATCH) {
    const input = { AutoScalingGroupName: group, InstanceIds: instanceIds.slice(i, i + STANDBY_BATCH) }
    await unlessDone(
      aws,
      group,
      g => allIn(g, input.InstanceIds, l => l === 'InService' || l.startsWith('Pending')),
      () =>
        aws.write(
          'autoscaling:ExitStandby',
          input,
          () => sent(aws.clients.autoscaling.send(new ExitStandbyCommand(input))),
          undefined
        )
    )
  }
}

/** Sets tags on a group (not propagated to instances). */
export async function tagGroup(aws: AwsApi, group: string, tags: Record<string, string>): Promise<void> {
  const Tags = Object.entries(tags).map(([Key, Value]) => ({
    ResourceId: group,
    ResourceType: 'auto-scaling-group',
    Key,
    Value,
    PropagateAtLaunch: false
  }))
  await aws.write(
    'autoscaling:CreateOrUpdateTags',
    { AutoScalingGroupName: group, Tags: tags },
    () => sent(aws.clients.autoscaling.send(new CreateOrUpdateTagsCommand({ Tags }))),
    undefined
  )
}

export async function untagGroup(aws: AwsApi, group: string, keys: string[]): Promise<void> {
  const Tags = keys.map(Key => ({ ResourceId: group, ResourceType: 'auto-scaling-group', Key }))
  await aws.write(
    'autoscaling:DeleteTags',
    { AutoScalingGroupName: group, Keys: keys },
    () => sent(aws.clients.autoscaling.send(new DeleteTagsCommand({ Tags }))),
    undefined
  )
}

/**
 * The group's instance refreshes, newest first, or `unsupported` when the endpoint does not
 * implement the operation (an emulator answering with a bare HTTP 500 page, not an AWS error).
 */
export async function describeInstanceRefreshes(
  aws: AwsApi,
  group: string
): Promise<InstanceRefresh[] | 'unsupported'> {
  return aws.read('autoscaling:DescribeInstanceRefreshes', async () => {
    try {
      const out = await aws.clients.autoscaling.send(
        new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group, MaxRecords: 10 })
      )
      return out.InstanceRefreshes ?? []
    } catch (e) {
      // Caught inside the read so the retry loop does not retry an operation that cannot succeed.
      if (isNotImplemented(e)) return 'unsupported' as const
      throw e
    }
  })
}

/** An answer that is not an AWS error at all: no error code, a 500/501 status, an HTML body. */
export function isNotImplemented(e: unknown): boolean {
  const code = awsErrorCode(e)
  if (code === 'NotImplemented' || code === 'NotImplementedException') return true
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
  const body = (e as { $response?: { body?: unknown } })?.$response?.body
  return (
    code === undefined &&
    (status === 500 || status === 501) &&
    typeof body === 'string' &&
    /<html|not (been )?implemented/i.test(body)
  )
}

/** The group's lifecycle hooks: each pauses a launch (Pending:Wait) or a termination (Terminating:Wait). */
export async function describeLifecycleHooks(aws: AwsApi, group: string): Promise<LifecycleHook[]> {
  const out = await aws.read('autoscaling:DescribeLifecycleHooks', () =>
    aws.clients.autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: group }))
  )
  return out.LifecycleHooks ?? []
}

/** The group's target group attachments with their state (Adding, Added, InService, Removing, Removed). */
export async function describeTargetGroupAttachments(
  aws: AwsApi,
  group: string
): Promise<LoadBalancerTargetGroupState[]> {
  return allPages(async token => {
    const out = await aws.read('autoscaling:DescribeLoadBalancerTargetGroups', () =>
      aws.clients.autoscaling.send(
        new DescribeLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: group, NextToken: token })
      )
    )
    return [out.LoadBalancerTargetGroups ?? [], out.NextToken]
  })
}

/** Recent scaling activities of a group, newest first (launch failures say why here). */
export async function describeScalingActivities(aws: AwsApi, group: string): Promise<Activity[]> {
  const out = await aws.read('autoscaling:DescribeScalingActivities', () =>
    aws.clients.autoscaling.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: group, MaxRecords: 20 })
    )
  )
  return out.Activities ?? []
}

/** A mutating call's answer carries nothing the strategy needs. */
async function sent(call: Promise<unknown>): Promise<void> {
  await call
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}
