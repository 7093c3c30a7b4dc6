// pr-preview against moto: the real code path (run(), SDK clients, the thin layer, the strategy) on a
// base ECS service behind a shared ALB, a local GitHub API for the PR comment and a local app as `url`.
// Every assertion about what exists lists resources by the action's tags, independently of its code.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DescribeServicesCommand, TagResourceCommand } from '@aws-sdk/client-ecs'
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateRuleCommand,
  type CreateRuleCommandInput,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { OutputName } from '../../src/constants.js'
import { createGitHubApi } from '../../src/github.js'
import { startAppServer, type AppServer } from '../../testkit/app-server.js'
import { startGitHubServer, type GitHubServer } from '../../testkit/github-server.js'
import { createEcsService, type EcsServiceFixture } from '../../testkit/moto-ecs.js'
import { motoClients } from '../../testkit/moto.js'
import { runInProcess, type InProcessRun } from '../../testkit/run-in-process.js'
import { NOTHING, REPO, SHA, imageOf, prEvent, tagged } from '../../testkit/moto-preview.js'

const DOMAIN = 'preview.example.com'

type Run = InProcessRun

interface RunOptions {
  inputs: Record<string, string>
  eventName: string
  payload: unknown
  github?: GitHubServer
}

function preview(o: RunOptions): Promise<Run> {
  return runInProcess({
    inputs: {
      strategy: 'pr-preview',
      'aws-region': 'us-east-1',
      'poll-interval': '1',
      'wait-timeout': '20',
      'health-timeout': '5',
      'github-token': o.github ? 'test-token' : '',
      ...o.inputs
    },
    env: { GITHUB_REPOSITORY: REPO, GITHUB_EVENT_NAME: o.eventName, GITHUB_SHA: SHA },
    event: o.payload,
    createGitHub: (token, repository) => createGitHubApi(token, repository, o.github?.url)
  })
}

const out = (r: Run, name: OutputName) => r.outputs.get(name)
const MUTATING = /^(Create|Delete|Register|Deregister|Update|Tag|AddTags|Modify|Remove)/

