// Pure planning: the size of the new fleet, what it launches from, the synthetic header rule, and
// how long the deploy takes at least.
import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import { forwardTargets, matchesHeader } from '../../aws/rules.js'
import { formatDuration } from '../../clock.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import { describeTemplate, type Capacity, type GroupView, type TemplateSpec } from './model.js'

/** The new fleet matches today's: the active group's min, max and desired capacity. */
export function capacityFor(active: GroupView): Capacity {
  return { minSize: active.minSize, maxSize: active.maxSize, desired: active.desired }
}

export type TemplatePlan =
  /** A new version of the standby's template with a new image, copied from the serving version when the groups share the template. */
  | { kind: 'new-ami'; template: TemplateSpec; imageId: string }
  /** An existing version of the standby's template. */
  | { kind: 'version'; template: TemplateSpec; version: string }
  /** A redeploy: the active group's template and version as they are. */
  | { kind: 'same-as-active'; template: TemplateSpec }

export type Problem = { message: string; hint: string }

export function templatePlan(
  settings: Pick<AsgBlueGreenSettings, 'amiId' | 'launchTemplateVersion'>,
  active: GroupView,
  standby: GroupView
): TemplatePlan | Problem {
  const needsLaunchTemplate = (g: GroupView): Problem => ({
    message: `${g.name} launches from ${g.otherLaunchSource}, not a launch template.`,
    hint: `asg-blue-green changes the launch template version of the standby group: give both groups a launch template (LaunchTemplate with a version, not a launch configuration or a mixed instances policy).`
  })
  if (settings.amiId) {
    if (!standby.launchTemplate) return needsLaunchTemplate(standby)
    // A shared template: copy the version that serves now, not the standby's, which is from the
    // deploy before last and would undo whatever the last deploy changed (user data, type, ...).
    const base =
      active.launchTemplate && sameTemplate(active.launchTemplate, standby.launchTemplate)
        ? active.launchTemplate
        : standby.launchTemplate
    return { kind: 'new-ami', template: base, imageId: settings.amiId }
  }
  if (settings.launchTemplateVersion) {
    if (!standby.launchTemplate) return needsLaunchTemplate(standby)
    return { kind: 'version', template: standby.launchTemplate, version: settings.launchTemplateVersion }
  }
  if (!active.launchTemplate) return needsLaunchTemplate(active)
  return { kind: 'same-as-active', template: active.launchTemplate }
}

function sameTemplate(a: TemplateSpec, b: TemplateSpec): boolean {
  return a.id !== undefined && b.id !== undefined ? a.id === b.id : a.name !== undefined && a.name === b.name
}

// Processes the deploy needs: the standby group launches, registers its instances when attached and
// terminates on scale-in; the active group re-registers on a rollback and terminates at the end.
const NEEDED_PROCESSES: Record<'active' | 'standby', string[]> = {
  standby: ['Launch', 'Terminate', 'AddToLoadBalancer'],
  active: ['Terminate', 'AddToLoadBalancer']
}

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
    message: `Suspended Auto Scaling processes would stall the deploy: ${found.map(x => `${x.g.name} has ${x.procs.join(', ')} suspended`).join('; ')}.`,
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
        `aws autoscaling set-instance-protection --auto-scaling-group-name ${g.name} --no-protected-from-scale-in --instance-ids ${ids.join(' ')}`
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
    message: `Scale-in protection would keep instances running when asg-blue-green scales a group to zero: ${issues.join('; ')}.`,
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
    message: `${standby.name} has a warm pool: its pre-initialized instances keep the launch template version they were launched from, so the new fleet would come up (partly) on an older version.`,
    hint: `delete the warm pool of both groups (aws autoscaling delete-warm-pool --auto-scaling-group-name ${standby.name} --force-delete); asg-blue-green brings up a whole fleet per deploy and does not use one.`
  }
}

export function describeTemplatePlan(plan: TemplatePlan): string {
  switch (plan.kind) {
    case 'new-ami':
      return `a new version of ${describeTemplate(plan.template)} with image ${plan.imageId} (nothing else changes)`
    case 'version':
      return `${describeTemplate({ ...plan.template, version: plan.version })}`
    case 'same-as-active':
      return `${describeTemplate(plan.template)} (the active group's, a redeploy: neither 'ami-id' nor 'launch-template-version' is set)`
  }
}

