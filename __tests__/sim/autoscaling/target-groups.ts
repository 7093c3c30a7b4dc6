// Target groups attached to a group: Attach/Detach/DescribeLoadBalancerTargetGroups, and an
// instance's registration in them.
import type {
  AttachLoadBalancerTargetGroupsCommandInput,
  DescribeLoadBalancerTargetGroupsCommandInput,
  DetachLoadBalancerTargetGroupsCommandInput
} from '@aws-sdk/client-auto-scaling'
import type { TargetGroupRecord } from '../elbv2/records.js'
import { groupByName } from './groups.js'
import type { AutoScalingModel } from './index.js'
import type { AsgInstanceRecord, AttachmentRecord } from './records.js'
import { instanceTargetGroup } from './validation.js'
import { deregister } from '../elbv2/health.js'

export function attachTargetGroups(asg: AutoScalingModel, input: AttachLoadBalancerTargetGroupsCommandInput) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  const arns = input.TargetGroupARNs ?? []
  if (arns.length === 0) throw asg.error('ValidationError', 'At least one target group ARN must be specified')
  const tgs = arns.map(arn => instanceTargetGroup(asg, arn))
  for (const tg of tgs) {
    const existing = g.attachments.find(a => a.arn === tg.arn)
    if (existing && existing.state !== 'Removing') continue
    if (existing) existing.state = 'Adding'
    else g.attachments.push({ arn: tg.arn, state: 'Adding' })
    for (const i of g.instances) if (i.lifecycle === 'InService') registerInstance(asg, i, tg)
    const attachment = g.attachments.find(a => a.arn === tg.arn) as AttachmentRecord
    asg.world.timeline.after(5000, () => {
      if (attachment.state === 'Adding') attachment.state = 'Added'
    })
  }
  return {}
}

export function detachTargetGroups(asg: AutoScalingModel, input: DetachLoadBalancerTargetGroupsCommandInput) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  for (const arn of input.TargetGroupARNs ?? []) {
    const attachment = g.attachments.find(a => a.arn === arn)
    if (!attachment || attachment.state === 'Removing') continue
    attachment.state = 'Removing'
    const tg = asg.world.elbv2.targetGroups.get(arn)
    let pending = 0
    const done = () => {
      if (--pending <= 0) g.attachments = g.attachments.filter(a => a !== attachment)
    }
    for (const i of g.instances) {
      if (!i.registrations.delete(arn)) continue
      pending++
      if (tg) deregister(asg.world.elbv2, tg, i.id, tg.port, done)
      else done()
    }
    if (pending === 0) g.attachments = g.attachments.filter(a => a !== attachment)
  }
  return {}
}

export function describeLoadBalancerTargetGroups(
  asg: AutoScalingModel,
  input: DescribeLoadBalancerTargetGroupsCommandInput
) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  return {
    LoadBalancerTargetGroups: g.attachments.map(a => {
      const tg = asg.world.elbv2.targetGroups.get(a.arn)
      const anyHealthy = g.instances.some(i => tg?.targets.get(`${i.id}:${tg.port}`)?.state === 'healthy')
      const state = a.state === 'Added' && anyHealthy ? 'InService' : a.state
      return { LoadBalancerTargetGroupARN: a.arn, State: state }
    })
  }
}

export function registerInstance(asg: AutoScalingModel, i: AsgInstanceRecord, tg: TargetGroupRecord): void {
  if (i.registrations.has(tg.arn)) return
  asg.world.elbv2.register(tg, { id: i.id, availabilityZone: i.availabilityZone })
  i.registrations.add(tg.arn)
}

/** Deregisters an instance from every group it is in; `onDrained` once all have drained. */
export function deregisterInstance(asg: AutoScalingModel, i: AsgInstanceRecord, onDrained: () => void): void {
  let pending = i.registrations.size
  if (pending === 0) {
    onDrained()
    return
  }
  for (const arn of [...i.registrations]) {
    i.registrations.delete(arn)
    const tg = asg.world.elbv2.targetGroups.get(arn)
    const done = () => {
      if (--pending === 0) onDrained()
    }
    if (tg) deregister(asg.world.elbv2, tg, i.id, tg.port, done)
    else done()
  }
}
