// The ECS model through the real SDK client: rolling deployments within min/max percent with zero
// failed requests, the 502s of an unsafe deregistration delay, the circuit breaker and its rollback,
// crashed tasks replaced, placement failures, and the API's answers and errors.
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  DeregisterTaskDefinitionCommand,
  ListTaskDefinitionFamiliesCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  ServiceNotFoundException,
  UpdateServiceCommand,
  type Service
} from '@aws-sdk/client-ecs'
import {
  cannotPullContainer,
  circuitBreakerThreshold,
  createSimulation,
  type EcsFixture,
  type Simulation
} from '../index.js'

let sim: Simulation
afterEach(() => sim?.restore())

async function describeService(s: Simulation, f: EcsFixture): Promise<Service> {
  const out = await s.clients.ecs.send(
    new DescribeServicesCommand({ cluster: f.clusterName, services: [f.serviceName] })
  )
  return out.services?.[0] as Service
}

/** Registers a copy of the service's task definition with another image, through the API. */
async function registerImage(s: Simulation, f: EcsFixture, image: string): Promise<string> {
  const current = await s.clients.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: f.taskDefinitionArn })
  )
  const td = current.taskDefinition!
  const out = await s.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      ...td,
      family: td.family!,
      containerDefinitions: td.containerDefinitions!.map(c => ({ ...c, image }))
    })
  )
  return out.taskDefinition!.taskDefinitionArn!
}

/** Polls DescribeServices every `everyMs` until `done`, calling `each` on every answer. */
async function pollService(
  s: Simulation,
  f: EcsFixture,
  done: (svc: Service) => boolean,
  each: (svc: Service) => void = () => undefined,
  everyMs = 1000
): Promise<Service> {
  for (;;) {
    const svc = await describeService(s, f)
    each(svc)
    if (done(svc)) return svc
    await s.clock.sleep(everyMs)
  }
}

const completed = (svc: Service) =>
  svc.deployments?.length === 1 && svc.deployments[0].rolloutState === 'COMPLETED'

