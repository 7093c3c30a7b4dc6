// What the pr-preview scenario suites share: a base service `web` behind its ALB with the inputs of a
// host-mode (or port-mode) preview of it, everything tagged as a PR's preview, read from the models, and
// a run that must have succeeded.
import { expect } from '@jest/globals'
import { Tags } from '../../src/constants.js'
import { REPO } from '../../testkit/moto-preview.js'
import { LOAD_BALANCER_GROUP, admitTcp } from './ec2/security-groups.js'
import {
  FakeGitHub,
  type ActionInputs,
  type EcsFixture,
  type EcsServiceOptions,
  type SimRunResult,
  type Simulation
} from './index.js'

export const DOMAIN = 'preview.example.com'

export interface PreviewWorld {
  web: EcsFixture
  github: FakeGitHub
  inputs: (extra?: ActionInputs) => ActionInputs
}

/** A base service `web` (2 tasks) in `sim`, and the inputs of a host-mode (or port-mode) preview of it. */
export function previewWorld(
  sim: Simulation,
  mode: 'host' | 'port' = 'host',
  service: EcsServiceOptions = {}
): PreviewWorld {
  const web = sim.addEcsService({ desiredCount: 2, ...service })
  // The account admits its preview ports on the load balancer's security group.
  if (mode === 'port') admitTcp(sim.world.ec2, LOAD_BALANCER_GROUP, 8000, 8099)
  const github = new FakeGitHub(REPO)
  const inputs = (extra: ActionInputs = {}): ActionInputs => ({
    strategy: 'pr-preview',
    cluster: web.clusterName,
    service: web.serviceName,
    'listener-arn': web.alb!.listenerArn,
    ...(mode === 'host' ? { 'preview-domain': DOMAIN, url: web.url } : { 'preview-ports': '8000-8099' }),
    image: 'registry.example.com/web:pr',
    ...extra
  })
  return { web, github, inputs }
}

/** Everything tagged as PR `pr`'s preview that still exists, read from the models (no API calls). */
export function leftovers(sim: Simulation, pr: number) {
  const ours = (tags: Array<{ Key?: string; Value?: string; key?: string; value?: string }>) => {
    const m = Object.fromEntries(tags.map(t => [t.Key ?? t.key ?? '', t.Value ?? t.value ?? '']))
    return m[Tags.ManagedBy] === 'zdt-deploy' && m[Tags.Repo] === REPO && m[Tags.Pr] === String(pr)
  }
  const { ecs, elbv2 } = sim.world
  const listeners = [...elbv2.listeners.values()]
  return {
    services: [...ecs.services.values()]
      .filter(s => s.status !== 'INACTIVE' && ours(s.tags))
      .map(s => `${s.name} ${s.status}`),
    targetGroups: [...elbv2.targetGroups.values()].filter(t => ours(t.tags)).map(t => t.name),
    listeners: listeners.filter(l => ours(l.tags)).map(l => l.port),
    rules: listeners
      .flatMap(l => l.rules)
      .filter(r => ours(r.tags))
      .map(r => r.priority),
    taskDefinitions: [...ecs.taskDefinitions.values()]
      .flat()
      .filter(td => td.status === 'ACTIVE' && ours(td.tags))
      .map(td => td.arn)
  }
}

export const NOTHING = { services: [], targetGroups: [], listeners: [], rules: [], taskDefinitions: [] }

/** A run that succeeded; on failure the assertion shows its log. */
export const ok = (r: SimRunResult) =>
  expect({ ok: r.ok, failed: r.failedMessage, log: r.ok ? [] : r.lines }).toEqual({
    ok: true,
    failed: undefined,
    log: []
  })
