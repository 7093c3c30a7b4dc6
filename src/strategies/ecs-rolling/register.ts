// Step 2: the task definition to deploy. From the file or the service's current revision, with the
// new image; registered as a new revision unless nothing changed.
import { revisionName } from '../../aws/arns.js'
import { imageOf, pickContainer } from '../../aws/containers.js'
import type { TaskDefinition } from '@aws-sdk/client-ecs'
import { describeTaskDefinition, registerTaskDefinition, type TaskDefinitionWithTags } from '../../aws/ecs.js'
import { managedTags, toEcsTags } from '../../aws/tags.js'
import { Outputs } from '../../constants.js'
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
}

/** Sets run.next: the registered revision, or the current one when nothing changed. */
export const chooseRevision: Step = async (ctx, run) => {
  const previousArn = run.pre.service.taskDefinition ?? ''
  ctx.state.setPreviousTaskDefinitionArn(previousArn)
  const current = await describeTaskDefinition(ctx.aws, previousArn)
  run.next =
    unchangedRevision(ctx, run, current.taskDefinition, previousArn) ??
    (await registerNext(ctx, run, current, previousArn))
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
    unchanged: !settings.forceNewDeployment
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
  return { arn, previousArn, description, unchanged: false }
}
