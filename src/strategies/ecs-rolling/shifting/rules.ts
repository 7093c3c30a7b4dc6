// Pure pre-flight rules for ECS's BLUE_GREEN, LINEAR and CANARY deployments. The rolling percentages
// do not apply: ECS scales green up beside blue before any production traffic moves. What is refused
// is what cannot work (no way to follow the stages, nothing to shift traffic with, a gate that cannot
// reach green or cannot finish before its hook times out, a wait shorter than the stages); the
// estimate adds the stages up, bake time and linear steps included.
import { formatDuration } from '../../../clock.js'
import { Inputs } from '../../../constants.js'
import { escapeMd } from '../../../summary.js'
import {
  TASK_START_SECONDS,
  firstCheckTerm,
  type DurationEstimate,
  type ServiceFacts,
  type TargetGroupFacts
} from '../preflight-rules.js'
import { firstCheckSeconds, type Finding } from '../../../preflight.js'
import type { HookFacts, RouteFacts, ShiftFacts } from './facts.js'
import { atOrAfter, type Stage } from './stages.js'

/** How long the gate probes the test route after its smoke test passed. */
export const GATE_PROBE_SECONDS = 30

export interface ShiftLimits {
  waitTimeoutSeconds: number
  healthTimeoutSeconds: number
  pollIntervalSeconds: number
  /** The production URL the runner can reach, when there is one. */
  url: string | undefined
}

export function assessShift(f: ServiceFacts, s: ShiftFacts, limits: ShiftLimits): Finding[] {
  const findings: Finding[] = []
  const refuse = (message: string, hint: string) => findings.push({ level: 'refuse', message, hint })
  const warn = (message: string, hint: string) => findings.push({ level: 'warn', message, hint })
  const where = `service '${f.service}' in cluster '${f.cluster}'`
  if (s.apisUnavailable) {
    refuse(
      `The ${where} deploys with ECS's ${s.strategy} strategy, which this action follows through the ` +
        `service-deployment APIs, and ${s.apisUnavailable}: its stages, the gate and ECS's own rollback ` +
        `could not be followed.`,
      `deploy against ECS itself with ecs:ListServiceDeployments, ecs:DescribeServiceDeployments, ` +
        `ecs:DescribeServiceRevisions, ecs:ContinueServiceDeployment and ecs:StopServiceDeployment allowed ` +
        `(iam/ecs-rolling.json).`
    )
  }
  routeRules(s, refuse)
  gateRules(s, limits, refuse)
  for (const hook of s.hooks.filter(h => h.targetType === 'PAUSE'))
    for (const stage of hook.stages.filter(st => st !== s.gateStage))
      warn(
        `The ${where} has a PAUSE hook at ${stage}: ECS waits there for ContinueServiceDeployment, and this ` +
          `action answers only the one at ${s.gateStage}; ${timeoutText(hook)}.`,
        `continue it yourself (the log names the command), or set '${Inputs.GateStage}' to ${stage}.`
      )
  if (s.ongoing.length > 0)
    warn(
      `The ${where} already has ${s.ongoing.length} service deployment(s) in progress ` +
        `(${s.ongoing.map(d => d.status).join(', ')}); ours replaces them.`,
      `let the running deployment finish, or limit the workflow's concurrency so deploys do not overlap.`
    )
  const estimate = estimateShift(f, s)
  if (limits.waitTimeoutSeconds < estimate.seconds)
    refuse(
      `'${Inputs.WaitTimeout}' ${formatDuration(limits.waitTimeoutSeconds)} is shorter than this ` +
        `${s.strategy} deployment needs: ${formatDuration(estimate.seconds)} (${estimate.arithmetic}).`,
      `raise '${Inputs.WaitTimeout}' to at least ${Math.ceil(estimate.seconds * 1.2)} seconds, ` +
        `or shorten the service's bake time and traffic steps.`
    )
  return findings
}

type Say = (message: string, hint: string) => void

/** ECS needs an alternate target group and a production rule on each load balancer entry. */
function routeRules(s: ShiftFacts, refuse: Say): void {
  for (const r of s.routes) {
    if (!r.alternateTargetGroupArn || !r.productionRuleArn) {
      refuse(
        `The load balancer entry of target group ${r.targetGroupArn} has no alternate target group or ` +
          `production listener rule: ECS has nothing to shift ${s.strategy} traffic with.`,
        `set loadBalancers[].advancedConfiguration (alternateTargetGroupArn, productionListenerRule, ` +
          `testListenerRule, roleArn) on the service.`
      )
    } else if (!r.productionRule) {
      refuse(
        `The production listener rule ${r.productionRuleArn} of the service does not exist.`,
        `point advancedConfiguration.productionListenerRule at the rule that forwards the service's traffic.`
      )
    }
    if (r.testRuleArn && !r.testRule)
      refuse(
        `The test listener rule ${r.testRuleArn} of the service does not exist.`,
        `point advancedConfiguration.testListenerRule at an existing rule, or remove it.`
      )
  }
}