describe('pr-preview against moto', () => {
  const clients = motoClients()
  let app: AppServer
  let github: GitHubServer
  beforeAll(async () => {
    app = await startAppServer()
    github = await startGitHubServer()
  })
  afterAll(async () => {
    await app.close()
    await github.close()
  })

  const hostInputs = (f: EcsServiceFixture) => ({
    cluster: f.cluster,
    service: f.service,
    'listener-arn': f.listenerArn,
    'preview-domain': DOMAIN,
    url: app.url
  })
  const portInputs = (f: EcsServiceFixture, ports = '8000-8099') => ({
    cluster: f.cluster,
    service: f.service,
    'listener-arn': f.listenerArn,
    'preview-ports': ports,
    url: app.url
  })
  const onPr = (inputs: Record<string, string>, pr: number) =>
    preview({ inputs, eventName: 'pull_request', payload: prEvent(pr), github })
  const commentsOf = (pr: number, f: EcsServiceFixture) =>
    github.comments.filter(
      c => c.issue === pr && c.body.includes(`zdt-deploy:preview:${f.cluster}/${f.service}`)
    )

  it('host mode: deploys, updates in place, tears down leaving nothing tagged, and a second teardown is quiet', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const pr = 7

    const opened = await preview({
      inputs: { ...hostInputs(f), image: 'registry.example.com/shop:pr-7-a' },
      eventName: 'pull_request',
      payload: prEvent(pr),
      github
    })
    expect(opened.failed).toBeUndefined()
    expect(opened.result?.outcome).toBe('deployed')
    expect(out(opened, 'environment')).toBe('pr-7')
    expect(out(opened, 'url')).toBe(app.url)

    const first = await tagged(clients, f, pr)
    expect(first.services).toEqual([
      { name: `${f.service}-pr-7`, status: 'ACTIVE', taskDefinition: out(opened, 'task-definition-arn') }
    ])
    expect(await imageOf(clients, first.services[0].taskDefinition)).toBe('registry.example.com/shop:pr-7-a')
    // The target group copies the base's port, protocol, VPC, health check and target type.
    const baseTg = (
      await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [f.targetGroupArn] }))
    ).TargetGroups![0]
    expect(first.targetGroups).toHaveLength(1)
    expect(first.targetGroups[0]).toMatchObject({
      port: baseTg.Port,
      protocol: baseTg.Protocol,
      vpc: baseTg.VpcId,
      path: '/healthz',
      type: baseTg.TargetType
    })
    expect(first.targetGroups[0].name.length).toBeLessThanOrEqual(32)
    // And its deregistration delay (30 s in the fixture, not AWS's default 300 s).
    const attributes = await clients.elbv2.send(
      new DescribeTargetGroupAttributesCommand({ TargetGroupArn: first.targetGroups[0].arn })
    )
    expect(attributes.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '30' })
    expect(first.rules).toEqual([
      expect.objectContaining({ host: `pr-7.${DOMAIN}`, forwardsTo: first.targetGroups[0].arn })
    ])
    expect(first.listeners).toEqual([])
    expect(first.taskDefinitions).toEqual([out(opened, 'task-definition-arn')])
    // The smoke test went to the url input with the preview's Host header.
    expect(app.requests.some(q => q.path === '/healthz' && q.headers.host === `pr-7.${DOMAIN}`)).toBe(true)
    // One comment, with the URL and the commit.
    expect(commentsOf(pr, f)).toHaveLength(1)
    expect(commentsOf(pr, f)[0].body).toContain(app.url)
    expect(commentsOf(pr, f)[0].body).toContain(SHA)
    expect(commentsOf(pr, f)[0].body).toContain('Preview is ready')

    const pushed = await preview({
      inputs: { ...hostInputs(f), image: 'registry.example.com/shop:pr-7-b' },
      eventName: 'pull_request',
      payload: prEvent(pr, { action: 'synchronize', sha: 'abcdef1abcdef1abcdef1abcdef1abcdef1abcde' }),
      github
    })
    expect(pushed.failed).toBeUndefined()
    const second = await tagged(clients, f, pr)
    // Same service, target group and rule; a new revision runs and the old one is deregistered.
    expect(second.services.map(s => s.name)).toEqual([`${f.service}-pr-7`])
    expect(second.services[0].taskDefinition).toBe(out(pushed, 'task-definition-arn'))
    expect(second.services[0].taskDefinition).not.toBe(first.services[0].taskDefinition)
    expect(await imageOf(clients, second.services[0].taskDefinition)).toBe('registry.example.com/shop:pr-7-b')
    expect(out(pushed, 'previous-task-definition-arn')).toBe(first.services[0].taskDefinition)
    expect(second.targetGroups.map(t => t.arn)).toEqual(first.targetGroups.map(t => t.arn))
    expect(second.rules.map(r => r.arn)).toEqual(first.rules.map(r => r.arn))
    expect(second.taskDefinitions).toEqual([second.services[0].taskDefinition])
    expect(pushed.sent).not.toContain('CreateService')
    expect(pushed.sent).not.toContain('CreateTargetGroup')
    expect(pushed.sent).not.toContain('CreateRule')
    // Still one comment, edited to the new commit.
    expect(commentsOf(pr, f)).toHaveLength(1)
    expect(commentsOf(pr, f)[0].body).toContain('abcdef1abcdef1abcdef1abcdef1abcdef1abcde')

    const closed = await preview({
      inputs: hostInputs(f),
      eventName: 'pull_request',
      payload: prEvent(pr, { action: 'closed' }),
      github
    })
    expect(closed.failed).toBeUndefined()
    expect(closed.result?.outcome).toBe('torn-down')
    expect(await tagged(clients, f, pr)).toEqual(NOTHING)
    // Routing went first: the rule is deleted before the service and the target group.
    const order = closed.sent.filter(c => ['DeleteRule', 'DeleteService', 'DeleteTargetGroup'].includes(c))
    expect(order).toEqual(['DeleteRule', 'DeleteService', 'DeleteTargetGroup'])
    expect(commentsOf(pr, f)).toHaveLength(1)
    expect(commentsOf(pr, f)[0].body).toContain('Preview torn down')
    // The base service's own routing is untouched.
    const baseRules =
      (await clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: f.listenerArn }))).Rules ?? []
    expect(baseRules.filter(r => r.IsDefault)).toHaveLength(1)

    const again = await preview({
      inputs: hostInputs(f),
      eventName: 'pull_request',
      payload: prEvent(pr, { action: 'closed' }),
      github
    })
    expect(again.failed).toBeUndefined()
    expect(again.result?.outcome).toBe('torn-down')
    expect(again.sent.filter(c => MUTATING.test(c))).toEqual([])
    expect(commentsOf(pr, f)).toHaveLength(1)
  })

  it('port mode: two PRs deployed at once get distinct ports, and teardown leaves nothing tagged', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const [a, b] = await Promise.all([
      preview({ inputs: portInputs(f), eventName: 'pull_request', payload: prEvent(3) }),
      preview({ inputs: portInputs(f), eventName: 'pull_request', payload: prEvent(103) })
    ])
    expect(a.failed).toBeUndefined()
    expect(b.failed).toBeUndefined()
    const la = (await tagged(clients, f, 3)).listeners
    const lb = (await tagged(clients, f, 103)).listeners
    expect(la).toHaveLength(1)
    expect(lb).toHaveLength(1)
    // Both PRs prefer port 8003 (from + n mod 100): one of them takes the next free port.
    expect(new Set([la[0].port, lb[0].port])).toEqual(new Set([8003, 8004]))
    const ta = (await tagged(clients, f, 3)).targetGroups
    expect(la[0].forwardsTo).toBe(ta[0].arn)
    expect((await tagged(clients, f, 3)).rules).toEqual([])

    // A re-deploy keeps its port.
    const again = await preview({
      inputs: portInputs(f),
      eventName: 'pull_request',
      payload: prEvent(3, { action: 'synchronize' })
    })
    expect(again.failed).toBeUndefined()
    expect((await tagged(clients, f, 3)).listeners.map(l => l.arn)).toEqual([la[0].arn])
    expect(again.sent).not.toContain('CreateListener')

    for (const pr of [3, 103]) {
      const closed = await preview({
        inputs: portInputs(f),
        eventName: 'pull_request',
        payload: prEvent(pr, { action: 'closed' })
      })
      expect(closed.failed).toBeUndefined()
      expect(await tagged(clients, f, pr)).toEqual(NOTHING)
    }
    // Only the shared listener is left on the ALB.
    const left = (
      await clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: f.loadBalancerArn }))
    ).Listeners
    expect(left?.map(l => l.ListenerArn)).toEqual([f.listenerArn])
  })

  it('port mode: the derived URL is the ALB DNS name and the port; a taken port is skipped', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    // Someone else's listener on port 8005, the port PR 5 would take first.
    await clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: f.loadBalancerArn,
        Protocol: 'HTTP',
        Port: 8005,
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }]
      })
    )
    const r = await preview({
      inputs: { ...portInputs(f), url: '', 'dry-run': 'false', 'preview-desired-count': '0' },
      eventName: 'pull_request',
      payload: prEvent(5)
    })
    expect(r.failed).toBeUndefined()
    const l = (await tagged(clients, f, 5)).listeners
    expect(l.map(x => x.port)).toEqual([8006])
    expect(out(r, 'url')).toBe(`http://${f.dnsName}:8006`)
  })

  it('host mode: two PRs deployed at once get distinct rule priorities; a taken one is skipped', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const handWritten = (priority: number) =>
      clients.elbv2.send(
        new CreateRuleCommand({
          ListenerArn: f.listenerArn,
          Priority: priority,
          // A host of its own: it cannot match a preview's host, so it never answers first for one.
          Conditions: [
            { Field: 'host-header', HostHeaderConfig: { Values: [`hand-written-${priority}.example.com`] } }
          ],
          Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }]
        })
      )
    // 1011 is taken, so PR 11 moves to 1012, the priority PR 12 wants: the two race for it.
    await handWritten(1011)
    const [r11, r12] = await Promise.all([
      preview({ inputs: hostInputs(f), eventName: 'pull_request', payload: prEvent(11) }),
      preview({ inputs: hostInputs(f), eventName: 'pull_request', payload: prEvent(12) })
    ])
    expect(r11.failed).toBeUndefined()
    expect(r12.failed).toBeUndefined()
    const p11 = (await tagged(clients, f, 11)).rules
    const p12 = (await tagged(clients, f, 12)).rules
    expect(p11.map(r => r.host)).toEqual([`pr-11.${DOMAIN}`])
    expect(p12.map(r => r.host)).toEqual([`pr-12.${DOMAIN}`])
    expect(new Set([p11[0].priority, p12[0].priority])).toEqual(new Set(['1012', '1013']))
  })

  it('refuses to create anything when the listener is at its rule quota', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    for (let i = 1; i <= 100; i++)
      await clients.elbv2.send(
        new CreateRuleCommand({
          ListenerArn: f.listenerArn,
          Priority: i,
          Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/r${i}/*`] } }],
          Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }]
        })
      )
    const r = await preview({ inputs: hostInputs(f), eventName: 'pull_request', payload: prEvent(9), github })
    expect(r.ok).toBe(false)
    expect(r.failed).toContain('is at its quota of rules (100 of 100 in use)')
    expect(r.failed).toContain('preview-action: sweep')
    expect(r.sent.filter(c => MUTATING.test(c))).toEqual([])
    expect(await tagged(clients, f, 9)).toEqual(NOTHING)
  })

  it('refuses a fork PR without an AWS call or a comment', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const r = await preview({
      inputs: hostInputs(f),
      eventName: 'pull_request',
      payload: prEvent(31, { headRepo: 'mallory/shop' }),
      github
    })
    expect(r.ok).toBe(true)
    expect(r.result?.outcome).toBe('skipped')
    expect(r.sent).toEqual([])
    expect(github.comments.filter(c => c.issue === 31)).toEqual([])
    expect(r.lines.join('\n')).toMatch(/fork mallory\/shop.*allow-forks: true/)
  })

  it('an explicit environment is the output as given; the GitHub deployment stays per PR', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const r = await preview({
      inputs: { ...hostInputs(f), environment: 'preview' },
      eventName: 'pull_request',
      payload: prEvent(34),
      github
    })
    expect(r.ok).toBe(true)
    expect(out(r, 'environment')).toBe('preview')
    const [deployment] = github.deployments.filter(d => d.environment === 'pr-34')
    expect(deployment.statuses.map(x => x.state)).toEqual(['in_progress', 'success'])

    // Closing marks the PR's own deployment inactive, not whatever 'preview' names.
    const closed = await preview({
      inputs: { ...hostInputs(f), environment: 'preview' },
      eventName: 'pull_request',
      payload: prEvent(34, { action: 'closed' }),
      github
    })
    expect(closed.result?.outcome).toBe('torn-down')
    expect(deployment.statuses.map(x => x.state)).toEqual(['in_progress', 'success', 'inactive'])
  })

  it('opened and labeled racing for one PR: a loser says another run made the preview, and leaves one', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const runs = await Promise.all(
      ['opened', 'labeled'].map(action =>
        preview({
          inputs: hostInputs(f),
          eventName: 'pull_request',
          payload: prEvent(35, { action }),
          github
        })
      )
    )
    expect(runs.some(r => r.ok)).toBe(true)
    for (const r of runs.filter(x => !x.ok)) {
      expect(r.failed).toContain('Another run created the preview of PR #35 at the same moment')
      expect(r.failed).toContain('concurrency: preview-${{ github.event.pull_request.number }}')
      // Its task definition was undone: no output names it.
      expect(out(r, 'task-definition-arn')).toBeUndefined()
    }
    const left = await tagged(clients, f, 35)
    expect([left.services.length, left.targetGroups.length, left.rules.length]).toEqual([1, 1, 1])
  })

  it('refuses a PR whose fork was deleted (head.repo null), naming it so', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const payload = prEvent(32)
    ;(payload.pull_request.head as { repo: unknown }).repo = null
    const r = await preview({ inputs: hostInputs(f), eventName: 'pull_request', payload, github })
    expect(r.result?.outcome).toBe('skipped')
    expect(r.sent).toEqual([])
    expect(r.lines.join('\n')).toContain('PR #32 comes from a deleted fork')
  })

  it('a listener ARN that names no listener fails naming the input, not as a bug', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const wrong = f.listenerArn.replace(/\/[0-9a-f]+$/, '/0123456789abcdef')
    const r = await preview({
      inputs: { ...hostInputs(f), 'listener-arn': wrong },
      eventName: 'pull_request',
      payload: prEvent(33),
      github
    })
    expect(r.ok).toBe(false)
    expect(r.failed).toContain(`Listener ${wrong} ('listener-arn') was not found`)
    expect(r.failed).toContain("Fix: set 'listener-arn' to the ARN of the shared ALB's listener")
    expect(r.sent.filter(c => MUTATING.test(c))).toEqual([])
  })

  it('renders a hostile branch name and title inert in the comment', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const hostile = 'x`$(id)`;)[a](b)@team<img>'
    const r = await preview({
      inputs: hostInputs(f),
      eventName: 'pull_request',
      payload: prEvent(41, {
        headRef: hostile,
        title: `<img src=x onerror=alert(1)> @org/admins [click](http://evil)`
      }),
      github
    })
    expect(r.failed).toBeUndefined()
    const [comment] = commentsOf(41, f)
    expect(comment.body).not.toContain('[a](b)')
    expect(comment.body).not.toContain('<img')
    expect(comment.body).not.toMatch(/@team|@org/)
    expect(comment.body).not.toContain('[click](')
    expect(comment.body).not.toContain('`$(id)`')
    expect(comment.body).toContain('@&#8203;team')
  })

  it('dry-run plans the preview and changes nothing', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const r = await preview({
      inputs: { ...hostInputs(f), 'dry-run': 'true', image: 'registry.example.com/shop:dry' },
      eventName: 'pull_request',
      payload: prEvent(51),
      github
    })
    expect(r.failed).toBeUndefined()
    expect(r.result?.outcome).toBe('planned')
    expect(r.sent.filter(c => MUTATING.test(c))).toEqual([])
    expect(await tagged(clients, f, 51)).toEqual(NOTHING)
    expect(github.comments.filter(c => c.issue === 51)).toEqual([])
    const plan = r.lines.filter(l => l.startsWith('[dry-run] would call'))
    expect(plan.map(l => l.split(' ')[3])).toEqual([
      'ecs:RegisterTaskDefinition',
      'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      'elasticloadbalancing:CreateRule',
      'ecs:CreateService'
    ])
    expect(r.summary).toContain('Dry-run plan')
    // Nothing was registered: no placeholder ARN as an output.
    expect(out(r, 'task-definition-arn')).toBeUndefined()
    expect(out(r, 'environment')).toBe('pr-51')
  })

  it('host mode without url: a derived name that does not resolve is reported, not smoke-tested', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const r = await preview({
      inputs: { ...hostInputs(f), url: '' },
      eventName: 'pull_request',
      payload: prEvent(62),
      github
    })
    expect(r.failed).toBeUndefined()
    expect(r.result?.outcome).toBe('deployed')
    expect(out(r, 'url')).toBe(`http://pr-62.${DOMAIN}`)
    expect(r.lines.join('\n')).toMatch(
      /::warning::http:\/\/pr-62\.preview\.example\.com is not reachable from the runner \(dns/
    )
    expect(github.comments.find(c => c.issue === 62)?.body).toContain('not smoke-tested')
  })

  it('without a token the preview still deploys, with a warning', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const r = await preview({ inputs: hostInputs(f), eventName: 'pull_request', payload: prEvent(61) })
    expect(r.failed).toBeUndefined()
    expect(r.result?.outcome).toBe('deployed')
    expect(r.lines.join('\n')).toContain("::warning::No 'github-token'")
  })

  it('GitHub refusing the comment is a warning: the preview still deploys', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    github.denyComments = true
    try {
      const r = await preview({
        inputs: hostInputs(f),
        eventName: 'pull_request',
        payload: prEvent(65),
        github
      })
      expect(r.failed).toBeUndefined()
      expect(r.result?.outcome).toBe('deployed')
      expect(r.lines.join('\n')).toMatch(/::warning::Could not comment on PR #65: .*pull-requests: write/)
      expect(github.comments.filter(c => c.issue === 65)).toEqual([])
    } finally {
      github.denyComments = false
    }
  })

  it('dry-run teardown and sweep plan their deletions and change nothing', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    expect(
      (await preview({ inputs: hostInputs(f), eventName: 'pull_request', payload: prEvent(66) })).failed
    ).toBe(undefined)
    const before = await tagged(clients, f, 66)
    const down = await preview({
      inputs: { ...hostInputs(f), 'dry-run': 'true' },
      eventName: 'pull_request',
      payload: prEvent(66, { action: 'closed' })
    })
    expect(down.failed).toBeUndefined()
    expect(down.result?.outcome).toBe('planned')
    expect(down.sent.filter(c => MUTATING.test(c))).toEqual([])
    expect(down.lines.filter(l => l.startsWith('[dry-run] would call')).map(l => l.split(' ')[3])).toEqual([
      'elasticloadbalancing:DeleteRule',
      'ecs:UpdateService',
      'ecs:DeleteService',
      'elasticloadbalancing:DeleteTargetGroup',
      'ecs:DeregisterTaskDefinition'
    ])
    github.pulls.set(66, 'closed')
    const sweep = await preview({
      inputs: { ...hostInputs(f), 'dry-run': 'true' },
      eventName: 'workflow_dispatch',
      payload: {},
      github
    })
    expect(sweep.failed).toBeUndefined()
    expect(sweep.result?.outcome).toBe('planned')
    expect(sweep.sent.filter(c => MUTATING.test(c))).toEqual([])
    expect(sweep.lines).toContain(
      `[dry-run] would call elasticloadbalancing:DeleteRule {"RuleArn":"${before.rules[0].arn}"}`
    )
    expect(sweep.summary).toMatch(/\| #66 \| would remove \| pull request closed \|/)
    expect(await tagged(clients, f, 66)).toEqual(before)

    // A sweep asked for on a pull_request event spans every preview: no environment output.
    const forced = await preview({
      inputs: { ...hostInputs(f), 'dry-run': 'true', 'preview-action': 'sweep' },
      eventName: 'pull_request',
      payload: prEvent(67),
      github
    })
    expect(forced.result?.outcome).toBe('planned')
    expect(out(forced, 'environment')).toBeUndefined()
  })

  it('a preview reopened right after its teardown comes back', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const base = { inputs: hostInputs(f), eventName: 'pull_request', github }
    expect((await preview({ ...base, payload: prEvent(71) })).failed).toBeUndefined()
    expect((await preview({ ...base, payload: prEvent(71, { action: 'closed' }) })).failed).toBeUndefined()
    const reopened = await preview({ ...base, payload: prEvent(71, { action: 'reopened' }) })
    expect(reopened.failed).toBeUndefined()
    const now = await tagged(clients, f, 71)
    expect(now.services).toHaveLength(1)
    expect(now.rules).toHaveLength(1)
    expect(commentsOf(71, f)).toHaveLength(1)
    expect(commentsOf(71, f)[0].body).toContain('Preview is ready')
  })

  it('sweep removes previews of closed PRs and idle ones, keeps fresh ones, and says why', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    for (const pr of [81, 82, 83]) {
      const r = await preview({
        inputs: hostInputs(f),
        eventName: 'pull_request',
        payload: prEvent(pr),
        github
      })
      expect(r.failed).toBeUndefined()
    }
    github.pulls.set(81, 'closed')
    github.pulls.set(82, 'open')
    github.pulls.set(83, 'open')
    // PR 83 was last deployed ten days ago.
    const old = new Date(Date.now() - 10 * 86400_000).toISOString()
    const r83 = await tagged(clients, f, 83)
    const svcArn = (
      await clients.ecs.send(
        new DescribeServicesCommand({ cluster: f.cluster, services: [r83.services[0].name] })
      )
    ).services![0].serviceArn!
    await clients.ecs.send(
      new TagResourceCommand({ resourceArn: svcArn, tags: [{ key: 'zdt:deployed-at', value: old }] })
    )
    await clients.elbv2.send(
      new AddTagsCommand({
        ResourceArns: [r83.targetGroups[0].arn, r83.rules[0].arn],
        Tags: [{ Key: 'zdt:deployed-at', Value: old }]
      })
    )
    for (const arn of r83.taskDefinitions)
      await clients.ecs.send(
        new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'zdt:deployed-at', value: old }] })
      )

    const swept = await preview({
      inputs: { ...hostInputs(f), 'preview-ttl': '7d' },
      eventName: 'schedule',
      payload: { schedule: '17 3 * * *', repository: { full_name: REPO } },
      github
    })
    expect(swept.failed).toBeUndefined()
    expect(swept.result?.outcome).toBe('swept')
    expect(await tagged(clients, f, 81)).toEqual(NOTHING)
    expect(await tagged(clients, f, 83)).toEqual(NOTHING)
    expect((await tagged(clients, f, 82)).services).toHaveLength(1)
    expect(swept.summary).toContain('### Preview sweep')
    expect(swept.summary).toMatch(/\| #81 \| 🧹 removed \| pull request closed \|/)
    expect(swept.summary).toMatch(/\| #82 \| kept \| pull request open; last deployed \d+s ago \|/)
    expect(swept.summary).toMatch(/\| #83 \| 🧹 removed \| idle for 10d(\d+s)? \(preview-ttl 7d\) \|/)
    expect(commentsOf(81, f)[0].body).toContain('removed by the sweep: pull request closed')
    expect(commentsOf(82, f)[0].body).toContain('Preview is ready')
  })

  it('a lower-numbered wildcard host rule: the preview rule goes ahead of it; a /* rule at 1 is refused', async () => {
    const f = await createEcsService(clients, { desiredCount: 1 })
    const rule = (priority: number, conditions: CreateRuleCommandInput['Conditions']) =>
      clients.elbv2.send(
        new CreateRuleCommand({
          ListenerArn: f.listenerArn,
          Priority: priority,
          Conditions: conditions,
          Actions: [{ Type: 'forward', TargetGroupArn: f.targetGroupArn }]
        })
      )
    await rule(5, [{ Field: 'host-header', HostHeaderConfig: { Values: [`*.${DOMAIN}`] } }])
    const ahead = await onPr(hostInputs(f), 161)
    expect(ahead.failed).toBeUndefined()
    expect((await tagged(clients, f, 161)).rules).toMatchObject([{ priority: '4', host: `pr-161.${DOMAIN}` }])
    expect(ahead.lines.join('\n')).toContain(`priority 5 (host-header *.${DOMAIN};`)

    const everything = (await rule(1, [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }]))
      .Rules![0]
    const refused = await onPr(hostInputs(f), 162)
    expect(refused.ok).toBe(false)
    expect(refused.failed).toContain(`Rule priority 1 (path-pattern /*; ${everything.RuleArn})`)
    expect(refused.failed).toContain('narrow that rule')
    expect(refused.sent.filter(c => MUTATING.test(c))).toEqual([])
    expect(await tagged(clients, f, 162)).toEqual(NOTHING)
  })

  it('port mode: only ports the load balancer security group admits are used; none admitted is refused', async () => {
    const partly = await createEcsService(clients, { desiredCount: 1, admitPorts: [[8050, 8099]] })
    // PR 123's own port, 8023, is not admitted: the next admitted one is.
    const r = await onPr(portInputs(partly), 123)
    expect(r.failed).toBeUndefined()
    expect((await tagged(clients, partly, 123)).listeners.map(l => l.port)).toEqual([8050])

    const closed = await createEcsService(clients, { desiredCount: 1, admitPorts: [[443, 443]] })
    const refused = await onPr(portInputs(closed), 164)
    expect(refused.ok).toBe(false)
    expect(refused.failed).toMatch(
      /No port of 'preview-ports' \(8000-8099\) is admitted by the security groups/
    )
    expect(refused.failed).toMatch(
      /add an inbound rule to security group sg-\w+ \(shop-[\w-]+-lb\): TCP ports 8000-8099/
    )
    expect(refused.sent.filter(c => MUTATING.test(c))).toEqual([])
    expect(await tagged(clients, closed, 164)).toEqual(NOTHING)
  })
})
