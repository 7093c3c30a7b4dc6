// The sweep's decision, the preview URL, service stability and tag matching: the pure parts.
import { describe, expect, it } from '@jest/globals'
import { decide } from '../../src/strategies/pr-preview/sweep/index.js'
import { previewPr, previewTags } from '../../src/strategies/pr-preview/tags.js'
import { previewUrl } from '../../src/strategies/pr-preview/deploy/url.js'
import { serviceStability } from '../../src/aws/ecs-deployments.js'

const DAY = 86400_000
const NOW = Date.UTC(2024, 0, 10)
const TTL = 7 * 86400

describe('decide', () => {
  it('removes previews of closed or vanished PRs whatever their age', () => {
    expect(decide('closed', NOW, NOW, TTL)).toEqual({ remove: true, reason: 'pull request closed' })
    expect(decide('missing', NOW, NOW, TTL).remove).toBe(true)
  })

  it('removes open PRs idle longer than the TTL, keeps the others', () => {
    const idle = decide('open', NOW - 8 * DAY, NOW, TTL)
    expect(idle.remove).toBe(true)
    expect(idle.reason).toBe('idle for 8d (preview-ttl 7d)')
    const fresh = decide('open', NOW - 2 * DAY, NOW, TTL)
    expect(fresh).toEqual({ remove: false, reason: 'pull request open; last deployed 2d ago' })
  })

  it('with the PR state unknown only the TTL decides', () => {
    expect(decide('unknown', NOW - 8 * DAY, NOW, TTL).remove).toBe(true)
    expect(decide('unknown', NOW - DAY, NOW, TTL).remove).toBe(false)
  })

  it('keeps a preview with no deploy time rather than guess', () => {
    expect(decide('open', undefined, NOW, TTL).remove).toBe(false)
  })
})

describe('previewUrl', () => {
  const base = { pr: 7, protocol: 'HTTP', albDnsName: 'shared-123.us-east-1.elb.amazonaws.com' }

  it('host mode: pr-<n>.<domain>, no Host header needed', () => {
    expect(previewUrl({ ...base, input: undefined, port: 80, host: 'pr-7.preview.example.com' })).toEqual({
      url: 'http://pr-7.preview.example.com',
      hostHeader: undefined
    })
  })

  it('port mode: the ALB DNS name and the preview port', () => {
    expect(previewUrl({ ...base, input: undefined, port: 8007, host: undefined })).toEqual({
      url: 'http://shared-123.us-east-1.elb.amazonaws.com:8007',
      hostHeader: undefined
    })
    expect(
      previewUrl({ ...base, protocol: 'HTTPS', input: undefined, port: 443, host: 'pr-7.x.io' }).url
    ).toBe('https://pr-7.x.io')
  })

  it('fills {pr} and {port} into the url input, and sends Host when its host differs', () => {
    expect(
      previewUrl({ ...base, input: 'http://127.0.0.1:{port}/pr/{pr}/', port: 8007, host: 'pr-7.x.io' })
    ).toEqual({ url: 'http://127.0.0.1:8007/pr/7', hostHeader: 'pr-7.x.io' })
  })
})

describe('serviceStability', () => {
  const svc = (over: object) => ({
    status: 'ACTIVE',
    desiredCount: 1,
    deployments: [{ status: 'PRIMARY', runningCount: 1, rolloutState: 'COMPLETED' as const }],
    ...over
  })

  it('is stable with one completed deployment and every task running', () => {
    expect(serviceStability(svc({})).stable).toBe(true)
  })

  it('waits while tasks start or an old deployment drains', () => {
    expect(
      serviceStability(
        svc({ deployments: [{ status: 'PRIMARY', runningCount: 0, rolloutState: 'IN_PROGRESS' }] })
      ).stable
    ).toBe(false)
    expect(
      serviceStability(
        svc({
          deployments: [
            { status: 'PRIMARY', runningCount: 1 },
            { status: 'ACTIVE', runningCount: 1 }
          ]
        })
      ).stable
    ).toBe(false)
    expect(serviceStability(undefined).stable).toBe(false)
  })

  it('is not stable while a describe still shows the service before UpdateService pointed it at the new revision', () => {
    const before = svc({
      taskDefinition: 'arn:td/pr-7:1',
      deployments: [
        { status: 'PRIMARY', taskDefinition: 'arn:td/pr-7:1', runningCount: 1, rolloutState: 'COMPLETED' }
      ]
    })
    expect(serviceStability(before, 'arn:td/pr-7:2')).toEqual({
      stable: false,
      line: 'preview service: pr-7:2 not deployed yet'
    })
    expect(serviceStability({ ...before, taskDefinition: 'arn:td/pr-7:2' }, 'arn:td/pr-7:2').stable).toBe(
      true
    )
  })

  it("reports the new revision's rollout as failed when the circuit breaker rolled it back", () => {
    const s = serviceStability(
      svc({
        taskDefinition: 'arn:td/pr-7:1',
        deployments: [
          {
            status: 'PRIMARY',
            taskDefinition: 'arn:td/pr-7:1',
            runningCount: 1,
            rolloutState: 'IN_PROGRESS'
          },
          {
            status: 'ACTIVE',
            taskDefinition: 'arn:td/pr-7:2',
            runningCount: 0,
            rolloutState: 'FAILED',
            rolloutStateReason: 'tasks failed to start'
          }
        ]
      }),
      'arn:td/pr-7:2'
    )
    expect(s).toMatchObject({ stable: false, failed: 'tasks failed to start' })
  })

  it('reports a failed rollout with its reason', () => {
    const s = serviceStability(
      svc({
        deployments: [
          {
            status: 'PRIMARY',
            runningCount: 0,
            rolloutState: 'FAILED',
            rolloutStateReason: 'circuit breaker'
          }
        ]
      })
    )
    expect(s).toMatchObject({ stable: false, failed: 'circuit breaker' })
  })
})

describe('previewPr', () => {
  const scope = { repo: 'acme/shop', baseKey: 'main/web' }
  const tags = previewTags(scope, 9, NOW)

  it('recognises the tags of this repository and base service', () => {
    expect(previewPr(tags, scope)).toBe(9)
    expect(previewPr(tags, scope, 9)).toBe(9)
    expect(tags['zdt:deployed-at']).toBe('2024-01-10T00:00:00.000Z')
  })

  it('ignores other PRs, repositories, base services and unmanaged resources', () => {
    expect(previewPr(tags, scope, 8)).toBeUndefined()
    expect(previewPr(tags, { ...scope, repo: 'acme/other' })).toBeUndefined()
    expect(previewPr(tags, { ...scope, baseKey: 'main/api' })).toBeUndefined()
    expect(previewPr({ ...tags, 'zdt:managed-by': 'terraform' }, scope)).toBeUndefined()
    expect(previewPr(undefined, scope)).toBeUndefined()
  })
})
