// The one renderer of the pre-flight: findings (the first refusal fails the run, warnings are
// logged), then the setup as log lines and as the job summary's section.
import { formatDuration } from '../../../clock.js'
import { Tags } from '../../../constants.js'
import { DeployError } from '../../../errors.js'
import { firstCheckSeconds, healthyAfterText, type Finding, type Problem } from '../../../preflight.js'
import { escapeMd } from '../../../summary.js'
import type { HeaderRuleState } from '../header-rule.js'
import { describeTemplatePlan } from '../launch.js'
import {
  describeHook,
  describeTemplate,
  idsIn,
  lifecycleCounts,
  type GroupView,
  type TargetGroupInfo
} from '../model.js'
import type { Ctx, Setup } from '../state.js'

/** Warnings are logged as they are found; the first refusal stops the run before any change. */
export function applyFindings(ctx: Ctx, findings: Finding[]): void {
  for (const w of findings.filter(f => f.level === 'warn'))
    ctx.log.warning(w.hint ? `${w.message} Fix: ${w.hint}` : w.message)
  const refused = findings.find(f => f.level === 'refuse')
  if (refused) refuse(refused)
}

export function refuse(problem: Problem): never {
  throw new DeployError(problem.message, problem.hint)
}

export interface Report extends Setup {
  ruleState: HeaderRuleState | undefined
  advice: Finding[]
  estimate: string
}

function groupLine(g: GroupView): string {
  const capacity = `min ${g.minSize} / max ${g.maxSize} / desired ${g.desired}`
  const health = `health check ${g.healthCheckType} (grace ${g.gracePeriodSeconds}s)`
  const role = `${Tags.Role}=${g.tags[Tags.Role] ?? '(none)'}`
  return `${capacity}; ${lifecycleCounts(g)}; ${health}; launch template ${describeTemplate(g.launchTemplate)}; ${role}`
}

function tgLine(tg: TargetGroupInfo): string {
  return (
    `health check ${tg.healthCheckPath} every ${tg.intervalSeconds}s, ${healthyAfterText(tg)}, ` +
    `deregistration delay ${tg.deregistrationDelaySeconds}s` +
    (tg.slowStartSeconds ? `, slow start ${tg.slowStartSeconds}s` : '')
  )
}

function hookLines(r: Report): string[] {
  return [r.active, r.standby].flatMap(g => {
    const hooks = r.hooks[g.name] ?? []
    return hooks.length > 0 ? [`Lifecycle hooks of ${g.name}: ${hooks.map(describeHook).join('; ')}`] : []
  })
}

function headerRuleLine(state: HeaderRuleState | undefined): string {
  if (state?.kind === 'present') return `present (priority ${state.rule.Priority})`
  if (state?.kind !== 'missing') return 'unknown'
  const before = state.rulesBefore > 0 ? ` (${state.rulesBefore} rule(s) are evaluated before it)` : ''
  return `missing: it will be created at priority ${state.priority}${before}`
}

function rollbackLine(main: TargetGroupInfo): string {
  // Out of Standby the old instances are registered again: healthy after their first passing check.
  const healthy = formatDuration(firstCheckSeconds(main))
  return (
    `A rollback in the validation window takes at least ${healthy} (the old instances are registered ` +
    `again and pass their first health check), plus, within ${main.deregistrationDelaySeconds}s of the ` +
    `cutover, the time they still need to finish draining into Standby`
  )
}

function leftoverLine(standby: GroupView): string | undefined {
  if (standby.instances.length === 0) return undefined
  const earlier = idsIn(standby, 'Standby').length > 0 ? ' (left by an earlier deploy)' : ''
  return `${standby.name} still runs ${lifecycleCounts(standby)}${earlier}: it is emptied first.`
}

export function logReport(ctx: Ctx, r: Report): void {
  const { log, settings: s } = ctx
  log.info(`Active: ${r.active.name} (${r.roles.reason})`)
  log.info(`  ${groupLine(r.active)}`)
  log.info(`Standby: ${r.standby.name}`)
  log.info(`  ${groupLine(r.standby)}`)
  log.info(`Target group ${r.main.name}: ${tgLine(r.main)}`)
  if (r.synthetic) {
    log.info(`Synthetic target group ${r.synthetic.name}: ${tgLine(r.synthetic)}`)
    const header = `'${s.syntheticHeader.name}: ${s.syntheticHeader.value}'`
    log.info(`Header rule ${header} on the listener: ${headerRuleLine(r.ruleState)}`)
  } else {
    log.info(
      `No 'synthetic-target-group': the new fleet is checked by the main target group's health check only, before ` +
        `it takes traffic.`
    )
  }
  const size = `${r.active.desired} instance(s) (min ${r.active.minSize}, max ${r.active.maxSize})`
  log.info(`New fleet on ${r.standby.name}: ${size} from ${describeTemplatePlan(r.template)}`)
  for (const line of hookLines(r)) log.info(line)
  log.info(rollbackLine(r.main))
  for (const advice of r.advice) log.info(`Recommendation: ${advice.message}`)
  const leftover = leftoverLine(r.standby)
  if (leftover) log.info(leftover)
  log.info(`Estimated minimum duration: ${r.estimate}`)
}

export function reportMarkdown(ctx: Ctx, r: Report): string {
  const row = (role: string, g: GroupView) =>
    `| ${role} | \`${g.name}\` | ${g.minSize} / ${g.maxSize} / ${g.desired} | ${lifecycleCounts(g)} | ` +
    `${g.healthCheckType} | ${describeTemplate(g.launchTemplate)} |`
  const lines = [
    `| role | group | min / max / desired | instances | health check | launch template |`,
    `| --- | --- | --- | --- | --- | --- |`,
    row('active', r.active),
    row('standby', r.standby),
    '',
    `- Roles: ${r.roles.reason}.`,
    `- Target group \`${r.main.name}\`: ${tgLine(r.main)}.`
  ]
  if (r.synthetic) lines.push(`- Synthetic target group \`${r.synthetic.name}\`: ${tgLine(r.synthetic)}.`)
  lines.push(
    `- New fleet: ${r.capacity.desired} instance(s) from ${describeTemplatePlan(r.template)}.`,
    `- Validation window: ${formatDuration(ctx.settings.validationWindowSeconds)}.`,
    `- Estimated minimum duration: ${r.estimate}.`
  )
  for (const line of hookLines(r)) lines.push(`- ${escapeMd(line)}.`)
  for (const advice of r.advice) lines.push(`- 💡 ${escapeMd(advice.message)}`)
  return lines.join('\n')
}
