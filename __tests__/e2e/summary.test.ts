// Issue #5 end to end: what a deploy proves and how legible it is, from the bundle as the runner runs
// it. The job summary carries the timeline (Mermaid gantt), the probe's counts and the pre-flight
// estimate with its arithmetic; the local GitHub API sees the deployment and its statuses; a token
// without `deployments: write` costs a warning, never the deploy.
import { describe, expect, it } from '@jest/globals'
import { useLocalServers } from '../../testkit/local-servers.js'
import { motoClients } from '../../testkit/moto.js'
import { createEcsService, serviceRuns, type EcsServiceFixture } from '../../testkit/moto-ecs.js'
import { bundleRunner, pushTag } from '../../testkit/bundle-runs.js'
import type { ActionRun } from '../../testkit/run-action.js'

const TAG = 'v2.0.0'
const IMAGE = 'registry.example.com/shop:2.0.0'

describe('job summary and GitHub deployment of an ecs-rolling release (bundle + moto)', () => {
  const clients = motoClients()
  const servers = useLocalServers()

  /** Pushes tag v2.0.0 of acme/shop and deploys IMAGE to the fixture's service. */
  const deployTag = (f: EcsServiceFixture): Promise<ActionRun> =>
    bundleRunner(servers)(
      {
        strategy: 'ecs-rolling',
        cluster: f.cluster,
        service: f.service,
        image: IMAGE,
        url: servers.app.url,
        'health-timeout': '5'
      },
      pushTag(TAG)
    )

  /** The summary's `### title` section, up to the next heading. */
  const section = (summary: string, title: string): string => {
    const start = summary.indexOf(`### ${title}\n`)
    if (start < 0) throw new Error(`no '### ${title}' section in the summary:\n${summary}`)
    const next = summary.indexOf('\n### ', start + 4)
    return summary.slice(start, next < 0 ? undefined : next)
  }

  it('summarises the deploy with timeline, probe counts and the estimate, and records the deployment', async () => {
    const { app, github } = servers
    github.denyDeployments = false
    const f = await createEcsService(clients)
    const requestsBefore = github.requests.length
    const r = await deployTag(f)

    expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect((await serviceRuns(clients, f)).images).toEqual({ app: IMAGE })
    expect(r.outputs.environment).toBe('production')
    expect(r.summary).toContain('## ✅ zdt-deploy ecs-rolling: deployed')

    // The timeline: a gantt chart with one bar per phase, times as epoch milliseconds.
    const timeline = section(r.summary, 'Timeline')
    expect(timeline).toMatch(/```mermaid\ngantt\n {2}dateFormat x\n/)
    for (const phase of ['Pre-flight', 'Task definition', 'Update service', 'Rollout', 'Smoke test'])
      expect(timeline).toMatch(new RegExp(`\\n {2}${phase} :\\d{13}, \\d{13}\\n`))
    expect(timeline).toMatch(/\| Rollout \| \d+s \| ok \|/)

    // The probe table: its request and failure counts are the outputs', and nothing failed.
    const probe = section(r.summary, 'Traffic probe').split('\n')
    const header = probe.findIndex(l => /^\| requests \| failed \|/.test(l))
    expect(header).toBeGreaterThan(0)
    const [requests, failed] = probe[header + 2]
      .split('|')
      .slice(1, 3)
      .map(c => Number(c.trim()))
    expect(requests).toBeGreaterThan(0)
    expect(failed).toBe(0)
    expect({ requests: String(requests), failed: String(failed) }).toEqual({
      requests: r.outputs['probe-requests'],
      failed: r.outputs['probe-errors']
    })
    // The probe really sent them: the app saw at least as many health-path requests.
    expect(app.requests.filter(q => q.path === '/healthz').length).toBeGreaterThanOrEqual(requests)

    // The pre-flight estimate with its arithmetic, which adds up (fixture: health check every 10 s,
    // 3 checks to be healthy again after unhealthy, 30 s deregistration delay). New tasks are newly
    // registered targets: healthy after their first passing check.
    const preflight = section(r.summary, 'Pre-flight')
    expect(preflight).toContain('healthy after 1 passing check (10s), 3 in a row (30s) once unhealthy')
    const estimate =
      /\*\*Estimated minimum duration:\*\* at least (?:(\d+)m)?(\d+)s: start ~(\d+)s \+ first passing check (\d+)s \+ (\d+)s deregistration delay/.exec(
        preflight
      )
    expect(estimate).not.toBeNull()
    const [minutes, seconds, start, interval, delay] = estimate!.slice(1).map(n => Number(n ?? 0))
    expect({ interval, delay }).toEqual({ interval: 10, delay: 30 })
    expect(minutes * 60 + seconds).toBe(start + interval + delay)

    // The GitHub deployment: created for production at the tag, then in_progress, then success with the URL.
    const deployment = github.deployments.find(d => d.environment === 'production' && d.ref === TAG)
    expect(deployment).toBeDefined()
    expect(deployment!.statuses.map(s => s.state)).toEqual(['in_progress', 'success'])
    expect(deployment!.statuses[1].environment_url).toBe(app.url)
    const created = github.requests
      .slice(requestsBefore)
      .find(q => q.method === 'POST' && /\/repos\/acme\/shop\/deployments$/.test(q.path))
    expect(created?.body).toMatchObject({ ref: TAG, environment: 'production' })
  })

  it('deploys anyway when the token may not write deployments, and warns naming the permission', async () => {
    const { github } = servers
    github.denyDeployments = true
    try {
      const f = await createEcsService(clients)
      const deploymentsBefore = github.deployments.length
      const requestsBefore = github.requests.length
      const r = await deployTag(f)

      expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' })
      expect((await serviceRuns(clients, f)).images).toEqual({ app: IMAGE })
      expect(r.summary).toContain('## ✅ zdt-deploy ecs-rolling: deployed')
      expect(r.stdout).toMatch(/::warning::[^\n]*deployments: write/)
      expect(section(r.summary, 'Warnings')).toContain('deployments: write')
      expect(github.deployments.length).toBe(deploymentsBefore)
      // The refusal came from the deployments endpoint, not from a request that never happened.
      expect(github.requests.slice(requestsBefore).some(q => /\/deployments$/.test(q.path))).toBe(true)
    } finally {
      github.denyDeployments = false
    }
  })
})
