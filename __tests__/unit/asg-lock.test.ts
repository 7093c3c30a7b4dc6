// The deploy lock's tag value and age, and what counts as a deploy in progress.
import { describe, expect, it } from '@jest/globals'
import { busyReasons, staleLocks } from '../../src/strategies/asg-blue-green/busy.js'
import {
  formatLock,
  lockAgeSeconds,
  lockIsFresh,
  parseLock
} from '../../src/strategies/asg-blue-green/lock.js'
import { lockHeld } from '../../src/strategies/asg-blue-green/lock-run.js'
import { askAboutRun } from '../../src/workflow-runs.js'
import type { GroupView } from '../../src/strategies/asg-blue-green/model.js'
import type { DeployContext } from '../../src/context.js'
import type { AsgBlueGreenSettings } from '../../src/inputs.js'
import type { GitHubApi, WorkflowRunStatus } from '../../src/github.js'

const T0 = Date.parse('2026-03-01T10:00:00.000Z')

function group(name: string, tags: Record<string, string> = {}, lifecycles: string[] = []): GroupView {
  return {
    name,
    minSize: 0,
    maxSize: 4,
    desired: lifecycles.length,
    instances: lifecycles.map((lifecycle, i) => ({ id: `i-${name}${i}`, lifecycle, health: 'Healthy' })),
    targetGroupArns: [],
    tags,
    launchTemplate: undefined,
    otherLaunchSource: undefined,
    healthCheckType: 'ELB',
    gracePeriodSeconds: 0,
    status: undefined
  }
}

describe('lock value', () => {
  it('round-trips time, run id and repository', () => {
    const raw = formatLock(T0, '4711', 'acme/shop')
    expect(raw).toBe('2026-03-01T10:00:00.000Z run 4711 acme/shop')
    expect(parseLock(raw)).toEqual({ atMs: T0, runId: '4711', repository: 'acme/shop', raw })
  })

  it('names the run attempt when there is one', () => {
    const raw = formatLock(T0, '4711', 'acme/shop', 2)
    expect(raw).toBe('2026-03-01T10:00:00.000Z run 4711 attempt 2 acme/shop')
    expect(parseLock(raw)).toEqual({ atMs: T0, runId: '4711', attempt: 2, repository: 'acme/shop', raw })
  })

  it('keeps to the characters tag values allow', () => {
    expect(formatLock(T0, '', 'we ird/re po#1')).toBe('2026-03-01T10:00:00.000Z run local we_ird/re_po_1')
  })

  it('does not parse values this action did not write', () => {
    expect(parseLock('locked by bob')).toBeUndefined()
    expect(parseLock('yesterday run 1')).toBeUndefined()
    expect(parseLock(undefined)).toBeUndefined()
  })

  it('is fresh while younger than wait-timeout', () => {
    const lock = parseLock(formatLock(T0, '1', 'a/b'))!
    expect(lockAgeSeconds(lock, T0 + 90_000)).toBe(90)
    expect(lockIsFresh(lock, T0 + 1799_000, 1800)).toBe(true)
    expect(lockIsFresh(lock, T0 + 1800_000, 1800)).toBe(false)
    // A clock slightly behind the writer's does not make a lock look negative-aged or stale.
    expect(lockAgeSeconds(lock, T0 - 5000)).toBe(0)
  })
})

