// Tags on load balancers, listeners, rules and target groups: AddTags, RemoveTags, DescribeTags.
import type {
  AddTagsCommandInput,
  DescribeTagsCommandInput,
  RemoveTagsCommandInput,
  Tag
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { deepCopy } from '../copy.js'
import type { ElbModel } from './index.js'
import { listenerByArn } from './listeners.js'
import { loadBalancerByArn } from './load-balancers.js'
import { ruleByArn } from './rules.js'
import { targetGroupByArn } from './target-groups.js'

export const MAX_TAGS = 50

export function taggable(elb: ElbModel, arn: string): { tags: Tag[] } {
  if (arn.includes(':targetgroup/')) return targetGroupByArn(elb, arn)
  if (arn.includes(':listener-rule/')) {
    const { listener, rule } = ruleByArn(elb, arn)
    if (!rule) return { tags: listener.tags }
    return rule
  }
  if (arn.includes(':listener/')) return listenerByArn(elb, arn)
  if (arn.includes(':loadbalancer/')) return loadBalancerByArn(elb, arn)
  throw elb.error('ValidationError', `'${arn}' is not a valid Elastic Load Balancing resource ARN`)
}

export function addTags(elb: ElbModel, input: AddTagsCommandInput) {
  const targets = (input.ResourceArns ?? []).map(arn => taggable(elb, arn))
  const keys = (input.Tags ?? []).map(t => t.Key)
  if (new Set(keys).size !== keys.length)
    throw elb.error('DuplicateTagKeys', 'A tag key was specified more than once.')
  for (const r of targets) {
    const merged = new Map(r.tags.map(t => [t.Key, t]))
    for (const t of input.Tags ?? []) merged.set(t.Key, { Key: t.Key, Value: t.Value })
    if (merged.size > MAX_TAGS)
      throw elb.error('TooManyTags', `You've reached the limit on the number of tags for this resource`)
    r.tags.splice(0, r.tags.length, ...merged.values())
  }
  return {}
}

export function removeTags(elb: ElbModel, input: RemoveTagsCommandInput) {
  for (const arn of input.ResourceArns ?? []) {
    const r = taggable(elb, arn)
    const drop = new Set(input.TagKeys ?? [])
    r.tags.splice(0, r.tags.length, ...r.tags.filter(t => !drop.has(t.Key ?? '')))
  }
  return {}
}

export function describeTags(elb: ElbModel, input: DescribeTagsCommandInput) {
  if (!input.ResourceArns?.length)
    throw elb.error('ValidationError', 'At least one resource ARN must be specified')
  if (input.ResourceArns.length > 20)
    throw elb.error('ValidationError', 'You can specify at most 20 resource ARNs')
  return {
    TagDescriptions: input.ResourceArns.map(arn => ({
      ResourceArn: arn,
      Tags: deepCopy(taggable(elb, arn).tags)
    }))
  }
}
