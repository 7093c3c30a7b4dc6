// What a preview service copies from the base service's deployment configuration.
import { describe, expect, it } from '@jest/globals'
import { rollingDeploymentConfiguration } from '../../src/strategies/pr-preview/deploy/service.js'

describe('rollingDeploymentConfiguration', () => {
  it('keeps the rolling settings and drops a blue/green strategy, its bake time, lifecycle hooks and alarms', () => {
    const copied = rollingDeploymentConfiguration({
      maximumPercent: 200,
      minimumHealthyPercent: 50,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: ['production-5xx'], enable: true, rollback: true },
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 15,
      lifecycleHooks: [
        {
          hookTargetArn: 'arn:aws:lambda:us-east-1:1:function:smoke',
          lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT']
        }
      ]
    })
    expect(copied).toEqual({
      maximumPercent: 200,
      minimumHealthyPercent: 50,
      deploymentCircuitBreaker: { enable: true, rollback: true }
    })
  })

  it('leaves the ECS defaults when the base reports no configuration', () => {
    expect(rollingDeploymentConfiguration(undefined)).toBeUndefined()
  })
})
