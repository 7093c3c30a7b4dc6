// Pre-flight: read-only. Waits for a deploy already in progress, finds the roles from traffic,
// reports the setup (capacity, health checks, draining) with an estimated minimum duration, and
// refuses before anything changes when the setup cannot work.
import {
  describeListener,
  describeListeners,
  describeLoadBalancer,
  describeRules,
  describeTargetGroup,
  deregistrationDelaySeconds,
  listenerUrl
} from '../../aws/elbv2.js'
import { describeLaunchTemplateVersion } from '../../aws/ec2.js'
import { forwardsTo } from '../../aws/rules.js'
import { formatDuration } from '../../clock.js'
import { unreachableNotice, unreachableReason } from '../../smoke.js'
import { Inputs, Tags } from '../../constants.js'
import { DeployError, errorMessage, hasErrorCode } from '../../errors.js'
import { escapeMd } from '../../summary.js'
import { staleLocks, waitWhileBusy } from './busy.js'
import { recommendations } from './advice.js'
import type { Ctx, Flow, LaunchTarget, SyntheticSetup } from './flow.js'
import { describeTemplate, idsIn, lifecycleCounts, type GroupView, type TargetGroupInfo } from './model.js'
import {
  capacityFor,
  describeTemplatePlan,
  estimateMinimum,
  headerRuleProblem,
  headerRuleState,
  headerValueHasWildcards,
  scaleInProtectionProblem,
  suspendedProcessesProblem,
  templatePlan,
  warmPoolProblem,
  type HeaderRuleState,
  type TemplatePlan
} from './plan.js'
import { decideRoles } from './roles.js'
import { targetStates } from './waits.js'

// Assumed boot time of an instance, for the estimate only.
const BOOT_SECONDS = 60

