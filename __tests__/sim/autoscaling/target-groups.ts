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
import type { AsgInstanceRecord, AsgRecord, AttachmentRecord } from './records.js'
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
    // Removing lasts while the instances it found drain, and never less than the moment AWS takes
    // to process a detach; the attachment is then gone (Removed).
    attachment.state = 'Removing'
    const tg = asg.world.elbv2.targetGroups.get(arn)
    let pending = 1
    const done = () => {
      if (--pending > 0 || attachment.state !== 'Removing') return
      g.attachments = g.attachments.filter(a => a !== attachment)
    }
    for (const i of g.instances) {
      if (!i.registrations.delete(arn)) continue
      pending++
      if (tg) deregister(asg.world.elbv2, tg, i.id, tg.port, done)
      else done()
    }
    asg.world.timeline.after(asg.world.timing.asgDetachSeconds * 1000, done)
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

/**
 * Deregisters an instance from the target groups its group is attached to; `onDrained` once all have
 * drained. A registration no attachment accounts for any more (an attachment removed meanwhile) is
 * left as it is: Auto Scaling does not know of it, and the instance leaves it only by dying.
 */
export function deregisterInstance(
  asg: AutoScalingModel,
  g: AsgRecord,
  i: AsgInstanceRecord,
  onDrained: () => void
): void {
  const attached = [...i.registrations].filter(arn => g.attachments.some(a => a.arn === arn))
  let pending = attached.length
  if (pending === 0) {
    onDrained()
    return
  }
  for (const arn of attached) {
    i.registrations.delete(arn)
    const tg = asg.world.elbv2.targetGroups.get(arn)
    const done = () => {
      if (--pending === 0) onDrained()
    }
    if (tg) deregister(asg.world.elbv2, tg, i.id, tg.port, done)
    else done()
  }
}
