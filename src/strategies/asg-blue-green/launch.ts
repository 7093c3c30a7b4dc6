// What the new fleet is: today's size, and the launch template version it starts from.
import type { AsgBlueGreenSettings } from '../../inputs.js'
import type { Problem } from '../../preflight.js'
import { lostMinSize } from './min-size.js'
import { describeTemplate, type Capacity, type GroupView, type TemplateSpec } from './model.js'

/**
 * The new fleet matches today's: the active group's min, max and desired capacity, with the MinSize
 * it had before a killed run lowered it for Standby.
 */
export function capacityFor(active: GroupView): Capacity {
  return { minSize: lostMinSize(active) ?? active.minSize, maxSize: active.maxSize, desired: active.desired }
}

export type TemplatePlan =
  /**
   * A new version of the standby's template with a new image, copied from the serving version when
   * the groups share the template.
   */
  | { kind: 'new-ami'; template: TemplateSpec; imageId: string }
  /** An existing version of the standby's template. */
  | { kind: 'version'; template: TemplateSpec; version: string }
  /** A redeploy: the active group's template and version as they are. */
  | { kind: 'same-as-active'; template: TemplateSpec }

export function templatePlan(
  settings: Pick<AsgBlueGreenSettings, 'amiId' | 'launchTemplateVersion'>,
  active: GroupView,
  standby: GroupView
): TemplatePlan | Problem {
  const needsLaunchTemplate = (g: GroupView): Problem => ({
    message: `${g.name} launches from ${g.otherLaunchSource}, not a launch template.`,
    hint:
      `asg-blue-green changes the launch template version of the standby group: give both groups a launch ` +
      `template (LaunchTemplate with a version, not a launch configuration or a mixed instances policy).`
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

export function describeTemplatePlan(plan: TemplatePlan): string {
  switch (plan.kind) {
    case 'new-ami':
      return `a new version of ${describeTemplate(plan.template)} with image ${plan.imageId} (nothing else changes)`
    case 'version':
      return `${describeTemplate({ ...plan.template, version: plan.version })}`
    case 'same-as-active':
      return (
        `${describeTemplate(plan.template)} (the active group's, a redeploy: neither 'ami-id' nor ` +
        `'launch-template-version' is set)`
      )
  }
}

/**
 * The serving group's template when it would launch the version this plan creates: the same
 * template on $Latest, which Auto Scaling resolves at each launch (LaunchTemplateSpecification,
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplateSpecification.html).
 */
export function servingOnLatest(plan: TemplatePlan, active: GroupView): TemplateSpec | undefined {
  const lt = active.launchTemplate
  if (plan.kind !== 'new-ami' || !lt || lt.version !== '$Latest') return undefined
  return sameTemplate(lt, plan.template) ? lt : undefined
}

/** A mixed instances policy on the same template at $Latest would pick up the new version: not pinned here. */
export function mixedPolicyProblem(plan: TemplatePlan, active: GroupView): Problem | undefined {
  const lt = active.mixedTemplate
  if (plan.kind !== 'new-ami' || !lt || (lt.version ?? '$Default') !== '$Latest') return undefined
  if (!sameTemplate(lt, plan.template)) return undefined
  return {
    message:
      `${active.name} serves through a mixed instances policy on ${describeTemplate(lt)}: the version ` +
      `this deploy creates in that template would reach the serving group before the cutover.`,
    hint:
      `pin the policy's launch template to a version number (update-auto-scaling-group --mixed-instances-policy ` +
      `with LaunchTemplateSpecification.Version set), or give the standby group a launch template of its own.`
  }
}
