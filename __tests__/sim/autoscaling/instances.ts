// Instances as the API moves them: DescribeAutoScalingInstances, EnterStandby, ExitStandby,
// TerminateInstanceInAutoScalingGroup.
import type {
  DescribeAutoScalingInstancesCommandInput,
  EnterStandbyCommandInput,
  ExitStandbyCommandInput,
  TerminateInstanceInAutoScalingGroupCommandInput
} from '@aws-sdk/client-auto-scaling'
import { deepCopy } from '../copy.js'
import { tokenPage } from '../paging.js'
import { finishActivity, iso, startActivity } from './activities.js'
import { groupByName } from './groups.js'
import type { AutoScalingModel } from './index.js'
import { inService, scheduleReconcile, terminate } from './reconcile.js'
import type { AsgInstanceRecord } from './records.js'
import { deregisterInstance } from './target-groups.js'
import { instancesOf } from './validation.js'

export function describeAutoScalingInstances(
  asg: AutoScalingModel,
  input: DescribeAutoScalingInstancesCommandInput
) {
  const all = [...asg.groups.values()].flatMap(g => g.instances.map(i => ({ g, i })))
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

export function enterStandby(asg: AutoScalingModel, input: EnterStandbyCommandInput) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  if (input.ShouldDecrementDesiredCapacity === undefined) {
    throw asg.error('ValidationError', 'ShouldDecrementDesiredCapacity is required')
  }
  const instances = instancesOf(asg, g, input.InstanceIds, 'InService')
  const before = g.desiredCapacity
  if (input.ShouldDecrementDesiredCapacity) {
    const after = before - instances.length
    if (after < g.minSize) {
      throw asg.error(
        'ValidationError',
        `AutoScalingGroup ${g.name} has min-size=${g.minSize}, max-size=${g.maxSize}, and desired-capacity=${before}. You requested to move ${instances.length} instances to standby, decrementing desired capacity to ${after}, which would take it below min-size.`
      )
    }
    g.desiredCapacity = after
  }
  const activities = instances.map((i, n) => {
    i.lifecycle = 'EnteringStandby'
    const to = input.ShouldDecrementDesiredCapacity ? before - n - 1 : before
    const activity = startActivity(asg, g, {
      Description: `Moving EC2 instance to Standby: ${i.id}`,
      Cause: `At ${iso(asg)} instance ${i.id} was moved to standby in response to a user request${input.ShouldDecrementDesiredCapacity ? `, shrinking the capacity from ${before - n} to ${to}` : ''}.`,
      StatusCode: 'InProgress',
      Progress: 50
    })
    deregisterInstance(asg, g, i, () => {
      if (i.lifecycle !== 'EnteringStandby') return
      i.lifecycle = 'Standby'
      finishActivity(asg, activity, 'Successful')
    })
    return deepCopy(activity)
  })
  scheduleReconcile(asg, g, 0)
  return { Activities: activities }
}

export function exitStandby(asg: AutoScalingModel, input: ExitStandbyCommandInput) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  const instances = instancesOf(asg, g, input.InstanceIds, 'Standby')
  const before = g.desiredCapacity
  const after = before + instances.length
  if (after > g.maxSize) {
    throw asg.error(
      'ValidationError',
      `AutoScalingGroup ${g.name} has min-size=${g.minSize}, max-size=${g.maxSize}, and desired-capacity=${before}. You requested to move ${instances.length} instances out of standby, incrementing desired capacity to ${after}, which would take it above max-size.`
    )
  }
  g.desiredCapacity = after
  const activities = instances.map((i, n) => {
    i.lifecycle = 'Pending'
    const activity = startActivity(asg, g, {
      Description: `Moving EC2 instance out of Standby: ${i.id}`,
      Cause: `At ${iso(asg)} instance ${i.id} was moved out of standby in response to a user request, increasing the capacity from ${before + n} to ${before + n + 1}.`,
      StatusCode: 'PreInService',
      Progress: 30
    })
    i.events.push(
      asg.world.timeline.after(asg.world.timing.asgExitStandbySeconds * 1000, () => {
        if (i.lifecycle !== 'Pending') return
        inService(asg, g, i)
        finishActivity(asg, activity, 'Successful')
      })
    )
    return deepCopy(activity)
  })
  scheduleReconcile(asg, g, 0)
  return { Activities: activities }
}

export function terminateInstanceInGroup(
  asg: AutoScalingModel,
  input: TerminateInstanceInAutoScalingGroupCommandInput
) {
  const g = [...asg.groups.values()].find(x => x.instances.some(i => i.id === input.InstanceId))
  if (!g)
    throw asg.error(
      'ValidationError',
      `Instance Id not found - No managed instance found for instance ID: ${input.InstanceId ?? ''}`
    )
  const i = g.instances.find(x => x.id === input.InstanceId) as AsgInstanceRecord
  if (input.ShouldDecrementDesiredCapacity) {
    if (g.desiredCapacity - 1 < g.minSize) {
      throw asg.error(
        'ValidationError',
        `Currently, desiredSize equals minSize (${g.minSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`
      )
    }
    g.desiredCapacity--
  }
  const activity = terminate(
    asg,
    g,
    i,
    `At ${iso(asg)} instance ${i.id} was taken out of service in response to a user request${input.ShouldDecrementDesiredCapacity ? `, shrinking the capacity from ${g.desiredCapacity + 1} to ${g.desiredCapacity}` : ''}.`
  )
  scheduleReconcile(asg, g, 0)
  return { Activity: deepCopy(activity) }
}