export async function preflight(ctx: Ctx): Promise<Flow> {
  const { settings: s, log } = ctx

  const main = await targetGroupInfo(ctx, s.targetGroupArn, Inputs.TargetGroup)
  let synthetic: SyntheticSetup | undefined
  let ruleState: HeaderRuleState | undefined
  if (s.syntheticTargetGroupArn && s.listenerArn) {
    if (s.syntheticTargetGroupArn === s.targetGroupArn) {
      throw new DeployError(
        `'${Inputs.SyntheticTargetGroup}' and '${Inputs.TargetGroup}' are the same target group: the new fleet would get production traffic before it is checked.`,
        `create a separate target group for synthetic checks (same port and health check), reached only by the '${s.syntheticHeader.name}' header rule.`
      )
    }
    const headerProblem = headerRuleProblem(s.syntheticHeader)
    if (headerProblem) throw new DeployError(headerProblem.message, headerProblem.hint)
    if (headerValueHasWildcards(s.syntheticHeader))
      log.warning(
        `'${Inputs.SyntheticHeader}' value '${s.syntheticHeader.value}' contains * or ?, which the ALB rule reads as wildcards: requests with other values of ${s.syntheticHeader.name} reach the synthetic target group too.`
      )
    const info = await targetGroupInfo(ctx, s.syntheticTargetGroupArn, Inputs.SyntheticTargetGroup)
    const listener = await describeListener(ctx.aws, s.listenerArn).catch((e: unknown) => {
      if (hasErrorCode(e, 'ListenerNotFound', 'ValidationError'))
        throw new DeployError(
          `Listener ${s.listenerArn} ('${Inputs.ListenerArn}') was not found: ${errorMessage(e)}.`,
          `set '${Inputs.ListenerArn}' to the ARN of the ALB listener that gets the synthetic header rule (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<alb>/<id>/<id>) in the region the action runs in.`,
          { cause: e }
        )
      throw e
    })
    ruleState = headerRuleState(await describeRules(ctx.aws, s.listenerArn), s.syntheticHeader, info.arn)
    if (ruleState.kind === 'conflict') {
      throw new DeployError(
        `The listener already has a rule for '${s.syntheticHeader.name}: ${s.syntheticHeader.value}' (priority ${ruleState.rule.Priority}), but it forwards to ${ruleState.forwardsTo.join(', ') || 'no target group'}, not to the synthetic target group.`,
        `point that rule at ${info.arn}, delete it (the deploy then creates one), or set 'synthetic-header' to another header.`
      )
    }
    const lb = await describeLoadBalancer(ctx.aws, listener.LoadBalancerArn ?? '')
    const url = s.url ?? listenerUrl(lb, listener)
    synthetic = { ...info, listenerArn: s.listenerArn, url, reachable: s.url !== undefined }
  }

  // A deploy in progress is waited for before roles are read: its half-moved traffic would mislead.
  const [blue, green] = await waitWhileBusy(ctx)
  for (const note of staleLocks([blue, green], ctx.clock.now(), s.waitTimeoutSeconds)) log.warning(note)

  const mainTargets = await targetStates(ctx, main.arn)
  const decision = decideRoles(blue, green, mainTargets)
  if (!decision.ok) throw new DeployError(decision.message, decision.hint)
  const { roles } = decision
  for (const w of roles.warnings) log.warning(w)
  const { active, standby } = roles

  if (active.desired === 0) {
    throw new DeployError(
      `Neither ${blue.name} nor ${green.name} has a fleet to copy the size of the new one from (both have desired capacity 0), and neither serves traffic.`,
      `set the min/max/desired capacity of ${active.name} to the fleet you want (e.g. aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${active.name} --min-size 1 --max-size 4 --desired-capacity 2), or attach the group that should serve to the target group, then deploy again.`
    )
  }
  if (standby.status || active.status) {
    const g = standby.status ? standby : active
    throw new DeployError(`${g.name} is '${g.status}'.`, `wait until the group is usable again, then deploy.`)
  }

  const suspended = suspendedProcessesProblem(active, standby)
  if (suspended) throw new DeployError(suspended.message, suspended.hint)
  const protection = scaleInProtectionProblem(active, standby)
  if (protection) throw new DeployError(protection.message, protection.hint)
  const warmPool = warmPoolProblem(standby)
  if (warmPool) throw new DeployError(warmPool.message, warmPool.hint)

  const template = templatePlan(s, active, standby)
  if (!('kind' in template)) throw new DeployError(template.message, template.hint)
  const launch = await resolveLaunch(ctx, template)

  const url = s.url ?? (await productionUrl(ctx, main))
  let reachableUrl = s.url
  if (!s.url && url) {
    log.info(`URL: ${url} (derived from the load balancer of ${main.name})`)
    const reason = await unreachableReason(ctx.http, url)
    if (reason === undefined) reachableUrl = url
    else log.warning(unreachableNotice(url, reason, Inputs.Url))
  }
  if (synthetic && !s.url) {
    // Usually the same load balancer as production: ask only when it is another address.
    const reason =
      synthetic.url === url
        ? reachableUrl
          ? undefined
          : 'unreachable'
        : await unreachableReason(ctx.http, synthetic.url)
    synthetic.reachable = reason === undefined
    if (reason !== undefined && synthetic.url !== url)
      log.warning(unreachableNotice(synthetic.url, reason, Inputs.Url))
  }
  const capacity = capacityFor(active)

  report(ctx, { active, standby, reason: roles.reason, main, synthetic, ruleState, template })
  const estimate = estimateMinimum({
    bootSeconds: BOOT_SECONDS,
    main: main,
    synthetic,
    validationWindowSeconds: s.validationWindowSeconds,
    deregistrationDelaySeconds: main.deregistrationDelaySeconds
  })
  log.info(`Estimated minimum duration: ${estimate.arithmetic}`)
  log.section(
    'Pre-flight',
    preflightMarkdown(ctx, {
      active,
      standby,
      reason: roles.reason,
      main,
      synthetic,
      template,
      estimate: estimate.arithmetic,
      capacity
    })
  )

  return {
    ctx,
    roles,
    active,
    standby,
    capacity,
    template,
    launch,
    main,
    synthetic,
    url,
    reachableUrl,
    lock: undefined,
    newIds: [],
    oldIds: [],
    oldMinSize: undefined,
    standbyAtMs: undefined,
    attachedToMain: false,
    attachedToSynthetic: false,
    probe: undefined
  }
}

