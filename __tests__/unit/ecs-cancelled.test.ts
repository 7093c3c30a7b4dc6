// What a cancelled ecs-rolling run says ECS carries on with: the circuit breaker for a rolling
// deployment, the PAUSE hook's timeout action for ECS's own blue/green, linear or canary deployment.
import { describe, expect, it } from '@jest/globals'
import { carriesOnLines } from '../../src/strategies/ecs-rolling/cancelled.js'
import { EcsRun, type EcsContext } from '../../src/strategies/ecs-rolling/run.js'
import type { Preflight } from '../../src/strategies/ecs-rolling/preflight.js'

const ctx = { settings: { cluster: 'main', service: 'web' } } as unknown as EcsContext
const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42'

function run(pre: Partial<Preflight>, serviceDeploymentArn?: string): EcsRun {
  const r = new EcsRun(pre as Preflight, undefined)
  r.rollout = { deploymentId: 'ecs-svc/123', taskDefinitionArn: TD, serviceDeploymentArn }
  return r
}

describe('carriesOnLines', () => {
  it('names the rolling deployment, the circuit breaker and how to watch it', () => {
    const lines = carriesOnLines(
      ctx,
      run({ facts: { circuitBreaker: { enable: true, rollback: true } } } as unknown as Partial<Preflight>)
    )
    expect(lines[0]).toBe(
      'ECS carries on with deployment ecs-svc/123 of web:42 on main/web: this run did not roll it back; the ' +
        'deployment circuit breaker stops it if tasks keep failing and rolls back to the previous revision.'
    )
    expect(lines[1]).toContain("aws ecs describe-services --cluster main --services web --query 'services[0]")
  })

  it("names ECS's PAUSE hook timeout action for a blue/green service", () => {
    const shift = {
      strategy: 'BLUE_GREEN',
      gateStage: 'POST_TEST_TRAFFIC_SHIFT',
      hooks: [
        {
          targetType: 'PAUSE',
          stages: ['POST_TEST_TRAFFIC_SHIFT'],
          timeoutMinutes: 15,
          timeoutAction: 'ROLLBACK'
        }
      ]
    }
    const lines = carriesOnLines(ctx, run({ shift } as unknown as Partial<Preflight>, 'arn:sd/1'))
    expect(lines[0]).toBe(
      'ECS carries on with BLUE_GREEN service deployment arn:sd/1 of web:42 on main/web: this run did not roll it ' +
        "back; the POST_TEST_TRAFFIC_SHIFT PAUSE hook's timeout action decides how it ends: ROLLBACK after 15 min " +
        'unless someone continues it (aws ecs continue-service-deployment --service-deployment-arn arn:sd/1).'
    )
    expect(lines[1]).toContain('aws ecs describe-service-deployments --service-deployment-arns arn:sd/1')
  })
})
