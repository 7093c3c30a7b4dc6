// Group tags (PropagateAtLaunch ones land on new instances): CreateOrUpdateTags, DeleteTags,
// DescribeTags.
import type {
  CreateOrUpdateTagsCommandInput,
  DeleteTagsCommandInput,
  DescribeTagsCommandInput
} from '@aws-sdk/client-auto-scaling'
import { deepCopy } from '../copy.js'
import { tokenPage } from '../paging.js'
import { groupByName } from './groups.js'
import type { AutoScalingModel } from './index.js'

export function createOrUpdateTags(asg: AutoScalingModel, input: CreateOrUpdateTagsCommandInput) {
  for (const t of input.Tags ?? []) {
    if (t.ResourceType !== 'auto-scaling-group')
      throw asg.error('ValidationError', `ResourceType must be 'auto-scaling-group'`)
    const g = groupByName(asg, t.ResourceId)
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
      throw asg.error('LimitExceeded', 'The number of tags per Auto Scaling group cannot exceed 50.')
  }
  return {}
}

export function deleteTags(asg: AutoScalingModel, input: DeleteTagsCommandInput) {
  for (const t of input.Tags ?? []) {
    const g = groupByName(asg, t.ResourceId)
    g.tags = g.tags.filter(x => !(x.Key === t.Key && (t.Value === undefined || x.Value === t.Value)))
  }
  return {}
}

export function describeTags(asg: AutoScalingModel, input: DescribeTagsCommandInput) {
  let tags = [...asg.groups.values()].filter(g => !asg.world.faults.hidden(g.arn)).flatMap(g => g.tags)
  for (const f of input.Filters ?? []) {
    const values = f.Values ?? []
    if (f.Name === 'auto-scaling-group') tags = tags.filter(t => values.includes(t.ResourceId ?? ''))
    else if (f.Name === 'key') tags = tags.filter(t => values.includes(t.Key ?? ''))
    else if (f.Name === 'value') tags = tags.filter(t => values.includes(t.Value ?? ''))
    else if (f.Name === 'propagate-at-launch')
      tags = tags.filter(t => values.includes(String(t.PropagateAtLaunch)))
    else throw asg.error('ValidationError', `Filter name '${f.Name ?? ''}' is invalid`)
  }
  tags.sort(
    (a, b) =>
      (a.ResourceId ?? '').localeCompare(b.ResourceId ?? '') || (a.Key ?? '').localeCompare(b.Key ?? '')
  )
  const { items, next } = tokenPage(tags, input.NextToken, Math.min(input.MaxRecords ?? 100, 100))
  return { Tags: deepCopy(items), NextToken: next }
}
