// Lifecycle hooks: PutLifecycleHook, DescribeLifecycleHooks, CompleteLifecycleAction, and the waits
// they put instances in. A launch hook holds a new instance in Pending:Wait, a terminate hook holds a
// terminating one in Terminating:Wait (after it left its load balancers), until the action is
// completed or the heartbeat timeout passes (one hour by default); then the default result applies:
// CONTINUE goes on, ABANDON terminates a launching instance.
// https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LifecycleHook.html
import type {
  CompleteLifecycleActionCommandInput,
  DescribeLifecycleHooksCommandInput,
  LifecycleState,
  PutLifecycleHookCommandInput
} from '@aws-sdk/client-auto-scaling'
import { groupByName } from './groups.js'
import type { AutoScalingModel } from './index.js'
import type { AsgInstanceRecord, AsgRecord, HookRecord } from './records.js'

const DEFAULT_HEARTBEAT_SECONDS = 3600

export function putLifecycleHook(asg: AutoScalingModel, input: PutLifecycleHookCommandInput) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  const transition = input.LifecycleTransition
  if (
    transition !== 'autoscaling:EC2_INSTANCE_LAUNCHING' &&
    transition !== 'autoscaling:EC2_INSTANCE_TERMINATING'
  )
    throw asg.error('ValidationError', `Invalid value for LifecycleTransition: ${transition ?? ''}`)
  const hook: HookRecord = {
    name: input.LifecycleHookName ?? '',
    transition,
    heartbeatTimeoutSeconds: input.HeartbeatTimeout ?? DEFAULT_HEARTBEAT_SECONDS,
    defaultResult: input.DefaultResult === 'ABANDON' ? 'ABANDON' : 'CONTINUE'
  }
  g.hooks = [...g.hooks.filter(h => h.name !== hook.name), hook]
  return {}
}

export function describeLifecycleHooks(asg: AutoScalingModel, input: DescribeLifecycleHooksCommandInput) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  return {
    LifecycleHooks: g.hooks.map(h => ({
      LifecycleHookName: h.name,
      AutoScalingGroupName: g.name,
      LifecycleTransition: h.transition,
      HeartbeatTimeout: h.heartbeatTimeoutSeconds,
      GlobalTimeout: Math.min(172_800, 100 * h.heartbeatTimeoutSeconds),
      DefaultResult: h.defaultResult
    }))
  }
}

export function completeLifecycleAction(asg: AutoScalingModel, input: CompleteLifecycleActionCommandInput) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  const i = g.instances.find(x => x.id === input.InstanceId)
  if (!i?.completeHook)
    throw asg.error(
      'ValidationError',
      `No active Lifecycle Action found with instance ID ${input.InstanceId ?? ''}`
    )
  i.completeHook(input.LifecycleActionResult === 'ABANDON' ? 'ABANDON' : 'CONTINUE')
  return {}
}

/**
 * Holds `i` in the hook's wait state when `g` has a hook for this transition, then calls `next` with
 * the result (at once, CONTINUE, without a hook). Several hooks of one transition: the longest wait.
 */
export function holdForHook(
  asg: AutoScalingModel,
  g: AsgRecord,
  i: AsgInstanceRecord,
  transition: HookRecord['transition'],
  next: (result: 'CONTINUE' | 'ABANDON') => void
): void {
  const hooks = g.hooks.filter(h => h.transition === transition)
  if (hooks.length === 0) return next('CONTINUE')
  const hook = hooks.reduce((a, b) => (b.heartbeatTimeoutSeconds > a.heartbeatTimeoutSeconds ? b : a))
  const launching = transition === 'autoscaling:EC2_INSTANCE_LAUNCHING'
  i.lifecycle = (launching ? 'Pending:Wait' : 'Terminating:Wait') as LifecycleState
  let done = false
  const finish = (result: 'CONTINUE' | 'ABANDON') => {
    if (done) return
    done = true
    timeout.cancel()
    i.completeHook = undefined
    i.lifecycle = (launching ? 'Pending:Proceed' : 'Terminating:Proceed') as LifecycleState
    next(result)
  }
  const timeout = asg.world.timeline.after(hook.heartbeatTimeoutSeconds * 1000, () =>
    finish(hook.defaultResult)
  )
  i.completeHook = finish
  i.events.push(timeout)
}