/** The PAUSE hook we answer must exist if named, reach green, and wait long enough for our checks. */
function gateRules(s: ShiftFacts, limits: ShiftLimits, refuse: Say): void {
  const hook = gateHook(s)
  if (!hook) {
    if (s.gateNamed)
      refuse(
        `'${Inputs.GateStage}' is ${s.gateStage}, but the service has no PAUSE lifecycle hook at that stage.`,
        `add a hook { targetType: PAUSE, lifecycleStages: [${s.gateStage}] } to the service's ` +
          `deploymentConfiguration, or leave '${Inputs.GateStage}' empty.`
      )
    return
  }
  if (!gateUrl(s, limits.url))
    refuse(
      `The service has a PAUSE hook at ${s.gateStage} for this action to answer, but no test route to ` +
        `reach green by: no test listener rule this action can address (a host and/or header rule).`,
      `add a testListenerRule (e.g. a header rule 'X-Test: 1' or a test listener port) to the service's ` +
        `advancedConfiguration, or set '${Inputs.TestUrl}'.`
    )
  const needs = gateSeconds(limits)
  if (hook.timeoutMinutes !== undefined && hook.timeoutMinutes * 60 < needs)
    refuse(
      `The PAUSE hook at ${s.gateStage} times out after ${hook.timeoutMinutes} min, before the gate can ` +
        `answer it: '${Inputs.HealthTimeout}' ${formatDuration(limits.healthTimeoutSeconds)} + probe ` +
        `${formatDuration(GATE_PROBE_SECONDS)} + a poll ${formatDuration(limits.pollIntervalSeconds)}.`,
      `raise the hook's timeoutConfiguration.timeoutInMinutes to at least ${Math.ceil(needs / 60) + 1}.`
    )
}

/** The PAUSE hook at the stage we gate, if the service has one. */
export function gateHook(s: ShiftFacts): HookFacts | undefined {
  return s.hooks.find(h => h.targetType === 'PAUSE' && h.stages.includes(s.gateStage))
}

/**
 * Where the gate sends its requests: the test route before production traffic moves; after it, the
 * test route or production itself.
 */
export function gateUrl(s: ShiftFacts, url: string | undefined) {
  if (s.testRoute) return s.testRoute
  if (atOrAfter(s.gateStage as Stage, 'PRODUCTION_TRAFFIC_SHIFT') && url)
    return { url, headers: {}, via: 'the production URL' }
  return undefined
}

/** The most the gate takes: a smoke test to its timeout, the probe, and the poll that sees the hook. */
function gateSeconds(limits: ShiftLimits): number {
  return limits.healthTimeoutSeconds + GATE_PROBE_SECONDS + limits.pollIntervalSeconds
}

function timeoutText(hook: HookFacts): string {
  if (hook.timeoutMinutes === undefined) return 'it has no timeout'
  return `after ${hook.timeoutMinutes} min it does ${hook.timeoutAction ?? 'ROLLBACK'}`
}

/** The least time the deployment can take: the stages one after another. */
export function estimateShift(f: ServiceFacts, s: ShiftFacts): DurationEstimate {
  const tg = slowestCheck(f.targetGroups)
  const parts: Array<[number, string]> = [
    [TASK_START_SECONDS, `start ~${formatDuration(TASK_START_SECONDS)}`]
  ]
  if (tg) parts.push([firstCheckSeconds(tg), firstCheckTerm(tg)])
  if (gateHook(s)) parts.push([GATE_PROBE_SECONDS, `gate probe ${formatDuration(GATE_PROBE_SECONDS)}`])
  if (s.canary)
    parts.push([s.canary.bakeMinutes * 60, `canary ${s.canary.percent}% for ${s.canary.bakeMinutes} min`])
  if (s.linear) {
    const waits = Math.max(0, Math.ceil(100 / s.linear.stepPercent) - 1)
    parts.push([
      waits * s.linear.stepBakeMinutes * 60,
      `${waits} linear steps x ${s.linear.stepBakeMinutes} min`
    ])
  }
  parts.push([s.bakeTimeMinutes * 60, `bake ${s.bakeTimeMinutes} min`])
  const drain = Math.max(0, ...f.targetGroups.map(t => t.deregistrationDelaySeconds))
  if (drain > 0) parts.push([drain, `${formatDuration(drain)} deregistration delay`])
  return {
    seconds: parts.reduce((sum, [seconds]) => sum + seconds, 0),
    arithmetic: parts.map(([, text]) => text).join(' + ')
  }
}

/** The group whose first passing check comes last: green tasks are newly registered targets. */
function slowestCheck(groups: TargetGroupFacts[]): TargetGroupFacts | undefined {
  return [...groups].sort((a, b) => firstCheckSeconds(b) - firstCheckSeconds(a))[0]
}

/** The strategy's rows of the pre-flight table. */
export function shiftRows(s: ShiftFacts): string[] {
  const steps = s.canary
    ? `canary ${s.canary.percent}% for ${s.canary.bakeMinutes} min, then the rest`
    : s.linear
      ? `${s.linear.stepPercent}% steps every ${s.linear.stepBakeMinutes} min`
      : 'all production traffic at once'
  const rows = [
    `| Strategy | ECS ${s.strategy}: ${steps}; bake time ${s.bakeTimeMinutes} min |`,
    ...s.routes.map(routingRow),
    ...s.hooks.map(h => `| Hook | ${hookText(h)} |`)
  ]
  if (s.testRoute) rows.push(`| Test route | ${escapeMd(s.testRoute.url)} via ${escapeMd(s.testRoute.via)} |`)
  return rows
}

function routingRow(r: RouteFacts): string {
  const md = (arn: string | undefined) => escapeMd(arn ?? '(none)')
  const groups = `target groups ${md(r.targetGroupArn)} / ${md(r.alternateTargetGroupArn)}`
  return `| Routing | ${groups}; production rule ${md(r.productionRuleArn)}; test rule ${md(r.testRuleArn)} |`
}

export function hookText(h: HookFacts): string {
  const what = h.targetType === 'PAUSE' ? 'PAUSE' : `Lambda ${h.target ?? ''}`.trim()
  return `${what} at ${h.stages.join(', ')}${h.timeoutMinutes !== undefined ? `; ${timeoutText(h)}` : ''}`
}