describe('busyReasons', () => {
  const fresh = formatLock(T0 - 60_000, '77', 'acme/shop')
  const input = (groups: GroupView[], extra: Partial<Parameters<typeof busyReasons>[0]> = {}) => ({
    groups,
    refreshes: new Map(),
    nowMs: T0,
    waitTimeoutSeconds: 1800,
    ...extra
  })

  it('is empty for quiet groups', () => {
    expect(busyReasons(input([group('blue', {}, ['InService']), group('green')]))).toEqual([])
  })

  it("names another run's fresh lock and since when", () => {
    expect(busyReasons(input([group('blue', { 'zdt:lock': fresh }), group('green')]))).toEqual([
      'blue is locked by run 77 of acme/shop since 2026-03-01T09:59:00.000Z'
    ])
  })

  it('ignores its own lock and stale ones', () => {
    const stale = formatLock(T0 - 7200_000, '76', 'acme/shop')
    expect(busyReasons(input([group('blue', { 'zdt:lock': fresh })], { ownLock: fresh }))).toEqual([])
    expect(busyReasons(input([group('blue', { 'zdt:lock': stale })]))).toEqual([])
    expect(
      staleLocks([group('blue', { 'zdt:lock': stale }), group('green', { 'zdt:lock': 'manual' })], T0, 1800)
    ).toEqual([
      'blue carries a stale lock from run 76 of acme/shop since 2026-03-01T08:00:00.000Z (2h old, more than wait-timeout): taken over',
      'green carries zdt:lock=manual, which is not a lock this action wrote: ignored'
    ])
  })

  it('reports an instance refresh in progress, not a finished one, and an unsupported API as none', () => {
    const refreshes = new Map<string, unknown>([
      [
        'blue',
        [
          { InstanceRefreshId: 'r-2', Status: 'InProgress', PercentageComplete: 40 },
          { InstanceRefreshId: 'r-1', Status: 'Successful' }
        ]
      ],
      ['green', 'unsupported']
    ])
    expect(busyReasons(input([group('blue'), group('green')], { refreshes: refreshes as never }))).toEqual([
      'blue has instance refresh r-2 InProgress (40% done)'
    ])
  })

  it('reports instances still launching or terminating', () => {
    expect(
      busyReasons(
        input([group('green', {}, ['Pending', 'Pending:Wait', 'Terminating', 'InService', 'Standby'])])
      )
    ).toEqual(['green has instances still changing: 1 Pending, 1 Pending:Wait, 1 Terminating'])
  })

  it('says a terminate lifecycle hook is what holds instances in Terminating:Wait', () => {
    expect(busyReasons(input([group('blue', {}, ['Terminating:Wait', 'Terminating:Wait'])]))).toEqual([
      'blue has instances still changing: 2 Terminating:Wait (a terminate lifecycle hook holds them until it is completed or its heartbeat timeout ends)'
    ])
  })
})

describe("asking GitHub about a lock's run", () => {
  const lock = parseLock(formatLock(T0, '77', 'acme/shop', 1))!
  const ctx = (answer: () => Promise<WorkflowRunStatus | undefined>, github = true, runAttempt?: number) =>
    ({
      event: { runId: '90', runAttempt, repository: 'acme/shop' },
      github: github ? ({ workflowRun: answer } as unknown as GitHubApi) : undefined
    }) as unknown as DeployContext<AsgBlueGreenSettings>
  const run =
    (status: string, attempt = 1, conclusion?: string) =>
    async () => ({ status, attempt, conclusion })

  it('frees the lock of a completed run or of an attempt a newer one replaced, holds a live one', async () => {
    expect(await askAboutRun(ctx(run('completed', 1, 'cancelled')), lock)).toEqual({
      kind: 'ended',
      why: 'GitHub says run 77 has completed (cancelled)'
    })
    expect(await askAboutRun(ctx(run('in_progress', 2)), lock)).toEqual({
      kind: 'ended',
      why: 'GitHub says run 77 is at attempt 2, so attempt 1 has ended'
    })
    expect(await askAboutRun(ctx(run('in_progress')), lock)).toEqual({
      kind: 'live',
      why: 'GitHub says run 77 is in_progress'
    })
  })

  it('leaves the lock to its age when GitHub cannot be asked, saying why', async () => {
    const forbidden = async () => {
      throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 })
    }
    const why = async (c: DeployContext<AsgBlueGreenSettings>, l = lock) => (await askAboutRun(c, l)).why
    expect(await why(ctx(forbidden))).toBe(
      "the github-token may not read workflow runs (403: it needs 'actions: read')"
    )
    expect(await why(ctx(run('completed'), false))).toBe('no github-token to ask GitHub with')
    expect(await why(ctx(async () => undefined))).toBe('GitHub does not know run 77')
    expect(await why(ctx(run('completed')), parseLock(formatLock(T0, '77', 'other/repo'))!)).toBe(
      'run 77 is a run of another repository (other/repo)'
    )
  })

  it('knows an earlier attempt of its own run has ended without asking', async () => {
    const own = parseLock(formatLock(T0, '90', 'acme/shop', 1))!
    expect((await askAboutRun(ctx(run('in_progress', 2), false, 2), own)).kind).toBe('ended')
  })

  it('holds by verdict first, by age only when unknown', () => {
    const old = T0 + 7200_000
    expect(lockHeld(lock, { kind: 'live', why: '' }, old, 1800)).toBe(true)
    expect(lockHeld(lock, { kind: 'ended', why: '' }, T0, 1800)).toBe(false)
    expect(lockHeld(lock, { kind: 'unknown', why: '' }, T0, 1800)).toBe(true)
    expect(lockHeld(lock, undefined, old, 1800)).toBe(false)
  })
})
