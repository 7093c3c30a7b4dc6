// The ELBv2 model through the real SDK client: target health over time, draining, rules and their
// errors, and routing of simulated HTTP through the ALB.
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  SetRulePrioritiesCommand,
  TargetGroupNotFoundException,
  type RuleCondition
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { LOAD_BALANCER_GROUP, admitTcp } from '../ec2/security-groups.js'
import { addListener } from './listeners.js'
import { createSimulation, headerCondition, hostCondition, pathCondition, type Simulation } from '../index.js'

let sim: Simulation
afterEach(() => sim?.restore())

async function stateOf(s: Simulation, tg: string, id: string) {
  const out = await s.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }))
  return out.TargetHealthDescriptions?.find(d => d.Target?.Id === id)?.TargetHealth
}

/** The backend's target health once `ms` more of virtual time have passed. */
async function stateAfter(s: Simulation, ms: number, tg: string) {
  await s.clock.sleep(ms)
  return stateOf(s, tg, '10.0.9.1')
}

/** The backend app at 10.0.9.1, port 8080, as a target of `targetGroupArn`. */
const backendTarget = (targetGroupArn: string) => ({
  TargetGroupArn: targetGroupArn,
  Targets: [{ Id: '10.0.9.1', Port: 8080 }]
})
const registerBackend = (targetGroupArn: string) => new RegisterTargetsCommand(backendTarget(targetGroupArn))

