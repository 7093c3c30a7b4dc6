// Cutover: the new fleet joins the main target group and must be healthy there before a single old
// instance leaves it; then the old instances go to Standby (they leave the target group and drain,
// and keep running for an instant rollback).
import { attachTargetGroups, enterStandby, updateAutoScalingGroup } from '../../aws/autoscaling.js'
import { Outputs } from '../../constants.js'
import type { Flow } from './flow.js'
import { idsIn, statesOf } from './model.js'
import { describeGroup, targetStates, waitForHealthy } from './waits.js'

export async function cutover(flow: Flow): Promise<void> {
  const { ctx, main, standby } = flow
  const { log } = ctx
  log.info(`Attaching ${standby.name} to ${main.name}: both fleets serve until the new one is healthy`)
  await attachTargetGroups(ctx.aws, standby.name, [main.arn])
  flow.attachedToMain = true
  await waitForHealthy(flow, main, flow.newIds, `until the new fleet is healthy in ${main.name}`)

  const old = ctx.aws.dryRun ? flow.active : await describeGroup(ctx, flow.active.name)
  const ids = idsIn(old, 'InService')
  if (ids.length === 0 || !old.targetGroupArns.includes(main.arn)) {
    // A first deploy: the old fleet takes no traffic, so there is nothing to keep in Standby.
    log.info(
      ids.length === 0
        ? `${old.name} has no InService instance to take out of traffic`
        : `${old.name} is not attached to ${main.name}: its instances take no traffic and are retired at the end`
    )
    // A dry run moves no traffic: the active group stays the one that serves.
    if (!ctx.aws.dryRun) ctx.outputs.set(Outputs.ActiveAsg, standby.name)
    return
  }
  // Standby decrements the desired capacity, which may not go below the minimum.
  if (old.minSize > 0) {
    log.info(`Lowering ${old.name}'s MinSize from ${old.minSize} to 0 so its instances can enter Standby`)
    flow.oldMinSize = old.minSize
    await updateAutoScalingGroup(ctx.aws, old.name, { minSize: 0 })
  }
  log.info(`Moving ${ids.length} instance(s) of ${old.name} to Standby: they leave ${main.name} and drain`)
  // Recorded first: from here on, a failure (even halfway through the batches) means a rollback.
  flow.oldIds = ids
  flow.standbyAtMs = ctx.clock.now()
  await enterStandby(ctx.aws, old.name, ids)
  if (!ctx.aws.dryRun) {
    ctx.outputs.set(Outputs.ActiveAsg, standby.name)
    const states = await targetStates(ctx, main.arn)
    log.info(
      `${main.name} now: new fleet ${statesOf(flow.newIds, states)}; old fleet ${statesOf(ids, states)}`
    )
  }
}