// ALB's limits on an http-header rule condition (HttpHeaderConditionConfig): CreateRule refuses
// more, and a Host condition must be a host-header one. Checked before anything changes.
const HEADER_NAME_MAX = 40
const HEADER_VALUE_MAX = 128

/** Why ALB would refuse (or misread) a header rule for `header`; undefined when it is fine. */
export function headerRuleProblem(header: { name: string; value: string }): Problem | undefined {
  const fix = `set 'synthetic-header' to a custom header such as 'X-Synthetic: true'.`
  if (header.name.toLowerCase() === 'host')
    return {
      message: `'synthetic-header' uses the Host header: an ALB http-header rule cannot match Host (only a host-header rule can).`,
      hint: fix
    }
  if (header.name.length > HEADER_NAME_MAX)
    return {
      message: `'synthetic-header' name '${header.name}' is ${header.name.length} characters long: an ALB header rule takes at most ${HEADER_NAME_MAX}.`,
      hint: fix
    }
  if (header.value.length > HEADER_VALUE_MAX)
    return {
      message: `'synthetic-header' value is ${header.value.length} characters long: an ALB header rule takes at most ${HEADER_VALUE_MAX}.`,
      hint: fix
    }
  return undefined
}

/** ALB reads `*` and `?` in a header rule's value as wildcards: the rule matches more than this value. */
export function headerValueHasWildcards(header: { value: string }): boolean {
  return /[*?]/.test(header.value)
}

export type HeaderRuleState =
  | { kind: 'present'; rule: Rule }
  | { kind: 'missing'; priority: number; rulesBefore: number }
  | { kind: 'conflict'; rule: Rule; forwardsTo: string[] }

/** Whether the listener already routes the synthetic header to the synthetic target group. */
export function headerRuleState(
  rules: Rule[],
  header: { name: string; value: string },
  syntheticTargetGroupArn: string
): HeaderRuleState {
  const rule = rules.find(r => !r.IsDefault && matchesHeader(r, header))
  if (rule) {
    const forwardsTo = forwardTargets(rule.Actions)
    return forwardsTo.length === 1 && forwardsTo[0] === syntheticTargetGroupArn
      ? { kind: 'present', rule }
      : { kind: 'conflict', rule, forwardsTo }
  }
  const priority = lowestFreePriority(rules)
  const rulesBefore = rules.filter(r => !r.IsDefault && Number(r.Priority) < priority).length
  return { kind: 'missing', priority, rulesBefore }
}

/** The smallest rule priority (1..50000) no rule uses: the header rule is evaluated as early as it can be. */
export function lowestFreePriority(rules: Rule[]): number {
  const used = new Set(rules.filter(r => !r.IsDefault).map(r => Number(r.Priority)))
  for (let p = 1; p <= 50_000; p++) if (!used.has(p)) return p
  return 50_000
}

export interface EstimateInput {
  /** Assumed time for an instance to boot and turn InService. */
  bootSeconds: number
  main: { intervalSeconds: number; healthyThreshold: number }
  synthetic?: { intervalSeconds: number; healthyThreshold: number }
  validationWindowSeconds: number
  deregistrationDelaySeconds: number
}

/** The least time the deploy can take with these settings, and the sum that gives it. */
export function estimateMinimum(i: EstimateInput): { seconds: number; arithmetic: string } {
  const terms: Array<[number, string]> = [[i.bootSeconds, 'boot (assumed)']]
  if (i.synthetic) {
    terms.push([
      i.synthetic.intervalSeconds * i.synthetic.healthyThreshold,
      `healthy in the synthetic target group (${i.synthetic.intervalSeconds}s x ${i.synthetic.healthyThreshold})`
    ])
  }
  terms.push([
    i.main.intervalSeconds * i.main.healthyThreshold,
    `healthy in the main target group (${i.main.intervalSeconds}s x ${i.main.healthyThreshold})`
  ])
  terms.push([i.validationWindowSeconds, 'validation window'])
  // The old fleet drains while the window runs; only what is left of the delay adds up.
  terms.push([
    Math.max(0, i.deregistrationDelaySeconds - i.validationWindowSeconds),
    `drain left after the window (deregistration delay ${i.deregistrationDelaySeconds}s)`
  ])
  const seconds = terms.reduce((sum, [s]) => sum + s, 0)
  return {
    seconds,
    arithmetic: `${terms.map(([s, what]) => `${formatDuration(s)} ${what}`).join(' + ')} = ${formatDuration(seconds)}`
  }
}
