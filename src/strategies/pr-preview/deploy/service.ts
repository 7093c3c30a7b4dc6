// The preview's ECS service: updated in place when it runs already (after checking it is ours), else
// created as a copy of the base service's network, capacity and rolling-update settings.
import type { CreateServiceCommandInput, DeploymentConfiguration, Service } from '@aws-sdk/client-ecs'
import { createService, describeServicesWithTags, tagEcsResource, updateService } from '../../../aws/ecs.js'
import { fromEcsTags, toEcsTags } from '../../../aws/tags.js'
import { Tags } from '../../../constants.js'
import { DeployError, errorMessage, hasErrorCode } from '../../../errors.js'
import { previewPr } from '../tags.js'
import { made, recordCreated, type PreviewRun } from './run.js'
import { waitUntilGone } from './wait.js'

export async function ensureService(run: PreviewRun): Promise<void> {
  const { ctx, names } = run
  const [current] = await describeServicesWithTags(ctx.aws, ctx.settings.cluster, [names.service])
  if (current?.status === 'ACTIVE') return updatePreviewService(run, current)
  if (current?.status === 'DRAINING') {
    // Reopened right after a teardown: ECS refuses to create a service whose namesake is still draining.
    if (ctx.aws.dryRun)
      ctx.log.info(`[dry-run] would wait for the draining service ${names.service} to be gone`)
    else await waitUntilGone(ctx, ctx.settings.cluster, names.service)
  }
  await createPreviewService(run)
}

async function updatePreviewService(run: PreviewRun, current: Service): Promise<void> {
  const { ctx, names } = run
  const { aws, settings } = ctx
  if (previewPr(fromEcsTags(current.tags), run.alb, names.pr) === undefined) throw notOurs(run)
  if (current.taskDefinition) ctx.state.setPreviousTaskDefinitionArn(current.taskDefinition)
  const tdArn = made(run, 'taskDefinition').taskDefinitionArn ?? ''
  const targetGroupArn = made(run, 'targetGroupArn')
  const sameTargetGroup = (current.loadBalancers ?? []).some(l => l.targetGroupArn === targetGroupArn)
  await updateService(
    aws,
    {
      cluster: settings.cluster,
      service: names.service,
      taskDefinition: tdArn,
      desiredCount: settings.previewDesiredCount,
      loadBalancers: sameTargetGroup ? undefined : loadBalancers(run)
    },
    { ...current, taskDefinition: tdArn, desiredCount: settings.previewDesiredCount }
  )
  await tagEcsResource(aws, current.serviceArn ?? '', { [Tags.DeployedAt]: run.tags[Tags.DeployedAt] })
  ctx.log.info(`Service ${names.service} updated to ${tdArn}.`)
}

async function createPreviewService(run: PreviewRun): Promise<void> {
  const { ctx, names } = run
  const { settings } = ctx
  const b = run.base.service
  const capacity = (b.capacityProviderStrategy ?? []).length > 0 ? b.capacityProviderStrategy : undefined
  const awsvpc = b.networkConfiguration?.awsvpcConfiguration
  await createServiceOnceTargetGroupIsVisible(run, {
    cluster: settings.cluster,
    serviceName: names.service,
    taskDefinition: made(run, 'taskDefinition').taskDefinitionArn ?? '',
    desiredCount: settings.previewDesiredCount,
    launchType: capacity ? undefined : b.launchType,
    capacityProviderStrategy: capacity,
    platformVersion: b.platformVersion,
    networkConfiguration: awsvpc ? { awsvpcConfiguration: awsvpc } : undefined,
    loadBalancers: loadBalancers(run),
    healthCheckGracePeriodSeconds: b.healthCheckGracePeriodSeconds,
    deploymentConfiguration: rollingDeploymentConfiguration(b.deploymentConfiguration),
    placementConstraints: b.placementConstraints,
    placementStrategy: b.placementStrategy,
    enableExecuteCommand: b.enableExecuteCommand,
    enableECSManagedTags: b.enableECSManagedTags,
    propagateTags: 'SERVICE',
    tags: toEcsTags(run.tags)
  })
  recordCreated(run, 'service', names.service)
  noteAlarmsLeftOut(run)
  ctx.log.info(`Service ${names.service} created with ${settings.previewDesiredCount} task(s).`)
}

function loadBalancers(run: PreviewRun): CreateServiceCommandInput['loadBalancers'] {
  const { name, port } = run.base.lbContainer
  return [{ targetGroupArn: made(run, 'targetGroupArn'), containerName: name, containerPort: port }]
}

/**
 * The base's rolling-update settings only. A base on ECS blue/green, linear or canary (`strategy`)
 * needs an alternate target group and listener rule per load balancer (`advancedConfiguration`) that a
 * preview does not have, and its lifecycle hooks and bake time belong to production. So do its deployment
 * alarms: they watch production's metrics, and copied they would fail or roll back previews whenever
 * production alarms.
 */
export function rollingDeploymentConfiguration(
  base: DeploymentConfiguration | undefined
): DeploymentConfiguration | undefined {
  if (!base) return undefined
  const { maximumPercent, minimumHealthyPercent, deploymentCircuitBreaker } = base
  return { maximumPercent, minimumHealthyPercent, deploymentCircuitBreaker }
}

/** Says which of production's deployment alarms the preview does not inherit, when it has any. */
function noteAlarmsLeftOut(run: PreviewRun): void {
  const alarms = run.base.service.deploymentConfiguration?.alarms
  if (!alarms?.enable || (alarms.alarmNames ?? []).length === 0) return
  run.ctx.log.info(
    `The base service's deployment alarms (${alarms.alarmNames?.join(', ')}) are not copied: they watch ` +
      'production, and would fail or roll back the preview whenever production alarms.'
  )
}

// ECS may not see a target group created a moment ago: it answers InvalidParameterException naming it.
const TARGET_GROUP_NOT_VISIBLE = /target ?group/i
const CREATE_SERVICE_ATTEMPTS = 5

async function createServiceOnceTargetGroupIsVisible(
  run: PreviewRun,
  input: CreateServiceCommandInput
): Promise<Service> {
  const { aws, log } = run.ctx
  const notVisible = (e: unknown) =>
    hasErrorCode(e, 'InvalidParameter') && TARGET_GROUP_NOT_VISIBLE.test(errorMessage(e))
  return aws.retryOn(notVisible, 'ecs:CreateService', () => createService(aws, input), {
    attempts: CREATE_SERVICE_ATTEMPTS,
    backoffMs: 2000,
    onRetry: e =>
      log.debug(`CreateService: target group not visible to ECS yet (${errorMessage(e)}); trying again`)
  })
}

function notOurs(run: PreviewRun): DeployError {
  const { names, ctx } = run
  return new DeployError(
    `A service named ${names.service} already runs in cluster ${ctx.settings.cluster} and is not tagged as ` +
      `the preview of PR #${names.pr} of ${ctx.event.repository}.`,
    `rename or delete that service; zdt-deploy does not take over services it did not create.`
  )
}