async function targetGroupInfo(ctx: Ctx, arn: string, input: string): Promise<TargetGroupInfo> {
  const tg = await describeTargetGroup(ctx.aws, arn).catch((e: unknown) => {
    // ELB answers a well-formed ARN of no target group, or a malformed one, with an error.
    if (hasErrorCode(e, 'TargetGroupNotFound', 'ValidationError'))
      throw new DeployError(
        `Target group ${arn} ('${input}') was not found: ${errorMessage(e)}.`,
        `set '${input}' to the ARN of an existing target group (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>) in the region the action runs in.`,
        { cause: e }
      )
    throw e
  })
  if (tg.TargetType && tg.TargetType !== 'instance') {
    throw new DeployError(
      `Target group ${tg.TargetGroupName} ('${input}') registers targets by ${tg.TargetType}, not by instance: Auto Scaling groups can only be attached to instance target groups.`,
      `use a target group of target type 'instance'.`
    )
  }
  return {
    arn,
    name: tg.TargetGroupName ?? arn,
    intervalSeconds: tg.HealthCheckIntervalSeconds ?? 30,
    healthyThreshold: tg.HealthyThresholdCount ?? 5,
    deregistrationDelaySeconds: await deregistrationDelaySeconds(ctx.aws, arn),
    healthCheckPath: tg.HealthCheckPath ?? '/',
    loadBalancerArns: tg.LoadBalancerArns ?? []
  }
}

/** The template id and the version the new fleet launches from; refuses a version that does not exist. */
async function resolveLaunch(ctx: Ctx, plan: TemplatePlan): Promise<LaunchTarget> {
  const wanted = plan.kind === 'version' ? plan.version : (plan.template.version ?? '$Default')
  const found = await describeLaunchTemplateVersion(ctx.aws, plan.template, wanted)
  if (!found?.LaunchTemplateId) {
    throw new DeployError(
      `Launch template ${describeTemplate({ ...plan.template, version: wanted })} was not found.`,
      plan.kind === 'version'
        ? `check 'launch-template-version' (a version number, $Latest or $Default of the standby group's launch template).`
        : `check the launch template of the group: it may have been deleted.`
    )
  }
  if (plan.kind === 'new-ami') {
    return { templateId: found.LaunchTemplateId, sourceVersion: String(found.VersionNumber ?? wanted) }
  }
  // Pinned: a group left on $Latest would launch whatever version a later deploy creates.
  const pinned = String(found.VersionNumber ?? wanted)
  if (pinned !== wanted)
    ctx.log.info(`Launch template version ${wanted} is version ${pinned} now: pinned to it`)
  return { templateId: found.LaunchTemplateId, version: pinned }
}

/**
 * The URL production traffic arrives at: the listener of the target group's load balancer that
 * forwards to it. Undefined when no load balancer uses the target group (no smoke test, no probe).
 */
async function productionUrl(ctx: Ctx, main: TargetGroupInfo): Promise<string | undefined> {
  const lbArn = main.loadBalancerArns[0]
  if (!lbArn) {
    ctx.log.info(
      `Notice: no '${Inputs.Url}' input and ${main.name} is not used by any load balancer: the smoke tests and the traffic probe are skipped; the target group's health checks still gate every step.`
    )
    return undefined
  }
  const lb = await describeLoadBalancer(ctx.aws, lbArn)
  const listeners = await describeListeners(ctx.aws, lbArn)
  const forwards = (l: (typeof listeners)[number]) => forwardsTo(l.DefaultActions, main.arn)
  const byPreference = [...listeners].sort(
    (a, b) =>
      Number(forwards(b)) - Number(forwards(a)) ||
      Number(b.Protocol === 'HTTPS') - Number(a.Protocol === 'HTTPS')
  )
  if (!byPreference[0]) {
    ctx.log.info(
      `Notice: load balancer ${lb.LoadBalancerName} has no listener: the smoke tests and the traffic probe are skipped.`
    )
    return undefined
  }
  return listenerUrl(lb, byPreference[0])
}

interface ReportInput {
  active: GroupView
  standby: GroupView
  reason: string
  main: TargetGroupInfo
  synthetic: SyntheticSetup | undefined
  ruleState?: HeaderRuleState
  template: TemplatePlan
}

