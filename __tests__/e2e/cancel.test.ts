// The bundle cancelled as GitHub cancels a step: SIGINT in the middle of a deploy against moto. The
// process exits well inside GitHub's 10 s (SIGINT, SIGTERM at 7.5 s, the kill at 10 s), the job
// summary says `cancelled` and what was left, and the GitHub deployment has a final status.
import { describe, expect, it } from '@jest/globals'
import { bundleRunner, pushTag } from '../../testkit/bundle-runs.js'
import { useLocalServers } from '../../testkit/local-servers.js'
import { motoClients } from '../../testkit/moto.js'
import { createEcsService, serviceRuns } from '../../testkit/moto-ecs.js'

describe('a cancelled deploy end to end (bundle + moto)', () => {
  const clients = motoClients()
  const servers = useLocalServers()
  const run = bundleRunner(servers)

  it('ecs-rolling: SIGINT during the rollout exits within 10 s, cancelled, the deployment in error', async () => {
    const f = await createEcsService(clients)
    const r = await run(
      {
        strategy: 'ecs-rolling',
        cluster: f.cluster,
        service: f.service,
        url: servers.app.url,
        'health-timeout': '5',
        image: 'registry.example.com/shop:1.2.4-rc.1'
      },
      { ...pushTag('v1.2.4-rc.1'), interrupt: { when: '::group::Rollout' } }
    )
    expect(r.exitedAfterSignalMs).toBeLessThan(10_000)
    expect(r.exitCode).toBe(1)
    expect(r.summary).toContain('## ❌ zdt-deploy ecs-rolling: cancelled')
    expect(r.summary).toContain('### What the cancellation left')
    expect(r.summary).toContain('- Cancelled by SIGINT during Rollout.')
    expect(r.stdout).toContain(`::error::Cancelled by SIGINT during Rollout.`)
    // No new write after the signal: the service keeps the revision the run gave it, ECS carries on.
    const now = await serviceRuns(clients, f)
    expect(now.taskDefinitionArn).toMatch(/:2$/)
    expect(r.summary).toContain(`changed service ${f.cluster}/${f.service}`)
    const deployment = servers.github.deployments.find(d => d.ref === 'v1.2.4-rc.1')
    expect(deployment?.statuses.map(s => s.state)).toEqual(['in_progress', 'error'])
    expect(deployment?.statuses.at(-1)?.description).toMatch(/^Cancelled by SIGINT during Rollout\./)
  })
})
