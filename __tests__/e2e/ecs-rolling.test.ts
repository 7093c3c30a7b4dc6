// The bundled action run as the runner runs it (INPUT_* variables, an event payload, GITHUB_OUTPUT
// and GITHUB_STEP_SUMMARY files) against moto, a local app as `url` and a local GitHub API.
import { describe, expect, it } from '@jest/globals'
import {
  DescribeServicesCommand,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand
} from '@aws-sdk/client-ecs'
import { startAppServer } from '../../testkit/app-server.js'
import { useLocalServers } from '../../testkit/local-servers.js'
import { motoClients } from '../../testkit/moto.js'
import { createEcsService, serviceRuns, type EcsServiceFixture } from '../../testkit/moto-ecs.js'
import { bundleRunner, pushTag, release, type Trigger } from '../../testkit/bundle-runs.js'

describe('ecs-rolling end to end (bundle + moto)', () => {
  const clients = motoClients()
  const servers = useLocalServers()

  const run = bundleRunner(servers)
  const action = (f: EcsServiceFixture, url: string, inputs: Record<string, string>, trigger: Trigger) =>
    run(
      {
        strategy: 'ecs-rolling',
        cluster: f.cluster,
        service: f.service,
        url,
        'health-timeout': '5',
        ...inputs
      },
      trigger
    )

  it('deploys a prerelease tag push to staging', async () => {
    const f = await createEcsService(clients)
    const r = await action(
      f,
      servers.app.url,
      { image: 'registry.example.com/shop:1.2.3-rc.1' },
      pushTag('v1.2.3-rc.1')
    )

    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' })
    const now = await serviceRuns(clients, f)
    expect(now.images).toEqual({ app: 'registry.example.com/shop:1.2.3-rc.1' })
    expect(now.taskDefinitionArn).toMatch(/:2$/)
    expect(r.outputs).toMatchObject({
      environment: 'staging',
      'task-definition-arn': now.taskDefinitionArn,
      'previous-task-definition-arn': f.taskDefinitionArn,
      'rolled-back': 'false',
      url: servers.app.url,
      'probe-errors': '0'
    })
    expect(r.outputs.duration).toMatch(/^\d+$/)
    expect(r.summary).toContain('## ✅ zdt-deploy ecs-rolling: deployed')
    expect(r.summary).toContain('| Environment | `staging` |')
    expect(r.summary).toContain('### Pre-flight')
    expect(r.summary).toMatch(
      /\*\*Estimated minimum duration:\*\* at least 1m10s: start ~30s \+ first passing check 10s/
    )
    expect(r.summary).toContain('### Traffic probe')
    expect(r.stdout).toContain('::group::Rollout')
    // The GitHub deployment of the staging environment ends in success.
    const deployment = servers.github.deployments.find(
      d => d.environment === 'staging' && d.ref === 'v1.2.3-rc.1'
    )
    expect(deployment?.statuses.at(-1)?.state).toBe('success')
  })

  it('deploys a published release to production', async () => {
    const f = await createEcsService(clients)
    const r = await action(
      f,
      servers.app.url,
      { image: 'registry.example.com/shop:1.2.3' },
      release('v1.2.3')
    )

    expect(r.exitCode).toBe(0)
    expect((await serviceRuns(clients, f)).images).toEqual({ app: 'registry.example.com/shop:1.2.3' })
    expect(r.outputs).toMatchObject({
      environment: 'production',
      'previous-task-definition-arn': f.taskDefinitionArn,
      'rolled-back': 'false',
      url: servers.app.url
    })
    expect(r.outputs['task-definition-arn']).toBe((await serviceRuns(clients, f)).taskDefinitionArn)
    expect(r.summary).toContain('| Environment | `production` |')
  })

  it("promotes the staging job's task-definition-arn output to production as it is", async () => {
    const staging = await createEcsService(clients)
    const production = await createEcsService(clients)
    const tested = await action(
      staging,
      servers.app.url,
      { image: 'registry.example.com/shop:0.1.0-rc.1' },
      pushTag('v0.1.0-rc.1')
    )
    expect(tested.exitCode).toBe(0)
    const arn = tested.outputs['task-definition-arn']
    expect(arn).toMatch(/:2$/)

    // The production job gets it as `needs.staging.outputs.task-definition-arn`.
    const promoted = await action(production, servers.app.url, { 'task-definition': arn }, release('v0.1.0'))

    expect({ exitCode: promoted.exitCode, stderr: promoted.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(promoted.outputs).toMatchObject({ environment: 'production', 'task-definition-arn': arn })
    expect((await serviceRuns(clients, production)).taskDefinitionArn).toBe(arn)
    const revisions = await clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: staging.family }))
    expect(revisions.taskDefinitionArns).toEqual([staging.taskDefinitionArn, arn])
    expect(promoted.stdout).toContain(`Deploying the registered revision ${arn.split('/').pop()} as it is`)
    // The fixtures' families differ, as a staging and a production family would: named, not refused.
    expect(promoted.stdout).toMatch(/::warning::The revision .* is of family/)
  })

  it('fails a smoke test answered 500 and puts the previous revision back', async () => {
    const f = await createEcsService(clients)
    const broken = await startAppServer('v2')
    broken.setStatus('/healthz', 500)
    try {
      const r = await action(
        f,
        broken.url,
        { image: 'registry.example.com/shop:1.2.4-rc.1', probe: 'false', 'health-timeout': '3' },
        pushTag('v1.2.4-rc.1')
      )

      expect(r.exitCode).toBe(1)
      expect(r.outputs['rolled-back']).toBe('true')
      expect(r.outputs['task-definition-arn']).toMatch(/:2$/)
      expect((await serviceRuns(clients, f)).taskDefinitionArn).toBe(f.taskDefinitionArn)
      expect(r.stdout).toMatch(
        /::error::Smoke test failed: GET .*\/healthz answered 500 .*; rolled back to shop-[^:]+:1\./
      )
      expect(r.summary).toContain('## ❌ zdt-deploy ecs-rolling: failed, rolled back')
      expect(r.summary).toContain('| Rolled back | true |')
    } finally {
      await broken.close()
    }
  })

  // A deploy cancelled while it rolled back a build that failed its smoke test leaves the service on
  // that build; the same deploy run again changes nothing, and must not pass while /healthz answers 503.
  it('an unchanged re-run on the build a rollback started from fails on the 503, naming the revision', async () => {
    const f = await createEcsService(clients)
    const broken = await startAppServer('v2')
    broken.setStatus('/healthz', 503)
    const inputs = { image: 'registry.example.com/shop:1.2.6', probe: 'false', 'health-timeout': '3' }
    try {
      const first = await action(f, broken.url, inputs, release('v1.2.6'))
      expect(first.exitCode).toBe(1)
      expect(first.outputs['rolled-back']).toBe('true')
      const failed = first.outputs['task-definition-arn']
      expect(failed).toMatch(/:2$/)
      // The rollback marked the service before it started.
      const { services } = await clients.ecs.send(
        new DescribeServicesCommand({ cluster: f.cluster, services: [f.service], include: ['TAGS'] })
      )
      expect(services?.[0]?.tags).toContainEqual({ key: 'zdt:rolled-back-from', value: failed })
      // The cancel: the service is left on the failed build, as if the rollback had never been started.
      await clients.ecs.send(
        new UpdateServiceCommand({ cluster: f.cluster, service: f.service, taskDefinition: failed })
      )

      const again = await action(f, broken.url, inputs, release('v1.2.6'))
      expect(again.exitCode).toBe(1)
      expect(again.outputs['task-definition-arn']).toBe(failed)
      expect(again.outputs['rolled-back']).toBe('false')
      expect(again.stdout).toMatch(
        /::error::\S+ already runs .*shop:1\.2\.6\), but it is not healthy: Smoke test failed: GET .*\/healthz answered 503 .*\. shop-[^:]+:2 is the revision a previous zdt-deploy run rolled back from \(service tag zdt:rolled-back-from\)/
      )
      expect(again.stdout).toMatch(
        /::warning::shop-[^:]+:2 is the revision a previous zdt-deploy run rolled back from/
      )
      expect(again.stdout).not.toContain('nothing deployed')
      expect(again.summary).toContain('## ❌ zdt-deploy ecs-rolling: failed')
      expect((await serviceRuns(clients, f)).taskDefinitionArn).toBe(failed)
    } finally {
      await broken.close()
    }
  })

  it('rolls back when the traffic probe sees more failures than max-probe-errors', async () => {
    const f = await createEcsService(clients)
    const flaky = await startAppServer('v2')
    flaky.setStatus('/healthz', 503)
    try {
      const r = await action(f, flaky.url, { image: 'registry.example.com/shop:1.2.5' }, release('v1.2.5'))

      expect(r.exitCode).toBe(1)
      expect(r.outputs['rolled-back']).toBe('true')
      expect(Number(r.outputs['probe-errors'])).toBeGreaterThan(0)
      expect(r.stdout).toMatch(/::error::The traffic probe saw \d+ failed request\(s\) during the rollout/)
      expect((await serviceRuns(clients, f)).taskDefinitionArn).toBe(f.taskDefinitionArn)
    } finally {
      await flaky.close()
    }
  })
})
