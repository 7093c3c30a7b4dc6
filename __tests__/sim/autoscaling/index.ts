// EC2 Auto Scaling as a blue/green deploy sees it: groups that launch instances from a launch template
// version (Pending -> InService), register them in their attached target groups, terminate surplus
// instances after draining, move instances to and from Standby, keep tags and scaling activities, and
// report instance refreshes. Wording and error codes follow the real service.
import type {
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
  SetDesiredCapacityCommandInput,
  TerminateInstanceInAutoScalingGroupCommandInput,
  UpdateAutoScalingGroupCommandInput
} from '@aws-sdk/client-auto-scaling'
import type { Handler } from '../clients.js'
import { awsError } from '../errors.js'
import type { ModelArgs, World } from '../world.js'
import { describeInstanceRefreshes, describeScalingActivities, injectInstanceRefresh } from './activities.js'
import {
  addGroup,
  describeAutoScalingGroups,
  groupByName,
  groupShape,
  setDesiredCapacity,
  updateAutoScalingGroup
} from './groups.js'
import {
  describeAutoScalingInstances,
  enterStandby,
  exitStandby,
  terminateInstanceInGroup
} from './instances.js'
import type { AsgRecord } from './records.js'
import { createOrUpdateTags, deleteTags, describeTags } from './tags.js'
import { attachTargetGroups, describeLoadBalancerTargetGroups, detachTargetGroups } from './target-groups.js'

/**
 * The model's state, its API handlers by command name, and the methods the world's builders and
 * other models call. The work is done in the resource files beside this one.
 */
export class AutoScalingModel {
  readonly groups = new Map<string, AsgRecord>()
  /** Launches failed so far by AMI, for a `launchFailures` count. */
  readonly scriptedLaunchFailures = new Map<string, number>()

  constructor(readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return {
      DescribeAutoScalingGroups: i =>
        describeAutoScalingGroups(this, i as DescribeAutoScalingGroupsCommandInput),
      DescribeAutoScalingInstances: i =>
        describeAutoScalingInstances(this, i as DescribeAutoScalingInstancesCommandInput),
      UpdateAutoScalingGroup: i => updateAutoScalingGroup(this, i as UpdateAutoScalingGroupCommandInput),
      SetDesiredCapacity: i => setDesiredCapacity(this, i as SetDesiredCapacityCommandInput),
      AttachLoadBalancerTargetGroups: i =>
        attachTargetGroups(this, i as AttachLoadBalancerTargetGroupsCommandInput),
      DetachLoadBalancerTargetGroups: i =>
        detachTargetGroups(this, i as DetachLoadBalancerTargetGroupsCommandInput),
      DescribeLoadBalancerTargetGroups: i =>
        describeLoadBalancerTargetGroups(this, i as DescribeLoadBalancerTargetGroupsCommandInput),
      EnterStandby: i => enterStandby(this, i as EnterStandbyCommandInput),
      ExitStandby: i => exitStandby(this, i as ExitStandbyCommandInput),
      TerminateInstanceInAutoScalingGroup: i =>
        terminateInstanceInGroup(this, i as TerminateInstanceInAutoScalingGroupCommandInput),
      CreateOrUpdateTags: i => createOrUpdateTags(this, i as CreateOrUpdateTagsCommandInput),
      DeleteTags: i => deleteTags(this, i as DeleteTagsCommandInput),
      DescribeTags: i => describeTags(this, i as DescribeTagsCommandInput),
      DescribeInstanceRefreshes: i =>
        describeInstanceRefreshes(this, i as DescribeInstanceRefreshesCommandInput),
      DescribeScalingActivities: i =>
        describeScalingActivities(this, i as DescribeScalingActivitiesCommandInput)
    }
  }

  get now(): number {
    return this.world.now()
  }

  error(code: string, message: string): Error {
    return awsError('autoscaling', code, message)
  }

  group(...args: ModelArgs<typeof groupByName>): AsgRecord {
    return groupByName(this, ...args)
  }

  /** Creates a group (world builders); `steady` starts it with its instances InService and healthy. */
  addGroup(...args: ModelArgs<typeof addGroup>): AsgRecord {
    return addGroup(this, ...args)
  }

  groupShape(...args: ModelArgs<typeof groupShape>): AutoScalingGroup {
    return groupShape(this, ...args)
  }

  /** Puts an instance refresh on a group (default: one in progress), as a test fixture. */
  injectInstanceRefresh(...args: ModelArgs<typeof injectInstanceRefresh>): InstanceRefresh {
    return injectInstanceRefresh(this, ...args)
  }
}
