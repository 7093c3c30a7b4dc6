// Which group is active and which is standby, decided from what AWS says now: traffic first (the
// group whose InService instances are registered in the main target group), the zdt:role tags only
// when traffic cannot tell (a first deploy), and never memory.
import { tagGroup } from '../../aws/autoscaling.js'
import { managedTags } from '../../aws/tags.js'
import { Tags } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import { idsIn, isRegistered, type GroupView, type TargetStates } from './model.js'

export interface Roles {
  active: GroupView
  standby: GroupView
  /** InService instances of the active group registered in the main target group. */
  servingIds: string[]
  /** Neither group serves traffic yet. */
  firstDeploy: boolean
  /** Why the active group is the active one, for the log. */
  reason: string
  warnings: string[]
}

export type RoleDecision = { ok: true; roles: Roles } | { ok: false; message: string; hint: string }

/** The group's InService instances that the target group lists as registered (not draining). */
export function servingIds(group: GroupView, targets: TargetStates): string[] {
  return idsIn(group, 'InService').filter(id => isRegistered(targets.get(id)?.state))
}

function taggedRole(group: GroupView): string | undefined {
  return group.tags[Tags.Role]
}

export function decideRoles(blue: GroupView, green: GroupView, mainTargets: TargetStates): RoleDecision {
  const serving = new Map([
    [blue.name, servingIds(blue, mainTargets)],
    [green.name, servingIds(green, mainTargets)]
  ])
  const blueServes = (serving.get(blue.name) ?? []).length > 0
  const greenServes = (serving.get(green.name) ?? []).length > 0
  const pick = (active: GroupView, firstDeploy: boolean, reason: string, warnings: string[] = []) => {
    const standby = active === blue ? green : blue
    return {
      ok: true as const,
      roles: { active, standby, servingIds: serving.get(active.name) ?? [], firstDeploy, reason, warnings }
    }
  }

  if (blueServes && greenServes) {
    const stayed = interruptedCutover(blue, green, mainTargets, serving)
    if (stayed) {
      const other = stayed === blue ? green : blue
      return pick(
        stayed,
        false,
        `${stayed.name} serves traffic and is tagged ${Tags.Role}=active; ${other.name} joined it in a cutover that stopped`,
        [
          `Both groups serve traffic: a deploy stopped during its cutover, before the old fleet left. ${stayed.name} ` +
            `served before it (${Tags.Role}=active) and all its instances are healthy: it stays, and ${other.name} is ` +
            `taken out of traffic (drained), emptied and deployed again.`
        ]
      )
    }
    return {
      ok: false,
      message:
        `Both groups serve traffic: ${blue.name} has ${serving.get(blue.name)?.length} and ${green.name} ` +
        `has ${serving.get(green.name)?.length} InService instance(s) registered in the target group, and no ` +
        `deploy is in progress.`,
      hint:
        `a previous deploy stopped during its cutover. Decide which version should serve, detach the other ` +
        `group from the target group (aws autoscaling detach-load-balancer-target-groups --auto-scaling-group-name ` +
        `<group> --target-group-arns <arn>), then run the deploy again.`
    }
  }

  if (blueServes || greenServes) {
    const active = blueServes ? blue : green
    const standby = blueServes ? green : blue
    const n = serving.get(active.name)?.length ?? 0
    const warnings: string[] = []
    if (taggedRole(active) === 'standby' || taggedRole(standby) === 'active') {
      warnings.push(
        `The ${Tags.Role} tags say ${standby.name} is active, but traffic reaches ${active.name}: trusting ` +
          `traffic (the tags are corrected before any traffic moves).`
      )
    }
    return pick(
      active,
      false,
      `${active.name} serves traffic: ${n} InService instance(s) registered in the target group`,
      warnings
    )
  }

  // Neither serves: a first deploy (or one after a manual detach). The group with a fleet is the
  // one to copy the size from; the tags break a tie; blue is the convention when nothing tells.
  const sized = [blue, green].filter(g => g.desired > 0)
  if (sized.length === 1) {
    return pick(
      sized[0],
      true,
      `neither group serves traffic yet (first deploy); ${sized[0].name} has a fleet (desired ` +
        `${sized[0].desired}), so it counts as the active group`
    )
  }
  const tagged = [blue, green].filter(g => taggedRole(g) === 'active')
  if (tagged.length === 1) {
    return pick(
      tagged[0],
      true,
      `neither group serves traffic yet (first deploy); ${tagged[0].name} is tagged ${Tags.Role}=active`
    )
  }
  return pick(
    blue,
    true,
    `neither group serves traffic yet (first deploy) and nothing tells them apart: ${blue.name} (blue-asg) counts ` +
      `as the active group`
  )
}

/**
 * Both groups serve after a deploy was killed during its cutover (the new fleet attached, the old one
 * not yet in Standby). That deploy tagged the roles before it moved any traffic (tagRolesBeforeCutover),
 * so the group tagged active is the one that served before it. It stays active when every instance
 * of it in the target group is healthy: taking the other one out then leaves traffic on healthy
 * targets. Anything else (no such tags, an unhealthy instance) is for a person to decide.
 */
function interruptedCutover(
  blue: GroupView,
  green: GroupView,
  mainTargets: TargetStates,
  serving: Map<string, string[]>
): GroupView | undefined {
  const active = [blue, green].find(g => taggedRole(g) === 'active')
  const other = active === blue ? green : blue
  if (!active || taggedRole(other) !== 'standby') return undefined
  const ids = serving.get(active.name) ?? []
  return ids.every(id => mainTargets.get(id)?.state === 'healthy') ? active : undefined
}

/** zdt:role plus the ownership tags, written on both groups whenever a deploy ends with the roles known. */
export function roleTags(role: 'active' | 'standby', repository: string): Record<string, string> {
  return { [Tags.Role]: role, ...managedTags(repository) }
}

export async function writeRoleTags(
  ctx: DeployContext<AsgBlueGreenSettings>,
  active: string,
  standby: string
): Promise<void> {
  await tagGroup(ctx.aws, active, roleTags('active', ctx.event.repository))
  await tagGroup(ctx.aws, standby, roleTags('standby', ctx.event.repository))
  ctx.log.info(`Tagged ${active} ${Tags.Role}=active and ${standby} ${Tags.Role}=standby`)
}

/**
 * Before any traffic moves, the role tags name the group that serves now: a run killed during the
 * cutover leaves both groups serving, and the next run tells them apart by these tags
 * (interruptedCutover). Written only when they say otherwise (a first deploy, tags someone changed).
 */
export async function tagRolesBeforeCutover(
  ctx: DeployContext<AsgBlueGreenSettings>,
  active: GroupView,
  standby: GroupView
): Promise<void> {
  if (taggedRole(active) === 'active' && taggedRole(standby) === 'standby') return
  await writeRoleTags(ctx, active.name, standby.name)
}