function groupLine(g: GroupView): string {
  return `min ${g.minSize} / max ${g.maxSize} / desired ${g.desired}; ${lifecycleCounts(g)}; health check ${g.healthCheckType} (grace ${g.gracePeriodSeconds}s); launch template ${describeTemplate(g.launchTemplate)}; ${Tags.Role}=${g.tags[Tags.Role] ?? '(none)'}`
}

function tgLine(tg: TargetGroupInfo): string {
  return `health check ${tg.healthCheckPath} every ${tg.intervalSeconds}s, healthy after ${tg.healthyThreshold} (${formatDuration(tg.intervalSeconds * tg.healthyThreshold)}), deregistration delay ${tg.deregistrationDelaySeconds}s`
}

function report(ctx: Ctx, r: ReportInput): void {
  const { log, settings: s } = ctx
  log.info(`Active: ${r.active.name} (${r.reason})`)
  log.info(`  ${groupLine(r.active)}`)
  log.info(`Standby: ${r.standby.name}`)
  log.info(`  ${groupLine(r.standby)}`)
  log.info(`Target group ${r.main.name}: ${tgLine(r.main)}`)
  if (r.synthetic) {
    log.info(`Synthetic target group ${r.synthetic.name}: ${tgLine(r.synthetic)}`)
    const rule =
      r.ruleState?.kind === 'present'
        ? `present (priority ${r.ruleState.rule.Priority})`
        : r.ruleState?.kind === 'missing'
          ? `missing: it will be created at priority ${r.ruleState.priority}${r.ruleState.rulesBefore > 0 ? ` (${r.ruleState.rulesBefore} rule(s) are evaluated before it)` : ''}`
          : 'unknown'
    log.info(`Header rule '${s.syntheticHeader.name}: ${s.syntheticHeader.value}' on the listener: ${rule}`)
  } else {
    log.info(
      `No 'synthetic-target-group': the new fleet is checked by the main target group's health check only, before it takes traffic.`
    )
  }
  log.info(
    `New fleet on ${r.standby.name}: ${r.active.desired} instance(s) (min ${r.active.minSize}, max ${r.active.maxSize}) from ${describeTemplatePlan(r.template)}`
  )
  log.info(
    `A rollback in the validation window takes at least ${formatDuration(r.main.intervalSeconds * r.main.healthyThreshold)} (the old instances pass ${r.main.healthyThreshold} health checks again), plus, within ${r.main.deregistrationDelaySeconds}s of the cutover, the time they still need to finish draining into Standby`
  )
  for (const advice of recommendations(r.active, r.main)) log.info(`Recommendation: ${advice}`)
  const standbyInstances = idsIn(r.standby, 'Standby').length
  if (r.standby.instances.length > 0) {
    log.info(
      `${r.standby.name} still runs ${lifecycleCounts(r.standby)}${standbyInstances > 0 ? ' (left by an earlier deploy)' : ''}: it is emptied first.`
    )
  }
}

function preflightMarkdown(
  ctx: Ctx,
  r: ReportInput & { estimate: string; capacity: { minSize: number; maxSize: number; desired: number } }
): string {
  const row = (role: string, g: GroupView) =>
    `| ${role} | \`${g.name}\` | ${g.minSize} / ${g.maxSize} / ${g.desired} | ${lifecycleCounts(g)} | ${g.healthCheckType} | ${describeTemplate(g.launchTemplate)} |`
  const lines = [
    `| role | group | min / max / desired | instances | health check | launch template |`,
    `| --- | --- | --- | --- | --- | --- |`,
    row('active', r.active),
    row('standby', r.standby),
    '',
    `- Roles: ${r.reason}.`,
    `- Target group \`${r.main.name}\`: ${tgLine(r.main)}.`
  ]
  if (r.synthetic) lines.push(`- Synthetic target group \`${r.synthetic.name}\`: ${tgLine(r.synthetic)}.`)
  lines.push(
    `- New fleet: ${r.capacity.desired} instance(s) from ${describeTemplatePlan(r.template)}.`,
    `- Validation window: ${formatDuration(ctx.settings.validationWindowSeconds)}.`,
    `- Estimated minimum duration: ${r.estimate}.`
  )
  for (const advice of recommendations(r.active, r.main)) lines.push(`- 💡 ${escapeMd(advice)}`)
  return lines.join('\n')
}
