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
  it('has nothing to say about fast checks, short draining and ELB health checks', () => {
    expect(recommendations(group('ELB'), tg())).toEqual([])
  })

  it("names each setting that costs time or safety, with what to change (AWS's defaults)", () => {
    const advice = recommendations(
      group('EC2'),
      tg({ intervalSeconds: 30, healthyThreshold: 5, deregistrationDelaySeconds: 300, healthCheckPath: '/' })
    )
    expect(advice).toHaveLength(4)
    expect(advice[0]).toMatch(/needs 5 passing checks 30s apart \(2m30s\)/)
    expect(advice[1]).toMatch(/drains for 300s: the cutover and a rollback each wait that long/)
    expect(advice[2]).toMatch(/health-checks '\/'/)
    expect(advice[3]).toMatch(/uses EC2 health checks.*Set the groups' health check type to ELB/)
  })
})