describe('ECS rolling deployment', () => {
  it('replaces 2 tasks within min 100 / max 200 and background traffic never fails', async () => {
    sim = createSimulation()
    const f = sim.addEcsService({
      desiredCount: 2,
      minHealthyPercent: 100,
      maxPercent: 200,
      healthCheck: { intervalSeconds: 10, healthyThreshold: 3 },
      deregistrationDelaySeconds: 60
    })
    const traffic = sim.startTraffic(`${f.url}/`, 10)
    let maxTasks = 0
    let minHealthy = Infinity
    const final = await sim.run(async () => {
      const v2 = await registerImage(sim, f, 'registry.example.com/web:v2')
      expect(v2).toMatch(/:task-definition\/web:2$/)
      const update = await sim.clients.ecs.send(
        new UpdateServiceCommand({ cluster: f.clusterName, service: f.serviceName, taskDefinition: v2 })
      )
      expect(update.service?.deployments?.map(d => [d.status, d.rolloutState])).toEqual([
        ['PRIMARY', 'IN_PROGRESS'],
        ['ACTIVE', 'COMPLETED']
      ])
      return pollService(sim, f, completed, () => {
        const running = sim.tasks(f.clusterName, f.serviceName).filter(t => t.lastStatus !== 'STOPPED')
        maxTasks = Math.max(maxTasks, running.length)
        minHealthy = Math.min(
          minHealthy,
          sim.targetHealth(f.alb!.targetGroupArn).filter(t => t.TargetHealth?.State === 'healthy').length
        )
      })
    })
    const report = traffic.stop()

    expect(final.taskDefinition).toMatch(/web:2$/)
    expect(final.runningCount).toBe(2)
    expect(maxTasks).toBe(4)
    expect(minHealthy).toBe(2)
    // Traffic ran the whole rollout (90 s, below), at 10 requests a second.
    expect(report.requests).toBeGreaterThan(850)
    expect(report.failed).toBe(0)
    const tasks = sim.tasks(f.clusterName, f.serviceName)
    const old = tasks.filter(t => t.taskDefinitionArn === f.taskDefinitionArn)
    expect(old.map(t => [t.lastStatus, t.stopCode, t.containers?.[0]?.exitCode])).toEqual([
      ['STOPPED', 'ServiceSchedulerInitiated', 0],
      ['STOPPED', 'ServiceSchedulerInitiated', 0]
    ])
    const messages = (final.events ?? []).map(e => e.message ?? '').reverse()
    const deploymentId = final.deployments![0].id!
    const order = [
      /^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/,
      /^\(service web\) registered 2 targets in \(target-group arn:aws:elasticloadbalancing:.*:targetgroup\/web-tg\//,
      /^\(service web\) has begun draining connections on 2 tasks\.$/,
      /^\(service web\) deregistered 2 targets in \(target-group /,
      /^\(service web\) has stopped 2 running tasks: /,
      new RegExp(`^\\(service web\\) \\(deployment ${deploymentId}\\) deployment completed\\.$`),
      /^\(service web\) has reached a steady state\.$/
    ]
    let at = -1
    for (const re of order) {
      const next = messages.findIndex((m, i) => i > at && re.test(m))
      expect({ re: String(re), found: next > at }).toEqual({ re: String(re), found: true })
      at = next
    }
    // 20 s start + the first passing check 10 s after registration + 60 s draining, polled every second.
    expect(sim.clock.elapsed()).toBeGreaterThanOrEqual(90_000)
    expect(sim.clock.elapsed()).toBeLessThan(110_000)
  })

  it('with deregistration delay 0 the ALB still routes to stopped tasks for a moment: 502s', async () => {
    // A world where a deregistration takes 5 s to reach every ALB node (stricter than AWS documents).
    sim = createSimulation({ timing: { albRoutingGraceSeconds: 5 } })
    const f = sim.addEcsService({
      deregistrationDelaySeconds: 0,
      healthCheck: { intervalSeconds: 10, healthyThreshold: 2 }
    })
    const traffic = sim.startTraffic(`${f.url}/`, 20)
    await sim.run(async () => {
      const v2 = await registerImage(sim, f, 'registry.example.com/web:v2')
      await sim.clients.ecs.send(
        new UpdateServiceCommand({ cluster: f.clusterName, service: f.serviceName, taskDefinition: v2 })
      )
      await pollService(sim, f, completed)
      // The deployment completes as the old tasks stop; the ALB's routing catches up seconds later.
      await sim.clock.sleep(30_000)
    })
    const report = traffic.stop()
    expect(report.failed).toBeGreaterThan(0)
    expect(Object.keys(report.byOutcome).sort()).toEqual(['200', '502'])
    // The failures sit in the few seconds after the old tasks stopped.
    expect((report.lastFailureAtMs ?? 0) - (report.firstFailureAtMs ?? 0)).toBeLessThanOrEqual(5000)
  })

  it('with min 0 / max 100 and one task, stops the old task first: a window of 503s', async () => {
    sim = createSimulation()
    const f = sim.addEcsService({
      desiredCount: 1,
      minHealthyPercent: 0,
      maxPercent: 100,
      healthCheck: { intervalSeconds: 10, healthyThreshold: 2 }
    })
    const traffic = sim.startTraffic(`${f.url}/`, 5)
    await sim.run(async () => {
      const v2 = await registerImage(sim, f, 'registry.example.com/web:v2')
      await sim.clients.ecs.send(
        new UpdateServiceCommand({ cluster: f.clusterName, service: f.serviceName, taskDefinition: v2 })
      )
      await pollService(sim, f, completed)
    })
    expect(traffic.stop().byOutcome['503']).toBeGreaterThan(0)
  })
})

describe('ECS deployment circuit breaker', () => {
  it('uses the documented threshold: min(200, max(3, ceil(0.5 x desired)))', () => {
    expect([1, 2, 6, 7, 10, 399, 400, 1000].map(circuitBreakerThreshold)).toEqual([
      3, 3, 3, 4, 5, 200, 200, 200
    ])
  })

  it('fails the deployment at exactly the threshold and rolls back to the last completed one', async () => {
    sim = createSimulation()
    const f = sim.addEcsService({ desiredCount: 1, circuitBreaker: { enable: true, rollback: true } })
    sim.setImageBehavior('registry.example.com/web:broken', {
      failToStart: cannotPullContainer('registry.example.com/web:broken')
    })
    const traffic = sim.startTraffic(`${f.url}/`, 5)
    const { failed, final } = await sim.run(async () => {
      const broken = await registerImage(sim, f, 'registry.example.com/web:broken')
      const update = await sim.clients.ecs.send(
        new UpdateServiceCommand({ cluster: f.clusterName, service: f.serviceName, taskDefinition: broken })
      )
      const failedId = update.service!.deployments![0].id
      const svc = await pollService(sim, f, s =>
        s.deployments!.some(d => d.id === failedId && d.rolloutState === 'FAILED')
      )
      const failedDeployment = svc.deployments!.find(d => d.id === failedId)!
      return { failed: failedDeployment, final: await pollService(sim, f, completed) }
    })
    expect(failed).toMatchObject({
      status: 'ACTIVE',
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      failedTasks: 3
    })
    expect(final.taskDefinition).toBe(f.taskDefinitionArn)
    expect(final.deployments![0].taskDefinition).toBe(f.taskDefinitionArn)
    const messages = (final.events ?? []).map(e => e.message)
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^\(service web\) \(deployment ecs-svc\/\d+\) deployment failed: tasks failed to start\.$/
      )
    )
    expect(messages).toContainEqual(
      expect.stringMatching(/^\(service web\) rolling back to deployment ecs-svc\/\d+\.$/)
    )
    const stopped = sim.tasks(f.clusterName, f.serviceName).filter(t => t.stopCode === 'TaskFailedToStart')
    expect(stopped).toHaveLength(3)
    expect(stopped[0].stoppedReason).toMatch(/^CannotPullContainerError: /)
    // The old task kept serving throughout (minimum healthy 100%).
    expect(traffic.stop().failed).toBe(0)
  })

  it('without rollback, fails the deployment and stops launching tasks', async () => {
    sim = createSimulation()
    const f = sim.addEcsService({ desiredCount: 2, circuitBreaker: { enable: true, rollback: false } })
    sim.setImageBehavior(/:crashy$/, { crashAfterSeconds: 5, exitCode: 137 })
    const crashedTasks = () =>
      sim.tasks(f.clusterName, f.serviceName).filter(t => t.stopCode === 'EssentialContainerExited')
    const { atFailure, svc } = await sim.run(async () => {
      const crashy = await registerImage(sim, f, 'registry.example.com/web:crashy')
      await sim.clients.ecs.send(
        new UpdateServiceCommand({ cluster: f.clusterName, service: f.serviceName, taskDefinition: crashy })
      )
      await pollService(sim, f, s => s.deployments![0].rolloutState === 'FAILED')
      const atFailure = crashedTasks().length
      await sim.clock.sleep(600_000)
      return { atFailure, svc: await describeService(sim, f) }
    })
    // Two tasks start per batch and crash together, so the count can pass the threshold of 3 by one.
    expect(svc.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'FAILED' })
    expect(svc.deployments![0].failedTasks).toBeGreaterThanOrEqual(3)
    const crashed = crashedTasks()
    expect(crashed.length).toBe(svc.deployments![0].failedTasks)
    expect(crashed.length).toBe(atFailure)
    expect(crashed[0]).toMatchObject({ stoppedReason: 'Essential container in task exited' })
    expect(crashed[0].containers?.[0]?.exitCode).toBe(137)
    expect(svc.runningCount).toBe(2)
  })
})

