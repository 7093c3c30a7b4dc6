// The resources of a preview, each made or brought up to date in place: its task definition, target
// group (a copy of the base service's), ECS service, tags, and the cleanup of what a redeploy replaced.
import type { DeploymentConfiguration, Service, TaskDefinition } from '@aws-sdk/client-ecs'
import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  createService,
  deregisterTaskDefinition,
  describeServicesWithTags,
  registerTaskDefinition,
  tagEcsResource,
  updateService
} from '../../aws/ecs.js'
import {
  addTags,
  createTargetGroup,
  deleteListener,
  deleteRule,
  describeTargetGroup,
  modifyTargetGroupAttributes
} from '../../aws/elbv2.js'
import { imageOf } from '../../aws/containers.js'
import { fromEcsTags, toEcsTags, type TagMap } from '../../aws/tags.js'
import { Tags } from '../../constants.js'
import { DeployError, errorMessage, hasErrorCode } from '../../errors.js'
import type { BaseService, PreviewContext, SharedAlb } from './base.js'
import { CreatedResources } from './created.js'
import type { PreviewResources } from './find.js'
import type { PreviewNames } from './naming.js'
import type { Route } from './routing.js'
import { previewPr } from './tags.js'
import { previewTaskDefinitionInput } from './task-definition.js'
import { waitUntilGone } from './wait.js'

const TARGET_GROUP_NOT_FOUND = ['TargetGroupNotFound']
const AWS_DEFAULT_DEREGISTRATION_DELAY = 300

export async function registerPreviewTaskDefinition(
  ctx: PreviewContext,
  base: BaseService,
  names: PreviewNames,
  tags: TagMap,
  created: CreatedResources
): Promise<TaskDefinition> {
  const { settings, log } = ctx
  const input = previewTaskDefinitionInput(
    base.taskDefinition,
    names.family,
    base.imageContainer,
    settings.image,
    tags
  )
  const td = await registerTaskDefinition(ctx.aws, input, {
    ...base.taskDefinition,
    family: names.family,
    containerDefinitions: input.containerDefinitions,
    taskDefinitionArn: `(planned ${names.family}:next)`
  })
  created.add('task definition', ctx.aws.dryRun ? undefined : td.taskDefinitionArn)
  log.info(
    `Task definition ${td.family}:${td.revision ?? 'next'} runs ${imageOf(td, base.imageContainer) ?? '?'} in ${base.imageContainer}`
  )
  return td
}

export async function ensureTargetGroup(
  ctx: PreviewContext,
  base: BaseService,
  names: PreviewNames,
  tags: TagMap,
  existing: PreviewResources,
  created: CreatedResources
): Promise<TargetGroup> {
  const found = existing.targetGroups[0]
  if (found) {
    ctx.log.info(`Target group ${found.TargetGroupName} exists.`)
    return found
  }
  const b = base.targetGroup
  try {
    const tg = await createTargetGroup(
      ctx.aws,
      {
        Name: names.targetGroup,
        Protocol: b.Protocol,
        ProtocolVersion: b.ProtocolVersion,
        Port: b.Port,
        VpcId: b.VpcId,
        TargetType: b.TargetType,
        IpAddressType: b.IpAddressType,
        HealthCheckProtocol: b.HealthCheckProtocol,
        HealthCheckPort: b.HealthCheckPort,
        HealthCheckPath: b.HealthCheckPath,
        HealthCheckEnabled: b.HealthCheckEnabled,
        HealthCheckIntervalSeconds: b.HealthCheckIntervalSeconds,
        HealthCheckTimeoutSeconds: b.HealthCheckTimeoutSeconds,
        HealthyThresholdCount: b.HealthyThresholdCount,
        UnhealthyThresholdCount: b.UnhealthyThresholdCount,
        Matcher: b.Matcher
      },
      tags
    )
    created.add('target group', ctx.aws.dryRun ? undefined : tg.TargetGroupArn)
    // A target group can stay invisible for a moment after its creation (eventual consistency): the
    // rule or listener and ECS refuse it meanwhile, so wait until a describe finds it.
    if (!ctx.aws.dryRun)
      await ctx.aws.retryOn(TARGET_GROUP_NOT_FOUND, 'elasticloadbalancing:DescribeTargetGroups', () =>
        describeTargetGroup(ctx.aws, tg.TargetGroupArn ?? '')
      )
    // AWS's default deregistration delay is 300 s; the base's (often shorter) keeps redeploys as quick.
    if (base.deregistrationDelaySeconds !== AWS_DEFAULT_DEREGISTRATION_DELAY)
      await modifyTargetGroupAttributes(ctx.aws, tg.TargetGroupArn ?? '', {
        'deregistration_delay.timeout_seconds': String(base.deregistrationDelaySeconds)
      })
    ctx.log.info(
      `Target group ${names.targetGroup} created (${b.Protocol}:${b.Port}, ${b.TargetType}, health ${b.HealthCheckPath ?? '-'}, deregistration delay ${base.deregistrationDelaySeconds}s)`
    )
    return tg
  } catch (e) {
    if (hasErrorCode(e, 'DuplicateTargetGroupName'))
      throw new DeployError(
        `A target group named ${names.targetGroup} exists but is not tagged as the preview of PR #${names.pr} of ${ctx.event.repository}.`,
        `delete or rename that target group; zdt-deploy does not take over resources it did not create.`,
        { cause: e }
      )
    throw e
  }
}

