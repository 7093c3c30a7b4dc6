// The old group's MinSize goes to 0 so its instances can enter Standby, and back on a rollback. It is
// written down first, as zdt:min-size on the group: a run killed in between leaves the number in AWS
// (tags, not memory), and the next run puts it back instead of copying 0 to the new fleet.
import { tagGroup, untagGroup, updateAutoScalingGroup } from '../../aws/autoscaling.js'
import { Tags } from '../../constants.js'
import type { GroupView } from './model.js'
import type { AsgRun, Ctx } from './state.js'

/** Before MinSize is lowered for Standby: what it was. */
export async function recordMinSize(ctx: Ctx, group: GroupView): Promise<void> {
  await tagGroup(ctx.aws, group.name, { [Tags.MinSize]: String(group.minSize) })
}

/**
 * The MinSize a killed run lowered on `group` and never put back, from the note it wrote first;
 * never above the desired capacity, so putting it back launches nothing.
 */
export function lostMinSize(group: GroupView): number | undefined {
  const noted = Number(group.tags[Tags.MinSize])
  if (!Number.isInteger(noted)) return undefined
  const back = Math.min(noted, group.desired)
  return back > group.minSize ? back : undefined
}

/** The group carries such a note, settled or not. */
export function notesMinSize(group: GroupView): boolean {
  return group.tags[Tags.MinSize] !== undefined
}

/** Once the group's MinSize is settled again (put back, or the group scaled to zero), the note goes. */
export async function forgetMinSize(ctx: Ctx, group: string): Promise<void> {
  await untagGroup(ctx.aws, group, [Tags.MinSize])
}

/** The serving group's MinSize as it was before a killed run lowered it, before this run changes anything. */
export async function restoreLostMinSize(run: AsgRun): Promise<void> {
  const { ctx, active } = run
  const back = lostMinSize(active)
  if (back !== undefined) {
    ctx.log.info(
      `${active.name}'s MinSize is ${active.minSize}: an earlier run lowered it for Standby and stopped before ` +
        `putting it back (${Tags.MinSize}=${active.tags[Tags.MinSize]}); setting it to ${back}`
    )
    await updateAutoScalingGroup(ctx.aws, active.name, { minSize: back })
  }
  if (notesMinSize(active)) await forgetMinSize(ctx, active.name)
}
