import { describe, expect, it } from '@jest/globals'
import {
  assessService,
  estimateMinimumDuration,
  matcherAccepts,
  preflightMarkdown,
  type ServiceFacts,
  type TargetGroupFacts
} from '../../src/strategies/ecs-rolling/preflight-rules.js'

const tg = (over: Partial<TargetGroupFacts> = {}): TargetGroupFacts => ({
  arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc',
  name: 'web',
  healthCheckPath: '/healthz',
  intervalSeconds: 30,
  healthyThreshold: 3,
  matcher: '200',
  deregistrationDelaySeconds: 120,
  loadBalancerArns: [],
  ...over
})

const facts = (over: Partial<ServiceFacts> = {}): ServiceFacts => ({
  cluster: 'prod',
  service: 'web',
  desiredCount: 2,
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  configured: true,
  circuitBreaker: { enable: true, rollback: true },
  gracePeriodSeconds: 60,
  deploymentController: 'ECS',
  strategy: 'ROLLING',
  deployments: 1,
  servesTraffic: true,
  targetGroups: [tg()],
  ...over
})

const levels = (f: ServiceFacts) => assessService(f).map(x => `${x.level}: ${x.message}`)

describe('assessService', () => {
  it('has nothing to say about a well-configured service', () => {
    expect(assessService(facts())).toEqual([])
  })

  it('refuses maximumPercent 100 with minimumHealthyPercent 100 (no task can start or stop)', () => {
    const [f] = assessService(facts({ maximumPercent: 100, minimumHealthyPercent: 100 }))
    expect(f.level).toBe('refuse')
    expect(f.message).toMatch(/service 'web' in cluster 'prod' can neither start nor stop a task/)
    expect(f.hint).toMatch(/maximumPercent to 200/)
  })

  it('refuses a maximumPercent too small to start one extra task when none may stop', () => {
    // 3 x 120% rounds down to 3: no room for a fourth task.
    expect(levels(facts({ desiredCount: 3, maximumPercent: 120 }))).toEqual([
      expect.stringMatching(/^refuse: .*can neither start nor stop/)
    ])
    // 5 x 120% = 6: room for one.
    expect(levels(facts({ desiredCount: 5, maximumPercent: 120 }))).toEqual([])
  })

  it('does not refuse one task at 50% / 200%: ECS rounds the minimum up, so the task stays', () => {
    // 1 x 50% rounds up to 1 task that must stay healthy, 1 x 200% leaves room for a second.
    expect(levels(facts({ desiredCount: 1, minimumHealthyPercent: 50 }))).toEqual([])
    // 3 x 30% rounds up to 1: one task keeps serving.
    expect(levels(facts({ desiredCount: 3, minimumHealthyPercent: 30 }))).toEqual([])
  })

  it('refuses one task at 50% / 100%: the one task must stay and there is no room for another', () => {
    expect(levels(facts({ desiredCount: 1, minimumHealthyPercent: 50, maximumPercent: 100 }))).toEqual([
      expect.stringMatching(/^refuse: .*can neither start nor stop a task .*1 may run, 1 must stay healthy/)
    ])
  })

  it('refuses a minimum of 0 tasks on a service that serves traffic, not on one that serves none', () => {
    expect(levels(facts({ desiredCount: 3, minimumHealthyPercent: 0 }))).toEqual([
      expect.stringMatching(/^refuse: .*serves traffic, but minimumHealthyPercent 0 keeps 0 of 3 tasks/)
    ])
    expect(
      levels(facts({ desiredCount: 3, minimumHealthyPercent: 0, servesTraffic: false, targetGroups: [] }))
    ).toEqual([])
  })

  it('applies no percentage rule to a BLUE_GREEN, LINEAR or CANARY service: green starts beside blue', () => {
    for (const strategy of ['BLUE_GREEN', 'LINEAR', 'CANARY'])
      expect(levels(facts({ strategy, maximumPercent: 100, minimumHealthyPercent: 100 }))).toEqual([])
  })

  it('refuses desiredCount 0 and other deployment controllers', () => {
    expect(levels(facts({ desiredCount: 0 }))).toEqual([expect.stringMatching(/^refuse: .*desiredCount 0/)])
    expect(levels(facts({ deploymentController: 'CODE_DEPLOY' }))).toEqual([
      expect.stringMatching(/^refuse: .*CODE_DEPLOY deployment controller/)
    ])
  })

  it('warns when capacity drops during the deploy (maximumPercent 100, minimum below 100)', () => {
    expect(levels(facts({ desiredCount: 4, maximumPercent: 100, minimumHealthyPercent: 50 }))).toEqual([
      expect.stringMatching(/^warn: .*capacity drops to 2 of 4 tasks/)
    ])
  })

  it('warns about the circuit breaker, a health check on /, a long deregistration delay', () => {
    const found = levels(
      facts({
        circuitBreaker: { enable: false, rollback: false },
        targetGroups: [tg({ healthCheckPath: '/', deregistrationDelaySeconds: 300 })]
      })
    )
    expect(found).toEqual([
      expect.stringMatching(/^warn: The deployment circuit breaker .* is off/),
      expect.stringMatching(/^warn: Target group web health-checks '\/'/),
      expect.stringMatching(/^warn: Target group web has a deregistration delay of 300s/)
    ])
  })

  it('warns when the health-check path redirects and the matcher does not accept the redirect', () => {
    const answer = { url: 'https://shop.example.com/', status: 302, location: '/login' }
    const redirecting = tg({ healthCheckPath: '/', healthCheckAnswer: answer })
    expect(levels(facts({ targetGroups: [redirecting] }))).toEqual([
      expect.stringMatching(
        /^warn: Target group web checks '\/' and accepts 200, but .* answers 302 \(redirect to \/login\)/
      )
    ])
    const accepting = tg({ healthCheckPath: '/', matcher: '200-399', healthCheckAnswer: answer })
    expect(levels(facts({ targetGroups: [accepting] }))).toEqual([
      expect.stringMatching(/^warn: Target group web health-checks '\/'/)
    ])
  })

  it('recommends faster health checks than the default 5 x 30s, and a grace period for slow starters', () => {
    const slow = facts({
      gracePeriodSeconds: 0,
      targetGroups: [tg({ healthyThreshold: 5, intervalSeconds: 30 })]
    })
    const found = assessService(slow)
    expect(found.map(x => x.level)).toEqual(['advise', 'advise'])
    expect(found[0].message).toMatch(/grace period of 0s/)
    expect(found[1].message).toMatch(
      /checks every 30s: a new task gets traffic after its first passing check \(30s\), but after 5 in a row \(2m30s\) once it turned unhealthy/
    )
    expect(found[1].hint).toMatch(/check every 10-15s and ask 2-3 passes/)
    // Without a load balancer there are no target health checks to wait for.
    expect(assessService(facts({ gracePeriodSeconds: 0, servesTraffic: false, targetGroups: [] }))).toEqual(
      []
    )
    expect(preflightMarkdown(slow, found, estimateMinimumDuration(slow))).toContain('💡')
  })

  it('advises on what a target waits: one interval when new, HealthyThresholdCount intervals back from unhealthy', () => {
    const advice = (t: Partial<TargetGroupFacts>) =>
      assessService(facts({ targetGroups: [tg(t)] })).filter(x => x.level === 'advise').length
    expect(advice({ intervalSeconds: 30, healthyThreshold: 3 })).toBe(0) // 30s new, 1m30s back
    expect(advice({ intervalSeconds: 45, healthyThreshold: 2 })).toBe(1) // the first check comes late
    expect(advice({ intervalSeconds: 10, healthyThreshold: 10 })).toBe(1) // 1m40s back from unhealthy
    expect(advice({ intervalSeconds: 15, healthyThreshold: 5 })).toBe(0)
  })

  it('warns when a deployment is already in progress', () => {
    expect(levels(facts({ deployments: 2 }))).toEqual([
      expect.stringMatching(/^warn: .*already has 2 deployments/)
    ])
  })
})

