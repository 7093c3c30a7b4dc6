import { describe, expect, it } from '@jest/globals'
import type { Deployment, Service, ServiceEvent, Task } from '@aws-sdk/client-ecs'
import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2'
import { diagnoseRollout } from '../../src/strategies/ecs-rolling/diagnose.js'
import {
  deploymentLine,
  eventLine,
  serviceLabel,
  stoppedTaskLine,
  takeNewEvents,
  taskOfDeployment
} from '../../src/strategies/ecs-rolling/rollout-state.js'
import { pickListener, ruleHost } from '../../src/strategies/ecs-rolling/url.js'
import { rolloutState, startedDeployment } from '../../src/aws/ecs-deployments.js'

const TD = (rev: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${rev}`

const deployment = (over: Partial<Deployment>): Deployment => ({
  id: 'ecs-svc/1',
  status: 'PRIMARY',
  taskDefinition: TD(2),
  desiredCount: 2,
  runningCount: 0,
  pendingCount: 2,
  failedTasks: 0,
  rolloutState: 'IN_PROGRESS',
  ...over
})

const service = (deployments: Deployment[], taskDefinition = TD(2)): Service => ({
  deployments,
  taskDefinition
})

describe('startedDeployment', () => {
  it('is the PRIMARY deployment running our task definition (AWS)', () => {
    const svc = service([
      deployment({ id: 'new' }),
      deployment({ id: 'old', status: 'ACTIVE', taskDefinition: TD(1) })
    ])
    expect(startedDeployment(svc, TD(2))?.id).toBe('new')
  })

  it('is the PRIMARY deployment when only the service points at ours (moto keeps the old one in the response)', () => {
    const svc = service([deployment({ id: 'kept', taskDefinition: TD(1), rolloutState: 'COMPLETED' })], TD(2))
    expect(startedDeployment(svc, TD(2))?.id).toBe('kept')
  })

  it('is none when neither the service nor its PRIMARY deployment runs ours', () => {
    expect(startedDeployment(service([deployment({ taskDefinition: TD(1) })], TD(1)), TD(2))).toBeUndefined()
  })
})

describe('rolloutState', () => {
  it('is in progress while old deployments remain, even when ours is COMPLETED', () => {
    const svc = service([
      deployment({ id: 'ours', rolloutState: 'COMPLETED', runningCount: 2, pendingCount: 0 }),
      deployment({ id: 'old', status: 'ACTIVE', taskDefinition: TD(1), runningCount: 1 })
    ])
    expect(rolloutState(svc, 'ours')).toEqual({ kind: 'in-progress' })
  })

  it('is completed when ours is COMPLETED and alone', () => {
    expect(rolloutState(service([deployment({ id: 'ours', rolloutState: 'COMPLETED' })]), 'ours')).toEqual({
      kind: 'completed'
    })
  })

  it('falls back to the task counts when ECS reports no rollout state', () => {
    const running = deployment({ id: 'ours', rolloutState: undefined, runningCount: 2, pendingCount: 0 })
    expect(rolloutState(service([running]), 'ours').kind).toBe('completed')
    const pending = deployment({ id: 'ours', rolloutState: undefined, runningCount: 1, pendingCount: 1 })
    expect(rolloutState(service([pending]), 'ours').kind).toBe('in-progress')
  })

  it('is failed with the reason when ECS marks ours FAILED', () => {
    const svc = service([
      deployment({ id: 'rollback', taskDefinition: TD(1) }),
      deployment({
        id: 'ours',
        status: 'ACTIVE',
        rolloutState: 'FAILED',
        rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.'
      })
    ])
    expect(rolloutState(svc, 'ours')).toEqual({
      kind: 'failed',
      reason: 'ECS deployment circuit breaker: tasks failed to start.',
      primary: expect.objectContaining({ id: 'rollback' })
    })
  })

  it('is replaced when ours is gone or no longer PRIMARY', () => {
    const other = deployment({ id: 'other', taskDefinition: TD(1) })
    expect(rolloutState(service([other]), 'ours')).toEqual({ kind: 'replaced', primary: other })
    const demoted = deployment({ id: 'ours', status: 'ACTIVE' })
    expect(rolloutState(service([other, demoted]), 'ours').kind).toBe('replaced')
  })
})

describe('log lines', () => {
  it('describe a deployment with its counts, ours marked', () => {
    expect(
      deploymentLine(deployment({ id: 'ecs-svc/9', runningCount: 1, pendingCount: 1 }), 'ecs-svc/9')
    ).toBe(
      'Deployment ecs-svc/9 (ours) PRIMARY web:2: desired 2, running 1, pending 1, failed 0 (IN_PROGRESS)'
    )
  })

  it('hand out each new service event once, oldest first', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s))
    const seen = new Set(['e0'])
    const events: ServiceEvent[] = [
      { id: 'e2', createdAt: at(20), message: 'has reached a steady state.' },
      { id: 'e1', createdAt: at(10), message: 'has started 2 tasks.' },
      { id: 'e0', createdAt: at(0), message: 'old' }
    ]
    expect(takeNewEvents(events, seen).map(e => e.id)).toEqual(['e1', 'e2'])
    const sameSecond: ServiceEvent[] = [
      { id: 'b', createdAt: at(30), message: 'deregistered 2 targets' },
      { id: 'a', createdAt: at(30), message: 'has begun draining connections on 2 tasks.' }
    ]
    expect(takeNewEvents(sameSecond, seen).map(e => e.id)).toEqual(['a', 'b'])
    expect(takeNewEvents(events, seen)).toEqual([])
    expect(eventLine(events[1])).toBe('Event 12:00:10: has started 2 tasks.')
  })

  it('describe a stopped task with its reason and container exit codes', () => {
    const task: Task = {
      taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b2c',
      stoppedReason: 'Essential container in task exited',
      containers: [
        { name: 'app', exitCode: 1, reason: undefined },
        { name: 'sidecar', exitCode: undefined }
      ]
    }
    expect(stoppedTaskLine(task)).toBe(
      'Task 0a1b2c stopped: Essential container in task exited; app exit code 1'
    )
  })

  it('attribute tasks to a deployment by startedBy or task definition', () => {
    expect(taskOfDeployment({ startedBy: 'ecs-svc/1', taskDefinitionArn: TD(1) }, 'ecs-svc/1', TD(2))).toBe(
      true
    )
    expect(taskOfDeployment({ startedBy: 'ecs-svc/0', taskDefinitionArn: TD(2) }, 'ecs-svc/1', TD(2))).toBe(
      true
    )
    expect(taskOfDeployment({ startedBy: 'ecs-svc/0', taskDefinitionArn: TD(1) }, 'ecs-svc/1', TD(2))).toBe(
      false
    )
  })
})

describe('diagnoseRollout', () => {
  const base = {
    events: [],
    targetGroups: [],
    estimate: { seconds: 210, arithmetic: 'start ~30s + 3 checks x 30s + 90s deregistration delay' },
    waitTimeoutSeconds: 1800
  }
  const stopped = (over: Partial<Task>): Task => ({
    taskArn: 'arn:task/prod/abc',
    stoppedAt: new Date(0),
    ...over
  })

  it('explains CannotPullContainerError with the stopped task as evidence', () => {
    const d = diagnoseRollout({
      ...base,
      kind: 'failed',
      stoppedTasks: [
        stopped({
          stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
          containers: [{ name: 'app', image: 'repo/web:bad' }]
        })
      ]
    })
    expect(d.cause).toMatch(
      /could not pull its container image .*\(Task abc stopped: CannotPullContainerError/
    )
    expect(d.hint).toMatch(/task execution role may pull it/)
  })

  it('gives the exit code of an essential container that exited, from the latest stopped task', () => {
    const d = diagnoseRollout({
      ...base,
      kind: 'failed',
      stoppedTasks: [
        stopped({ stoppedReason: 'Task failed to start', stoppedAt: new Date(1) }),
        stopped({
          stoppedReason: 'Essential container in task exited',
          stoppedAt: new Date(2),
          containers: [{ name: 'app', exitCode: 3 }]
        })
      ]
    })
    expect(d.cause).toMatch(/^the essential container exited with code 3 .*app exit code 3\)$/)
  })

  it('falls back to the service events when no stopped task says anything known', () => {
    const d = diagnoseRollout({
      ...base,
      kind: 'timeout',
      stoppedTasks: [],
      events: [
        '(service web) was unable to place a task because no container instance met all of its requirements.'
      ]
    })
    expect(d.cause).toMatch(/unable to place the new tasks/)
  })

  it('says to raise wait-timeout when it is shorter than the minimum rollout time', () => {
    const d = diagnoseRollout({ ...base, kind: 'timeout', stoppedTasks: [], waitTimeoutSeconds: 60 })
    expect(d.cause).toBeUndefined()
    expect(d.hint).toMatch(
      /'wait-timeout' \(1m\) is shorter than this service's minimum rollout time \(3m30s/
    )
  })
})

describe('pickListener', () => {
  const tgArn = 'arn:tg/web'
  const listeners: Listener[] = [
    { Protocol: 'TCP', Port: 22, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] },
    { Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'redirect' }] },
    {
      Protocol: 'HTTPS',
      Port: 443,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgArn }] } }]
    }
  ]

  it('prefers the HTTP(S) listener that forwards to the target group', () => {
    expect(pickListener(listeners, tgArn)?.Port).toBe(443)
  })

  it('falls back to the first HTTP(S) listener', () => {
    expect(pickListener(listeners, 'arn:tg/other')?.Port).toBe(80)
  })
})

describe('ruleHost', () => {
  const tg = 'arn:tg/web'
  const forward = [{ Type: 'forward' as const, TargetGroupArn: tg }]
  const host = (values: string[]) => ({ Field: 'host-header', HostHeaderConfig: { Values: values } })

  it('is the literal host of a host-only rule forwarding to the target group', () => {
    expect(ruleHost({ Actions: forward, Conditions: [host(['*.example.com', 'web.example.com'])] }, tg)).toBe(
      'web.example.com'
    )
  })

  it('is undefined for a rule a plain GET of any path would not match, or one forwarding elsewhere', () => {
    const withHeader = {
      Field: 'http-header',
      HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] }
    }
    expect(
      ruleHost({ Actions: forward, Conditions: [host(['web.example.com']), withHeader] }, tg)
    ).toBeUndefined()
    expect(
      ruleHost({ Actions: forward, Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }] }, tg)
    ).toBeUndefined()
    expect(ruleHost({ Actions: forward, Conditions: [host(['*.example.com'])] }, tg)).toBeUndefined()
    expect(
      ruleHost({ Actions: forward, Conditions: [host(['web.example.com'])] }, 'arn:tg/other')
    ).toBeUndefined()
  })
})

describe('serviceLabel', () => {
  it('names cluster/service the same whether the inputs are names or ARNs', () => {
    expect(serviceLabel('shop', 'web')).toBe('shop/web')
    expect(
      serviceLabel(
        'arn:aws:ecs:us-east-1:123456789012:cluster/shop',
        'arn:aws:ecs:us-east-1:123456789012:service/shop/web'
      )
    ).toBe('shop/web')
  })
})
