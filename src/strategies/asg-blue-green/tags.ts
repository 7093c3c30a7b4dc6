// The tags that say which group is which: zdt:role plus the spec's ownership tags, written on both
// groups whenever a deploy ends with the roles known.
import { tagGroup } from '../../aws/autoscaling.js'
import { MANAGED_BY_VALUE, Tags } from '../../constants.js'
import type { Ctx } from './flow.js'

export function roleTags(role: 'active' | 'standby', repository: string): Record<string, string> {
  const tags: Record<string, string> = { [Tags.Role]: role, [Tags.ManagedBy]: MANAGED_BY_VALUE }
  if (repository) tags[Tags.Repo] = repository
  return tags
}

export async function writeRoleTags(ctx: Ctx, active: string, standby: string): Promise<void> {
  await tagGroup(ctx.aws, active, roleTags('active', ctx.event.repository))
  await tagGroup(ctx.aws, standby, roleTags('standby', ctx.event.repository))
  ctx.log.info(`Tagged ${active} ${Tags.Role}=active and ${standby} ${Tags.Role}=standby`)
}
