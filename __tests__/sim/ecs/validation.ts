// What CreateService refuses about a service's load balancers and network for its task definition.
import type { LoadBalancer as EcsLoadBalancer, NetworkConfiguration } from '@aws-sdk/client-ecs'
import type { EcsModel } from './index.js'
import type { TaskDefinitionRecord } from './records.js'
import { loadBalancersUsing } from '../elbv2/target-groups.js'

export function checkLoadBalancers(ecs: EcsModel, lbs: EcsLoadBalancer[], td: TaskDefinitionRecord): void {
  for (const lb of lbs) {
    if (!lb.targetGroupArn)
      throw ecs.error(
        'InvalidParameterException',
        'targetGroupArn must be specified for application load balancers.'
      )
    const tg = ecs.world.elbv2.targetGroups.get(lb.targetGroupArn)
    if (!tg) {
      throw ecs.error('InvalidParameterException', `Unable to find target group ${lb.targetGroupArn}.`)
    }
    if (loadBalancersUsing(ecs.world.elbv2, tg).size === 0) {
      throw ecs.error(
        'InvalidParameterException',
        `The target group with targetGroupArn ${lb.targetGroupArn} does not have an associated load balancer.`
      )
    }
    if (td.body.networkMode === 'awsvpc' && tg.targetType !== 'ip') {
      throw ecs.error(
        'InvalidParameterException',
        `The provided target group ${lb.targetGroupArn} has target type ${tg.targetType}, which is incompatible with the awsvpc network mode specified in the task definition.`
      )
    }
    const container = td.body.containerDefinitions?.find(c => c.name === lb.containerName)
    if (!container) {
      throw ecs.error(
        'InvalidParameterException',
        `The container ${lb.containerName ?? ''} does not exist in the task definition.`
      )
    }
    const ports = (container.portMappings ?? []).map(p => p.containerPort)
    if (!ports.includes(lb.containerPort)) {
      throw ecs.error(
        'InvalidParameterException',
        `The container ${lb.containerName ?? ''} did not have a container port ${lb.containerPort ?? ''} defined.`
      )
    }
  }
}

export function checkNetwork(
  ecs: EcsModel,
  td: TaskDefinitionRecord,
  network: NetworkConfiguration | undefined
): void {
  if (td.body.networkMode === 'awsvpc' && !network?.awsvpcConfiguration?.subnets?.length) {
    throw ecs.error(
      'InvalidParameterException',
      `Network Configuration must be provided when networkMode 'awsvpc' is specified.`
    )
  }
}
