// Step 3: point the service at the new revision and find the deployment that started, or take over
// the one an earlier run started and did not see through; and, at the end, check that the service
// really runs it.
import { describeService, plannedUpdate, updateService } from '../../aws/ecs.js'
import { DeployError } from '../../errors.js'
import { finishTrafficProbe, startTrafficProbe } from '../../probe.js'
import { revisionName } from '../../aws/arns.js'
import { deploymentInFlight, primaryDeployment, startedDeployment } from '../../aws/ecs-deployments.js'
import { serviceLabel } from './rollout-state.js'
import type { EcsContext, EcsRun, StartedRollout, Step } from './run.js'
import { startedServiceDeployment } from './shifting/follow.js'
import { failedBeforeOn } from './unchanged.js'
import type { Service } from '@aws-sdk/client-ecs'

/**
 * The probe starts before the update, so it sees the first old task stop. ECS's blue/green, linear
 * and canary deployments start theirs at the first production traffic shift (shifting/follow.ts).
 */
export const startProbe: Step = async (ctx, run) => {
  if (run.pre.shift) return
  run.probe = await startTrafficProbe(ctx, run.pre.url)
}

export const updateToNext: Step = async (ctx, run) => {
  try {
    run.rollout = await startDeployment(ctx, run, run.next.arn, ctx.settings.forceNewDeployment)
  } catch (e) {
    await finishTrafficProbe(ctx, run.probe)
    throw e
  }
}

/**
 * The service already points at the revision to deploy and a rolling deployment of it is still in
 * progress: a run that was killed or cancelled after its UpdateService left it. This run follows that
 * deployment as its own (probe, smoke test, rollback to the revision it replaces) instead of saying
 * "nothing to deploy" about a service still moving. A revision a previous run rolled back from is not
 * taken over: proveUnchanged refuses it, naming the failed rollback.
 */
export function resumeInFlight(ctx: EcsContext, run: EcsRun): void {
  if (run.pre.shift || ctx.settings.forceNewDeployment) return
  if (failedBeforeOn(run)) return
  const inFlight = deploymentInFlight(run.pre.service, run.next.arn)
  if (!inFlight) return
  const { deployment, replacing } = inFlight
  run.next = { ...run.next, previousArn: replacing, unchanged: false }
  ctx.state.setPreviousTaskDefinitionArn(replacing)
  run.rollout = { deploymentId: deployment.id!, taskDefinitionArn: run.next.arn }
  run.resumed = true
  const since = deployment.createdAt ? ` since ${deployment.createdAt.toISOString()}` : ''
  ctx.log.info(
    `Deployment ${deployment.id} of ${revisionName(run.next.arn)} is in progress${since}, replacing ` +
      `${revisionName(replacing)}: an earlier run started it and did not see it through. Following it ` +
      `instead of starting another.`
  )
}

/** UpdateService to `taskDefinitionArn` (the next revision, or the previous one in a rollback). */
export async function startDeployment(
  ctx: EcsContext,
  run: EcsRun,
  taskDefinitionArn: string,
  forceNewDeployment: boolean
): Promise<StartedRollout> {
  const { settings, log } = ctx
  const params = {
    cluster: settings.cluster,
    service: settings.service,
    taskDefinition: taskDefinitionArn,
    forceNewDeployment
  }
  const service = await updateService(ctx.aws, params, plannedUpdate(params, run.pre.service))
  ctx.state.record('changed', 'service', serviceLabel(settings.cluster, settings.service))
  if (run.pre.shift) return startedShift(ctx, service, taskDefinitionArn)
  const deployment = startedDeployment(service, taskDefinitionArn)
  if (!deployment?.id) {
    const primary = revisionName(primaryDeployment(service)?.taskDefinition)
    throw new DeployError(
      `UpdateService did not start a deployment of ${revisionName(taskDefinitionArn)}: the service points ` +
        `at ${revisionName(service.taskDefinition)} and its PRIMARY deployment runs ${primary}.`,
      `check the service's deployment controller and events; another deploy may have changed it at the same time.`
    )
  }
  log.info(`Deployment ${deployment.id} of ${revisionName(taskDefinitionArn)} started`)
  return { deploymentId: deployment.id, taskDefinitionArn, started: service }
}

/** A blue/green, linear or canary deployment is followed by its service deployment. */
async function startedShift(
  ctx: EcsContext,
  service: Service,
  taskDefinitionArn: string
): Promise<StartedRollout> {
  const serviceDeploymentArn = await startedServiceDeployment(ctx, service, taskDefinitionArn)
  ctx.log.info(`Service deployment ${serviceDeploymentArn} of ${revisionName(taskDefinitionArn)} started`)
  const deploymentId = startedDeployment(service, taskDefinitionArn)?.id ?? ''
  return { deploymentId, taskDefinitionArn, serviceDeploymentArn }
}

/** The service must end on our revision: a rollout can complete and still be replaced right after. */
export const verifyRunning: Step = async (ctx, run) => {
  const { settings } = ctx
  const arn = run.next.arn
  const service = await describeService(ctx.aws, settings.cluster, settings.service)
  if (service.taskDefinition !== arn)
    throw new DeployError(
      `The service runs ${revisionName(service.taskDefinition)}, not ${revisionName(arn)}: ` +
        `another deployment replaced this one.`,
      `make deploys of this service run one at a time (a workflow 'concurrency' group), then deploy again.`
    )
  const others = (service.deployments ?? []).length - 1
  const tasks = `${service.runningCount ?? 0} of ${service.desiredCount ?? 0} tasks running`
  const listed = others > 0 ? `, ${others} other deployment(s) still listed` : ''
  ctx.log.info(
    `Verified: ${serviceLabel(settings.cluster, settings.service)} runs ${revisionName(arn)} (${tasks}${listed})`
  )
}