describe('ELBv2 target health', () => {
  it('turns a newly registered target healthy after its first passing check, whatever HealthyThresholdCount', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup({
      targetGroup: { healthCheck: { intervalSeconds: 10, healthyThreshold: 3 } }
    })
    sim.addBackend('10.0.9.1')
    await sim.run(async () => {
      await sim.clients.elbv2.send(registerBackend(alb.targetGroupArn))
      expect((await stateOf(sim, alb.targetGroupArn, '10.0.9.1'))?.Reason).toBe('Elb.RegistrationInProgress')
      expect((await stateAfter(sim, 9_999, alb.targetGroupArn))?.State).toBe('initial')
      expect(await stateAfter(sim, 1, alb.targetGroupArn)).toEqual({ State: 'healthy' })
    })
  })

  it('keeps a target that failed fewer checks than UnhealthyThresholdCount initial: one pass makes it healthy', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup({
      targetGroup: { healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2 } }
    })
    sim.addBackend('10.0.9.1', { bootSeconds: 15 }) // refuses the check at 10 s, answers the one at 20 s
    await sim.run(async () => {
      await sim.clients.elbv2.send(registerBackend(alb.targetGroupArn))
      expect(await stateAfter(sim, 10_000, alb.targetGroupArn)).toEqual({
        State: 'initial',
        Reason: 'Elb.InitialHealthChecking',
        Description: 'Initial health checks in progress'
      })
      expect(await stateAfter(sim, 10_000, alb.targetGroupArn)).toEqual({ State: 'healthy' })
    })
  })

  it('treats a target registered again after draining as new: healthy after one passing check', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup({
      targetGroup: {
        healthCheck: { intervalSeconds: 10, healthyThreshold: 5 },
        deregistrationDelaySeconds: 300
      }
    })
    sim.addBackend('10.0.9.1')
    await sim.run(async () => {
      const elb = sim.clients.elbv2
      await elb.send(registerBackend(alb.targetGroupArn))
      expect((await stateAfter(sim, 10_000, alb.targetGroupArn))?.State).toBe('healthy')
      await elb.send(new DeregisterTargetsCommand(backendTarget(alb.targetGroupArn)))
      expect((await stateAfter(sim, 5_000, alb.targetGroupArn))?.State).toBe('draining')
      await elb.send(registerBackend(alb.targetGroupArn))
      expect((await stateAfter(sim, 9_999, alb.targetGroupArn))?.State).toBe('initial')
      expect((await stateAfter(sim, 1, alb.targetGroupArn))?.State).toBe('healthy')
    })
  })

  it.each(['documented', 'threshold'] as const)(
    'brings a target back from unhealthy after HealthyThresholdCount passes in a row (%s model)',
    async healthModel => {
      sim = createSimulation({ healthModel })
      const alb = sim.addAlbWithTargetGroup({
        targetGroup: { healthCheck: { intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 2 } }
      })
      sim.addBackend('10.0.9.1', { bootSeconds: 25 }) // fails the checks at 10 s and 20 s, passes from 30 s
      await sim.run(async () => {
        await sim.clients.elbv2.send(registerBackend(alb.targetGroupArn))
        expect((await stateAfter(sim, 20_000, alb.targetGroupArn))?.State).toBe('unhealthy')
        expect((await stateAfter(sim, 29_999, alb.targetGroupArn))?.State).toBe('unhealthy')
        expect(await stateAfter(sim, 1, alb.targetGroupArn)).toEqual({ State: 'healthy' })
      })
    }
  )

  it('threshold model: turns a new target healthy after exactly HealthyThresholdCount x HealthCheckIntervalSeconds', async () => {
    sim = createSimulation({ healthModel: 'threshold' })
    const alb = sim.addAlbWithTargetGroup({
      targetGroup: { healthCheck: { intervalSeconds: 10, healthyThreshold: 3 } }
    })
    sim.addBackend('10.0.9.1')
    await sim.run(async () => {
      await sim.clients.elbv2.send(registerBackend(alb.targetGroupArn))
      expect(await stateOf(sim, alb.targetGroupArn, '10.0.9.1')).toEqual({
        State: 'initial',
        Reason: 'Elb.RegistrationInProgress',
        Description: 'Target registration is in progress'
      })
      expect((await stateAfter(sim, 29_999, alb.targetGroupArn))?.State).toBe('initial')
      expect(await stateAfter(sim, 1, alb.targetGroupArn)).toEqual({ State: 'healthy' })
    })
  })

  it('reports unhealthy targets with the reason and the codes, as AWS does', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup({
      targetGroup: { healthCheck: { intervalSeconds: 5, unhealthyThreshold: 2 } }
    })
    sim.addBackend('10.0.9.1', { paths: { '/healthz': { status: 302, location: '/login' } } })
    sim.addBackend('10.0.9.2', { bootSeconds: 3600 })
    sim.addBackend('10.0.9.3', { hang: true })
    await sim.run(async () => {
      await sim.clients.elbv2.send(
        new RegisterTargetsCommand({
          TargetGroupArn: alb.targetGroupArn,
          Targets: ['10.0.9.1', '10.0.9.2', '10.0.9.3'].map(Id => ({ Id, Port: 8080 }))
        })
      )
      await sim.clock.sleep(10_000)
      expect(await stateOf(sim, alb.targetGroupArn, '10.0.9.1')).toEqual({
        State: 'unhealthy',
        Reason: 'Target.ResponseCodeMismatch',
        Description: 'Health checks failed with these codes: [302]'
      })
      expect((await stateOf(sim, alb.targetGroupArn, '10.0.9.2'))?.Reason).toBe('Target.FailedHealthChecks')
      expect((await stateOf(sim, alb.targetGroupArn, '10.0.9.3'))?.Reason).toBe('Target.Timeout')
    })
  })

  it('drains a deregistered target for exactly the deregistration delay, then forgets it', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup({ targetGroup: { deregistrationDelaySeconds: 120 } })
    sim.addBackend('10.0.9.1')
    await sim.run(async () => {
      const elb = sim.clients.elbv2
      await elb.send(registerBackend(alb.targetGroupArn))
      await sim.clock.sleep(300_000)
      expect((await stateOf(sim, alb.targetGroupArn, '10.0.9.1'))?.State).toBe('healthy')
      await elb.send(new DeregisterTargetsCommand(backendTarget(alb.targetGroupArn)))
      expect(await stateOf(sim, alb.targetGroupArn, '10.0.9.1')).toEqual({
        State: 'draining',
        Reason: 'Target.DeregistrationInProgress',
        Description: 'Target deregistration is in progress'
      })
      expect((await stateAfter(sim, 119_999, alb.targetGroupArn))?.State).toBe('draining')
      await sim.clock.sleep(1)
      const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: alb.targetGroupArn }))
      expect(out.TargetHealthDescriptions).toEqual([])
    })
  })

  it('keeps targets of a group no load balancer uses as unused', async () => {
    sim = createSimulation()
    const tg = sim.addTargetGroup({ name: 'lonely' })
    sim.addBackend('10.0.9.1')
    await sim.run(async () => {
      await sim.clients.elbv2.send(
        new RegisterTargetsCommand({ TargetGroupArn: tg.targetGroupArn, Targets: [{ Id: '10.0.9.1' }] })
      )
      await sim.clock.sleep(600_000)
      expect((await stateOf(sim, tg.targetGroupArn, '10.0.9.1'))?.Reason).toBe('Target.NotInUse')
    })
  })
})

