// Targets as the API sees them: RegisterTargets, DeregisterTargets and DescribeTargetHealth.
import type {
  DeregisterTargetsCommandInput,
  DescribeTargetHealthCommandInput,
  RegisterTargetsCommandInput,
  TargetHealthDescription
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { deregister, register } from './health.js'
import type { ElbModel } from './index.js'
import { key, type TargetGroupRecord, type TargetRecord } from './records.js'
import { targetGroupByArn } from './target-groups.js'
import { checkTarget } from './validation.js'

export function describeTargetHealth(
  elb: ElbModel,
  input: DescribeTargetHealthCommandInput
): {
  TargetHealthDescriptions: TargetHealthDescription[]
} {
  const tg = targetGroupByArn(elb, input.TargetGroupArn ?? '')
  if (input.Targets?.length) {
    return {
      TargetHealthDescriptions: input.Targets.map(t => {
        const record = tg.targets.get(key(t.Id ?? '', t.Port ?? tg.port))
        if (record) return healthShape(tg, record)
        return {
          Target: { Id: t.Id, Port: t.Port ?? tg.port },
          HealthCheckPort: String(t.Port ?? tg.port),
          TargetHealth: {
            State: 'unused',
            Reason: 'Target.NotRegistered',
            Description: 'Target is not registered to the target group'
          }
        }
      })
    }
  }
  return { TargetHealthDescriptions: [...tg.targets.values()].map(t => healthShape(tg, t)) }
}

/** Target health as DescribeTargetHealth reports it, without going through the API (for assertions). */
export function targetHealth(elb: ElbModel, arn: string): TargetHealthDescription[] {
  const tg = elb.targetGroups.get(arn)
  if (!tg) throw new Error(`sim: no target group ${arn}`)
  return [...tg.targets.values()].map(t => healthShape(tg, t))
}

export function healthShape(_tg: TargetGroupRecord, t: TargetRecord): TargetHealthDescription {
  return {
    Target: {
      Id: t.id,
      Port: t.port,
      ...(t.availabilityZone ? { AvailabilityZone: t.availabilityZone } : {})
    },
    HealthCheckPort: String(t.port),
    TargetHealth: {
      State: t.state,
      ...(t.reason ? { Reason: t.reason } : {}),
      ...(t.description ? { Description: t.description } : {})
    }
  }
}

export function registerTargets(elb: ElbModel, input: RegisterTargetsCommandInput) {
  const tg = targetGroupByArn(elb, input.TargetGroupArn ?? '')
  if (!input.Targets?.length) throw elb.error('ValidationError', 'At least one target must be specified')
  for (const t of input.Targets) checkTarget(elb, tg, t)
  for (const t of input.Targets)
    register(elb, tg, { id: t.Id ?? '', port: t.Port, availabilityZone: t.AvailabilityZone })
  return {}
}

export function deregisterTargets(elb: ElbModel, input: DeregisterTargetsCommandInput) {
  const tg = targetGroupByArn(elb, input.TargetGroupArn ?? '')
  if (!input.Targets?.length) throw elb.error('ValidationError', 'At least one target must be specified')
  const missing = input.Targets.filter(t => !tg.targets.has(key(t.Id ?? '', t.Port ?? tg.port)))
  if (missing.length > 0) {
    throw elb.error(
      'InvalidTarget',
      `The following targets are not registered in target group '${tg.arn}': ${missing.map(t => `'${t.Id}'`).join(', ')}`
    )
  }
  for (const t of input.Targets) deregister(elb, tg, t.Id ?? '', t.Port)
  return {}
}