export async function ensureService(
  ctx: PreviewContext,
  alb: SharedAlb,
  base: BaseService,
  names: PreviewNames,
  td: TaskDefinition,
  targetGroupArn: string,
  tags: TagMap,
  created: CreatedResources
): Promise<Service> {
  const { aws, settings, log } = ctx
  const cluster = settings.cluster
  const tdArn = td.taskDefinitionArn ?? ''
  const loadBalancers = [
    { targetGroupArn, containerName: base.lbContainer.name, containerPort: base.lbContainer.port }
  ]
  const [current] = await describeServicesWithTags(aws, cluster, [names.service])

  if (current?.status === 'ACTIVE') {
    if (previewPr(fromEcsTags(current.tags), alb, names.pr) === undefined)
      throw new DeployError(
        `A service named ${names.service} already runs in cluster ${cluster} and is not tagged as the preview of PR #${names.pr} of ${ctx.event.repository}.`,
        `rename or delete that service; zdt-deploy does not take over services it did not create.`
      )
    if (current.taskDefinition) ctx.state.setPreviousTaskDefinitionArn(current.taskDefinition)
    const sameTargetGroup = (current.loadBalancers ?? []).some(l => l.targetGroupArn === targetGroupArn)
    const updated = await updateService(
      aws,
      {
        cluster,
        service: names.service,
        taskDefinition: tdArn,
        desiredCount: settings.previewDesiredCount,
        loadBalancers: sameTargetGroup ? undefined : loadBalancers
      },
      { ...current, taskDefinition: tdArn, desiredCount: settings.previewDesiredCount }
    )
    await tagEcsResource(aws, current.serviceArn ?? '', { [Tags.DeployedAt]: tags[Tags.DeployedAt] })
    log.info(`Service ${names.service} updated to ${tdArn}.`)
    return updated
  }

  if (current?.status === 'DRAINING') {
    // Reopened right after a teardown: ECS refuses to create a service whose namesake is still draining.
    if (aws.dryRun) log.info(`[dry-run] would wait for the draining service ${names.service} to be gone`)
    else await waitUntilGone(ctx, cluster, names.service)
  }

  const b = base.service
  const capacity = (b.capacityProviderStrategy ?? []).length > 0 ? b.capacityProviderStrategy : undefined
  const awsvpc = b.networkConfiguration?.awsvpcConfiguration
  const service = await createServiceOnceTargetGroupIsVisible(ctx, {
    cluster,
    serviceName: names.service,
    taskDefinition: tdArn,
    desiredCount: settings.previewDesiredCount,
    launchType: capacity ? undefined : b.launchType,
    capacityProviderStrategy: capacity,
    platformVersion: b.platformVersion,
    networkConfiguration: awsvpc ? { awsvpcConfiguration: awsvpc } : undefined,
    loadBalancers,
    healthCheckGracePeriodSeconds: b.healthCheckGracePeriodSeconds,
    deploymentConfiguration: rollingDeploymentConfiguration(b.deploymentConfiguration),
    placementConstraints: b.placementConstraints,
    placementStrategy: b.placementStrategy,
    enableExecuteCommand: b.enableExecuteCommand,
    enableECSManagedTags: b.enableECSManagedTags,
    propagateTags: 'SERVICE',
    tags: toEcsTags(tags)
  })
  created.add('service', aws.dryRun ? undefined : names.service)
  log.info(`Service ${names.service} created with ${settings.previewDesiredCount} task(s).`)
  return service
}