describe('ELBv2 resources and their errors', () => {
  it('answers like the SDK does for a missing target group (name, Code, fault, status, class)', async () => {
    sim = createSimulation()
    const missing = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef'
    const error = await sim.run(() =>
      sim.clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [missing] })).then(
        () => undefined,
        (e: unknown) => e
      )
    )
    expect(error).toBeInstanceOf(TargetGroupNotFoundException)
    expect(error).toMatchObject({
      name: 'TargetGroupNotFoundException',
      Code: 'TargetGroupNotFound',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'One or more target groups not found'
    })
  })

  it('creates rules by priority and refuses a priority in use, too many rules, and deleting a used group', async () => {
    sim = createSimulation({ limits: { rulesPerLoadBalancer: 2 } })
    const alb = sim.addAlbWithTargetGroup()
    const elb = sim.clients.elbv2
    await sim.run(async () => {
      const created = await elb.send(
        new CreateTargetGroupCommand({
          Name: 'pr-12',
          Protocol: 'HTTP',
          Port: 8080,
          VpcId: 'vpc-1',
          TargetType: 'ip'
        })
      )
      const tgArn = created.TargetGroups?.[0]?.TargetGroupArn as string
      // A rule at `priority` forwarding to the preview's target group.
      const createRule = (priority: number, condition: RuleCondition) =>
        elb.send(
          new CreateRuleCommand({
            ListenerArn: alb.listenerArn,
            Priority: priority,
            Conditions: [condition],
            Actions: [{ Type: 'forward' as const, TargetGroupArn: tgArn }]
          })
        )
      const rule = await createRule(12, hostCondition('pr-12.example.com'))
      await expect(createRule(12, pathCondition('/x'))).rejects.toMatchObject({
        name: 'PriorityInUseException',
        Code: 'PriorityInUse'
      })
      await createRule(13, pathCondition('/y'))
      await expect(createRule(14, pathCondition('/z'))).rejects.toMatchObject({ Code: 'TooManyRules' })
      await expect(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }))).rejects.toMatchObject({
        name: 'ResourceInUseException',
        Code: 'ResourceInUse'
      })

      const rules = await elb.send(new DescribeRulesCommand({ ListenerArn: alb.listenerArn }))
      expect(rules.Rules?.map(r => r.Priority)).toEqual(['12', '13', 'default'])
      expect(rules.Rules?.[0]?.Conditions?.[0]).toEqual({
        Field: 'host-header',
        Values: ['pr-12.example.com'],
        HostHeaderConfig: { Values: ['pr-12.example.com'] }
      })
      expect(rules.Rules?.[0]?.Actions?.[0]?.ForwardConfig?.TargetGroups).toEqual([
        { TargetGroupArn: tgArn, Weight: 1 }
      ])

      const ruleArn = rule.Rules?.[0]?.RuleArn as string
      const other = rules.Rules?.[1]?.RuleArn as string
      await expect(
        elb.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: ruleArn, Priority: 13 }] }))
      ).rejects.toMatchObject({
        Code: 'PriorityInUse'
      })
      await elb.send(
        new SetRulePrioritiesCommand({
          RulePriorities: [
            { RuleArn: ruleArn, Priority: 13 },
            { RuleArn: other, Priority: 12 }
          ]
        })
      )
      await elb.send(new DeleteRuleCommand({ RuleArn: ruleArn }))
      await elb.send(new DeleteRuleCommand({ RuleArn: other }))
      await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }))
      await expect(
        elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }))
      ).rejects.toMatchObject({
        Code: 'TargetGroupNotFound'
      })
    })
  })

  it('refuses more target groups than the configured quota', async () => {
    sim = createSimulation({ limits: { targetGroups: 1 } })
    sim.addTargetGroup({ name: 'only-one' })
    await expect(
      sim.run(() =>
        sim.clients.elbv2.send(
          new CreateTargetGroupCommand({ Name: 'second', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-1' })
        )
      )
    ).rejects.toMatchObject({ name: 'TooManyTargetGroupsException', Code: 'TooManyTargetGroups' })
  })

  it('keeps target group attributes, deregistration delay 300 by default', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup()
    await sim.run(async () => {
      const elb = sim.clients.elbv2
      const attrs = async () =>
        Object.fromEntries(
          (
            (await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: alb.targetGroupArn })))
              .Attributes ?? []
          ).map(a => [a.Key, a.Value])
        )
      expect((await attrs())['deregistration_delay.timeout_seconds']).toBe('300')
      await elb.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: alb.targetGroupArn,
          Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]
        })
      )
      expect((await attrs())['deregistration_delay.timeout_seconds']).toBe('30')
      await expect(
        elb.send(
          new ModifyTargetGroupAttributesCommand({
            TargetGroupArn: alb.targetGroupArn,
            Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '9000' }]
          })
        )
      ).rejects.toMatchObject({ Code: 'ValidationError' })
    })
  })
})