describe('matcherAccepts', () => {
  it.each([
    ['200', 200, true],
    ['200', 302, false],
    ['200,302', 302, true],
    ['200-399', 302, true],
    ['200-299', 302, false]
  ])('%s accepts %d: %s', (matcher, status, expected) => {
    expect(matcherAccepts(matcher, status)).toBe(expected)
  })
})

describe('estimateMinimumDuration', () => {
  it('adds start, health checks and the deregistration delay for a one-batch rollout', () => {
    // New tasks are newly registered targets: healthy after their first passing check (one interval).
    expect(estimateMinimumDuration(facts())).toEqual({
      seconds: 30 + 30 + 120,
      arithmetic: 'start ~30s + first passing check 30s + 2m deregistration delay'
    })
  })

  it('counts batches when maximumPercent limits how many tasks are replaced at once', () => {
    // 10 tasks, 150%/100%: 5 replaced per batch, 2 batches.
    const e = estimateMinimumDuration(facts({ desiredCount: 10, maximumPercent: 150 }))
    expect(e.seconds).toBe(2 * (30 + 30 + 120))
    expect(e.arithmetic).toBe('2 batches x (start ~30s + first passing check 30s + 2m deregistration delay)')
  })

  it('uses the slowest target group, and only the start without a load balancer', () => {
    const slow = tg({
      name: 'slow',
      intervalSeconds: 60,
      healthyThreshold: 5,
      deregistrationDelaySeconds: 300
    })
    expect(estimateMinimumDuration(facts({ targetGroups: [tg(), slow] })).seconds).toBe(30 + 60 + 300)
    // Slowest by the first check, not by HealthyThresholdCount x interval (which a new task never waits).
    const manyChecks = tg({
      name: 'many',
      intervalSeconds: 10,
      healthyThreshold: 10,
      deregistrationDelaySeconds: 100
    })
    const lateCheck = tg({
      name: 'late',
      intervalSeconds: 40,
      healthyThreshold: 2,
      deregistrationDelaySeconds: 100
    })
    expect(estimateMinimumDuration(facts({ targetGroups: [manyChecks, lateCheck] })).seconds).toBe(
      30 + 40 + 100
    )
    expect(estimateMinimumDuration(facts({ targetGroups: [] }))).toEqual({
      seconds: 30,
      arithmetic: 'start ~30s'
    })
  })
})

describe('preflightMarkdown', () => {
  it('shows the settings, the estimate with its arithmetic and each finding', () => {
    const f = facts({ maximumPercent: 100 })
    const md = preflightMarkdown(f, assessService(f), estimateMinimumDuration(f))
    expect(md).toContain('| Maximum / minimum healthy percent | 100% / 100% |')
    expect(md).toContain(
      'health check `/healthz` every 30s, healthy after 1 passing check (30s), 3 in a row (1m30s) once ' +
        'unhealthy, matcher 200; deregistration delay 120s'
    )
    expect(md).toMatch(/\*\*Estimated minimum duration:\*\* at least 6m: 2 batches x \(start/)
    expect(md).toMatch(/⛔ \*\*Refused:\*\* The service 'web' in cluster 'prod' can neither start nor stop/)
  })
})
