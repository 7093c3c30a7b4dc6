import { describe, expect, it } from '@jest/globals'
import { recommendations } from '../../src/strategies/asg-blue-green/preflight/advice.js'
import type { GroupView, TargetGroupInfo } from '../../src/strategies/asg-blue-green/model.js'

const group = (healthCheckType: string) => ({ name: 'web-blue', healthCheckType }) as GroupView
const tg = (over: Partial<TargetGroupInfo> = {}): TargetGroupInfo => ({
  arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc',
  name: 'web',
  intervalSeconds: 10,
  healthyThreshold: 3,
  deregistrationDelaySeconds: 30,
  healthCheckPath: '/healthz',
  loadBalancerArns: [],
  ...over
})

describe('asg-blue-green recommendations', () => {
  it('advises on a late first check and on a long way back from unhealthy, not on the count alone', () => {
    const slow = (over: Partial<TargetGroupInfo>) => recommendations(group('ELB'), tg(over)).length
    expect(slow({ intervalSeconds: 30, healthyThreshold: 3 })).toBe(0)
    expect(slow({ intervalSeconds: 60, healthyThreshold: 2 })).toBe(1)
    expect(slow({ intervalSeconds: 20, healthyThreshold: 5 })).toBe(1)
  })

  it('has nothing to say about fast checks, short draining and ELB health checks', () => {
    expect(recommendations(group('ELB'), tg())).toEqual([])
  })

  it("names each setting that costs time or safety, with what to change (AWS's defaults)", () => {
    const advice = recommendations(
      group('EC2'),
      tg({ intervalSeconds: 30, healthyThreshold: 5, deregistrationDelaySeconds: 300, healthCheckPath: '/' })
    )
    expect(advice).toHaveLength(4)
    expect(advice[0]).toMatch(
      /checks every 30s: a new instance gets traffic after its first passing check \(30s\), at the cutover and in a rollback, but after 5 in a row \(2m30s\) once it turned unhealthy/
    )
    expect(advice[1]).toMatch(/drains for 300s: the cutover and a rollback each wait that long/)
    expect(advice[2]).toMatch(/health-checks '\/'/)
    expect(advice[3]).toMatch(/uses EC2 health checks.*Set the groups' health check type to ELB/)
  })
})
