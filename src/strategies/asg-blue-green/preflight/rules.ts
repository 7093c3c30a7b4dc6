// Pure pre-flight rules: from what the reads found to findings (refuse, warn, advise). Each rule
// says what is wrong and the command or setting that fixes it; nothing here calls AWS.
import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import { ruleLabel } from '../../../aws/rules.js'
import { Inputs } from '../../../constants.js'
import type { AsgBlueGreenSettings } from '../../../inputs.js'
import { refusal, warning, type Finding, type Problem } from '../../../preflight.js'
import { headerRuleProblem, headerValueHasWildcards, type HeaderRuleState } from '../header-rule.js'
import type { TemplatePlan } from '../launch.js'
import {
  describeHook,
  describeTemplate,
  type GroupView,
  type HookView,
  type TargetGroupInfo,
  type TemplateSpec
} from '../model.js'
import { BOOT_SECONDS, longestHook } from './estimate.js'
import type { Roles } from '../roles.js'

type Settings = AsgBlueGreenSettings

/** Auto Scaling groups register instances only in target groups of target type `instance`. */
export function targetTypeFindings(tg: TargetGroupInfo, input: string): Finding[] {
  if (!tg.targetType || tg.targetType === 'instance') return []
  return [
    refusal({
      message:
        `Target group ${tg.name} ('${input}') registers targets by ${tg.targetType}, not by instance: Auto ` +
        `Scaling groups can only be attached to instance target groups.`,
      hint: `use a target group of target type 'instance'.`
    })
  ]
}

/** The synthetic inputs alone: a target group apart from production's, a header ALB can match. */
export function syntheticInputFindings(s: Settings): Finding[] {
  if (s.syntheticTargetGroupArn === s.targetGroupArn) {
    return [
      refusal({
        message:
          `'${Inputs.SyntheticTargetGroup}' and '${Inputs.TargetGroup}' are the same target group: the new ` +
          `fleet would get production traffic before it is checked.`,
        hint:
          `create a separate target group for synthetic checks (same port and health check), reached only by ` +
          `the '${s.syntheticHeader.name}' header rule.`
      })
    ]
  }
  const problem = headerRuleProblem(s.syntheticHeader)
  if (problem) return [refusal(problem)]
  if (!headerValueHasWildcards(s.syntheticHeader)) return []
  return [
    warning(
      `'${Inputs.SyntheticHeader}' value '${s.syntheticHeader.value}' contains * or ?, which the ALB rule reads ` +
        `as wildcards: requests with other values of ${s.syntheticHeader.name} reach the synthetic target group too.`
    )
  ]
}

/** A rule for the synthetic header that forwards elsewhere would send the checks to the wrong fleet. */
export function headerRuleFindings(s: Settings, state: HeaderRuleState, syntheticArn: string): Finding[] {
  if (state.kind === 'answered-first') return [refusal(headerRuleAnsweredFirst(s, state.rule))]
  if (state.kind !== 'conflict') return []
  const { name, value } = s.syntheticHeader
  const targets = state.forwardsTo.join(', ') || 'no target group'
  return [
    refusal({
      message:
        `The listener already has a rule for '${name}: ${value}' (priority ${state.rule.Priority}), but it ` +
        `forwards to ${targets}, not to the synthetic target group.`,
      hint:
        `point that rule at ${syntheticArn}, delete it (the deploy then creates one), or set ` +
        `'synthetic-header' to another header.`
    })
  ]
}

/** A lower-numbered rule would take the synthetic checks to another fleet before the header rule. */
export function headerRuleAnsweredFirst(s: Settings, rule: Rule): Problem {
  const { name, value } = s.syntheticHeader
  return {
    message:
      `Rule ${ruleLabel(rule)} can match the synthetic checks (${s.healthPath} with '${name}: ${value}') and ` +
      `answers before the synthetic header rule could: the checks would reach that rule's targets, not the ` +
      'new fleet.',
    hint:
      `narrow that rule's conditions so they cannot match ${s.healthPath} with '${name}: ${value}', or free a ` +
      `priority below ${rule.Priority} for the header rule.`
  }
}

function noFleetProblem(blue: GroupView, green: GroupView, active: GroupView): Problem {
  return {
    message:
      `Neither ${blue.name} nor ${green.name} has a fleet to copy the size of the new one from (both have ` +
      `desired capacity 0), and neither serves traffic.`,
    hint:
      `set the min/max/desired capacity of ${active.name} to the fleet you want (e.g. aws autoscaling ` +
      `update-auto-scaling-group --auto-scaling-group-name ${active.name} --min-size 1 --max-size 4 ` +
      `--desired-capacity 2), or attach the group that should serve to the target group, then deploy again.`
  }
}

