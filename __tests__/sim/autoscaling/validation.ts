// What Auto Scaling refuses before it changes a group: capacities out of bounds, launch templates or
// versions that do not exist, target groups that are not for instances, instances not in the group.
import type { LifecycleState } from '@aws-sdk/client-auto-scaling'
import type { LaunchTemplateRecord } from '../ec2/records.js'
import type { TargetGroupRecord } from '../elbv2/records.js'
import type { AutoScalingModel } from './index.js'
import type { AsgInstanceRecord, AsgRecord } from './records.js'

export function checkCapacity(asg: AutoScalingModel, min: number, max: number, desired: number): void {
  if (min > max)
    throw asg.error(
      'ValidationError',
      `Max bound, ${max}, must be greater than or equal to min bound, ${min}`
    )
  if (desired < min || desired > max) {
    throw asg.error(
      'ValidationError',
      `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`
    )
  }
}

export function resolveTemplateSpec(
  asg: AutoScalingModel,
  spec: {
    LaunchTemplateId?: string
    LaunchTemplateName?: string
    Version?: string
  }
) {
  let template: LaunchTemplateRecord
  try {
    template = asg.world.ec2.template({ id: spec.LaunchTemplateId, name: spec.LaunchTemplateName })
  } catch {
    throw asg.error(
      'ValidationError',
      `You must use a valid fully-formed launch template. The specified launch template, with template ${spec.LaunchTemplateId ? `ID ${spec.LaunchTemplateId}` : `name ${spec.LaunchTemplateName ?? ''}`}, does not exist.`
    )
  }
  const version = spec.Version ?? '$Default'
  if (!asg.world.ec2.findVersion(template, version)) {
    throw asg.error(
      'ValidationError',
      `You must use a valid fully-formed launch template. The specified launch template, with template ID ${template.id}, version ${version}, does not exist.`
    )
  }
  return { LaunchTemplateId: template.id, LaunchTemplateName: template.name, Version: version }
}

export function instanceTargetGroup(asg: AutoScalingModel, arn: string): TargetGroupRecord {
  const tg = asg.world.elbv2.targetGroups.get(arn)
  if (!tg || tg.targetType !== 'instance') {
    throw asg.error(
      'ValidationError',
      `Provided Target Groups may not be valid. Please ensure they exist and try again.`
    )
  }
  return tg
}

export function instancesOf(
  asg: AutoScalingModel,
  g: AsgRecord,
  ids: string[] | undefined,
  state: LifecycleState
): AsgInstanceRecord[] {
  if (!ids?.length) throw asg.error('ValidationError', 'At least one instance ID must be specified')
  if (ids.length > 20) throw asg.error('ValidationError', 'The number of instance IDs cannot exceed 20')
  return ids.map(id => {
    const i = g.instances.find(x => x.id === id)
    if (!i)
      throw asg.error('ValidationError', `The instance ${id} is not part of Auto Scaling group ${g.name}.`)
    if (i.lifecycle !== state) throw asg.error('ValidationError', `The instance ${id} is not in ${state}.`)
    return i
  })
}
