// ecs-rolling against moto: the real code path (SDK clients, the thin layer, the strategy) on an
// ECS service behind an ALB, with a local app as `url`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand
} from '@aws-sdk/client-ecs'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { OutputName } from '../../src/constants.js'
import { startAppServer, type AppServer } from '../../testkit/app-server.js'
import { motoClients } from '../../testkit/moto.js'
import { createEcsService, serviceRuns, type EcsServiceFixture } from '../../testkit/moto-ecs.js'
import { runInProcess, type InProcessRun } from '../../testkit/run-in-process.js'

type Run = InProcessRun

function deploy(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<Run> {
  return runInProcess({
    inputs: {
      strategy: 'ecs-rolling',
      'aws-region': 'us-east-1',
      environment: 'staging',
      'poll-interval': '1',
      'wait-timeout': '30',
      'health-timeout': '5',
      ...inputs
    },
    env: { GITHUB_REPOSITORY: 'acme/shop', ...env }
  })
}

const out = (r: Run, name: OutputName) => r.outputs.get(name)
const MUTATING = ['RegisterTaskDefinition', 'UpdateService']

describe('ecs-rolling against moto', () => {
  const clients = motoClients()
  let app: AppServer
  beforeAll(async () => {
    app = await startAppServer()
  })
  afterAll(async () => {
    await app.close()
  })

  const target = (f: EcsServiceFixture) => ({ cluster: f.cluster, service: f.service, url: app.url })

  it('rolls a new image out: new revision in service, outputs, probe and summary', async () => {
    const f = await createEcsService(clients)
    const r = await deploy({ ...target(f), image: 'registry.example.com/shop:1.1.0' })

    expect(r.failed).toBeUndefined()
    expect(r.result?.outcome).toBe('deployed')
    const now = await serviceRuns(clients, f)
    expect(now.taskDefinitionArn).toBe(`${f.taskDefinitionArn.replace(/:1$/, '')}:2`)
    expect(now.images).toEqual({ app: 'registry.example.com/shop:1.1.0' })
    expect(now.tags).toMatchObject({ 'zdt:managed-by': 'zdt-deploy', 'zdt:repo': 'acme/shop' })
    expect(out(r, 'task-definition-arn')).toBe(now.taskDefinitionArn)
    expect(out(r, 'previous-task-definition-arn')).toBe(f.taskDefinitionArn)
    expect(out(r, 'rolled-back')).toBe('false')
    expect(out(r, 'url')).toBe(app.url)
    expect(out(r, 'environment')).toBe('staging')
    expect(Number(out(r, 'probe-requests'))).toBeGreaterThanOrEqual(0)
    expect(out(r, 'probe-errors')).toBe('0')
    // The smoke test reached the app's health path.
    expect(app.requests.some(q => q.path === '/healthz')).toBe(true)
    expect(r.sent.filter(c => MUTATING.includes(c))).toEqual(['RegisterTaskDefinition', 'UpdateService'])
    expect(r.summary).toContain('### Pre-flight')
    expect(r.summary).toMatch(
      /Estimated minimum duration:\*\* at least 1m10s: start ~30s \+ first passing check 10s \+ 30s deregistration delay/
    )
    expect(r.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^Verified: .* runs shop-.*:2/)]))
  })

  it('registers a task-definition file in the describe-task-definition shape, read-only fields stripped', async () => {
    const f = await createEcsService(clients)
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'zdt-ecs-ws-'))
    writeFileSync(
      path.join(workspace, 'task-def.json'),
      JSON.stringify({
        taskDefinition: {
          taskDefinitionArn: f.taskDefinitionArn,
          family: f.family,
          revision: 1,
          status: 'ACTIVE',
          compatibilities: ['EC2'],
          requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
          registeredAt: '2026-01-01T00:00:00Z',
          registeredBy: 'arn:aws:iam::123456789012:user/dev',
          containerDefinitions: [
            { name: 'app', image: 'placeholder', memory: 512, environment: [{ name: 'MODE', value: 'file' }] }
          ]
        },
        tags: [{ key: 'team', value: 'shop' }]
      })
    )
    const r = await deploy(
      { ...target(f), 'task-definition': 'task-def.json', image: 'registry.example.com/shop:2.0.0' },
      { GITHUB_WORKSPACE: workspace }
    )

    expect(r.failed).toBeUndefined()
    const now = await serviceRuns(clients, f)
    expect(now.images).toEqual({ app: 'registry.example.com/shop:2.0.0' })
    expect(now.tags).toMatchObject({ team: 'shop', 'zdt:managed-by': 'zdt-deploy' })
    expect(out(r, 'task-definition-arn')).toBe(now.taskDefinitionArn)
    expect(out(r, 'previous-task-definition-arn')).toBe(f.taskDefinitionArn)
  })

  it("refuses a task-definition file without the container the service's load balancer targets", async () => {
    const f = await createEcsService(clients)
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'zdt-ecs-ws-'))
    writeFileSync(
      path.join(workspace, 'task-def.json'),
      JSON.stringify({
        family: f.family,
        containerDefinitions: [{ name: 'web', image: 'x/web:2', memory: 256 }]
      })
    )
    const r = await deploy(
      { ...target(f), 'task-definition': 'task-def.json' },
      { GITHUB_WORKSPACE: workspace }
    )

    expect(r.failed).toMatch(
      /has no container 'app' \(containers: web\), which the service's load balancer sends traffic to on port 8080\. Refused before changing anything/
    )
    expect(r.sent.filter(c => MUTATING.includes(c))).toEqual([])
    expect((await serviceRuns(clients, f)).taskDefinitionArn).toBe(f.taskDefinitionArn)
  })

  it('dry-run prints the plan and changes nothing', async () => {
    const f = await createEcsService(clients)
    const r = await deploy({ ...target(f), image: 'registry.example.com/shop:9.9.9', 'dry-run': 'true' })

    expect(r.failed).toBeUndefined()
    expect(r.result?.outcome).toBe('planned')
    expect(r.sent.filter(c => MUTATING.includes(c))).toEqual([])
    expect(r.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[dry-run\] would call ecs:RegisterTaskDefinition .*shop:9\.9\.9/),
        expect.stringMatching(/^\[dry-run\] would call ecs:UpdateService .*"taskDefinition"/)
      ])
    )
    expect((await serviceRuns(clients, f)).taskDefinitionArn).toBe(f.taskDefinitionArn)
    const revisions = await clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: f.family }))
    expect(revisions.taskDefinitionArns).toEqual([f.taskDefinitionArn])
    expect(out(r, 'task-definition-arn')).toBeUndefined()
    expect(r.summary).toMatch(
      /### Dry-run plan\n\n1\. `ecs:RegisterTaskDefinition` .*\n2\. `ecs:UpdateService` /
    )
  })

  /** Registers revision 2 of the fixture's family (not deployed), as a staging deploy would have. */
  async function registerRevision(f: EcsServiceFixture, image: string): Promise<string> {
    const { taskDefinition } = await clients.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: f.taskDefinitionArn })
    )
    const out = await clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: f.family,
        networkMode: taskDefinition?.networkMode,
        requiresCompatibilities: taskDefinition?.requiresCompatibilities,
        cpu: taskDefinition?.cpu,
        memory: taskDefinition?.memory,
        containerDefinitions: (taskDefinition?.containerDefinitions ?? []).map(c => ({ ...c, image }))
      })
    )
    return out.taskDefinition!.taskDefinitionArn!
  }

  it.each([
    ['its ARN', (arn: string) => arn],
    ['family:revision', (arn: string) => arn.split('/').pop()!]
  ])('promotes a registered revision by %s exactly as it is, registering none', async (_form, ref) => {
    const f = await createEcsService(clients)
    const tested = await registerRevision(f, 'registry.example.com/shop:0.1.0-rc.1')
    const r = await deploy({ ...target(f), 'task-definition': ref(tested) })

    expect(r.failed).toBeUndefined()
    expect(r.result?.outcome).toBe('deployed')
    expect((await serviceRuns(clients, f)).taskDefinitionArn).toBe(tested)
    expect(out(r, 'task-definition-arn')).toBe(tested)
    expect(r.sent.filter(c => MUTATING.includes(c))).toEqual(['UpdateService'])
    const revisions = await clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: f.family }))
    expect(revisions.taskDefinitionArns).toEqual([f.taskDefinitionArn, tested])
    expect(r.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Deploying the registered revision shop-.*:2 as it is, from input 'task-definition'/
        )
      ])
    )
  })

  it('refuses a deregistered or unknown revision as an input error, with no mutating call', async () => {
    const f = await createEcsService(clients)
    const gone = await registerRevision(f, 'registry.example.com/shop:0.0.9')
    await clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: gone }))
    const inactive = await deploy({ ...target(f), 'task-definition': gone })
    expect(inactive.failed).toMatch(
      /^Input 'task-definition' names .*:2, which is INACTIVE: expected an ACTIVE revision/
    )
    const unknown = await deploy({ ...target(f), 'task-definition': `${f.family}:99` })
    expect(unknown.failed).toMatch(/^Input 'task-definition' names .*:99, which ECS does not know/)
    for (const r of [inactive, unknown]) {
      expect(r.sent.filter(c => !/^(Describe|List)/.test(c))).toEqual([])
      expect(r.outputs.get('rolled-back')).toBe('false')
    }
    expect((await serviceRuns(clients, f)).taskDefinitionArn).toBe(f.taskDefinitionArn)
  })

  it('finishes as unchanged when the image already runs, without touching the service', async () => {
    const f = await createEcsService(clients)
    const r = await deploy({ ...target(f), image: 'registry.example.com/shop:1.0.0' })

    expect(r.failed).toBeUndefined()
    expect(r.result?.outcome).toBe('unchanged')
    expect(r.sent.filter(c => MUTATING.includes(c))).toEqual([])
    expect(out(r, 'task-definition-arn')).toBe(f.taskDefinitionArn)
  })

  it('makes no AWS call at all for a bad input or a missing task-definition file', async () => {
    const f = await createEcsService(clients)
    const bad = await deploy({ ...target(f), 'poll-interval': 'soon' })
    expect(bad.failed).toMatch(/Input 'poll-interval' has an invalid value 'soon'/)
    expect(bad.sent).toEqual([])

    const workspace = mkdtempSync(path.join(os.tmpdir(), 'zdt-ecs-ws-'))
    const missing = await deploy(
      { ...target(f), 'task-definition': 'nope.json' },
      { GITHUB_WORKSPACE: workspace }
    )
    expect(missing.failed).toMatch(/The task-definition file 'nope.json' could not be read/)
    expect(missing.sent).toEqual([])
  })

  it.each([
    ['maximumPercent 100 with minimumHealthyPercent 100', 2, 100, 100, /can neither start nor stop a task/],
    ['one task at 50% with no room for a second', 1, 100, 50, /1 may run, 1 must stay healthy/],
    ['a minimum of 0 tasks on a service behind a load balancer', 3, 200, 0, /keeps 0 of 3 tasks running/]
  ])('refuses %s before any mutating call', async (_name, desiredCount, max, min, reason) => {
    const f = await createEcsService(clients, {
      desiredCount,
      deploymentConfiguration: { maximumPercent: max, minimumHealthyPercent: min }
    })
    const r = await deploy({ ...target(f), image: 'registry.example.com/shop:1.1.0' })

    expect(r.failed).toMatch(/^Refused before changing anything/)
    expect(r.failed).toMatch(reason)
    expect(r.failed).toContain(`'${f.service}' in cluster '${f.cluster}'`)
    expect(r.sent.filter(c => MUTATING.includes(c))).toEqual([])
    expect((await serviceRuns(clients, f)).taskDefinitionArn).toBe(f.taskDefinitionArn)
    expect(r.summary).toContain('Refused')
  })

  it('deploys one task at 50% / 200%: ECS rounds the minimum up, so the one task keeps serving', async () => {
    const f = await createEcsService(clients, {
      desiredCount: 1,
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 50 }
    })
    const r = await deploy({ ...target(f), image: 'registry.example.com/shop:1.0.5' })

    expect(r.failed).toBeUndefined()
    expect(r.lines.join('\n')).not.toMatch(/Refused/)
    expect((await serviceRuns(clients, f)).images).toEqual({ app: 'registry.example.com/shop:1.0.5' })
  })

  it('follows a BLUE_GREEN service by its strategy, not the rolling rules, and says the APIs are missing', async () => {
    const f = await createEcsService(clients, {
      // Rolling rules would refuse these percentages; ECS's blue/green does not use them.
      deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 100, strategy: 'BLUE_GREEN' },
      blueGreen: true
    })
    const r = await deploy({ ...target(f), image: 'registry.example.com/shop:1.0.6' })

    // moto stores deploymentConfiguration.strategy and advancedConfiguration, but does not implement
    // the service-deployment APIs: the run says so and changes nothing.
    const preflight = r.lines.slice(r.lines.indexOf('::group::Pre-flight') + 1)
    expect(preflight[0]).toMatch(/^Strategy: the service deploys with ECS's own BLUE_GREEN strategy/)
    expect(r.failed).toMatch(/^Refused before changing anything/)
    expect(r.failed).toMatch(/ecs:ListServiceDeployments is not available at this endpoint/)
    expect(r.failed).not.toMatch(/can neither start nor stop/)
    expect(r.sent.filter(c => MUTATING.includes(c))).toEqual([])
    expect(r.summary).toContain('ECS BLUE_GREEN')
  })

  it('names the cluster and service when the service does not exist', async () => {
    const f = await createEcsService(clients)
    const r = await deploy({ cluster: f.cluster, service: 'no-such-service', url: app.url, image: 'x:1' })
    expect(r.failed).toMatch(`ECS service 'no-such-service' was not found in cluster '${f.cluster}'`)
    const c = await deploy({ cluster: 'no-such-cluster', service: f.service, url: app.url, image: 'x:1' })
    expect(c.failed).toMatch(`ECS cluster 'no-such-cluster' was not found`)
    expect([...r.sent, ...c.sent].filter(x => MUTATING.includes(x))).toEqual([])
  })

  it('derives the URL from the load balancer when none is given', async () => {
    const f = await createEcsService(clients)
    const r = await deploy({
      cluster: f.cluster,
      service: f.service,
      'dry-run': 'true',
      image: 'registry.example.com/shop:1.2.0'
    })
    expect(r.failed).toBeUndefined()
    expect(out(r, 'url')).toBe(`http://${f.dnsName}`)
  })

  it('deploys without smoke test or probe when the derived URL is unreachable from the runner', async () => {
    const f = await createEcsService(clients)
    const r = await deploy({
      cluster: f.cluster,
      service: f.service,
      image: 'registry.example.com/shop:1.3.0'
    })
    expect(r.failed).toBeUndefined()
    expect(out(r, 'url')).toBe(`http://${f.dnsName}`)
    expect(r.lines.join('\n')).toMatch(
      /is not reachable from the runner .*smoke test and the traffic probe are skipped/
    )
    // The skip does not claim there is no load balancer: there is one, out of the runner's reach.
    expect(r.lines).toContain("Smoke test skipped: no URL the runner can reach (set 'url' to have one).")
    expect(Object.values((await serviceRuns(clients, f)).images)).toEqual(['registry.example.com/shop:1.3.0'])
  })

  it('fails a smoke test that gets 500, rolls back to the previous revision', async () => {
    const f = await createEcsService(clients)
    const broken = await startAppServer('v2')
    broken.setStatus('/healthz', 500)
    try {
      const r = await deploy({
        cluster: f.cluster,
        service: f.service,
        url: broken.url,
        probe: 'false',
        'health-timeout': '2',
        image: 'registry.example.com/shop:1.3.0'
      })
      expect(r.failed).toMatch(
        /Smoke test failed: GET .*\/healthz answered 500 .*; rolled back to shop-.*:1\./
      )
      expect(out(r, 'rolled-back')).toBe('true')
      expect(out(r, 'previous-task-definition-arn')).toBe(f.taskDefinitionArn)
      expect((await serviceRuns(clients, f)).taskDefinitionArn).toBe(f.taskDefinitionArn)
      expect(r.sent.filter(c => MUTATING.includes(c))).toEqual([
        'RegisterTaskDefinition',
        'UpdateService',
        'UpdateService'
      ])
    } finally {
      await broken.close()
    }
  })
})