describe('HTTP through the simulated ALB', () => {
  it('routes by header, host and path rules, and answers 503 for a group without targets', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup({
      targetGroup: { healthCheck: { intervalSeconds: 5, healthyThreshold: 2 } }
    })
    const synthetic = sim.addTargetGroup({ name: 'synthetic' })
    const empty = sim.addTargetGroup({ name: 'empty' })
    sim.addListenerRule(alb.listenerArn, {
      priority: 10,
      conditions: [headerCondition('Synthetic', 'True')],
      targetGroupArn: synthetic.targetGroupArn
    })
    sim.addListenerRule(alb.listenerArn, {
      priority: 20,
      conditions: [hostCondition('*.preview.example.com')],
      targetGroupArn: empty.targetGroupArn
    })
    sim.addListenerRule(alb.listenerArn, {
      priority: 30,
      conditions: [pathCondition('/maintenance*')],
      actions: [
        { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '418', ContentType: 'text/plain' } }
      ]
    })
    sim.addBackend('10.0.9.1')
    sim.addBackend('10.0.9.2', { status: 201 })
    sim.world.elbv2.register(sim.world.elbv2.targetGroups.get(alb.targetGroupArn)!, { id: '10.0.9.1' })
    sim.world.elbv2.register(sim.world.elbv2.targetGroups.get(synthetic.targetGroupArn)!, { id: '10.0.9.2' })
    // Admitted by the security group, so a request there meets no listener and is refused.
    admitTcp(sim.world.ec2, LOAD_BALANCER_GROUP, 8443)
    await sim.advance(60_000)
    const get = (url: string, headers?: Record<string, string>) =>
      sim.run(() => sim.prober({ url, headers, timeoutMs: 2000 }))
    expect(await get(`${alb.url}/healthz`)).toMatchObject({ status: 200 })
    expect(await get(`${alb.url}/healthz`, { synthetic: 'true' })).toMatchObject({ status: 201 })
    expect(await get(`${alb.url}/maintenance/now`)).toMatchObject({ status: 418 })
    expect(await get(`${alb.url}:8443/`)).toMatchObject({ error: 'refused' })
    expect(await get('http://nowhere.example.com/')).toMatchObject({ error: 'dns' })
    // A host-header rule matches the Host the client sends to the ALB; its group is empty: 503.
    expect(await get(`${alb.url}/`, { Host: 'pr-7.preview.example.com' })).toMatchObject({ status: 503 })
    expect(sim.requests.list('action').map(r => r.rule)).toEqual([
      'default',
      'priority 10',
      'priority 30',
      undefined,
      undefined,
      'priority 20'
    ])
  })

  it('fails open to unhealthy targets, whose broken app then answers for itself', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup({ targetGroup: { healthCheck: { intervalSeconds: 5 } } })
    sim.addBackend('10.0.9.1', { status: 500 })
    sim.world.elbv2.register(sim.world.elbv2.targetGroups.get(alb.targetGroupArn)!, { id: '10.0.9.1' })
    await sim.advance(60_000)
    expect(sim.targetHealth(alb.targetGroupArn)[0]?.TargetHealth?.State).toBe('unhealthy')
    const r = await sim.run(() => sim.prober({ url: `${alb.url}/`, timeoutMs: 2000 }))
    expect(r.status).toBe(500)
  })

  it('answers with the lowest-numbered rule whose every condition matches; a condition matches any of its values', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup()
    const fixed = (status: string) => [
      {
        Type: 'fixed-response' as const,
        FixedResponseConfig: { StatusCode: status, ContentType: 'text/plain' }
      }
    ]
    const method = (...values: string[]) => ({
      Field: 'http-request-method',
      HttpRequestMethodConfig: { Values: values }
    })
    const source = (...values: string[]) => ({ Field: 'source-ip', SourceIpConfig: { Values: values } })
    const rules: Array<[number, RuleCondition[]]> = [
      // Both conditions must match: POST never comes, so this rule never answers.
      [1, [hostCondition('*.preview.example.com'), method('POST')]],
      // The client's address is outside this block.
      [2, [source('10.0.0.0/8')]],
      [3, [hostCondition('app.example.com', 'pr-?.preview.example.com'), method('GET', 'HEAD')]],
      [4, [hostCondition('*.preview.example.com')]],
      [5, [source('203.0.113.0/24'), pathCondition('/API/*')]]
    ]
    for (const [priority, conditions] of rules)
      sim.addListenerRule(alb.listenerArn, { priority, conditions, actions: fixed(String(400 + priority)) })
    const get = (path: string, host: string) =>
      sim.run(() => sim.prober({ url: `${alb.url}${path}`, headers: { Host: host }, timeoutMs: 2000 }))
    expect(await get('/', 'PR-7.preview.example.com')).toMatchObject({ status: 403 })
    expect(await get('/', 'pr-17.preview.example.com')).toMatchObject({ status: 404 })
    // Paths compare case-sensitively: /api/x is not /API/*.
    expect(await get('/API/x', 'shop.example.com')).toMatchObject({ status: 405 })
    expect((await get('/api/x', 'shop.example.com')).status).not.toBe(405)
  })

  it('drops a request to a port no inbound rule of the load balancer security groups admits: a timeout', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup({ port: 8000 })
    const other = addListener(sim.world.elbv2, {
      loadBalancerArn: alb.loadBalancerArn,
      port: 8001,
      defaultActions: [{ Type: 'forward', TargetGroupArn: alb.targetGroupArn }]
    })
    const get = (port: number) =>
      sim.run(() => sim.prober({ url: `http://${alb.dnsName}:${port}/`, timeoutMs: 3000 }))
    // The builder admitted its own listener's port only.
    expect(await get(8000)).toMatchObject({ status: 503 })
    expect(await get(other.port)).toMatchObject({ error: 'timeout', latencyMs: 3000 })
    admitTcp(sim.world.ec2, LOAD_BALANCER_GROUP, 8001)
    expect(await get(8001)).toMatchObject({ status: 503 })
  })

  it('fails open only when every registered target is unhealthy: one still initial gets the group a 503', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup({ targetGroup: { healthCheck: { intervalSeconds: 5 } } })
    const group = sim.world.elbv2.targetGroups.get(alb.targetGroupArn)!
    sim.addBackend('10.0.9.1', { status: 500 })
    sim.world.elbv2.register(group, { id: '10.0.9.1' })
    await sim.advance(60_000)
    // A second target registered now is `initial`: not every registered target is unhealthy any more.
    sim.addBackend('10.0.9.2', { status: 500 })
    sim.world.elbv2.register(group, { id: '10.0.9.2' })
    expect(sim.targetHealth(alb.targetGroupArn).map(t => t.TargetHealth?.State)).toEqual([
      'unhealthy',
      'initial'
    ])
    const get = () => sim.run(() => sim.prober({ url: `${alb.url}/`, timeoutMs: 2000 }))
    expect(await get()).toMatchObject({ status: 503 })
    await sim.advance(60_000)
    expect(await get()).toMatchObject({ status: 500 })
  })

  it('sends a draining target no new requests, from the moment it is deregistered', async () => {
    sim = createSimulation()
    const alb = sim.addAlbWithTargetGroup({
      targetGroup: { healthCheck: { intervalSeconds: 5, healthyThreshold: 2 } }
    })
    const group = sim.world.elbv2.targetGroups.get(alb.targetGroupArn)!
    sim.addBackend('10.0.9.1')
    sim.addBackend('10.0.9.2', { status: 201 })
    sim.world.elbv2.register(group, { id: '10.0.9.1' })
    sim.world.elbv2.register(group, { id: '10.0.9.2' })
    await sim.advance(60_000)
    await sim.run(() =>
      sim.clients.elbv2.send(
        new DeregisterTargetsCommand({ TargetGroupArn: alb.targetGroupArn, Targets: [{ Id: '10.0.9.1' }] })
      )
    )
    const answers: Array<number | undefined> = []
    for (let i = 0; i < 6; i++)
      answers.push((await sim.run(() => sim.prober({ url: `${alb.url}/`, timeoutMs: 2000 }))).status)
    expect(answers).toEqual([201, 201, 201, 201, 201, 201])
  })
})
