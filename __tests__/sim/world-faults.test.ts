// Faults and recording: seeded throttling that AwsApi rides out on the virtual clock, injected
// errors, eventual consistency, unmodelled commands failing loudly, and the call log.
import { afterEach, describe, expect, it } from '@jest/globals'
import { CreateTaskSetCommand, DescribeServicesCommand, ListServicesCommand } from '@aws-sdk/client-ecs'
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { AwsApi } from '../../src/aws/api.js'
import { describeTargetHealth } from '../../src/aws/elbv2.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'
import { createSimulation, pathCondition, SimNotModelledError, type Simulation } from './index.js'

let sims: Simulation[] = []
afterEach(() => {
  sims.forEach(s => s.restore())
  sims = []
})
const make = (seed: number) => {
  const s = createSimulation({ seed })
  sims.push(s)
  return s
}

/** Sends `n` DescribeTargetHealth calls and returns the indices of the throttled ones. */
async function throttledIndices(seed: number, n: number): Promise<number[]> {
  const sim = make(seed)
  const alb = sim.addAlbWithTargetGroup()
  sim.faults.throttle({ fraction: 0.3 })
  const hits: number[] = []
  await sim.run(async () => {
    for (let i = 0; i < n; i++) {
      await sim.clients.elbv2
        .send(new DescribeTargetHealthCommand({ TargetGroupArn: alb.targetGroupArn }))
        .catch((e: { name?: string }) => {
          if (e.name === 'Throttling') hits.push(i)
        })
    }
  })
  return hits
}

describe('throttling', () => {
  it('throttles the same calls for the same seed, other calls for another seed', async () => {
    const a = await throttledIndices(7, 300)
    const b = await throttledIndices(7, 300)
    const c = await throttledIndices(8, 300)
    expect(a).toEqual(b)
    expect(c).not.toEqual(a)
    expect(a.length).toBeGreaterThan(60)
    expect(a.length).toBeLessThan(120)
  })

  it('answers with each service’s own throttling error', async () => {
    const sim = make(1)
    sim.addEcsService()
    sim.faults.throttle({ fraction: 1, services: ['ecs'] })
    await sim.run(async () => {
      await expect(sim.clients.ecs.send(new ListServicesCommand({ cluster: 'main' }))).rejects.toMatchObject({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded'
      })
      sim.faults.throttle({ fraction: 1, operations: ['elbv2:DescribeTargetGroups'] })
      await expect(sim.clients.elbv2.send(new DescribeTargetGroupsCommand({}))).rejects.toMatchObject({
        name: 'Throttling',
        Code: 'Throttling'
      })
      await expect(sim.clients.ecs.send(new ListServicesCommand({ cluster: 'main' }))).resolves.toMatchObject(
        {
          serviceArns: [expect.stringContaining(':service/main/web')]
        }
      )
    })
  })

  it('is ridden out by AwsApi, which backs off on the virtual clock', async () => {
    const sim = make(3)
    const alb = sim.addAlbWithTargetGroup()
    sim.faults.throttle({ fraction: 0.5 })
    const aws = new AwsApi(sim.clients, {
      clock: sim.clock,
      log: new Reporter(new MemorySink(), sim.clock),
      dryRun: false,
      random: () => 0.5
    })
    const results = await sim.run(async () => {
      const out = []
      for (let i = 0; i < 20; i++) out.push(await describeTargetHealth(aws, alb.targetGroupArn))
      return out
    })
    expect(results).toHaveLength(20)
    expect(sim.faults.throttled).toBeGreaterThan(5)
    expect(
      sim.calls.of('elasticloadbalancing:DescribeTargetHealth').filter(c => c.error === 'Throttling')
    ).toHaveLength(sim.faults.throttled)
    expect(sim.clock.elapsed()).toBeGreaterThan(0)
  })
})

