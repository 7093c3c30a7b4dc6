// Prepare standby: an empty group, out of production traffic, given the new version and today's
// size; then wait until every new instance is InService.
import { detachTargetGroups, exitStandby, updateAutoScalingGroup } from '../../../aws/autoscaling.js'
import { createLaunchTemplateVersion, createdVersion } from '../../../aws/ec2.js'
import { describeTemplate, idsIn, lifecycleCounts } from '../model.js'
import { safeBeforeCutover } from '../cancelled.js'
import { forgetMinSize, notesMinSize, restoreLostMinSize } from '../min-size.js'
import { tagRolesBeforeCutover } from '../roles.js'
import type { AsgRun } from '../state.js'
import { describeGroup, waitForDetached, waitForEmpty, waitForFleet } from '../waits.js'

export async function prepareStandby(run: AsgRun): Promise<void> {
  const { ctx, standby, capacity } = run
  await tagRolesBeforeCutover(ctx, run.active, standby)
  await restoreLostMinSize(run)
  await emptyStandby(run)
  await leaveSyntheticToNewFleet(run)

  await pinServingGroup(run)
  const version = await versionForStandby(run)
  const since = ctx.clock.now()
  const size = `${capacity.desired} instance(s) (min ${capacity.minSize}, max ${capacity.maxSize}, as ${run.active.name})`
  // From the scale-up on, a cancellation takes the standby group back to zero.
  safeBeforeCutover(run)
  ctx.log.info(
    `Scaling ${standby.name} to ${size} on launch template ${run.launch.templateId} version ${version}`
  )
  await updateAutoScalingGroup(ctx.aws, standby.name, {
    launchTemplate: { LaunchTemplateId: run.launch.templateId, Version: version },
    minSize: capacity.minSize,
    maxSize: capacity.maxSize,
    desiredCapacity: capacity.desired
  })
  run.did.newIds = await waitForFleet(run, standby.name, capacity.desired, since)
  if (run.did.newIds.length > 0)
    ctx.log.info(`${standby.name} is up after ${ctx.log.elapsed(since)}: ${run.did.newIds.join(', ')}`)
}

/**
 * No instance of an older version may linger in the standby group, and none of the new ones may
 * reach production before it is checked: detach the group from the main target group first, bring
 * leftover Standby instances back only once detached, then scale to zero.
 */
async function emptyStandby(run: AsgRun): Promise<void> {
  const { ctx, main } = run
  const g = await describeGroup(ctx, run.standby.name)
  const inMain = g.targetGroupArns.includes(main.arn)
  if (inMain) {
    ctx.log.info(
      `${g.name} is attached to ${main.name}: detaching it, so new instances get production traffic only at the cutover`
    )
    await detachTargetGroups(ctx.aws, g.name, [main.arn])
  }
  // It goes to zero: a MinSize a killed run noted on it when it served is nothing to put back.
  if (notesMinSize(g)) await forgetMinSize(ctx, g.name)
  if (g.instances.length === 0 && g.desired === 0) {
    ctx.log.info(`${g.name} has no instances`)
    return
  }
  const started = ctx.clock.now()
  ctx.log.info(`Emptying ${g.name} (${lifecycleCounts(g)})`)
  // Detached, its instances drain out of the main target group (a run killed mid-cutover leaves them
  // serving there): terminated before that is over, they would fail the requests they still finish.
  // Standby ones wait too: one that enters service while the attachment is Removing rejoins it.
  if (inMain) await waitForDetached(run, g.name, [main.arn])
  // Standby instances are not terminated by a scale-in: bring them back once detached, not before.
  const inStandby = idsIn(g, 'Standby')
  if (inStandby.length > 0) await exitStandby(ctx.aws, g.name, inStandby)
  await updateAutoScalingGroup(ctx.aws, g.name, { minSize: 0, desiredCapacity: 0 })
  const emptied = await waitForEmpty(run, g.name, 'fail')
  if (emptied.waited) ctx.log.info(`${g.name} is empty (took ${ctx.log.elapsed(started)})`)
}

/**
 * The synthetic checks must reach the new fleet alone. A run stopped after its cutover (cancelled,
 * killed) leaves the group that now serves in the synthetic target group: it leaves it now, while the
 * new fleet launches, which costs production nothing (only requests with the header go there).
 */
async function leaveSyntheticToNewFleet(run: AsgRun): Promise<void> {
  const { ctx, active, synthetic } = run
  if (!synthetic || !active.targetGroupArns.includes(synthetic.arn)) return
  ctx.log.info(
    `${active.name} is attached to the synthetic target group ${synthetic.name} (an earlier run stopped before its ` +
      `end): detaching it, so the synthetic checks reach the new fleet only`
  )
  await detachTargetGroups(ctx.aws, active.name, [synthetic.arn])
}

/**
 * The serving group on $Latest of the template this deploy adds a version to would launch that
 * version at its next scale-out or replacement: pin it to the number $Latest means now, first.
 */
async function pinServingGroup(run: AsgRun): Promise<void> {
  const { ctx, active, pin } = run
  if (!pin?.version) return
  ctx.log.info(
    `Pinning ${active.name} to ${describeTemplate(pin)} (what its $Latest launches now): ` +
      `the version this deploy creates must not reach the group that serves before the cutover`
  )
  await updateAutoScalingGroup(ctx.aws, active.name, {
    launchTemplate: { LaunchTemplateId: run.launch.templateId, Version: pin.version }
  })
  run.did.pinnedFrom = active.launchTemplate
}

/** The launch template version the new fleet launches from: given, or created now from the serving one. */
async function versionForStandby(run: AsgRun): Promise<string> {
  const { ctx, template, launch, standby } = run
  if (template.kind !== 'new-ami') return launch.version ?? '$Default'
  // A copy with the same image would be the same version again: one a run killed after giving it to
  // the standby group created (a re-run starts from it), or the serving one on a shared template.
  if (launch.sourceImageId === template.imageId && launch.sourceVersion) {
    ctx.log.info(
      `Launch template ${launch.templateId} version ${launch.sourceVersion} already launches ${template.imageId}: ` +
        `${standby.name} gets it as it is, no new version`
    )
    return launch.sourceVersion
  }
  const { version: created, warnings } = await createLaunchTemplateVersion(
    ctx.aws,
    launch.templateId,
    launch.sourceVersion ?? '$Default',
    template.imageId,
    `zdt-deploy ${ctx.event.repository} run ${ctx.event.runId}: ${template.imageId} for ${standby.name}`
  )
  const version = createdVersion(created)
  for (const w of warnings)
    ctx.log.warning(`EC2 created launch template version ${version} with a warning: ${w}`)
  run.did.createdVersion = version
  ctx.log.info(
    `Created launch template ${launch.templateId} version ${version}: image ${template.imageId}, everything else ` +
      `from version ${launch.sourceVersion}`
  )
  return version
}
