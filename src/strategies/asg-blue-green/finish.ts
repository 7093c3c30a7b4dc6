// Finish: the old group leaves the main target group *before* its instances leave Standby, so they
// never take traffic again; then it scales to zero and the role tags swap.
import { detachTargetGroups, exitStandby, updateAutoScalingGroup } from '../../aws/autoscaling.js'
import { Outputs } from '../../constants.js'
import type { Flow } from './flow.js'
import { writeRoleTags } from './roles.js'
import { describeGroup, waitForDrained, waitForEmpty, waitForStandby } from './waits.js'

export async function finish(flow: Flow): Promise<void> {
  const { ctx, main, synthetic, active, standby } = flow
  const { log } = ctx
  const old = ctx.aws.dryRun ? active : await describeGroup(ctx, active.name)

  const oldAttached = old.targetGroupArns.filter(a => a === main.arn || a === synthetic?.arn)
  if (oldAttached.length > 0) {
    log.info(
      `Detaching ${old.name} from ${oldAttached.length === 2 ? 'both target groups' : main.name}, before its instances leave Standby`
    )
    await detachTargetGroups(ctx.aws, old.name, oldAttached)
  }
  if (flow.oldIds.length > 0) {
    // The old instances have been draining since they entered Standby: wait out what is left.
    const drainedFor = flow.standbyAtMs === undefined ? 0 : (ctx.clock.now() - flow.standbyAtMs) / 1000
    await waitForDrained(
      flow,
      main,
      flow.oldIds,
      Math.max(0, main.deregistrationDelaySeconds - drainedFor),
      'the old instances'
    )
  }
  if (synthetic && flow.attachedToSynthetic) {
    log.info(`Detaching ${standby.name} from the synthetic target group ${synthetic.name}`)
    await detachTargetGroups(ctx.aws, standby.name, [synthetic.arn])
    flow.attachedToSynthetic = false
  }

  const leftover = old.instances.filter(i => i.lifecycle === 'Standby' || i.lifecycle === 'EnteringStandby')
  const inStandby = ctx.aws.dryRun
    ? flow.oldIds
    : (
        await waitForStandby(
          flow,
          old.name,
          leftover.map(i => i.id)
        )
      ).inStandby
  // Standby instances are not terminated by a scale-in; detached above, they come back to no traffic.
  if (inStandby.length > 0) await exitStandby(ctx.aws, old.name, inStandby)
  log.info(`Scaling ${old.name} to zero`)
  await updateAutoScalingGroup(ctx.aws, old.name, { minSize: 0, desiredCapacity: 0 })
  if (!(await waitForEmpty(flow, old.name, 'continue'))) {
    log.warning(
      `${old.name} still has instances terminating after wait-timeout; none of them is in a target group.`
    )
  }

  await writeRoleTags(ctx, standby.name, old.name)
  // A dry run changed nothing: active-asg stays the group that serves (set in the pre-flight).
  if (!ctx.aws.dryRun) {
    ctx.outputs.set(Outputs.ActiveAsg, standby.name)
    ctx.outputs.set(Outputs.PreviousAsg, old.name)
  }
  ctx.state.setRolledBack(false)
}
