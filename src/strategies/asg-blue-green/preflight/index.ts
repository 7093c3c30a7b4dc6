// Pre-flight: read-only. Each stage reads what the next decision needs (facts), judges it with pure
// rules (findings), and stops at the first refusal; a deploy in progress is waited for before the
// roles are read. Then one renderer reports the setup with an estimated minimum duration.
import { Inputs } from '../../../constants.js'
import { staleLocks, waitWhileBusy } from '../busy.js'
import type { HeaderRuleState } from '../header-rule.js'
import { warning } from '../../../preflight.js'
import {
  capacityFor,
  mixedPolicyProblem,
  servingOnLatest,
  templatePlan,
  type TemplatePlan
} from '../launch.js'
import type { HookView } from '../model.js'
import { decideRoles, type Roles } from '../roles.js'
import type { Ctx, LaunchTarget, Setup, SyntheticSetup } from '../state.js'
import { targetStates } from '../waits.js'
import { adviceFindings } from './advice.js'
import { BOOT_SECONDS, estimateMinimum } from './estimate.js'
import {
  checkSyntheticReach,
  productionUrls,
  readHeaderRule,
  readHooks,
  readListener,
  resolveLaunch,
  syntheticSetup,
  targetGroupInfo,
  wantedVersion
} from './facts.js'
import { applyFindings, logReport, refuse, reportMarkdown } from './report.js'
import {
  groupFindings,
  headerRuleFindings,
  hookFindings,
  launchFindings,
  syntheticInputFindings,
  targetTypeFindings
} from './rules.js'

export async function preflight(ctx: Ctx): Promise<Setup> {
  const main = await targetGroupInfo(ctx, ctx.settings.targetGroupArn, Inputs.TargetGroup)
  applyFindings(ctx, targetTypeFindings(main, Inputs.TargetGroup))
  const { synthetic, ruleState } = await syntheticStage(ctx)
  const { roles, template } = await rolesStage(ctx, main.arn)
  const hooks = await hooksStage(ctx, roles)
  const launch = await resolveStage(ctx, template)
  const urls = await productionUrls(ctx, main)
  if (synthetic) await checkSyntheticReach(ctx, synthetic, urls)
  const serving = servingOnLatest(template, roles.active)
  const setup: Setup = {
    roles,
    active: roles.active,
    standby: roles.standby,
    capacity: capacityFor(roles.active),
    template,
    launch,
    main,
    synthetic,
    ...urls,
    hooks,
    pin: serving && { ...serving, version: launch.sourceVersion }
  }
  report(ctx, setup, ruleState)
  return setup
}

/** The synthetic target group, its listener and the header rule, when the inputs ask for them. */
async function syntheticStage(
  ctx: Ctx
): Promise<{ synthetic?: SyntheticSetup; ruleState?: HeaderRuleState }> {
  const { syntheticTargetGroupArn: arn, listenerArn } = ctx.settings
  if (!arn || !listenerArn) return {}
  applyFindings(ctx, syntheticInputFindings(ctx.settings))
  const info = await targetGroupInfo(ctx, arn, Inputs.SyntheticTargetGroup)
  applyFindings(ctx, targetTypeFindings(info, Inputs.SyntheticTargetGroup))
  const listener = await readListener(ctx, listenerArn)
  const ruleState = await readHeaderRule(ctx, listenerArn, info.arn)
  applyFindings(ctx, headerRuleFindings(ctx.settings, ruleState, info.arn))
  return { synthetic: await syntheticSetup(ctx, info, listenerArn, listener), ruleState }
}

/** Which group serves, read from traffic once no other deploy is moving it; then what it launches from. */
async function rolesStage(ctx: Ctx, mainArn: string): Promise<{ roles: Roles; template: TemplatePlan }> {
  const { groups, runs } = await waitWhileBusy(ctx)
  const [blue, green] = groups
  for (const note of staleLocks(groups, ctx.clock.now(), ctx.settings.waitTimeoutSeconds, runs))
    ctx.log.warning(note)
  const decision = decideRoles(blue, green, await targetStates(ctx, mainArn))
  if (!decision.ok) return refuse(decision)
  const roles = decision.roles
  applyFindings(
    ctx,
    roles.warnings.map(w => warning(w))
  )
  applyFindings(ctx, groupFindings(roles, blue, green, mainArn))
  const template = templatePlan(ctx.settings, roles.active, roles.standby)
  if (!('kind' in template)) return refuse(template)
  const mixed = mixedPolicyProblem(template, roles.active)
  if (mixed) return refuse(mixed)
  return { roles, template }
}

/** Both groups' lifecycle hooks: the standby's may need more than 'wait-timeout'. */
async function hooksStage(ctx: Ctx, roles: Roles): Promise<Record<string, HookView[]>> {
  const hooks = await readHooks(ctx, [roles.active, roles.standby])
  applyFindings(ctx, hookFindings(ctx.settings, roles.standby, hooks[roles.standby.name] ?? []))
  return hooks
}

/** The template id and the version number the new fleet launches from; refuses one that does not exist. */
async function resolveStage(ctx: Ctx, template: TemplatePlan): Promise<LaunchTarget> {
  const wanted = wantedVersion(template)
  const launch = await resolveLaunch(ctx, template, wanted)
  applyFindings(ctx, launchFindings(template, wanted, launch !== undefined))
  return launch as LaunchTarget
}

function report(ctx: Ctx, setup: Setup, ruleState: HeaderRuleState | undefined): void {
  const s = ctx.settings
  const estimate = estimateMinimum({
    bootSeconds: BOOT_SECONDS,
    main: setup.main,
    synthetic: setup.synthetic,
    validationWindowSeconds: s.validationWindowSeconds,
    deregistrationDelaySeconds: setup.main.deregistrationDelaySeconds,
    slowStartSeconds: setup.main.slowStartSeconds,
    launchHooks: (setup.hooks[setup.standby.name] ?? []).filter(h => h.transition === 'launch')
  })
  const r = {
    ...setup,
    ruleState,
    advice: adviceFindings(setup.active, setup.main),
    estimate: estimate.arithmetic
  }
  logReport(ctx, r)
  ctx.log.section('Pre-flight', reportMarkdown(ctx, r))
}
