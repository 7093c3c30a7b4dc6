import { describe, expect, it } from '@jest/globals'
import { detectEnvironment } from '../../src/environment.js'
import { InputError } from '../../src/errors.js'
import type { EventContext } from '../../src/event.js'

function event(partial: Partial<EventContext>): EventContext {
  return {
    eventName: 'push',
    ref: 'refs/heads/main',
    sha: 'abc',
    repository: 'acme/shop',
    apiUrl: 'http://127.0.0.1',
    serverUrl: 'https://github.com',
    runId: '1',
    payload: {},
    tag: undefined,
    pullRequest: undefined,
    ...partial
  }
}

describe('detectEnvironment', () => {
  it.each([
    ['v1.2.3-rc.1', 'staging'],
    ['v1.2.3-beta', 'staging'],
    ['1.2.3-alpha.2', 'staging'],
    ['v1.2.3', 'production'],
    ['v10.0.0+build.5', 'production']
  ])('tag %s -> %s', (tag, expected) => {
    expect(detectEnvironment('auto', event({ tag })).name).toBe(expected)
  })

  it('pull request -> pr-<n>', () => {
    const pr = {
      number: 17,
      action: 'opened',
      state: 'open',
      headSha: 'x',
      headRef: 'feature',
      headRepo: 'acme/shop',
      baseRepo: 'acme/shop',
      title: 't',
      merged: false
    }
    expect(detectEnvironment('auto', event({ eventName: 'pull_request', pullRequest: pr })).name).toBe(
      'pr-17'
    )
  })

  it('uses an explicit environment as given', () => {
    expect(detectEnvironment('qa', event({ tag: 'v1.0.0' })).name).toBe('qa')
  })

  it.each([
    ['a branch push', event({})],
    ['a non-semver tag', event({ tag: 'release-42' })],
    ['a tag with a leading zero', event({ tag: 'v01.2.3' })]
  ])('fails on auto for %s, naming the input', (_what, ev) => {
    expect(() => detectEnvironment('auto', ev)).toThrow(InputError)
    expect(() => detectEnvironment('auto', ev)).toThrow(/'environment'/)
  })
})
