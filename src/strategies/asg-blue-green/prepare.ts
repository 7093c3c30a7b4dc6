// Prepare standby: an empty group, out of production traffic, given the new version and today's
// size; then wait until every new instance is InService.
import { exitStandby, detachTargetGroups, updateAutoScalingGroup } from '../../aws/autoscaling.js'
import { createLaunchTemplateVersion } from '../../aws/ec2.js'
import type { Flow } from './flow.js'
import { idsIn, lifecycleCounts } from './model.js'
import { describeGroup, waitForEmpty, waitForFleet } from './waits.js'

export async function prepareStandby(flow: Flow): Promise<void> {
  const { ctx, standby, capacity } = flow
  await emptyStandby(flow)

  const version = await versionForStandby(flow)
  const since = ctx.clock.now()
  ctx.log.info(
    `Scaling ${standby.name} to ${capacity.desired} instance(s) (min ${capacity.minSize}, max ${capacity.maxSize}, as ${flow.active.name}) on launch template ${flow.launch.templateId} version ${version ?? '(the new one)'}`
  )
  await updateAutoScalingGroup(ctx.aws, standby.name, {
    // Undefined only in dry-run, where the call is printed, not made.
    launchTemplate: { LaunchTemplateId: flow.launch.templateId, Version: version ?? '<new version>' },
    minSize: capacity.minSize,
    maxSize: capacity.maxSize,
    desiredCapacity: capacity.desired
  })
  flow.newIds = await waitForFleet(flow, standby.name, capacity.desired, since)
  if (flow.newIds.length > 0)
    ctx.log.info(`${standby.name} is up after ${ctx.log.elapsed(since)}: ${flow.newIds.join(', ')}`)
}

/**
 * No instance of an older version may linger in the standby group, and none of the new ones may
 * reach production before it is checked: detach the group from the main target group first, bring
 * leftover Standby instances back only once detached, then scale to zero.
 */
async function emptyStandby(flow: Flow): Promise<void> {
  const { ctx, main } = flow
  const g = ctx.aws.dryRun ? flow.standby : await describeGroup(ctx, flow.standby.name)
  if (g.targetGroupArns.includes(main.arn)) {
    ctx.log.info(
      `${g.name} is attached to ${main.name}: detaching it, so new instances get production traffic only at the cutover`
    )
    await detachTargetGroups(ctx.aws, g.name, [main.arn])
  }
  if (g.instances.length === 0 && g.desired === 0) {
    ctx.log.info(`${g.name} has no instances`)
    return
  }
  const started = ctx.clock.now()
  ctx.log.info(`Emptying ${g.name} (${lifecycleCounts(g)})`)
  const inStandby = idsIn(g, 'Standby')
  // Standby instances are not terminated by a scale-in: bring them back (detached above) first.
  if (inStandby.length > 0) await exitStandby(ctx.aws, g.name, inStandby)
  await updateAutoScalingGroup(ctx.aws, g.name, { minSize: 0, desiredCapacity: 0 })
  await waitForEmpty(flow, g.name, 'fail')
  if (!ctx.aws.dryRun) ctx.log.info(`${g.name} is empty (took ${ctx.log.elapsed(started)})`)
}

/** The launch template version the new fleet launches from; undefined for a version not created yet (dry-run). */
async function versionForStandby(flow: Flow): Promise<string | undefined> {
  const { ctx, template, launch, standby } = flow
  if (template.kind !== 'new-ami') return launch.version
  const { version: created, warnings } = await createLaunchTemplateVersion(
    ctx.aws,
    launch.templateId,
    launch.sourceVersion ?? '$Default',
    template.imageId,
    `zdt-deploy ${ctx.event.repository} run ${ctx.event.runId}: ${template.imageId} for ${standby.name}`
  )
  for (const w of warnings)
    ctx.log.warning(`EC2 created launch template version ${created ?? '?'} with a warning: ${w}`)
  if (created !== undefined)
    ctx.log.info(
      `Created launch template ${launch.templateId} version ${created}: image ${template.imageId}, everything else from version ${launch.sourceVersion}`
    )
  return created === undefined ? undefined : String(created)
}
