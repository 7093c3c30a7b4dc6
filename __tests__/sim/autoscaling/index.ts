// EC2 Auto Scaling as a blue/green deploy sees it: groups that launch instances from a launch template
// version (Pending -> InService), register them in their attached target groups, terminate surplus
// instances after draining, move instances to and from Standby, keep tags and scaling activities, and
// report instance refreshes. Wording and error codes follow the real service.
import type { InstanceRefresh } from '@aws-sdk/client-auto-scaling'
import { commandHandlers, type Handler } from '../clients.js'
import { awsError } from '../errors.js'
import type { ModelArgs, World } from '../world.js'
import { describeInstanceRefreshes, describeScalingActivities, injectInstanceRefresh } from './activities.js'
import { describeAutoScalingGroups, setDesiredCapacity, updateAutoScalingGroup } from './groups.js'
import {
  describeAutoScalingInstances,
  enterStandby,
  exitStandby,
  terminateInstanceInGroup
} from './instances.js'
import { completeLifecycleAction, describeLifecycleHooks, putLifecycleHook } from './lifecycle-hooks.js'
import type { AsgRecord } from './records.js'
import { createOrUpdateTags, deleteTags, describeTags } from './tags.js'
import { attachTargetGroups, describeLoadBalancerTargetGroups, detachTargetGroups } from './target-groups.js'

/**
 * The model's state and its API handlers by command name, plus the few methods tests call on it. The
 * work is done by the functions in the resource files beside this one, which take the model first.
 */
export class AutoScalingModel {
  readonly groups = new Map<string, AsgRecord>()
  /** Launches failed so far by AMI, for a `launchFailures` count. */
  readonly scriptedLaunchFailures = new Map<string, number>()

  constructor(readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return commandHandlers(this, {
      DescribeAutoScalingGroups: describeAutoScalingGroups,
      DescribeAutoScalingInstances: describeAutoScalingInstances,
      UpdateAutoScalingGroup: updateAutoScalingGroup,
      SetDesiredCapacity: setDesiredCapacity,
      AttachLoadBalancerTargetGroups: attachTargetGroups,
      DetachLoadBalancerTargetGroups: detachTargetGroups,
      DescribeLoadBalancerTargetGroups: describeLoadBalancerTargetGroups,
      EnterStandby: enterStandby,
      ExitStandby: exitStandby,
      TerminateInstanceInAutoScalingGroup: terminateInstanceInGroup,
      CreateOrUpdateTags: createOrUpdateTags,
      DeleteTags: deleteTags,
      DescribeTags: describeTags,
      PutLifecycleHook: putLifecycleHook,
      DescribeLifecycleHooks: describeLifecycleHooks,
      CompleteLifecycleAction: completeLifecycleAction,
      DescribeInstanceRefreshes: describeInstanceRefreshes,
      DescribeScalingActivities: describeScalingActivities
    })
  }

  get now(): number {
    return this.world.now()
  }

  error(code: string, message: string): Error {
    return awsError('autoscaling', code, message)
  }

  /** Puts an instance refresh on a group (default: one in progress), as a test fixture. */
  injectInstanceRefresh(...args: ModelArgs<typeof injectInstanceRefresh>): InstanceRefresh {
    return injectInstanceRefresh(this, ...args)
  }
}
