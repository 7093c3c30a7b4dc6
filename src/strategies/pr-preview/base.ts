// What a preview copies: the base service (task definition, network configuration, launch type, the
// load-balanced container and its target group), and the shared ALB listener previews hang off.
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs'
import type { Listener, LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2'
import { Inputs } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import { shortName } from '../../aws/arns.js'
import { pickContainer } from '../../aws/containers.js'
import { describeService, describeTaskDefinition } from '../../aws/ecs.js'
import {
  deregistrationDelaySeconds,
  describeListener,
  describeLoadBalancer,
  describeTargetGroup
} from '../../aws/elbv2.js'
import { DeployError, errorMessage, hasErrorCode } from '../../errors.js'
import type { PrPreviewSettings } from '../../inputs.js'
import { baseKey } from './naming.js'
import type { PreviewScope } from './tags.js'

export type PreviewContext = DeployContext<PrPreviewSettings>

/** The shared ALB and the scope (repository and base service) every preview lookup is limited to. */
export interface SharedAlb extends PreviewScope {
  cluster: string
  /** Short name of the base service. */
  serviceName: string
  listener: Listener
  loadBalancer: LoadBalancer
}

export interface BaseService {
  service: Service
  taskDefinition: TaskDefinition
  /** The container behind the load balancer and its port: what the preview's target group reaches. */
  lbContainer: { name: string; port: number }
  /** The container whose image `image` replaces. */
  imageContainer: string
  targetGroup: TargetGroup
  /** How long its targets drain: the preview's target group gets the same. */
  deregistrationDelaySeconds: number
}

export async function readSharedAlb(ctx: PreviewContext): Promise<SharedAlb> {
  const { settings, aws } = ctx
  const listener = await describeListener(aws, settings.listenerArn).catch((e: unknown) => {
    // ELB answers a well-formed ARN of no listener (or one of another region) with an error.
    if (hasErrorCode(e, 'ListenerNotFound', 'ValidationError'))
      throw new DeployError(
        `Listener ${settings.listenerArn} ('${Inputs.ListenerArn}') was not found: ${errorMessage(e)}`,
        `set '${Inputs.ListenerArn}' to the ARN of the shared ALB's listener ` +
          `(arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<alb>/<id>/<id>) in the region ` +
          `the action runs in.`,
        { cause: e }
      )
    throw e
  })
  if (!listener.LoadBalancerArn)
    throw new DeployError(
      `Listener ${settings.listenerArn} has no load balancer.`,
      `check '${Inputs.ListenerArn}'.`
    )
  const loadBalancer = await describeLoadBalancer(aws, listener.LoadBalancerArn)
  if (loadBalancer.Type && loadBalancer.Type !== 'application')
    throw new DeployError(
      `Load balancer ${loadBalancer.LoadBalancerName} is a ${loadBalancer.Type} load balancer; previews ` +
        `need an Application Load Balancer (host rules, HTTP listeners).`,
      `set '${Inputs.ListenerArn}' to a listener of an Application Load Balancer.`
    )
  return {
    repo: ctx.event.repository,
    baseKey: baseKey(settings.cluster, settings.service),
    cluster: settings.cluster,
    serviceName: shortName(settings.service),
    listener,
    loadBalancer
  }
}

export async function readBaseService(ctx: PreviewContext): Promise<BaseService> {
  const { settings, aws, log } = ctx
  const service = await describeService(aws, settings.cluster, settings.service)
  if (!service.taskDefinition)
    throw new DeployError(
      `Base service ${settings.service} has no task definition.`,
      `check '${Inputs.Service}'.`
    )
  const { taskDefinition } = await describeTaskDefinition(aws, service.taskDefinition)
  const lb = (service.loadBalancers ?? []).find(l => l.targetGroupArn && l.containerName && l.containerPort)
  if (!lb?.targetGroupArn || !lb.containerName || lb.containerPort === undefined)
    throw new DeployError(
      `Base service ${settings.service} is not behind a load balancer target group, so there is no ` +
        `container port and health check for a preview to copy.`,
      `point '${Inputs.Service}' at a service attached to an ALB target group.`
    )
  const targetGroup = await describeTargetGroup(aws, lb.targetGroupArn)
  const delay = await deregistrationDelaySeconds(aws, lb.targetGroupArn)
  // Several containers and no 'container-name': the image goes to the one behind the load balancer.
  const imageContainer = pickContainer(taskDefinition.containerDefinitions ?? [], settings.containerName, {
    fallback: lb.containerName,
    where: `task definition ${taskDefinition.family}:${taskDefinition.revision}`
  })
  log.info(
    `Base service ${service.serviceName}: ${shortName(service.taskDefinition)}, container ` +
      `${lb.containerName}:${lb.containerPort}, target group ${targetGroup.TargetGroupName} ` +
      `(${targetGroup.Protocol}:${targetGroup.Port}, health ${targetGroup.HealthCheckPath ?? '-'})`
  )
  return {
    service,
    taskDefinition,
    lbContainer: { name: lb.containerName, port: lb.containerPort },
    imageContainer,
    targetGroup,
    deregistrationDelaySeconds: delay
  }
}