/**
 * The base's rolling-update settings only. A base on ECS blue/green, linear or canary (`strategy`)
 * needs an alternate target group and listener rule per load balancer (`advancedConfiguration`) that a
 * preview does not have, and its lifecycle hooks and bake time belong to production.
 */
export function rollingDeploymentConfiguration(
  base: DeploymentConfiguration | undefined
): DeploymentConfiguration | undefined {
  if (!base) return undefined
  const { maximumPercent, minimumHealthyPercent, deploymentCircuitBreaker, alarms } = base
  return { maximumPercent, minimumHealthyPercent, deploymentCircuitBreaker, alarms }
}

// ECS may not see a target group created a moment ago: it answers InvalidParameterException naming it.
const TARGET_GROUP_NOT_VISIBLE = /target ?group/i
const CREATE_SERVICE_ATTEMPTS = 5

async function createServiceOnceTargetGroupIsVisible(
  ctx: PreviewContext,
  input: Parameters<typeof createService>[1]
): Promise<Service> {
  const notVisible = (e: unknown) =>
    hasErrorCode(e, 'InvalidParameter') && TARGET_GROUP_NOT_VISIBLE.test(errorMessage(e))
  return ctx.aws.retryOn(
    notVisible,
    'ecs:CreateService',
    () =>
      createService(ctx.aws, input, {
        serviceName: input.serviceName,
        serviceArn: `(planned service ${input.serviceName})`,
        status: 'ACTIVE',
        desiredCount: input.desiredCount,
        taskDefinition: input.taskDefinition
      }),
    {
      attempts: CREATE_SERVICE_ATTEMPTS,
      backoffMs: 2000,
      onRetry: e =>
        ctx.log.debug(`CreateService: target group not visible to ECS yet (${errorMessage(e)}); trying again`)
    }
  )
}

/** New deployed-at on the reused resources; routes of the other routing mode (input changed) removed. */
export async function retagAndTidy(
  ctx: PreviewContext,
  existing: PreviewResources,
  route: Route,
  targetGroupArn: string,
  tags: TagMap
): Promise<void> {
  const { aws, log } = ctx
  const reused = [
    ...existing.targetGroups.map(t => t.TargetGroupArn ?? '').filter(a => a === targetGroupArn),
    ...(route.created ? [] : [route.arn])
  ]
  if (reused.length > 0) await addTags(aws, reused, { [Tags.DeployedAt]: tags[Tags.DeployedAt] })
  for (const rule of existing.rules)
    if (rule.RuleArn && rule.RuleArn !== route.arn) {
      await deleteRule(aws, rule.RuleArn)
      log.info(`Removed the preview's old rule ${rule.Priority}.`)
    }
  for (const listener of existing.listeners)
    if (listener.ListenerArn && listener.ListenerArn !== route.arn) {
      await deleteListener(aws, listener.ListenerArn)
      log.info(`Removed the preview's old listener :${listener.Port}.`)
    }
}

/** Earlier revisions of the preview's family: the service no longer runs them. */
export async function deregisterOld(
  ctx: PreviewContext,
  existing: PreviewResources,
  current: string
): Promise<void> {
  const old = existing.taskDefinitionArns.filter(a => a !== current)
  for (const arn of old) {
    try {
      await deregisterTaskDefinition(ctx.aws, arn)
    } catch (e) {
      ctx.log.warning(`Could not deregister the old preview revision ${arn}: ${errorMessage(e)}`)
    }
  }
  if (old.length > 0) ctx.log.info(`Deregistered ${old.length} earlier preview revision(s).`)
}
