// Taking back a deploy that failed, in the vocabulary every strategy shares. `undo` (before any old
// instance left traffic): retire the new fleet, the active one was never touched. `rollBack` (after):
// the old instances leave Standby and must be healthy again before the new fleet is taken out, so
// no request meets an empty target group. Both read what the run did from `run.did`.
import { detachTargetGroups, exitStandby, updateAutoScalingGroup } from '../../../aws/autoscaling.js'
import { DeployError, errorMessage } from '../../../errors.js'
import { forgetMinSize } from '../min-size.js'
import { describeTemplate } from '../model.js'
import { servesNow, type AsgRun } from '../state.js'
import { writeRoleTags } from '../roles.js'
import { waitForDrained, waitForEmpty, waitForHealthy, waitForSlowStart, waitForStandby } from '../waits.js'

/** Before the cutover moved traffic: the new fleet goes, the active group is as it was. */
export async function undo(run: AsgRun): Promise<void> {
  const { ctx, active, standby } = run
  await retireNewFleet(run)
  keepPin(run)
  await writeRoleTags(ctx, active.name, standby.name)
  servesNow(run, active.name)
  ctx.state.setRolledBack(false)
  ctx.log.info(`Aborted: ${active.name} serves traffic as before; ${standby.name} is back to zero`)
}

/** After the old instances went to Standby: put them back, then retire the new fleet. */
export async function rollBack(run: AsgRun): Promise<void> {
  const { ctx, active, standby, main } = run
  const { log } = ctx
  const started = ctx.clock.now()
  if (run.did.oldIds.length > 0) {
    log.info(
      `Rolling back: ${run.did.oldIds.length} instance(s) of ${active.name} leave Standby and rejoin ${main.name}`
    )
    // Instances still draining into Standby cannot exit it yet: wait for them first.
    // Some may never have left service, if the cutover failed halfway through EnterStandby.
    const { inStandby, inService } = await waitForStandby(run, active.name, run.did.oldIds)
    const back = [...inStandby, ...inService]
    try {
      if (back.length === 0)
        throw new DeployError(`none of ${run.did.oldIds.join(', ')} is in Standby or in service any more.`)
      if (inStandby.length > 0) await exitStandby(ctx.aws, active.name, inStandby)
      if (run.did.oldMinSize !== undefined) {
        await updateAutoScalingGroup(ctx.aws, active.name, { minSize: run.did.oldMinSize })
        await forgetMinSize(ctx, active.name)
      }
      await waitForHealthy(run, main, back, `until the old fleet is healthy again in ${main.name}`)
      await waitForSlowStart(run, main, 'the old fleet')
    } catch (e) {
      // Taking the new fleet out now would leave nothing healthy: both stay attached.
      throw new DeployError(
        `Rollback could not bring ${active.name} back: ${errorMessage(e)} Both groups stay attached to ` +
          `${main.name}, so traffic keeps reaching the new fleet.`,
        `look at why the old instances are unhealthy (${run.did.oldIds.join(', ')}); once one fleet is healthy, ` +
          `detach the other group from the target group by hand and scale it to zero.`
      )
    }
  }
  await retireNewFleet(run)
  keepPin(run)
  await writeRoleTags(ctx, active.name, standby.name)
  servesNow(run, active.name)
  ctx.state.setRolledBack(true)
  const serving =
    run.did.oldIds.length > 0
      ? `${active.name} serves traffic again`
      : `the new fleet is out of ${main.name}, as before the deploy`
  log.info(`Rolled back in ${log.elapsed(started)}: ${serving}; ${standby.name} is back to zero`)
}

/** A pinned serving group stays pinned: its $Latest now means the version this run created. */
function keepPin(run: AsgRun): void {
  const { pin, active } = run
  if (!run.did.pinnedFrom || !pin) return
  run.ctx.log.info(
    `${active.name} stays on ${describeTemplate(pin)}, what it launched before; its $Latest would now ` +
      `launch version ${run.did.createdVersion ?? '?'}, which this deploy created`
  )
}

/** Out of every target group this run attached it to, drained, scaled to zero. */
async function retireNewFleet(run: AsgRun): Promise<void> {
  const { ctx, standby, main, synthetic } = run
  const attached = [
    ...(run.did.attachedToMain ? [main.arn] : []),
    ...(run.did.attachedToSynthetic && synthetic ? [synthetic.arn] : [])
  ]
  if (attached.length > 0) {
    const from =
      attached.length === 2 ? 'both target groups' : attached[0] === main.arn ? main.name : synthetic?.name
    ctx.log.info(`Detaching ${standby.name} from ${from}`)
    await detachTargetGroups(ctx.aws, standby.name, attached)
  }
  // Terminating instances that still finish requests would fail them: let them drain first.
  if (run.did.attachedToMain && run.did.newIds.length > 0) {
    await waitForDrained(run, main, run.did.newIds, main.deregistrationDelaySeconds, 'the new instances')
  }
  ctx.log.info(`Scaling ${standby.name} to zero`)
  await updateAutoScalingGroup(ctx.aws, standby.name, { minSize: 0, desiredCapacity: 0 })
  if (!(await waitForEmpty(run, standby.name, 'continue')).done) {
    ctx.log.warning(`${standby.name} still has instances terminating; they are out of every target group.`)
  }
  run.did.attachedToMain = false
  run.did.attachedToSynthetic = false
}
