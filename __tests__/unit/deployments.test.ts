import { describe, expect, it } from '@jest/globals'
import { markEnvironmentInactive, startDeployment } from '../../src/deployments.js'
import type { EventContext } from '../../src/event.js'
import type { GitHubApi } from '../../src/github.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'
import { systemClock } from '../../src/clock.js'
import { FakeGitHub } from '../sim/github.js'

const event: EventContext = {
  eventName: 'push',
  ref: 'refs/tags/v1.2.3',
  sha: 'abc123',
  repository: 'acme/shop',
  apiUrl: 'http://127.0.0.1:1',
  serverUrl: 'https://github.com',
  runId: '7',
  payload: {},
  tag: 'v1.2.3',
  pullRequest: undefined
}

function fakeGitHub(deny = false) {
  const calls: Array<[string, ...unknown[]]> = []
  const denied = () => Object.assign(new Error('Resource not accessible by integration'), { status: 403 })
  const api: GitHubApi = {
    owner: 'acme',
    repo: 'shop',
    upsertComment: async () => 1,
    findComment: async () => undefined,
    updateComment: async () => {},
    pullRequestState: async () => 'open',
    createDeployment: async params => {
      calls.push(['createDeployment', params])
      if (deny) throw denied()
      return 99
    },
    createDeploymentStatus: async (id, state, params) => {
      calls.push(['status', id, state, params])
    },
    listDeployments: async env => {
      calls.push(['list', env])
      return [5, 6]
    },
    latestDeploymentStatus: async () => undefined,
    workflowRun: async () => undefined
  }
  return { api, calls }
}

describe('GitHub deployments', () => {
  it('records in_progress then success with the environment URL', async () => {
    const { api, calls } = fakeGitHub()
    const log = new Reporter(new MemorySink(), systemClock)
    const tracker = await startDeployment(api, event, 'production', log)
    await tracker.finish(true, 'http://app.example.com', 'deployed')
    expect(calls[0]).toEqual([
      'createDeployment',
      expect.objectContaining({
        ref: 'v1.2.3',
        environment: 'production',
        production: true,
        transient: false
      })
    ])
    const statuses = calls.filter(c => c[0] === 'status')
    expect(statuses.map(c => c[2])).toEqual(['in_progress', 'success'])
    expect(statuses[1][3]).toMatchObject({ environmentUrl: 'http://app.example.com' })
  })

  it("ends a cancelled run's deployment in error, the description saying it was cancelled", async () => {
    const { api, calls } = fakeGitHub()
    const tracker = await startDeployment(api, event, 'staging', new Reporter(new MemorySink(), systemClock))
    await tracker.cancel('Cancelled by SIGINT during Rollout.')
    expect(calls.slice(1).map(c => c[2])).toEqual(['in_progress', 'error'])
    expect(calls[2][3]).toMatchObject({ description: 'Cancelled by SIGINT during Rollout.' })
  })

  it('warns, naming the missing permission, when the token may not create deployments', async () => {
    const { api } = fakeGitHub(true)
    const sink = new MemorySink()
    const log = new Reporter(sink, systemClock)
    const tracker = await startDeployment(api, event, 'production', log)
    await tracker.finish(true, undefined, 'deployed')
    expect(log.warnings.join('\n')).toContain('deployments: write')
  })

  it('marks every deployment of a torn-down preview inactive', async () => {
    const { api, calls } = fakeGitHub()
    await markEnvironmentInactive(api, 'pr-7', new Reporter(new MemorySink(), systemClock))
    expect(calls.filter(c => c[0] === 'status').map(c => [c[1], c[2]])).toEqual([
      [5, 'inactive'],
      [6, 'inactive']
    ])
  })

  describe('a deployment a killed run left in progress', () => {
    const attempt = (n: number): EventContext => ({ ...event, runId: '7', runAttempt: n })
    const killedAt = (github: FakeGitHub, ev: EventContext) =>
      startDeployment(github, ev, 'production', new Reporter(new MemorySink(), systemClock))

    it('is closed with error once GitHub says its run ended, naming why; a live one is left alone', async () => {
      const github = new FakeGitHub('acme/shop')
      await killedAt(github, { ...event, runId: '5', runAttempt: 1 }) // killed: never finished
      await killedAt(github, { ...event, runId: '6', runAttempt: 1 }) // another deploy, still running
      github.setRun('5', { status: 'completed', conclusion: 'failure' })
      github.setRun('6', { status: 'in_progress' })
      const sink = new MemorySink()
      const tracker = await startDeployment(github, attempt(1), 'production', new Reporter(sink, systemClock))
      await tracker.finish(true, 'http://app.example.com', 'deployed')

      const [killed, live, ours] = github.deployments
      expect(killed.statuses.map(s => s.state)).toEqual(['in_progress', 'error'])
      expect(killed.statuses[1].description).toBe(
        'Ended without a final status: GitHub says run 5 has completed (failure)'
      )
      expect(killed.statuses[1].logUrl).toBe('https://github.com/acme/shop/actions/runs/5/attempts/1')
      expect(live.statuses.map(s => s.state)).toEqual(['in_progress'])
      expect(ours.statuses.map(s => s.state)).toEqual(['in_progress', 'success'])
      expect(sink.lines.join('\n')).toContain(
        `GitHub deployment ${killed.id} of 'production' was left in_progress by a run that ended`
      )
    })

    it('is closed when it was an earlier attempt of this very run (a re-run after a kill)', async () => {
      const github = new FakeGitHub('acme/shop')
      await killedAt(github, attempt(1))
      github.setRun('7', { status: 'in_progress', attempt: 2 })
      const tracker = await killedAt(github, attempt(2))
      await tracker.finish(true, undefined, 'deployed')
      expect(github.deployments[0].statuses.map(s => s.state)).toEqual(['in_progress', 'error'])
      expect(github.deployments[0].statuses[1].description).toBe(
        'Ended without a final status: it is attempt 1 of this run, now at attempt 2'
      )
    })

    it('is left alone when GitHub cannot say whether its run ended (no actions: read)', async () => {
      const github = new FakeGitHub('acme/shop')
      await killedAt(github, { ...event, runId: '5', runAttempt: 1 })
      github.actionsReadable = false
      const tracker = await killedAt(github, attempt(1))
      await tracker.finish(true, undefined, 'deployed')
      expect(github.deployments[0].statuses.map(s => s.state)).toEqual(['in_progress'])
    })
  })
})
