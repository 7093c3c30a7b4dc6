// Which pr-preview action an event asks for, the PR it is about, and whether it comes from a fork.
import { describe, expect, it } from '@jest/globals'
import { DeployError } from '../../src/errors.js'
import type { EventContext, PullRequestInfo } from '../../src/event.js'
import { isForkPullRequest, pullRequestNumber, selectAction } from '../../src/strategies/pr-preview/action.js'

const pr = (over: Partial<PullRequestInfo> = {}): PullRequestInfo => ({
  number: 12,
  action: 'opened',
  state: 'open',
  headSha: 'abc',
  headRef: 'feature',
  headRepo: 'acme/shop',
  baseRepo: 'acme/shop',
  title: 't',
  merged: false,
  ...over
})

const event = (eventName: string, pullRequest?: PullRequestInfo): EventContext => ({
  eventName,
  ref: 'refs/heads/main',
  sha: 'sha',
  repository: 'acme/shop',
  apiUrl: 'http://127.0.0.1',
  serverUrl: 'https://github.com',
  runId: '1',
  payload: pullRequest ? { action: pullRequest.action } : {},
  tag: undefined,
  pullRequest
})

describe('selectAction', () => {
  it.each(['opened', 'synchronize', 'reopened', 'labeled'])('pull_request %s deploys', action => {
    expect(selectAction('auto', event('pull_request', pr({ action }))).kind).toBe('deploy')
  })

  it('pull_request closed tears down, merged or not', () => {
    expect(selectAction('auto', event('pull_request', pr({ action: 'closed' }))).kind).toBe('destroy')
    expect(selectAction('auto', event('pull_request', pr({ action: 'closed', merged: true }))).kind).toBe(
      'destroy'
    )
  })

  it('other pull_request actions do nothing, saying why', () => {
    const a = selectAction('auto', event('pull_request', pr({ action: 'edited' })))
    expect(a.kind).toBe('skip')
    expect(a.why).toContain("'edited'")
  })

  it.each(['schedule', 'workflow_dispatch'])('%s sweeps', name => {
    expect(selectAction('auto', event(name)).kind).toBe('sweep')
  })

  it('an explicit preview-action wins over the event', () => {
    expect(selectAction('destroy', event('pull_request', pr())).kind).toBe('destroy')
    expect(selectAction('sweep', event('push')).kind).toBe('sweep')
  })

  it('refuses to guess on any other event', () => {
    expect(() => selectAction('auto', event('push'))).toThrow(DeployError)
    expect(() => selectAction('auto', event('push'))).toThrow(/preview-action/)
    expect(() => selectAction('auto', event('push'), 'auto')).toThrow(/'environment'/)
  })

  it('on any other event deploys the environment the input names (SPEC "anything else")', () => {
    const a = selectAction('auto', event('push'), 'pr-42')
    expect(a).toEqual({ kind: 'deploy', why: "event 'push' with 'environment: pr-42'" })
    // Sweep events keep sweeping whatever the environment says.
    expect(selectAction('auto', event('schedule'), 'pr-42').kind).toBe('sweep')
  })
})

describe('pullRequestNumber', () => {
  it('comes from the event, else from an environment like pr-42', () => {
    expect(pullRequestNumber(event('pull_request', pr()), 'auto')).toBe(12)
    expect(pullRequestNumber(event('workflow_dispatch'), 'pr-42')).toBe(42)
    expect(pullRequestNumber(event('workflow_dispatch'), 'staging')).toBeUndefined()
  })
})

describe('isForkPullRequest', () => {
  it('compares head and base repositories', () => {
    expect(isForkPullRequest(event('pull_request', pr()))).toBe(false)
    expect(isForkPullRequest(event('pull_request', pr({ headRepo: 'mallory/shop' })))).toBe(true)
    expect(isForkPullRequest(event('pull_request', pr({ headRepo: 'ACME/Shop' })))).toBe(false)
    expect(isForkPullRequest(event('schedule'))).toBe(false)
  })

  it('treats a deleted fork (head.repo null) as a fork', () => {
    const e = event('pull_request', pr({ headRepo: undefined }))
    expect(isForkPullRequest(e)).toBe(false)
    e.payload = { pull_request: { head: { repo: null } } }
    expect(isForkPullRequest(e)).toBe(true)
  })
})
