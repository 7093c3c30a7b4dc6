// pr-preview in the simulation: the real run() against ELBv2 and ECS models that move on a virtual
// clock (tasks start, targets pass health checks, deleted services drain), with races, quotas,
// eventual consistency and throttling injected. Requests go through the simulated ALB.
import { afterEach, describe, expect, it } from '@jest/globals'
import { CANCEL_BUDGET_MS } from '../../src/cancellation.js'
import {
  FakeGitHub,
  createSimulation,
  hostCondition,
  runActionInSim,
  runActionsInSim,
  type ActionInputs,
  type EcsServiceOptions,
  type Simulation
} from './index.js'
import { REPO, prEvent } from '../../testkit/moto-preview.js'
import { LOAD_BALANCER_GROUP, admitTcp } from './ec2/security-groups.js'
import {
  DOMAIN,
  NOTHING,
  leftovers as previewLeftovers,
  ok,
  previewWorld,
  type PreviewWorld
} from './preview-scenarios.js'

let sim: Simulation
afterEach(() => sim?.restore())

type World = PreviewWorld

/** A base service `web` behind its ALB, and the inputs of a host-mode (or port-mode) preview of it. */
function world(
  mode: 'host' | 'port' = 'host',
  opts: Parameters<typeof createSimulation>[0] = {},
  service: EcsServiceOptions = {}
): World {
  sim = createSimulation({ seed: 7, ...opts })
  return previewWorld(sim, mode, service)
}

const onPr = (w: World, n: number, action = 'opened', extra: ActionInputs = {}) =>
  runActionInSim(sim, w.inputs(extra), {
    eventName: 'pull_request',
    event: prEvent(n, { action }),
    github: w.github
  })

const leftovers = (_w: World, pr: number) => previewLeftovers(sim, pr)