function statusProblem(active: GroupView, standby: GroupView): Problem | undefined {
  const g = standby.status ? standby : active.status ? active : undefined
  if (!g) return undefined
  return {
    message: `${g.name} is '${g.status}'.`,
    hint: `wait until the group is usable again, then deploy.`
  }
}

/**
 * Instances registered in the main target group one by one while their group is not attached:
 * Auto Scaling deregisters an instance only from the target groups attached to its group, so a
 * scale-in would terminate them under traffic.
 */
function perInstanceProblem(roles: Roles, mainArn: string): Problem | undefined {
  const { active, servingIds } = roles
  if (servingIds.length === 0 || active.targetGroupArns.includes(mainArn)) return undefined
  return {
    message:
      `${active.name}'s instances ${servingIds.join(', ')} serve in the target group, registered one by one, ` +
      `but the group is not attached to it: Auto Scaling would terminate them without deregistering them first.`,
    hint:
      `attach the group to the target group (aws autoscaling attach-load-balancer-target-groups ` +
      `--auto-scaling-group-name ${active.name} --target-group-arns ${mainArn}), then deploy again.`
  }
}

/** The groups as they are: a fleet to copy, usable, nothing that would stall them. */
export function groupFindings(roles: Roles, blue: GroupView, green: GroupView, mainArn: string): Finding[] {
  const { active, standby } = roles
  const problems = [
    active.desired === 0 ? noFleetProblem(blue, green, active) : undefined,
    statusProblem(active, standby),
    perInstanceProblem(roles, mainArn),
    suspendedProcessesProblem(active, standby),
    scaleInProtectionProblem(active, standby),
    warmPoolProblem(standby)
  ]
  return problems.flatMap(p => (p ? [refusal(p)] : []))
}

/** The launch template version the new fleet would start from must exist. */
export function launchFindings(plan: TemplatePlan, wanted: string, found: boolean): Finding[] {
  if (found) return []
  const template: TemplateSpec = { ...plan.template, version: wanted }
  return [
    refusal({
      message: `Launch template ${describeTemplate(template)} was not found.`,
      hint:
        plan.kind === 'version'
          ? `check 'launch-template-version' (a version number, $Latest or $Default of the standby group's launch template).`
          : `check the launch template of the group: it may have been deleted.`
    })
  ]
}

// Processes the deploy needs: the standby group launches, registers its instances when attached and
// terminates on scale-in; the active group re-registers on a rollback and terminates at the end.
const NEEDED_PROCESSES: Record<'active' | 'standby', string[]> = {
  standby: ['Launch', 'Terminate', 'AddToLoadBalancer'],
  active: ['Terminate', 'AddToLoadBalancer']
}

const suspendedLine = (x: { g: GroupView; procs: string[] }) =>
  `${x.g.name} has ${x.procs.join(', ')} suspended`

/** Suspended processes that would stall the deploy (a fleet that never launches, registers or retires). */
export function suspendedProcessesProblem(active: GroupView, standby: GroupView): Problem | undefined {
  const blocking = (g: GroupView, role: 'active' | 'standby') =>
    (g.suspendedProcesses ?? []).filter(p => NEEDED_PROCESSES[role].includes(p))
  const found = [
    { g: standby, procs: blocking(standby, 'standby') },
    { g: active, procs: blocking(active, 'active') }
  ].filter(x => x.procs.length > 0)
  if (found.length === 0) return undefined
  return {
    message: `Suspended Auto Scaling processes would stall the deploy: ${found.map(suspendedLine).join('; ')}.`,
    hint: found
      .map(
        x =>
          `aws autoscaling resume-processes --auto-scaling-group-name ${x.g.name} --scaling-processes ${x.procs.join(' ')}`
      )
      .join('; then ')
  }
}

/**
 * Scale-in protection keeps instances running when the desired capacity drops: the standby group
 * could not be emptied, the old fleet never retires, and with NewInstancesProtectedFromScaleIn the
 * fleet this deploy launches could not be retired by the next one.
 */
