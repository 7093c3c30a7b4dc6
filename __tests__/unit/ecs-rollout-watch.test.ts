// The rollout watch against scripted DescribeServices answers: what it treats as done, failed or not
// there yet, and when.
import { describe, expect, it } from '@jest/globals'
import type { Deployment, Service } from '@aws-sdk/client-ecs'
import { AwsApi } from '../../src/aws/api.js'
import type { AwsClients } from '../../src/aws/clients.js'
import type { Clock } from '../../src/clock.js'
import type { DeployContext } from '../../src/context.js'
import { getSettings, type EcsRollingSettings } from '../../src/inputs.js'
import { Outputs } from '../../src/run-state.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'
import { RolloutFailure, watchRollout } from '../../src/strategies/ecs-rolling/rollout.js'

const TD = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`
const ours = (over: Partial<Deployment> = {}): Deployment => ({
  id: 'ecs-svc/ours',
  status: 'PRIMARY',
  taskDefinition: TD(2),
  desiredCount: 2,
  runningCount: 0,
  pendingCount: 2,
  rolloutState: 'IN_PROGRESS',
  ...over
})
const old: Deployment = {
  id: 'ecs-svc/old',
  status: 'ACTIVE',
  taskDefinition: TD(1),
  rolloutState: 'COMPLETED'
}

/** A context whose DescribeServices answers from `script`, one entry per poll (the last repeats). */
function context(script: Deployment[][]) {
  let t = 0
  const sleeps: number[] = []
  const clock: Clock = {
    now: () => t,
    sleep: async ms => {
      sleeps.push(ms)
      t += ms
    }
  }
  let poll = 0
  const ecs = {
    send: async () => {
      const deployments = script[Math.min(poll++, script.length - 1)]
      const service: Service = { serviceName: 'web', status: 'ACTIVE', taskDefinition: TD(2), deployments }
      return { services: [service], failures: [] }
    }
  }
  const sink = new MemorySink()
  const log = new Reporter(sink, clock)
  const aws = new AwsApi({ ecs } as unknown as AwsClients, { clock, log, dryRun: false })
  const settings = getSettings(
    name =>
      ({
        strategy: 'ecs-rolling',
        cluster: 'main',
        service: 'web',
        'poll-interval': '5',
        'wait-timeout': '60'
      })[name as string] ?? '',
    { AWS_REGION: 'us-east-1' }
  ) as EcsRollingSettings
  const ctx = {
    settings,
    aws,
    clock,
    log,
    outputs: new Outputs(() => {})
  } as unknown as DeployContext<EcsRollingSettings>
  const target = {
    label: 'rollout',
    deploymentId: 'ecs-svc/ours',
    taskDefinitionArn: TD(2),
    targetGroups: [],
    seenEventIds: new Set<string>()
  }
  return { ctx, target, sleeps, sink, polls: () => poll, now: () => t }
}

async function failure(p: Promise<unknown>): Promise<RolloutFailure> {
  try {
    await p
  } catch (e) {
    if (e instanceof RolloutFailure) return e
    throw e
  }
  throw new Error('expected a RolloutFailure')
}

describe('watchRollout', () => {
  it('polls every poll-interval until ours is COMPLETED and the old deployment is gone', async () => {
    const c = context([
      [ours(), old],
      [ours({ runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' }), old],
      [ours({ runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' })]
    ])
    await watchRollout(c.ctx, c.target)
    expect(c.polls()).toBe(3)
    expect(c.sleeps).toEqual([5000, 5000])
    // One line per deployment state change, not per poll.
    expect(c.sink.lines.filter(l => l.startsWith('Deployment ecs-svc/ours'))).toHaveLength(2)
  })

  it('waits for a deployment not listed yet right after the update instead of calling it replaced', async () => {
    const c = context([[old], [ours(), old], [ours({ rolloutState: 'COMPLETED' })]])
    await watchRollout(c.ctx, c.target)
    expect(c.polls()).toBe(3)
  })

  it('fails at the first poll where a deployment it has seen is gone', async () => {
    const c = context([[ours(), old], [{ ...old, status: 'PRIMARY', id: 'ecs-svc/rollback' }]])
    const e = await failure(watchRollout(c.ctx, c.target))
    expect(e.kind).toBe('replaced')
    expect(e.primary?.id).toBe('ecs-svc/rollback')
    expect(c.now()).toBe(5000)
  })

  it('fails at the first poll that shows FAILED', async () => {
    const c = context([
      [ours(), old],
      [ours(), old],
      [
        ours({
          rolloutState: 'FAILED',
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.'
        })
      ]
    ])
    const e = await failure(watchRollout(c.ctx, c.target))
    expect(e.kind).toBe('failed')
    expect(e.message).toMatch(/FAILED after 10s: ECS deployment circuit breaker/)
    expect(c.now()).toBe(10_000)
  })

  it('times out at wait-timeout, polling one last time at the deadline', async () => {
    const c = context([[ours(), old]])
    const e = await failure(watchRollout(c.ctx, c.target))
    expect(e.kind).toBe('timeout')
    expect(c.now()).toBe(60_000)
    expect(e.message).toMatch(
      /did not complete within 'wait-timeout' 1m \(0 of 2 tasks running, IN_PROGRESS\)/
    )
  })
})