describe('ECS service behaviour', () => {
  it('replaces a task that dies, and says so in the events', async () => {
    sim = createSimulation()
    sim.setImageBehavior(/web:v1$/, { crashAfterSeconds: 600 })
    const f = sim.addEcsService({
      desiredCount: 2,
      healthCheck: { intervalSeconds: 10, healthyThreshold: 2 }
    })
    sim.setImageBehavior(/web:v1$/, {})
    const svc = await sim.run(async () => {
      await sim.clock.sleep(700_000)
      return describeService(sim, f)
    })
    const tasks = sim.tasks(f.clusterName, f.serviceName)
    expect(tasks.filter(t => t.lastStatus === 'STOPPED').map(t => t.stopCode)).toEqual([
      'EssentialContainerExited',
      'EssentialContainerExited'
    ])
    expect(tasks.filter(t => t.lastStatus === 'RUNNING')).toHaveLength(2)
    expect(svc.runningCount).toBe(2)
    expect(svc.events?.[0]?.message).toBe('(service web) has reached a steady state.')
  })

  it('reports a placement failure as a service event and starts nothing', async () => {
    sim = createSimulation()
    const f = sim.addEcsService({ desiredCount: 1 })
    sim.setImageBehavior(/:huge$/, { unplaceable: true })
    const svc = await sim.run(async () => {
      const huge = await registerImage(sim, f, 'registry.example.com/web:huge')
      await sim.clients.ecs.send(
        new UpdateServiceCommand({ cluster: f.clusterName, service: f.serviceName, taskDefinition: huge })
      )
      await sim.clock.sleep(60_000)
      return describeService(sim, f)
    })
    expect(svc.events?.map(e => e.message)).toContainEqual(
      expect.stringContaining(
        '(service web) was unable to place a task because no container instance met all of its requirements.'
      )
    )
    expect(svc.deployments?.[0]).toMatchObject({
      rolloutState: 'IN_PROGRESS',
      runningCount: 0,
      pendingCount: 0
    })
  })

  it('answers like ECS for missing services and deletes a service through DRAINING to INACTIVE', async () => {
    sim = createSimulation()
    const f = sim.addEcsService({ desiredCount: 1, deregistrationDelaySeconds: 30 })
    await sim.run(async () => {
      const ecs = sim.clients.ecs
      const missing = await ecs.send(
        new DescribeServicesCommand({ cluster: f.clusterName, services: ['nope'] })
      )
      expect(missing).toMatchObject({
        services: [],
        failures: [{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/main/nope', reason: 'MISSING' }]
      })
      const error = await ecs
        .send(new UpdateServiceCommand({ cluster: f.clusterName, service: 'nope', desiredCount: 1 }))
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ServiceNotFoundException)
      expect(error).toMatchObject({
        name: 'ServiceNotFoundException',
        $fault: 'client',
        message: 'Service not found.'
      })

      await expect(
        ecs.send(new DeleteServiceCommand({ cluster: f.clusterName, service: f.serviceName }))
      ).rejects.toMatchObject({
        name: 'InvalidParameterException'
      })
      const deleted = await ecs.send(
        new DeleteServiceCommand({ cluster: f.clusterName, service: f.serviceName, force: true })
      )
      expect(deleted.service?.status).toBe('DRAINING')
      await sim.clock.sleep(10_000)
      expect((await describeService(sim, f)).status).toBe('DRAINING')
      await sim.clock.sleep(60_000)
      expect((await describeService(sim, f)).status).toBe('INACTIVE')
      const stopped = await ecs.send(
        new ListTasksCommand({ cluster: f.clusterName, serviceName: f.serviceName, desiredStatus: 'STOPPED' })
      )
      const tasks = await ecs.send(
        new DescribeTasksCommand({ cluster: f.clusterName, tasks: stopped.taskArns! })
      )
      expect(tasks.tasks?.map(t => t.lastStatus)).toEqual(['STOPPED'])
    })
  })

  it('registers task definition revisions with the read-only fields AWS adds', async () => {
    sim = createSimulation()
    const f = sim.addEcsService()
    const out = await sim.run(async () => {
      await registerImage(sim, f, 'registry.example.com/web:v2')
      return sim.clients.ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: 'web', include: ['TAGS'] })
      )
    })
    expect(out.taskDefinition).toMatchObject({
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
      family: 'web',
      revision: 2,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
      requiresAttributes: expect.arrayContaining([{ name: 'ecs.capability.task-eni' }]),
      registeredBy: expect.stringMatching(/^arn:aws:sts::123456789012:assumed-role\//)
    })
    expect(out.taskDefinition?.registeredAt).toBeInstanceOf(Date)
    expect(out.tags).toEqual([])
    await expect(
      sim.run(() => sim.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:9' })))
    ).rejects.toMatchObject({ name: 'ClientException', message: 'Unable to describe task definition.' })
  })

  it('lists task definition families by prefix: all, those with an ACTIVE revision, those without', async () => {
    sim = createSimulation()
    const web = sim.addEcsService()
    const preview = sim.addEcsService({ service: 'web-pr-7', family: 'web-pr-7' })
    sim.addEcsService({ service: 'api', family: 'api' })
    const { ecs } = sim.clients
    const families = async (status?: 'ACTIVE' | 'INACTIVE') =>
      (await sim.run(() => ecs.send(new ListTaskDefinitionFamiliesCommand({ familyPrefix: 'web', status }))))
        .families
    await sim.run(() =>
      ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: preview.taskDefinitionArn }))
    )
    expect(web.family).toBe('web')
    expect(await families()).toEqual(['web', 'web-pr-7'])
    expect(await families('ACTIVE')).toEqual(['web'])
    expect(await families('INACTIVE')).toEqual(['web-pr-7'])
  })
})
