// Finish: the old group leaves the main target group *before* its instances leave Standby, so they
// never take traffic again; then it scales to zero and the role tags swap, while AWS terminates them.
import { detachTargetGroups, exitStandby, updateAutoScalingGroup } from '../../../aws/autoscaling.js'
import { forgetMinSize, notesMinSize } from '../min-size.js'
import { lifecycleCounts } from '../model.js'
import { servesNow, type AsgRun } from '../state.js'
import { writeRoleTags } from '../roles.js'
import {
  describeGroup,
  logHookWaits,
  plannedOnly,
  waitForDetached,
  waitForDrained,
  waitForStandby
} from '../waits.js'

export async function finish(run: AsgRun): Promise<void> {
  const { ctx, main, synthetic, active, standby } = run
  const { log } = ctx
  const old = await describeGroup(ctx, active.name)

  const oldAttached = old.targetGroupArns.filter(a => a === main.arn || a === synthetic?.arn)
  if (oldAttached.length > 0) {
    log.info(
      `Detaching ${old.name} from ${oldAttached.length === 2 ? 'both target groups' : main.name}, before its ` +
        `instances leave Standby`
    )
    await detachTargetGroups(ctx.aws, old.name, oldAttached)
  }
  if (run.did.oldIds.length > 0) {
    // The old instances have been draining since they entered Standby: wait out what is left.
    const drainedFor = run.did.standbyAtMs === undefined ? 0 : (ctx.clock.now() - run.did.standbyAtMs) / 1000
    await waitForDrained(
      run,
      main,
      run.did.oldIds,
      Math.max(0, main.deregistrationDelaySeconds - drainedFor),
      'the old instances'
    )
  }
  if (synthetic && run.did.attachedToSynthetic) {
    log.info(`Detaching ${standby.name} from the synthetic target group ${synthetic.name}`)
    await detachTargetGroups(ctx.aws, standby.name, [synthetic.arn])
    run.did.attachedToSynthetic = false
  }

  // This run's Standby instances and any an earlier run left there.
  const leftover = old.instances.filter(i => i.lifecycle === 'Standby' || i.lifecycle === 'EnteringStandby')
  const ids = [...new Set([...run.did.oldIds, ...leftover.map(i => i.id)])]
  const { inStandby } = await waitForStandby(run, old.name, ids)
  // Standby instances are not terminated by a scale-in. Detached above, they come back to no traffic
  // once the attachments are gone: while one is Removing, an instance entering service rejoins it.
  if (inStandby.length > 0) {
    await waitForDetached(run, old.name, oldAttached)
    await exitStandby(ctx.aws, old.name, inStandby)
  }
  log.info(`Scaling ${old.name} to zero`)
  await updateAutoScalingGroup(ctx.aws, old.name, { minSize: 0, desiredCapacity: 0 })
  // A dry run only planned the note: its plan shows it going too.
  if (run.did.oldMinSize !== undefined || notesMinSize(old)) await forgetMinSize(ctx, old.name)
  await sayWhatIsLeft(run, old.name)

  await writeRoleTags(ctx, standby.name, old.name)
  servesNow(run, standby.name, old.name)
  ctx.state.setRolledBack(false)
}

/**
 * The old instances terminate on their own from here, and the run does not wait for them: detached
 * and drained, they serve no request, the group's desired capacity is 0, and the next deploy's
 * pre-flight waits while any of them is still terminating (busy.ts). Waiting here would only add
 * EC2's shutdown of the instances, and any terminate hook's pause, to every run, on no request's
 * path. One look says what is left, and which hook holds it.
 */
async function sayWhatIsLeft(run: AsgRun, group: string): Promise<void> {
  const { ctx } = run
  if (plannedOnly(ctx, `would leave ${group}'s instances to terminate`)) return
  const g = await describeGroup(ctx, group)
  if (g.instances.length === 0) return
  logHookWaits(run, g)
  ctx.log.info(
    `${group} is at zero; Auto Scaling terminates what is left (${lifecycleCounts(g)}), in no target group: ` +
      `the next deploy waits until it is gone`
  )
}
