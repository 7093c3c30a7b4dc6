// pr-preview through the bundle, as the runner runs it: INPUT_* variables, real pull_request and
// schedule event payload files, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, against moto, a local GitHub API
// (GITHUB_API_URL) and a local app as `url`.
import { describe, expect, it } from '@jest/globals'
import { useLocalServers } from '../../testkit/local-servers.js'
import { motoClients } from '../../testkit/moto.js'
import { createEcsService, type EcsServiceFixture } from '../../testkit/moto-ecs.js'
import { NOTHING, REPO, SHA, imageOf, prEvent, tagged, type PrOptions } from '../../testkit/moto-preview.js'
import { bundleRunner } from '../../testkit/bundle-runs.js'
import { WORKFLOW_BOT } from '../../testkit/github-server.js'

const DOMAIN = 'preview.example.com'

describe('pr-preview end to end (bundle + moto + GitHub API)', () => {
  const clients = motoClients()
  const servers = useLocalServers()

  const bundle = bundleRunner(servers)
  const run = (inputs: Record<string, string>, eventName: string, event: unknown) =>
    bundle(
      { strategy: 'pr-preview', 'health-timeout': '5', ...inputs },
      { eventName, event, repository: REPO }
    )
  /** The inputs naming `f` (its service and listener) and the local app as `url`. */
  const base = (f: EcsServiceFixture) => ({
    cluster: f.cluster,
    service: f.service,
    'listener-arn': f.listenerArn,
    url: servers.app.url
  })
  const onPr = (inputs: Record<string, string>, pr: number, o: PrOptions = {}) =>
    run(inputs, 'pull_request', prEvent(pr, o))
  const comments = (pr: number, f: EcsServiceFixture) =>
    servers.github.comments.filter(
      c => c.issue === pr && c.body.includes(`zdt-deploy:preview:${f.cluster}/${f.service}`)
    )
  /** Host-mode inputs for a preview of `f`, the local app as its URL. */
  const hostMode = (f: EcsServiceFixture) => ({ ...base(f), 'preview-domain': DOMAIN })
  const commentWrites = (pr: number) =>
    servers.github.requests.filter(
      q =>
        (q.method === 'POST' && q.path.endsWith(`/issues/${pr}/comments`)) ||
        (q.method === 'PATCH' && q.path.includes('/issues/comments/'))
    )

  it('opened -> synchronize -> closed in host mode: one comment created then edited, nothing tagged left', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const inputs = { ...hostMode(f), image: 'registry.example.com/shop:pr-201' }

    const opened = await onPr(inputs, 201)
    expect({ exitCode: opened.exitCode, stderr: opened.stderr }).toEqual({ exitCode: 0, stderr: '' })
    const live = await tagged(clients, f, 201)
    expect(live.services).toHaveLength(1)
    expect(live.rules.map(r => r.host)).toEqual([`pr-201.${DOMAIN}`])
    expect(opened.outputs).toMatchObject({
      environment: 'pr-201',
      url: servers.app.url,
      'task-definition-arn': live.services[0].taskDefinition
    })
    expect(await imageOf(clients, live.services[0].taskDefinition)).toBe('registry.example.com/shop:pr-201')
    expect(
      servers.app.requests.some(q => q.path === '/healthz' && q.headers.host === `pr-201.${DOMAIN}`)
    ).toBe(true)
    expect(opened.summary).toContain('zdt-deploy pr-preview: deployed')
    expect(comments(201, f)).toHaveLength(1)
    expect(comments(201, f)[0].body).toContain(SHA)
    // A GitHub deployment for the PR's environment, finished successfully with the preview URL.
    const deployment = servers.github.deployments.find(d => d.environment === 'pr-201')
    expect(deployment?.statuses.map(s => s.state)).toEqual(['in_progress', 'success'])

    const pushed = await onPr({ ...inputs, image: 'registry.example.com/shop:pr-201-b' }, 201, {
      action: 'synchronize',
      sha: '2222222222222222222222222222222222222222'
    })
    expect(pushed.exitCode).toBe(0)
    const updated = await tagged(clients, f, 201)
    expect(updated.services.map(s => s.name)).toEqual(live.services.map(s => s.name))
    expect(updated.rules.map(r => r.arn)).toEqual(live.rules.map(r => r.arn))
    expect(await imageOf(clients, updated.services[0].taskDefinition)).toBe(
      'registry.example.com/shop:pr-201-b'
    )
    expect(pushed.outputs['previous-task-definition-arn']).toBe(live.services[0].taskDefinition)
    expect(comments(201, f)).toHaveLength(1)
    expect(comments(201, f)[0].body).toContain('2222222222222222222222222222222222222222')
    expect(commentWrites(201).map(q => q.method)).toEqual(['POST', 'PATCH'])

    const closed = await onPr(inputs, 201, { action: 'closed' })
    expect(closed.exitCode).toBe(0)
    expect(await tagged(clients, f, 201)).toEqual(NOTHING)
    expect(closed.summary).toContain('zdt-deploy pr-preview: torn-down')
    expect(comments(201, f)).toHaveLength(1)
    expect(comments(201, f)[0].body).toContain('Preview torn down')
    expect(deployment?.statuses.map(s => s.state)).toContain('inactive')

    // Closing again (a re-run) is a quiet success that touches nothing.
    const again = await onPr(inputs, 201, { action: 'closed' })
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain('No preview of PR #201 exists')
    expect(commentWrites(201)).toHaveLength(3)
  })

  it('port mode previews and a schedule sweep: the closed PR goes, the open one stays', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const inputs = { ...base(f), 'preview-ports': '9000-9099' }
    for (const pr of [301, 302]) {
      const r = await onPr(inputs, pr)
      expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' })
    }
    const ports = [(await tagged(clients, f, 301)).listeners, (await tagged(clients, f, 302)).listeners]
    expect(ports.map(l => l.map(x => x.port))).toEqual([[9001], [9002]])

    servers.github.pulls.set(301, 'closed')
    servers.github.pulls.set(302, 'open')
    const swept = await run(inputs, 'schedule', { schedule: '17 3 * * *' })
    expect({ exitCode: swept.exitCode, stderr: swept.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(await tagged(clients, f, 301)).toEqual(NOTHING)
    expect((await tagged(clients, f, 302)).listeners.map(l => l.port)).toEqual([9002])
    expect(swept.summary).toContain('zdt-deploy pr-preview: swept')
    expect(swept.summary).toMatch(/\| #301 \| 🧹 removed \| pull request closed \|/)
    expect(swept.summary).toMatch(/\| #302 \| kept \| pull request open; last deployed/)
    expect(swept.outputs.environment).toBeUndefined()
    expect(comments(301, f)[0].body).toContain('removed by the sweep: pull request closed')
  })

  it('refuses a fork PR: exit 0, no AWS resources, no comment', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const r = await onPr(hostMode(f), 401, { headRepo: 'mallory/shop' })
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/::warning::PR #401 comes from the fork mallory\/shop/)
    expect(r.summary).toContain('zdt-deploy pr-preview: skipped')
    expect(await tagged(clients, f, 401)).toEqual(NOTHING)
    expect(servers.github.comments.filter(c => c.issue === 401)).toEqual([])
  })

  it('a look-alike comment by another user, exact marker and all, is left alone: the action posts and edits its own', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const inputs = hostMode(f)
    // The marker is the base service's, the same on every PR: learn it from a first preview's comment.
    expect((await onPr(inputs, 701)).exitCode).toBe(0)
    const marker = comments(701, f)[0].body.split('\n')[0]
    expect(marker).toMatch(/^<!-- zdt-deploy:preview:.+ -->$/)
    // Before PR #702's first deploy, anyone who can comment on it posts the marker.
    const lookAlike = servers.github.addComment(
      702,
      `${marker}\n### ✅ Preview is ready\n- **URL:** http://evil.example`,
      {
        login: 'mallory',
        type: 'User'
      }
    )
    const original = lookAlike.body

    const opened = await onPr(inputs, 702)
    expect({ exitCode: opened.exitCode, stderr: opened.stderr }).toEqual({ exitCode: 0, stderr: '' })
    const pushed = await onPr({ ...inputs, image: 'registry.example.com/shop:pr-702-b' }, 702, {
      action: 'synchronize',
      sha: '3333333333333333333333333333333333333333'
    })
    expect(pushed.exitCode).toBe(0)
    expect((await onPr(inputs, 702, { action: 'closed' })).exitCode).toBe(0)

    const [theirs, ours] = comments(702, f)
    expect(theirs).toEqual({ ...lookAlike, body: original })
    expect(ours.user).toEqual(WORKFLOW_BOT)
    expect(ours.body).toContain('Preview torn down')
    // One comment of our own, created then edited twice; hers never written to.
    const writes = servers.github.requests.filter(
      q =>
        (q.method === 'POST' && q.path.endsWith('/issues/702/comments')) ||
        (q.method === 'PATCH' && [ours.id, theirs.id].some(id => q.path.endsWith(`/comments/${id}`)))
    )
    expect(writes.map(q => `${q.method} ${q.path.split('/').pop()}`)).toEqual([
      'POST comments',
      `PATCH ${ours.id}`,
      `PATCH ${ours.id}`
    ])
  })

  it('a hostile branch name reaches the comment inert', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const hostile = 'x`$(id)`;)[a](b)@team<img>'
    const r = await onPr(hostMode(f), 501, { headRef: hostile })
    expect(r.exitCode).toBe(0)
    const [comment] = comments(501, f)
    expect(comment.body).toContain(
      '- **Branch:** x&#96;$&#40;id&#41;&#96;;&#41;&#91;a&#93;&#40;b&#41;@&#8203;team&lt;img&gt;'
    )
    for (const raw of ['[a](b)', '<img>', '@team', '`$(id)`']) expect(comment.body).not.toContain(raw)
  })

  it('outside pull_request events: environment pr-<n> deploys it, preview-action destroy tears it down', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const inputs = { ...base(f), environment: 'pr-601' }
    // SPEC "anything else": deploy with the environment the input names.
    const pushed = await run(inputs, 'push', { ref: 'refs/heads/main' })
    expect({ exitCode: pushed.exitCode, stderr: pushed.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(pushed.outputs.environment).toBe('pr-601')
    expect((await tagged(clients, f, 601)).services).toHaveLength(1)
    // The same event with nothing to derive an environment from fails, naming both inputs.
    const auto = await run({ ...inputs, environment: 'auto' }, 'push', { ref: 'refs/heads/main' })
    expect(auto.exitCode).toBe(1)
    expect(auto.stdout).toMatch(/::error::Inputs 'preview-action' and 'environment' are 'auto'/)

    const destroyed = await run({ ...inputs, 'preview-action': 'destroy' }, 'workflow_dispatch', {})
    expect(destroyed.exitCode).toBe(0)
    expect(await tagged(clients, f, 601)).toEqual(NOTHING)
    // The PR is still open: the comment must not say it closed.
    const [comment] = comments(601, f)
    expect(comment.body).toContain("torn down ('preview-action: destroy' on workflow_dispatch)")
    expect(comment.body).not.toContain('closed)')
  })
})
