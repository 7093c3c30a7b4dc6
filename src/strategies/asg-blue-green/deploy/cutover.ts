// Cutover: the new fleet joins the main target group and must be healthy there before a single old
// instance leaves it; then the old instances go to Standby (they leave the target group and drain,
// and keep running for an instant rollback).
import { attachTargetGroups, enterStandby, updateAutoScalingGroup } from '../../../aws/autoscaling.js'
import { safeAfterCutover } from '../cancelled.js'
import { recordMinSize } from '../min-size.js'
import { servesNow, type AsgRun } from '../state.js'
import { idsIn, statesOf } from '../model.js'
import { describeGroup, targetStates, waitForHealthy, waitForSlowStart } from '../waits.js'

export async function cutover(run: AsgRun): Promise<void> {
  const { ctx, main, standby } = run
  const { log } = ctx
  log.info(`Attaching ${standby.name} to ${main.name}: both fleets serve until the new one is healthy`)
  await attachTargetGroups(ctx.aws, standby.name, [main.arn])
  run.did.attachedToMain = true
  await waitForHealthy(run, main, run.did.newIds, `until the new fleet is healthy in ${main.name}`)

  const old = await describeGroup(ctx, run.active.name)
  const ids = idsIn(old, 'InService')
  if (ids.length === 0 || !old.targetGroupArns.includes(main.arn)) {
    // A first deploy: the old fleet takes no traffic, so there is nothing to keep in Standby.
    log.info(
      ids.length === 0
        ? `${old.name} has no InService instance to take out of traffic`
        : `${old.name} is not attached to ${main.name}: its instances take no traffic and are retired at the end`
    )
    servesNow(run, standby.name)
    safeAfterCutover(run)
    return
  }
  await waitForSlowStart(run, main, 'the new fleet')
  // Standby decrements the desired capacity, which may not go below the minimum.
  if (old.minSize > 0) {
    log.info(`Lowering ${old.name}'s MinSize from ${old.minSize} to 0 so its instances can enter Standby`)
    run.did.oldMinSize = old.minSize
    await recordMinSize(ctx, old)
    await updateAutoScalingGroup(ctx.aws, old.name, { minSize: 0 })
  }
  log.info(`Moving ${ids.length} instance(s) of ${old.name} to Standby: they leave ${main.name} and drain`)
  // Recorded first: from here on, a failure (even halfway through the batches) means a rollback.
  run.did.oldIds = ids
  run.did.standbyAtMs = ctx.clock.now()
  safeAfterCutover(run)
  await enterStandby(ctx.aws, old.name, ids)
  if (servesNow(run, standby.name)) {
    const states = await targetStates(ctx, main.arn)
    log.info(
      `${main.name} now: new fleet ${statesOf(run.did.newIds, states)}; old fleet ${statesOf(ids, states)}`
    )
  }
}
