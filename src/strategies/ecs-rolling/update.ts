// Step 3: point the service at the new revision and find the deployment that started; and, at the
// end, check that the service really runs it.
import { describeService, updateService } from '../../aws/ecs.js'
import type { DeployContext } from '../../context.js'
import { DeployError } from '../../errors.js'
import type { EcsRollingSettings } from '../../inputs.js'
import type { Preflight } from './preflight.js'
import { revisionName } from '../../aws/arns.js'
import { primaryDeployment, startedDeployment } from '../../aws/ecs-deployments.js'
import { serviceLabel } from './rollout-state.js'

export interface StartedRollout {
  deploymentId: string
  taskDefinitionArn: string
}

export async function startRollout(
  ctx: DeployContext<EcsRollingSettings>,
  pre: Preflight,
  taskDefinitionArn: string,
  forceNewDeployment: boolean
): Promise<StartedRollout> {
  const { settings, log } = ctx
  const planned = {
    ...pre.service,
    taskDefinition: taskDefinitionArn,
    deployments: [{ id: '<new deployment>', status: 'PRIMARY', taskDefinition: taskDefinitionArn }]
  }
  const service = await updateService(
    ctx.aws,
    {
      cluster: settings.cluster,
      service: settings.service,
      taskDefinition: taskDefinitionArn,
      forceNewDeployment
    },
    planned
  )
  if (!ctx.aws.dryRun)
    ctx.state.record('changed', 'service', serviceLabel(settings.cluster, settings.service))
  const deployment = startedDeployment(service, taskDefinitionArn)
  if (!deployment?.id) {
    const primary = primaryDeployment(service)
    throw new DeployError(
      `UpdateService did not start a deployment of ${revisionName(taskDefinitionArn)}: the service points at ${revisionName(service.taskDefinition)} and its PRIMARY deployment runs ${revisionName(primary?.taskDefinition)}.`,
      `check the service's deployment controller and events; another deploy may have changed it at the same time.`
    )
  }
  log.info(`Deployment ${deployment.id} of ${revisionName(taskDefinitionArn)} started`)
  return { deploymentId: deployment.id, taskDefinitionArn }
}

/** The service must end on our revision: a rollout can complete and still be replaced right after. */
export async function verifyRunning(
  ctx: DeployContext<EcsRollingSettings>,
  taskDefinitionArn: string
): Promise<void> {
  const { settings } = ctx
  const service = await describeService(ctx.aws, settings.cluster, settings.service)
  if (service.taskDefinition !== taskDefinitionArn)
    throw new DeployError(
      `The service runs ${revisionName(service.taskDefinition)}, not ${revisionName(taskDefinitionArn)}: another deployment replaced this one.`,
      `make deploys of this service run one at a time (a workflow 'concurrency' group), then deploy again.`
    )
  const others = (service.deployments ?? []).length - 1
  ctx.log.info(
    `Verified: ${serviceLabel(settings.cluster, settings.service)} runs ${revisionName(taskDefinitionArn)} (${service.runningCount ?? 0} of ${service.desiredCount ?? 0} tasks running${others > 0 ? `, ${others} other deployment(s) still listed` : ''})`
  )
}
