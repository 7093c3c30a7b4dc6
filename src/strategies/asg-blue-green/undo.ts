// Undoing a deploy that failed. Abort (before any old instance left traffic): retire the new fleet,
// the active one was never touched. Rollback (after): the old instances leave Standby and must be
// healthy again before the new fleet is taken out, so no request meets an empty target group.
import { detachTargetGroups, exitStandby, updateAutoScalingGroup } from '../../aws/autoscaling.js'
import { Outputs } from '../../constants.js'
import { DeployError, errorMessage } from '../../errors.js'
import type { Flow } from './flow.js'
import { writeRoleTags } from './roles.js'
import { waitForDrained, waitForEmpty, waitForHealthy, waitForStandby } from './waits.js'

/** Before the cutover moved traffic: the new fleet goes, the active group is as it was. */
export async function abort(flow: Flow): Promise<void> {
  const { ctx, active, standby } = flow
  await retireNewFleet(flow)
  await writeRoleTags(ctx, active.name, standby.name)
  ctx.outputs.set(Outputs.ActiveAsg, active.name)
  ctx.state.setRolledBack(false)
  ctx.log.info(`Aborted: ${active.name} serves traffic as before; ${standby.name} is back to zero`)
}

/** After the old instances went to Standby: put them back, then retire the new fleet. */
export async function rollback(flow: Flow): Promise<void> {
  const { ctx, active, standby, main } = flow
  const { log } = ctx
  const started = ctx.clock.now()
  if (flow.oldIds.length > 0) {
    log.info(
      `Rolling back: ${flow.oldIds.length} instance(s) of ${active.name} leave Standby and rejoin ${main.name}`
    )
    // Instances still draining into Standby cannot exit it yet: wait for them first.
    // Some may never have left service, if the cutover failed halfway through EnterStandby.
    const { inStandby, inService } = await waitForStandby(flow, active.name, flow.oldIds)
    const back = [...inStandby, ...inService]
    try {
      if (back.length === 0)
        throw new DeployError(`none of ${flow.oldIds.join(', ')} is in Standby or in service any more.`)
      if (inStandby.length > 0) await exitStandby(ctx.aws, active.name, inStandby)
      if (flow.oldMinSize !== undefined) {
        await updateAutoScalingGroup(ctx.aws, active.name, { minSize: flow.oldMinSize })
      }
      await waitForHealthy(flow, main, back, `until the old fleet is healthy again in ${main.name}`)
    } catch (e) {
      // Taking the new fleet out now would leave nothing healthy: both stay attached.
      throw new DeployError(
        `Rollback could not bring ${active.name} back: ${errorMessage(e)} Both groups stay attached to ${main.name}, so traffic keeps reaching the new fleet.`,
        `look at why the old instances are unhealthy (${flow.oldIds.join(', ')}); once one fleet is healthy, detach the other group from the target group by hand and scale it to zero.`
      )
    }
  }
  await retireNewFleet(flow)
  await writeRoleTags(ctx, active.name, standby.name)
  ctx.outputs.set(Outputs.ActiveAsg, active.name)
  ctx.state.setRolledBack(true)
  log.info(
    `Rolled back in ${log.elapsed(started)}: ${flow.oldIds.length > 0 ? `${active.name} serves traffic again` : `the new fleet is out of ${main.name}, as before the deploy`}; ${standby.name} is back to zero`
  )
}

/** Out of every target group this run attached it to, drained, scaled to zero. */
async function retireNewFleet(flow: Flow): Promise<void> {
  const { ctx, standby, main, synthetic } = flow
  const attached = [
    ...(flow.attachedToMain ? [main.arn] : []),
    ...(flow.attachedToSynthetic && synthetic ? [synthetic.arn] : [])
  ]
  if (attached.length > 0) {
    ctx.log.info(
      `Detaching ${standby.name} from ${attached.length === 2 ? 'both target groups' : attached[0] === main.arn ? main.name : synthetic?.name}`
    )
    await detachTargetGroups(ctx.aws, standby.name, attached)
  }
  // Terminating instances that still finish requests would fail them: let them drain first.
  if (flow.attachedToMain && flow.newIds.length > 0) {
    await waitForDrained(flow, main, flow.newIds, main.deregistrationDelaySeconds, 'the new instances')
  }
  ctx.log.info(`Scaling ${standby.name} to zero`)
  await updateAutoScalingGroup(ctx.aws, standby.name, { minSize: 0, desiredCapacity: 0 })
  if (!(await waitForEmpty(flow, standby.name, 'continue'))) {
    ctx.log.warning(`${standby.name} still has instances terminating; they are out of every target group.`)
  }
  flow.attachedToMain = false
  flow.attachedToSynthetic = false
}
