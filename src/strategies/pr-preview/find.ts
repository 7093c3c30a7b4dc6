// Finding previews by their tags: ECS services in the cluster, target groups, rules on the shared
// listener, listeners on the shared ALB, task definition revisions. Never by memory of a previous run.
import type { Service } from '@aws-sdk/client-ecs'
import type { Listener, Rule, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  describeServicesWithTags,
  describeTaskDefinition,
  listActiveTaskDefinitionFamilies,
  listServiceArns,
  listTaskDefinitionArns
} from '../../aws/ecs.js'
import { describeListeners, describeRules, describeTags, listTargetGroups } from '../../aws/elbv2.js'
import type { PreviewContext, SharedAlb } from './base.js'
import { familyPr, previewFamilyPrefix, previewNames, targetGroupNamePattern } from './naming.js'
import { fromEcsTags, type TagMap } from '../../aws/tags.js'
import { deployedAt, previewPr } from './tags.js'

export interface PreviewResources {
  pr: number
  /** ACTIVE or DRAINING services (INACTIVE ones are gone). */
  services: Service[]
  targetGroups: TargetGroup[]
  rules: Rule[]
  listeners: Listener[]
  taskDefinitionArns: string[]
  /** The newest `zdt:deployed-at` among its resources. */
  deployedAt: number | undefined
}

export function noResources(pr: number): PreviewResources {
  return {
    pr,
    services: [],
    targetGroups: [],
    rules: [],
    listeners: [],
    taskDefinitionArns: [],
    deployedAt: undefined
  }
}

export function isEmpty(r: PreviewResources | undefined): boolean {
  return (
    !r ||
    r.services.length +
      r.targetGroups.length +
      r.rules.length +
      r.listeners.length +
      r.taskDefinitionArns.length ===
      0
  )
}

/** Every preview of this repository and base service, by PR; or only `pr`'s. */
export async function findPreviews(
  ctx: PreviewContext,
  alb: SharedAlb,
  pr?: number
): Promise<Map<number, PreviewResources>> {
  const found = new Map<number, PreviewResources>()
  const entry = (n: number): PreviewResources => {
    let r = found.get(n)
    if (!r) {
      r = noResources(n)
      found.set(n, r)
    }
    return r
  }
  const note = (n: number, tags: TagMap) => {
    const at = deployedAt(tags)
    const r = entry(n)
    if (at !== undefined && (r.deployedAt === undefined || at > r.deployedAt)) r.deployedAt = at
    return r
  }

  for (const s of await previewServices(ctx, alb)) {
    const tags = fromEcsTags(s.tags)
    const n = previewPr(tags, alb, pr)
    if (n !== undefined) note(n, tags).services.push(s)
  }

  // Target groups: our names carry a hash of the base service, so only those need their tags read.
  const pattern = targetGroupNamePattern(alb.baseKey)
  const candidates = (await listTargetGroups(ctx.aws)).filter(
    tg => tg.TargetGroupArn && pattern.test(tg.TargetGroupName ?? '')
  )
  for (const [tg, n, tags] of await previewsAmong(ctx, alb, pr, candidates, tg => tg.TargetGroupArn))
    note(n, tags).targetGroups.push(tg)

  const rules = (await describeRules(ctx.aws, alb.listener.ListenerArn ?? '')).filter(
    r => !r.IsDefault && r.RuleArn
  )
  for (const [rule, n, tags] of await previewsAmong(ctx, alb, pr, rules, r => r.RuleArn))
    note(n, tags).rules.push(rule)

  const listeners = (await describeListeners(ctx.aws, alb.loadBalancer.LoadBalancerArn ?? '')).filter(
    l => l.ListenerArn && l.ListenerArn !== alb.listener.ListenerArn
  )
  for (const [listener, n, tags] of await previewsAmong(ctx, alb, pr, listeners, l => l.ListenerArn))
    note(n, tags).listeners.push(listener)

  // Task definitions live in the preview's own family; their tags confirm each revision is ours.
  const prs = pr === undefined ? await prsWithRevisions(ctx, alb, found) : [pr]
  for (const n of prs) {
    const family = previewNames(alb.cluster, alb.serviceName, n).family
    for (const arn of await listTaskDefinitionArns(ctx.aws, family)) {
      const { tags } = await describeTaskDefinition(ctx.aws, arn)
      const map = fromEcsTags(tags)
      if (previewPr(map, alb, n) !== undefined) note(n, map).taskDefinitionArns.push(arn)
    }
  }

  for (const [n, r] of found) if (isEmpty(r)) found.delete(n)
  return found
}

/**
 * The PRs found so far, and those of preview families with ACTIVE revisions: a run killed right after
 * RegisterTaskDefinition left a revision and nothing else, which the sweep finds only by its family.
 */
async function prsWithRevisions(
  ctx: PreviewContext,
  alb: SharedAlb,
  found: Map<number, PreviewResources>
): Promise<number[]> {
  const prs = new Set(found.keys())
  for (const family of await listActiveTaskDefinitionFamilies(
    ctx.aws,
    previewFamilyPrefix(alb.serviceName)
  )) {
    const n = familyPr(alb.cluster, alb.serviceName, family)
    if (n !== undefined) prs.add(n)
  }
  return [...prs]
}

/** The ELB resources among `items` whose tags mark them as a preview (of `pr`, when given). */
async function previewsAmong<T>(
  ctx: PreviewContext,
  alb: SharedAlb,
  pr: number | undefined,
  items: T[],
  arnOf: (item: T) => string | undefined
): Promise<Array<[T, number, TagMap]>> {
  const tags = await describeTags(
    ctx.aws,
    items.map(i => arnOf(i) ?? '')
  )
  const result: Array<[T, number, TagMap]> = []
  for (const item of items) {
    const t = tags.get(arnOf(item) ?? '')
    const n = previewPr(t, alb, pr)
    if (n !== undefined && t) result.push([item, n, t])
  }
  return result
}

/** The cluster's services that still exist (ACTIVE or DRAINING), with their tags. */
async function previewServices(ctx: PreviewContext, alb: SharedAlb): Promise<Service[]> {
  const arns = await listServiceArns(ctx.aws, alb.cluster)
  const services = await describeServicesWithTags(ctx.aws, alb.cluster, arns)
  return services.filter(s => s.status !== 'INACTIVE')
}
