import { describe, expect, it } from '@jest/globals'
import { markEnvironmentInactive, startDeployment } from '../../src/deployments.js'
import type { EventContext } from '../../src/event.js'
import type { GitHubApi } from '../../src/github.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'
import { systemClock } from '../../src/clock.js'

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
    }
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
    expect(calls.slice(1).map(c => c[2])).toEqual(['in_progress', 'success'])
    expect(calls[2][3]).toMatchObject({ environmentUrl: 'http://app.example.com' })
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
})