export function scaleInProtectionProblem(active: GroupView, standby: GroupView): Problem | undefined {
  const issues: string[] = []
  const hints: string[] = []
  for (const g of [standby, active]) {
    const ids = g.instances.filter(i => i.protectedFromScaleIn).map(i => i.id)
    if (ids.length > 0) {
      issues.push(`${g.name}'s instances ${ids.join(', ')} are protected from scale-in`)
      hints.push(
        `aws autoscaling set-instance-protection --auto-scaling-group-name ${g.name} --no-protected-from-scale-in ` +
          `--instance-ids ${ids.join(' ')}`
      )
    }
    if (g.newInstancesProtected) {
      issues.push(`${g.name} protects new instances from scale-in`)
      hints.push(
        `aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${g.name} --no-new-instances-protected-from-scale-in`
      )
    }
  }
  if (issues.length === 0) return undefined
  return {
    message:
      `Scale-in protection would keep instances running when asg-blue-green scales a group to zero: ` +
      `${issues.join('; ')}.`,
    hint: hints.join('; then ')
  }
}

/**
 * A warm pool's instances were launched from the template version of their day, and a change of
 * version does not replace them (only an instance refresh does): the new fleet would scale out with
 * instances of an older version.
 */
export function warmPoolProblem(standby: GroupView): Problem | undefined {
  if (!standby.hasWarmPool) return undefined
  return {
    message:
      `${standby.name} has a warm pool: its pre-initialized instances keep the launch template version ` +
      `they were launched from, so the new fleet would come up (partly) on an older version.`,
    hint:
      `delete the warm pool of both groups (aws autoscaling delete-warm-pool --auto-scaling-group-name ` +
      `${standby.name} --force-delete); asg-blue-green brings up a whole fleet per deploy and does not use one.`
  }
}

function hookArithmetic(waitTimeoutSeconds: number, terms: Array<[number, string]>): string {
  const total = terms.reduce((sum, [n]) => sum + n, 0)
  const sum = terms.map(([n, what]) => `${n}s ${what}`).join(' + ')
  return `'${Inputs.WaitTimeout}' is ${waitTimeoutSeconds}s, shorter than ${sum} = ${total}s`
}

function hookHint(group: string, hook: HookView, neededSeconds: number): string {
  return (
    `raise '${Inputs.WaitTimeout}' to at least ${neededSeconds}, or complete the lifecycle action sooner and ` +
    `lower the hook's heartbeat timeout (aws autoscaling put-lifecycle-hook --auto-scaling-group-name ${group} ` +
    `--lifecycle-hook-name ${hook.name} --heartbeat-timeout <seconds>).`
  )
}

/**
 * Lifecycle hooks lengthen the waits that fail on 'wait-timeout': the new fleet's launch (Pending:Wait
 * on the standby group) and the emptying of a standby group that still has instances (Terminating:Wait).
 * How lifecycle hooks pause instances: https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
 */
export function hookFindings(s: Settings, standby: GroupView, hooks: HookView[]): Finding[] {
  const findings: Finding[] = []
  const launch = longestHook(hooks.filter(h => h.transition === 'launch'))
  if (launch) {
    const terms: Array<[number, string]> = [
      [BOOT_SECONDS, 'boot (assumed)'],
      [launch.heartbeatTimeoutSeconds, `Pending:Wait on ${describeHook(launch)}`]
    ]
    const needed = BOOT_SECONDS + launch.heartbeatTimeoutSeconds
    if (s.waitTimeoutSeconds < needed)
      findings.push(
        refusal({
          message: `The new fleet on ${standby.name} may need longer than '${Inputs.WaitTimeout}' allows: ${hookArithmetic(s.waitTimeoutSeconds, terms)}.`,
          hint: hookHint(standby.name, launch, needed)
        })
      )
    if (launch.defaultResult === 'ABANDON')
      findings.push(
        warning(
          `${standby.name}'s ${describeHook(launch)}: a launch nobody completes within the heartbeat timeout is abandoned and the instance terminated, so the new fleet would not come up.`
        )
      )
  }
  const terminate = longestHook(hooks.filter(h => h.transition === 'terminate'))
  if (terminate && standby.instances.length > 0 && s.waitTimeoutSeconds < terminate.heartbeatTimeoutSeconds) {
    const terms: Array<[number, string]> = [
      [terminate.heartbeatTimeoutSeconds, `Terminating:Wait on ${describeHook(terminate)}`]
    ]
    findings.push(
      refusal({
        message: `Emptying ${standby.name} (${standby.instances.length} instance(s) left) may need longer than '${Inputs.WaitTimeout}' allows: ${hookArithmetic(s.waitTimeoutSeconds, terms)}.`,
        hint: hookHint(standby.name, terminate, terminate.heartbeatTimeoutSeconds)
      })
    )
  }
  return findings
}
