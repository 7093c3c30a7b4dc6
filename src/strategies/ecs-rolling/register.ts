// Step 2: the task definition to deploy. A registered revision named by `task-definition`, deployed
// as it is; or from the file or the service's current revision, with the new image, registered as a
// new revision unless nothing changed.
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs'
import { revisionName } from '../../aws/arns.js'
import { imageOf, pickContainer } from '../../aws/containers.js'
import { describeTaskDefinition, registerTaskDefinition, type TaskDefinitionWithTags } from '../../aws/ecs.js'
import { managedTags, toEcsTags } from '../../aws/tags.js'
import { Inputs, Outputs } from '../../constants.js'
import { InputError, errorMessage, hasErrorCode } from '../../errors.js'
import type { EcsContext, EcsRun, Step } from './run.js'
import {
  checkLoadBalancerTargets,
  describeDefinition,
  hasChanges,
  prepareTaskDefinition,
  sourceFromCurrent
} from './task-definition.js'

export interface NextTaskDefinition {
  /** The revision to deploy; the current one when nothing changed or only a redeploy is forced. */
  arn: string
  previousArn: string
  /** `web (app=nginx:1.27)` */
  description: string
  /** Nothing to deploy: the service already runs this. */
  unchanged: boolean
  /** Its containers (planned ones in a dry run): what a pre-deploy task runs and where it logs. */
  containers: ContainerDefinition[]
}

/** Sets run.next: the registered revision, or the current one when nothing changed. */
export const chooseRevision: Step = async (ctx, run) => {
  const previousArn = run.pre.service.taskDefinition ?? ''
  ctx.state.setPreviousTaskDefinitionArn(previousArn)
  const current = run.pre.current
  run.next = ctx.settings.taskDefinitionRevision
    ? await promotedNext(ctx, ctx.settings.taskDefinitionRevision, current.taskDefinition, previousArn)
    : (unchangedRevision(ctx, run, current.taskDefinition, previousArn) ??
      (await registerNext(ctx, run, current, previousArn)))
}

/** A registered revision named by `task-definition`: deployed as it is, unless the service already runs it. */
async function promotedNext(
  ctx: EcsContext,
  ref: string,
  current: TaskDefinition,
  previousArn: string
): Promise<NextTaskDefinition> {
  const promoted = await promotedRevision(ctx, ref, current)
  return {
    arn: promoted.taskDefinitionArn!,
    previousArn,
    description: describeDefinition(promoted),
    unchanged: promoted.taskDefinitionArn === previousArn && !ctx.settings.forceNewDeployment,
    containers: promoted.containerDefinitions ?? []
  }
}

/** Without a file, with the same image (or none) there is nothing new to register. */
function unchangedRevision(
  ctx: EcsContext,
  run: EcsRun,
  current: TaskDefinition,
  previousArn: string
): NextTaskDefinition | undefined {
  const { settings, log } = ctx
  const container =
    settings.image !== undefined && !run.file
      ? pickContainer(current.containerDefinitions ?? [], settings.containerName)
      : undefined
  const currentImage = container ? imageOf(current, container) : undefined
  if (hasChanges({ fromFile: run.file !== undefined, image: settings.image, currentImage })) return undefined
  const why =
    settings.image !== undefined
      ? `container '${container}' already runs ${settings.image}`
      : 'no new image and no task-definition file'
  ctx.outputs.set(Outputs.TaskDefinitionArn, previousArn)
  log.info(
    settings.forceNewDeployment
      ? `Task definition unchanged (${why}); redeploying ${revisionName(previousArn)} ` +
          `because 'force-new-deployment' is true`
      : `Nothing to deploy: ${why}`
  )
  // A forced redeploy rolls the same revision out again.
  return {
    arn: previousArn,
    previousArn,
    description: describeDefinition(current),
    unchanged: !settings.forceNewDeployment,
    containers: current.containerDefinitions ?? []
  }
}

/** Registers the file, or the current revision with the new image, as the next revision. */
async function registerNext(
  ctx: EcsContext,
  run: EcsRun,
  current: TaskDefinitionWithTags,
  previousArn: string
): Promise<NextTaskDefinition> {
  const { settings, log } = ctx
  const source = run.file ?? sourceFromCurrent(current.taskDefinition, current.tags)
  const prepared = prepareTaskDefinition(source, {
    containerName: settings.containerName,
    image: settings.image,
    managedTags: toEcsTags(managedTags(ctx.event.repository))
  })
  // A file can rename or drop what the load balancer targets; an image swap cannot.
  if (run.file) {
    const lbs = run.pre.service.loadBalancers ?? []
    for (const w of checkLoadBalancerTargets(prepared.input.containerDefinitions ?? [], lbs, source.origin))
      log.warning(w)
  }
  const description = describeDefinition(prepared.input)
  if (prepared.container)
    log.info(`Container '${prepared.container}': ${prepared.previousImage ?? '(none)'} -> ${settings.image}`)
  log.info(`Registering ${description} from ${source.origin}`)
  const arn = (await registerTaskDefinition(ctx.aws, prepared.input)).taskDefinitionArn!
  if (ctx.state.record('created', 'task definition', arn)) {
    ctx.outputs.set(Outputs.TaskDefinitionArn, arn)
    log.info(`Registered ${revisionName(arn)} (${arn}); previous: ${revisionName(previousArn)}`)
  }
  return {
    arn,
    previousArn,
    description,
    unchanged: false,
    containers: prepared.input.containerDefinitions ?? []
  }
}

/**
 * The registered revision `task-definition` names, read before anything changes: only an ACTIVE one
 * can be deployed (INACTIVE and DELETE_IN_PROGRESS revisions cannot start tasks:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-definition-state.html). One of
 * another family than the service's is deployed with a warning: promoting across families is rare.
 */
async function promotedRevision(
  ctx: EcsContext,
  ref: string,
  current: TaskDefinition
): Promise<TaskDefinition> {
  const { log, outputs } = ctx
  let found
  try {
    found = await describeTaskDefinition(ctx.aws, ref)
  } catch (e) {
    // ECS answers an unknown revision with a ClientException ("Unable to describe task definition").
    if (!hasErrorCode(e, 'ClientException', 'InvalidParameterException')) throw e
    throw new InputError([
      `Input '${Inputs.TaskDefinition}' names ${ref}, which ECS does not know (${errorMessage(e)}): expected a registered revision of this account and region.`
    ])
  }
  const promoted = found.taskDefinition
  const arn = promoted.taskDefinitionArn ?? ref
  if (promoted.status !== 'ACTIVE')
    throw new InputError([
      `Input '${Inputs.TaskDefinition}' names ${arn}, which is ${promoted.status}: expected an ACTIVE revision (a deregistered one cannot start tasks). Nothing was changed.`
    ])
  if (promoted.family !== current.family)
    log.warning(
      `The revision ${revisionName(arn)} is of family '${promoted.family}', not '${current.family}' which the service runs: deploying it anyway.`
    )
  log.info(
    `Deploying the registered revision ${revisionName(arn)} as it is, from input '${Inputs.TaskDefinition}' (${ref === arn ? ref : `${ref} = ${arn}`}); no new revision is registered`
  )
  outputs.set(Outputs.TaskDefinitionArn, arn)
  return promoted
}