describe('pr-preview in the simulation', () => {
  it('deploys a host-mode preview: healthy, reachable through its rule, production untouched', async () => {
    const w = world()
    const production = sim.startTraffic(`${w.web.url}/`, 5, { name: 'production' })
    const r = await onPr(w, 7)
    ok(r)
    expect(r.result?.outcome).toBe('deployed')
    expect(r.outputs).toMatchObject({ environment: 'pr-7', url: w.web.url })

    const preview = sim.service(w.web.clusterName, 'web-pr-7')
    expect(preview.desiredCount).toBe(1)
    expect(preview.deployments).toHaveLength(1)
    expect(preview.deployments![0].rolloutState).toBe('COMPLETED')
    expect(preview.networkConfiguration).toEqual(sim.service(w.web.clusterName, 'web').networkConfiguration)
    expect(preview.launchType).toBe('FARGATE')
    const tg = preview.loadBalancers![0].targetGroupArn!
    expect(sim.targetHealth(tg).map(t => t.TargetHealth?.State)).toEqual(['healthy'])
    // The smoke test reached the preview's task through the host rule, not production's.
    const smoke = sim.requests.list('action').filter(q => q.url.endsWith('/healthz'))
    expect(smoke.length).toBeGreaterThan(0)
    expect(smoke.at(-1)).toMatchObject({ status: 200, targetGroupArn: tg })
    expect(smoke.at(-1)?.headers.Host).toBe(`pr-7.${DOMAIN}`)
    // The task starts (20 s) and, newly registered, passes its first health check 30 s later before
    // the preview is stable.
    expect(r.durationMs).toBeGreaterThan(50_000)
    expect(r.durationMs).toBeLessThan(400_000)
    expect(production.stop().failed).toBe(0)
    expect(w.github.commentBodies(7)).toHaveLength(1)
    expect(w.github.commentBodies(7)[0]).toContain('Preview is ready')
    expect(leftovers(w, 7)).toMatchObject({ services: ['web-pr-7 ACTIVE'], rules: [1007] })
  })

  it('redeploys in place, then tears down: rule first, service drained, target group and revisions gone', async () => {
    const w = world()
    ok(await onPr(w, 8))
    const before = sim.service(w.web.clusterName, 'web-pr-8')
    const redeploy = await onPr(w, 8, 'synchronize', { image: 'registry.example.com/web:pr-8-b' })
    ok(redeploy)
    const after = sim.service(w.web.clusterName, 'web-pr-8')
    expect(after.serviceArn).toBe(before.serviceArn)
    expect(after.taskDefinition).not.toBe(before.taskDefinition)
    expect(redeploy.outputs['previous-task-definition-arn']).toBe(before.taskDefinition)
    expect(leftovers(w, 8).taskDefinitions).toEqual([after.taskDefinition])
    expect(sim.calls.count('ecs:CreateService')).toBe(1)
    expect(sim.calls.count('elasticloadbalancing:CreateRule')).toBe(1)
    expect(w.github.commentBodies(8)).toHaveLength(1)

    const mark = sim.calls.sequence().length
    const down = await onPr(w, 8, 'closed')
    ok(down)
    expect(down.result?.outcome).toBe('torn-down')
    const order = sim.calls
      .sequence()
      .slice(mark)
      .filter(c =>
        /DeleteRule|UpdateService|DeleteService|DeleteTargetGroup|DeregisterTaskDefinition/.test(c)
      )
    expect(order[0]).toMatch(/DeleteRule/)
    expect(order.indexOf(order.find(c => /DeleteTargetGroup/.test(c))!)).toBeGreaterThan(
      order.indexOf(order.find(c => /DeleteService/.test(c))!)
    )
    // ECS drains the service and then forgets it.
    await sim.advance(10 * 60_000)
    expect(leftovers(w, 8)).toEqual(NOTHING)
    expect(w.github.commentBodies(8)[0]).toContain('Preview torn down')
  })

  it('a second teardown, and a teardown of a PR that never had a preview, change nothing', async () => {
    const w = world()
    ok(await onPr(w, 9))
    ok(await onPr(w, 9, 'closed'))
    const mutating = sim.calls.mutating().length
    const again = await onPr(w, 9, 'closed')
    ok(again)
    expect(again.result?.outcome).toBe('torn-down')
    const never = await onPr(w, 99, 'closed')
    ok(never)
    expect(sim.calls.mutating().length).toBe(mutating)
    expect(w.github.commentBodies(99)).toEqual([])
  })

  it('reopened while the old service still drains: waits for it to be gone, then deploys', async () => {
    const w = world()
    // The app takes 25 s to shut down, so the deleted service stays DRAINING for a while.
    sim.setImageBehavior('registry.example.com/web:pr', { shutdownSeconds: 25 })
    ok(await onPr(w, 10))
    ok(await onPr(w, 10, 'closed'))
    expect(sim.service(w.web.clusterName, 'web-pr-10').status).toBe('DRAINING')
    const reopened = await onPr(w, 10, 'reopened')
    ok(reopened)
    expect(reopened.lines.join('\n')).toMatch(/previous service web-pr-10 is DRAINING/)
    expect(sim.service(w.web.clusterName, 'web-pr-10').status).toBe('ACTIVE')
    expect(leftovers(w, 10).rules).toHaveLength(1)
  })

  it('sweep: removes the closed PR and the idle one, keeps the fresh one, and says why', async () => {
    const w = world()
    ok(await onPr(w, 21))
    ok(await onPr(w, 22))
    await sim.advance(3 * 3600_000)
    ok(await onPr(w, 23))
    w.github.setPullRequest(21, 'closed').setPullRequest(22, 'open').setPullRequest(23, 'open')
    const swept = await runActionInSim(sim, w.inputs({ 'preview-ttl': '2h' }), {
      eventName: 'schedule',
      event: { schedule: '17 3 * * *' },
      github: w.github
    })
    ok(swept)
    expect(swept.result?.outcome).toBe('swept')
    await sim.advance(10 * 60_000)
    expect(leftovers(w, 21)).toEqual(NOTHING)
    expect(leftovers(w, 22)).toEqual(NOTHING)
    expect(leftovers(w, 23).services).toEqual(['web-pr-23 ACTIVE'])
    expect(swept.summary).toMatch(/\| #21 \| 🧹 removed \| pull request closed \|/)
    expect(swept.summary).toMatch(/\| #22 \| 🧹 removed \| idle for 3h\d*m?\d*s? \(preview-ttl 2h\) \|/)
    expect(swept.summary).toMatch(/\| #23 \| kept \| pull request open; last deployed \d+m?\d*s? ago \|/)
    expect(w.github.commentBodies(22)[0]).toContain('removed by the sweep: idle for 3h')
  })

  it('two PRs deploying at the same moment get distinct rule priorities', async () => {
    const w = world()
    // 1031 is taken, so PR 31 moves to 1032, the priority PR 32 wants at the same moment.
    sim.addListenerRule(w.web.alb!.listenerArn, {
      priority: 1031,
      conditions: [hostCondition('hand-written.example.com')],
      targetGroupArn: w.web.alb!.targetGroupArn
    })
    const event = (n: number) => ({ eventName: 'pull_request', event: prEvent(n), github: w.github })
    const [a, b] = await runActionsInSim(sim, [
      { inputs: w.inputs(), opts: event(31) },
      { inputs: w.inputs(), opts: event(32) }
    ])
    ok(a)
    ok(b)
    expect([...leftovers(w, 31).rules, ...leftovers(w, 32).rules].sort()).toEqual([1032, 1033])
    expect(sim.calls.of('elasticloadbalancing:CreateRule').some(c => c.error === 'PriorityInUse')).toBe(true)
  })

  it('two PRs deploying at the same moment in port mode get distinct listener ports', async () => {
    const w = world('port')
    const event = (n: number) => ({ eventName: 'pull_request', event: prEvent(n), github: w.github })
    const [a, b] = await runActionsInSim(sim, [
      { inputs: w.inputs(), opts: event(41) },
      { inputs: w.inputs(), opts: event(141) }
    ])
    ok(a)
    ok(b)
    expect([...leftovers(w, 41).listeners, ...leftovers(w, 141).listeners].sort()).toEqual([8041, 8042])
    expect(a.outputs.url).toMatch(/^http:\/\/web-alb-.*:80(41|42)$/)
    expect(
      sim.calls.of('elasticloadbalancing:CreateListener').some(c => c.error === 'DuplicateListener')
    ).toBe(true)
  })

  it('at the rule quota: fails with the reason before creating anything', async () => {
    const w = world('host', { limits: { rulesPerLoadBalancer: 3 } })
    for (const p of [1, 2, 3])
      sim.addListenerRule(w.web.alb!.listenerArn, {
        priority: p,
        conditions: [hostCondition(`x${p}.example.com`)],
        targetGroupArn: w.web.alb!.targetGroupArn
      })
    const r = await onPr(w, 51)
    expect(r.ok).toBe(false)
    expect(r.failedMessage).toContain('is at its quota of rules (3 of 3 in use)')
    expect(r.failedMessage).toContain('Fix:')
    expect(sim.calls.mutating()).toEqual([])
    expect(leftovers(w, 51)).toEqual(NOTHING)
  })

  it('port mode at the listener quota: fails with the reason, suggests host routing, creates nothing', async () => {
    const w = world('port', { limits: { listenersPerLoadBalancer: 1 } })
    const r = await onPr(w, 53)
    expect(r.ok).toBe(false)
    expect(r.failedMessage).toContain('is at its quota of listeners (1 of 1 in use)')
    expect(r.failedMessage).toContain("set 'preview-domain'")
    expect(sim.calls.mutating()).toEqual([])
    expect(leftovers(w, 53)).toEqual(NOTHING)
  })

  it('AWS refusing a rule for its quota after the pre-check: everything this run created is undone', async () => {
    const w = world()
    // Another deploy takes the last rule between this run's pre-check and its CreateRule.
    sim.faults.failNext('elbv2:CreateRule', {
      code: 'TooManyRules',
      message: 'A load balancer can have at most 100 rules'
    })
    const late = await onPr(w, 52)
    expect(late.ok).toBe(false)
    expect(late.failedMessage).toContain('is at its quota of rules')
    const log = late.lines.join('\n')
    expect(log).toMatch(/Undone: target group/)
    expect(log).toMatch(/Undone: task definition/)
    expect(sim.calls.sequence().filter(c => /Create|Register|Delete|Deregister/.test(c))).toEqual([
      'ecs:RegisterTaskDefinition',
      'elbv2:CreateTargetGroup',
      'elbv2:CreateRule -> TooManyRules',
      'elbv2:DeleteTargetGroup',
      'ecs:DeregisterTaskDefinition'
    ])
    expect(leftovers(w, 52)).toEqual(NOTHING)
    expect(w.github.commentBodies(52)).toEqual([])
  })

  it('resources not yet visible right after their creation are waited for', async () => {
    const w = world()
    sim.faults.eventualConsistency({ describes: 2, kinds: ['targetgroup', 'service'] })
    const r = await onPr(w, 61)
    ok(r)
    // The new target group answered NotFound twice before the rule was made; the new service was
    // MISSING to the first polls.
    const calls = sim.calls.all
    const created = calls.findIndex(c => c.operation === 'CreateTargetGroup')
    const rule = calls.findIndex(c => c.operation === 'CreateRule')
    expect(
      calls
        .slice(created + 1, rule)
        .filter(c => c.operation === 'DescribeTargetGroups')
        .map(c => c.error ?? 'found')
    ).toEqual(['TargetGroupNotFound', 'TargetGroupNotFound', 'found'])
    expect(r.lines).toContain('preview service: not visible yet')
    expect(leftovers(w, 61)).toMatchObject({ services: ['web-pr-61 ACTIVE'], rules: [1061] })
  })

  it('deploys and tears down under heavy throttling', async () => {
    const w = world()
    sim.faults.throttle({ fraction: 0.3 })
    ok(await onPr(w, 71))
    ok(await onPr(w, 71, 'closed'))
    expect(sim.faults.throttled).toBeGreaterThan(5)
    await sim.advance(10 * 60_000)
    expect(leftovers(w, 71)).toEqual(NOTHING)
  })

  it('a preview whose image never starts fails with the reason and says so on the PR', async () => {
    const w = world()
    sim.setImageBehavior('registry.example.com/web:broken', {
      failToStart: 'CannotPullContainerError: not found'
    })
    const r = await onPr(w, 81, 'opened', { image: 'registry.example.com/web:broken', 'wait-timeout': '600' })
    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(/web-pr-81/)
    expect(w.github.commentBodies(81)[0]).toContain('Preview failed')
  })

  it('a broken push to a live preview is rolled back to the revision before it (rollback: true)', async () => {
    const w = world()
    sim.setImageBehavior('registry.example.com/web:broken', {
      failToStart: 'CannotPullContainerError: not found'
    })
    ok(await onPr(w, 83))
    const good = sim.service(w.web.clusterName, 'web-pr-83').taskDefinition
    const r = await onPr(w, 83, 'synchronize', {
      image: 'registry.example.com/web:broken',
      'wait-timeout': '600'
    })
    expect(r.ok).toBe(false)
    expect(r.outputs['rolled-back']).toBe('true')
    expect(r.failedMessage).toContain(`rolled back to ${good?.split('/').pop()}`)
    expect(sim.service(w.web.clusterName, 'web-pr-83').taskDefinition).toBe(good)
    expect(w.github.commentBodies(83)[0]).toContain('rolled back to')
  })

  it('with rollback: false a broken push stays on the broken revision, and says so', async () => {
    const w = world()
    sim.setImageBehavior('registry.example.com/web:broken', {
      failToStart: 'CannotPullContainerError: not found'
    })
    ok(await onPr(w, 84))
    const r = await onPr(w, 84, 'synchronize', {
      image: 'registry.example.com/web:broken',
      'wait-timeout': '600',
      rollback: 'false'
    })
    expect(r.ok).toBe(false)
    expect(r.outputs['rolled-back']).toBe('false')
    expect(r.failedMessage).toContain("('rollback' is false)")
    expect(sim.service(w.web.clusterName, 'web-pr-84').taskDefinition).toBe(r.outputs['task-definition-arn'])
  })
})

describe("a failed preview's own words", () => {
  it('a crash-looping preview fails with its last log lines named once, with how many tasks ended so', async () => {
    const w = world('host', {}, { awslogs: { group: '/ecs/web' } })
    sim.setImageBehavior('registry.example.com/web:crashy', {
      crashAfterSeconds: 5,
      exitCode: 3,
      logLines: ['Booting web pr', 'FATAL: DATABASE_URL is not set']
    })
    const r = await onPr(w, 85, 'opened', { image: 'registry.example.com/web:crashy', 'wait-timeout': '300' })

    expect(r.ok).toBe(false)
    const message = r.failedMessage ?? ''
    expect(message).toMatch(/web-pr-85/)
    expect(message).toMatch(
      /\n(\d+) tasks stopped with the same last lines \(container 'web', exit code 3: Essential container in task exited; tasks [\w, ]+\):\n {2}\| Booting web pr\n {2}\| FATAL: DATABASE_URL is not set/
    )
    expect(Number(/(\d+) tasks stopped with the same/.exec(message)?.[1])).toBeGreaterThanOrEqual(2)
    expect(message.split('FATAL: DATABASE_URL is not set')).toHaveLength(2)
    expect(sim.calls.count('logs:GetLogEvents')).toBeGreaterThanOrEqual(2)
    expect(w.github.commentBodies(85)[0]).toContain('Preview failed')
  })

  it('a preview whose smoke test fails shows its running tasks last lines', async () => {
    const w = world('host', {}, { awslogs: { group: '/ecs/web' } })
    // The target group checks /healthz, which passes; the smoke test asks /ready, which fails.
    sim.setImageBehavior('registry.example.com/web:pr', {
      paths: { '/ready': { status: 500 } },
      logLines: ['GET /ready 500: cache unreachable']
    })
    const r = await onPr(w, 86, 'opened', { 'health-path': '/ready', 'health-timeout': '20' })

    expect(r.ok).toBe(false)
    expect(r.failedMessage).toMatch(/tasks running with the same last lines|its last log lines/)
    expect(r.failedMessage?.split('  | GET /ready 500: cache unreachable')).toHaveLength(2)
  })
})

describe('pr-preview against the account around it', () => {
  it('a lower-numbered rule that matches the preview host: the preview rule goes ahead of it and serves', async () => {
    const w = world()
    const production = sim.startTraffic(`${w.web.url}/`, 5, { name: 'production' })
    const wildcard = sim.addListenerRule(w.web.alb!.listenerArn, {
      priority: 10,
      conditions: [hostCondition(`*.${DOMAIN}`)],
      targetGroupArn: w.web.alb!.targetGroupArn
    })
    const r = await onPr(w, 7)
    ok(r)
    expect(r.lines.join('\n')).toContain(`priority 10 (host-header *.${DOMAIN}; ${wildcard})`)
    expect(leftovers(w, 7).rules).toEqual([9])
    // The smoke test reached the preview's own target group, not production's through the wildcard.
    const tg = sim.service(w.web.clusterName, 'web-pr-7').loadBalancers![0].targetGroupArn!
    const smoke = sim.requests.list('action').filter(q => q.url.endsWith('/healthz'))
    expect(smoke.at(-1)).toMatchObject({ status: 200, targetGroupArn: tg, rule: 'priority 9' })
    expect(production.stop().failed).toBe(0)
  })

  it('a rule at priority 1 that takes every path: refused before any change, naming it and the fix', async () => {
    const w = world()
    const everything = sim.addListenerRule(w.web.alb!.listenerArn, {
      priority: 1,
      conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
      targetGroupArn: w.web.alb!.targetGroupArn
    })
    const r = await onPr(w, 7)
    expect(r.ok).toBe(false)
    expect(r.failedMessage).toContain(`Rule priority 1 (path-pattern /*; ${everything})`)
    expect(r.failedMessage).toContain(`can match pr-7.${DOMAIN}`)
    expect(r.failedMessage).toMatch(/Fix: narrow that rule's conditions/)
    expect(sim.calls.mutating()).toEqual([])
    expect(leftovers(w, 7)).toEqual(NOTHING)
  })

  it('port mode with no preview port admitted by the security groups: refused before any change, naming the group', async () => {
    sim = createSimulation({ seed: 7 })
    const web = sim.addEcsService({ desiredCount: 2 })
    const w: World = {
      web,
      github: new FakeGitHub(REPO),
      inputs: (extra = {}) => ({
        strategy: 'pr-preview',
        cluster: web.clusterName,
        service: web.serviceName,
        'listener-arn': web.alb!.listenerArn,
        'preview-ports': '8000-8099',
        image: 'registry.example.com/web:pr',
        ...extra
      })
    }
    const r = await onPr(w, 7)
    expect(r.ok).toBe(false)
    expect(r.failedMessage).toContain(
      `No port of 'preview-ports' (8000-8099) is admitted by the security groups`
    )
    expect(r.failedMessage).toContain(
      `add an inbound rule to security group ${LOAD_BALANCER_GROUP} (load-balancer): TCP ports 8000-8099`
    )
    expect(sim.calls.mutating()).toEqual([])
    expect(leftovers(w, 7)).toEqual(NOTHING)
    expect(sim.calls.count('ec2:DescribeSecurityGroups')).toBe(1)
  })

  it('port mode with part of the range admitted: the preview takes an admitted port and serves', async () => {
    sim = createSimulation({ seed: 7 })
    const web = sim.addEcsService({ desiredCount: 2 })
    admitTcp(sim.world.ec2, LOAD_BALANCER_GROUP, 8050, 8099)
    const w: World = {
      web,
      github: new FakeGitHub(REPO),
      inputs: () => ({
        strategy: 'pr-preview',
        cluster: web.clusterName,
        service: web.serviceName,
        'listener-arn': web.alb!.listenerArn,
        'preview-ports': '8000-8099',
        image: 'registry.example.com/web:pr'
      })
    }
    const r = await onPr(w, 7)
    ok(r)
    expect(leftovers(w, 7).listeners).toEqual([8050])
    expect(r.outputs.url).toMatch(/:8050$/)
    const smoke = sim.requests.list('action').filter(q => q.url.endsWith('/healthz'))
    expect(smoke.every(q => q.status === 200)).toBe(true)
  })

  it('leaves production’s deployment alarms out of the preview service', async () => {
    const w = world()
    const base = [...sim.world.ecs.services.values()].find(s => s.name === w.web.serviceName)!
    base.deploymentConfiguration.alarms = { alarmNames: ['production-5xx'], enable: true, rollback: true }
    const r = await onPr(w, 7)
    ok(r)
    expect(sim.service(w.web.clusterName, 'web').deploymentConfiguration?.alarms?.alarmNames).toEqual([
      'production-5xx'
    ])
    expect(sim.service(w.web.clusterName, 'web-pr-7').deploymentConfiguration?.alarms).toBeUndefined()
    expect(r.lines.join('\n')).toContain('deployment alarms (production-5xx) are not copied')
  })
})

describe('a cancelled pr-preview deploy', () => {
  /** When `phase` runs in a whole deploy of PR 7 in this world: its middle, from the run's start. */
  async function middleOf(phase: string, extra: ActionInputs): Promise<number> {
    const w = world()
    const whole = await onPr(w, 7, 'opened', extra)
    ok(whole)
    const ph = whole.run.log.phases.find(x => x.name === phase)!
    return (ph.startMs + ph.endMs) / 2 - sim.clock.startMs
  }
  const cancelledOnPr = (w: World, afterMs: number, extra: ActionInputs) =>
    runActionInSim(sim, w.inputs(extra), {
      eventName: 'pull_request',
      event: prEvent(7, { action: 'opened' }),
      github: w.github,
      sigintAfterMs: afterMs
    })

  // Every step before the waits takes no virtual time; the pre-deploy task's wait is the moment
  // between the task definition and the routing.
  it.each([
    ['Pre-deploy task', { 'pre-deploy-command': '["npm", "run", "migrate"]' }],
    ['Wait for the preview to be stable', {}]
  ])(
    'SIGINT during %s: left tagged and said so, the deployment in error; a re-run completes it, a teardown removes it',
    async (phase, extra: ActionInputs) => {
      const afterMs = await middleOf(phase, extra)

      const w = world()
      const r = await cancelledOnPr(w, afterMs, extra)
      expect(r.run.cancelled?.by).toBe('SIGINT')
      expect(r.durationMs - afterMs).toBeLessThanOrEqual(CANCEL_BUDGET_MS)
      expect(r.summary).toContain('zdt-deploy pr-preview: cancelled')
      expect(r.failedMessage).toContain(`Cancelled by SIGINT during ${phase}.`)
      expect(r.failedMessage).toMatch(
        /The preview of PR #7 stands part-made: this run created task definition /
      )
      expect(r.failedMessage).toContain(
        'Every part is tagged zdt:pr=7: a re-run of the PR completes it in place'
      )
      expect(r.lines.some(l => /Undone:|Undo what this run created/.test(l))).toBe(false)
      const statuses = w.github.deployments.filter(d => d.environment === 'pr-7').flatMap(d => d.statuses)
      expect(statuses.at(-1)).toMatchObject({
        state: 'error',
        description: expect.stringMatching(/^Cancelled/)
      })
      expect(statuses.some(s => s.state === 'failure')).toBe(false)

      const again = await onPr(w, 7, 'synchronize', extra)
      ok(again)
      const left = leftovers(w, 7)
      expect(left.services).toEqual(['web-pr-7 ACTIVE'])
      expect(left.targetGroups).toHaveLength(1)
      expect(left.rules).toHaveLength(1)
      expect(w.github.commentBodies(7)).toHaveLength(1)

      // Cancelled the same way, then torn down: nothing tagged with the PR is left.
      const w2 = world()
      await cancelledOnPr(w2, afterMs, extra)
      ok(await onPr(w2, 7, 'closed'))
      await sim.advance(10 * 60_000)
      expect(leftovers(w2, 7)).toEqual(NOTHING)
    }
  )
})
