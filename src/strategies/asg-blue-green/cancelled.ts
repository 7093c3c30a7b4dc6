// asg-blue-green's safe states after a cancellation, moved along as the run goes (one name, `fleets`,
// re-registered). Before the cutover the serving group was never touched: undo what a couple of calls
// undo (the synthetic attachment and header rule, the standby group's size) and leave the rest to the
// next run. From the moment the old instances go to Standby, the new fleet serves: leave both fleets
// as they are, and record in the zdt:role tags which one serves, so the next run retires the old one.
import { detachTargetGroups, updateAutoScalingGroup } from '../../aws/autoscaling.js'
import { deleteRule } from '../../aws/elbv2.js'
import { Tags } from '../../constants.js'
import { writeRoleTags } from './roles.js'
import type { AsgRun, Ctx } from './state.js'

const NAME = 'fleets'

/** From the standby group's scale-up until the old instances go to Standby. */
export function safeBeforeCutover(run: AsgRun): void {
  run.offSafeState = run.ctx.state.onCancel<Ctx['settings']>(NAME, safe => undoQuickly(run, safe))
}

/** From the old instances' move to Standby on: the new fleet serves. */
export function safeAfterCutover(run: AsgRun): void {
  run.offSafeState = run.ctx.state.onCancel<Ctx['settings']>(NAME, safe => recordServing(run, safe))
}

async function undoQuickly(run: AsgRun, safe: Ctx): Promise<string[]> {
  const { standby, active, main, synthetic, did } = run
  const lines: string[] = []
  const detach = [
    ...(did.attachedToMain ? [main.arn] : []),
    ...(did.attachedToSynthetic && synthetic ? [synthetic.arn] : [])
  ]
  if (detach.length > 0) {
    await detachTargetGroups(safe.aws, standby.name, detach)
    did.attachedToMain = false
    did.attachedToSynthetic = false
    lines.push(
      `Detached ${standby.name} from ${detach.length === 2 ? 'both target groups' : 'the target group it joined'}.`
    )
  }
  if (did.createdRuleArn) {
    await deleteRule(safe.aws, did.createdRuleArn)
    lines.push(`Deleted the synthetic header rule this run created.`)
    did.createdRuleArn = undefined
  }
  if (detach.includes(main.arn)) {
    // Its instances drain out of the main target group now; terminating them before that is over
    // would fail the requests they still finish, so the next run scales the group to zero.
    lines.push(
      `${standby.name}'s new instances drain out of ${main.name} and stay running: the next deploy scales it ` +
        `to zero before it starts.`
    )
  } else {
    await updateAutoScalingGroup(safe.aws, standby.name, { minSize: 0, desiredCapacity: 0 })
    lines.push(`Set ${standby.name}'s desired capacity back to 0.`)
  }
  lines.push(`${active.name} serves traffic as before the deploy, untouched.`)
  return lines
}

async function recordServing(run: AsgRun, safe: Ctx): Promise<string[]> {
  const { standby, active, did } = run
  await writeRoleTags(safe, standby.name, active.name)
  const old =
    did.oldIds.length > 0
      ? `${active.name}'s old instances (${did.oldIds.join(', ')}) stay in Standby` +
        `${did.oldMinSize !== undefined ? ` with its MinSize lowered from ${did.oldMinSize} to 0` : ''}`
      : `${active.name} keeps what it has`
  return [
    `${standby.name} serves traffic with the new version; ${old}. Tagged ${standby.name} ${Tags.Role}=active: ` +
      `the next deploy retires the old fleet before it starts.`
  ]
}