describe('injected errors and eventual consistency', () => {
  it('fails the next N calls of an operation with the given error', async () => {
    const sim = make(1)
    const alb = sim.addAlbWithTargetGroup()
    sim.faults.failNext('elbv2:CreateRule', {
      code: 'PriorityInUse',
      message: 'The specified priority is in use.',
      count: 2
    })
    const create = () =>
      sim.clients.elbv2.send(
        new CreateRuleCommand({
          ListenerArn: alb.listenerArn,
          Priority: 5,
          Conditions: [pathCondition('/a')],
          Actions: [{ Type: 'forward', TargetGroupArn: alb.targetGroupArn }]
        })
      )
    await sim.run(async () => {
      await expect(create()).rejects.toMatchObject({ name: 'PriorityInUseException', Code: 'PriorityInUse' })
      await expect(create()).rejects.toMatchObject({ Code: 'PriorityInUse' })
      await expect(create()).resolves.toMatchObject({ Rules: [{ Priority: '5' }] })
    })
    expect(sim.calls.of('CreateRule').map(c => c.error)).toEqual([
      'PriorityInUse',
      'PriorityInUse',
      undefined
    ])
  })

  it('hides just-created resources from the next describes', async () => {
    const sim = make(1)
    sim.faults.eventualConsistency({ describes: 2 })
    await sim.run(async () => {
      const created = await sim.clients.elbv2.send(
        new CreateTargetGroupCommand({ Name: 'fresh', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-1' })
      )
      const arn = created.TargetGroups![0].TargetGroupArn!
      const describe = () =>
        sim.clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }))
      await expect(describe()).rejects.toMatchObject({ Code: 'TargetGroupNotFound' })
      await expect(describe()).rejects.toMatchObject({ Code: 'TargetGroupNotFound' })
      await expect(describe()).resolves.toMatchObject({ TargetGroups: [{ TargetGroupArn: arn }] })
    })
    const sim2 = make(1)
    const f = sim2.addEcsService()
    sim2.faults.hide(f.serviceArn, 1)
    await sim2.run(async () => {
      const describe = () =>
        sim2.clients.ecs.send(new DescribeServicesCommand({ cluster: 'main', services: ['web'] }))
      await expect(describe()).resolves.toMatchObject({ services: [], failures: [{ reason: 'MISSING' }] })
      await expect(describe()).resolves.toMatchObject({ services: [{ serviceName: 'web' }], failures: [] })
    })
  })
})

describe('unmodelled commands and the call log', () => {
  it('fails an unmodelled command clearly, and records it', async () => {
    const sim = make(1)
    const error = await sim.run(() =>
      sim.clients.ecs
        .send(new CreateTaskSetCommand({ cluster: 'main', service: 'web', taskDefinition: 'web:1' }))
        .catch((e: unknown) => e)
    )
    expect(error).toBeInstanceOf(SimNotModelledError)
    expect((error as Error).message).toMatch(/^sim: ECS:CreateTaskSet is not modelled/)
    expect(sim.calls.all).toEqual([
      expect.objectContaining({
        service: 'ecs',
        operation: 'CreateTaskSet',
        action: 'ecs:CreateTaskSet',
        error: 'SimNotModelled'
      })
    ])
  })

  it('records every call with its input, queryable per service and as IAM actions', async () => {
    const sim = make(1)
    const f = sim.addEcsService()
    await sim.run(async () => {
      await sim.clients.ecs.send(new DescribeServicesCommand({ cluster: 'main', services: ['web'] }))
      await sim.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: f.alb!.targetGroupArn }))
      await sim.clients.elbv2.send(
        new DescribeTargetGroupsCommand({ TargetGroupArns: [f.alb!.targetGroupArn] })
      )
    })
    expect(sim.calls.actions()).toEqual([
      'ecs:DescribeServices',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetHealth'
    ])
    expect(sim.calls.list('elbv2').map(c => c.operation)).toEqual([
      'DescribeTargetHealth',
      'DescribeTargetGroups'
    ])
    expect(sim.calls.inputs('ecs:DescribeServices')).toEqual([{ cluster: 'main', services: ['web'] }])
    expect(sim.calls.mutating()).toEqual([])
  })
})
