// pr-preview fixtures shared by the moto and end-to-end tests: realistic pull_request payloads, and
// everything tagged as a PR's preview listed straight from moto (independently of the action's code).
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand
} from '@aws-sdk/client-ecs'
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsClients } from '../src/aws/clients.js'
import type { EcsServiceFixture } from './moto-ecs.js'

export const REPO = 'acme/shop'
export const SHA = 'feedfacefeedfacefeedfacefeedfacefeedface'

export interface PrOptions {
  action?: string
  headRef?: string
  headRepo?: string
  title?: string
  sha?: string
}

/** A pull_request event payload shaped like GitHub's (the fields the action and a reader care about). */
export function prEvent(n: number, o: PrOptions = {}) {
  const action = o.action ?? 'opened'
  const headRepo = o.headRepo ?? REPO
  const repo = (fullName: string) => ({
    id: fullName.length,
    name: fullName.split('/')[1],
    full_name: fullName,
    private: false,
    owner: { login: fullName.split('/')[0], type: 'Organization' },
    html_url: `https://github.com/${fullName}`,
    fork: fullName !== REPO,
    default_branch: 'main'
  })
  return {
    action,
    number: n,
    pull_request: {
      url: `https://api.github.com/repos/${REPO}/pulls/${n}`,
      id: 1_000_000 + n,
      html_url: `https://github.com/${REPO}/pull/${n}`,
      number: n,
      state: action === 'closed' ? 'closed' : 'open',
      locked: false,
      title: o.title ?? `Change ${n}`,
      user: { login: 'dev', type: 'User' },
      body: 'What this changes.',
      created_at: '2024-05-01T10:00:00Z',
      updated_at: '2024-05-01T10:05:00Z',
      closed_at: action === 'closed' ? '2024-05-02T10:00:00Z' : null,
      merged_at: null,
      merged: false,
      draft: false,
      labels: [],
      head: {
        label: `${headRepo.split('/')[0]}:${o.headRef ?? `feature-${n}`}`,
        ref: o.headRef ?? `feature-${n}`,
        sha: o.sha ?? SHA,
        user: { login: headRepo.split('/')[0] },
        repo: repo(headRepo)
      },
      base: {
        label: 'acme:main',
        ref: 'main',
        sha: '1111111111111111111111111111111111111111',
        user: { login: 'acme' },
        repo: repo(REPO)
      }
    },
    repository: repo(REPO),
    sender: { login: 'dev', type: 'User' }
  }
}

export interface Leftovers {
  services: Array<{ name: string; status: string; taskDefinition: string }>
  targetGroups: Array<{
    arn: string
    name: string
    port?: number
    protocol?: string
    vpc?: string
    path?: string
    type?: string
  }>
  rules: Array<{ arn: string; priority: string; host?: string; forwardsTo?: string }>
  listeners: Array<{ arn: string; port: number; forwardsTo?: string }>
  taskDefinitions: string[]
}

const tagMap = (tags: Array<{ Key?: string; Value?: string }> | undefined) =>
  Object.fromEntries((tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']))

/** Everything tagged as PR `pr`'s preview of `f`, listed straight from moto. */
export async function tagged(c: AwsClients, f: EcsServiceFixture, pr: number): Promise<Leftovers> {
  const ours = (t: Record<string, string>) =>
    t['zdt:managed-by'] === 'zdt-deploy' && t['zdt:repo'] === REPO && t['zdt:pr'] === String(pr)

  const arns = (await c.ecs.send(new ListServicesCommand({ cluster: f.cluster }))).serviceArns ?? []
  const described = arns.length
    ? ((
        await c.ecs.send(
          new DescribeServicesCommand({ cluster: f.cluster, services: arns, include: ['TAGS'] })
        )
      ).services ?? [])
    : []
  const services = described
    .filter(s => s.status !== 'INACTIVE')
    .filter(s => ours(Object.fromEntries((s.tags ?? []).map(t => [t.key ?? '', t.value ?? '']))))
    .map(s => ({ name: s.serviceName ?? '', status: s.status ?? '', taskDefinition: s.taskDefinition ?? '' }))

  const elbTags = async (resourceArns: string[]) => {
    const m = new Map<string, Record<string, string>>()
    for (let i = 0; i < resourceArns.length; i += 20) {
      const d = await c.elbv2.send(new DescribeTagsCommand({ ResourceArns: resourceArns.slice(i, i + 20) }))
      for (const t of d.TagDescriptions ?? []) m.set(t.ResourceArn ?? '', tagMap(t.Tags))
    }
    return m
  }
  const allTgs = (await c.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []
  const tgTags = await elbTags(allTgs.map(t => t.TargetGroupArn ?? ''))
  const targetGroups = allTgs
    .filter(t => ours(tgTags.get(t.TargetGroupArn ?? '') ?? {}))
    .map(t => ({
      arn: t.TargetGroupArn ?? '',
      name: t.TargetGroupName ?? '',
      port: t.Port,
      protocol: t.Protocol,
      vpc: t.VpcId,
      path: t.HealthCheckPath,
      type: t.TargetType
    }))

  const allRules = (
    (await c.elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArn }))).Rules ?? []
  ).filter(r => !r.IsDefault)
  const ruleTags = await elbTags(allRules.map(r => r.RuleArn ?? ''))
  const rules = allRules
    .filter(r => ours(ruleTags.get(r.RuleArn ?? '') ?? {}))
    .map(r => ({
      arn: r.RuleArn ?? '',
      priority: r.Priority ?? '',
      host: r.Conditions?.find(x => x.Field === 'host-header')?.HostHeaderConfig?.Values?.[0],
      forwardsTo: r.Actions?.[0]?.TargetGroupArn
    }))

  const allListeners =
    (await c.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: f.loadBalancerArn }))).Listeners ?? []
  const listenerTags = await elbTags(allListeners.map(l => l.ListenerArn ?? ''))
  const listeners = allListeners
    .filter(l => ours(listenerTags.get(l.ListenerArn ?? '') ?? {}))
    .map(l => ({
      arn: l.ListenerArn ?? '',
      port: l.Port ?? 0,
      forwardsTo: l.DefaultActions?.[0]?.TargetGroupArn
    }))

  const taskDefinitions =
    (
      await c.ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: `${f.service}-pr-${pr}`, status: 'ACTIVE' })
      )
    ).taskDefinitionArns ?? []
  return { services, targetGroups, rules, listeners, taskDefinitions }
}

export const NOTHING: Leftovers = {
  services: [],
  targetGroups: [],
  rules: [],
  listeners: [],
  taskDefinitions: []
}

export async function imageOf(c: AwsClients, taskDefinitionArn: string): Promise<string | undefined> {
  const td = await c.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }))
  return td.taskDefinition?.containerDefinitions?.[0]?.image
}
