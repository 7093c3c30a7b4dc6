// Pre-flight reads: the target groups, the synthetic listener and its rules, the launch template
// version, the URLs and whether the runner reaches them. Reads only; the rules judge what they find.
import type { Listener } from '@aws-sdk/client-elastic-load-balancing-v2'
import { describeLaunchTemplateVersion } from '../../../aws/ec2.js'
import {
  describeListener,
  describeListeners,
  describeLoadBalancer,
  describeRules,
  describeTargetGroup,
  deregistrationDelaySeconds,
  listenerUrl,
  targetGroupAttributes
} from '../../../aws/elbv2.js'
import { describeLifecycleHooks } from '../../../aws/autoscaling.js'
import { forwardsTo } from '../../../aws/rules.js'
import { Inputs } from '../../../constants.js'
import { DeployError, errorMessage, hasErrorCode } from '../../../errors.js'
import { unreachableNotice, unreachableReason } from '../../../smoke.js'
import { headerRuleState, type HeaderRuleState } from '../header-rule.js'
import type { TemplatePlan } from '../launch.js'
import { toHookView, type GroupView, type HookView, type TargetGroupInfo } from '../model.js'
import type { Ctx, LaunchTarget, SyntheticSetup } from '../state.js'

/** A read that names a resource the inputs point at: not found is the input's fault, said so. */
function notFound(e: unknown, codes: string[], message: string, hint: string): never {
  if (hasErrorCode(e, ...codes)) throw new DeployError(`${message}: ${errorMessage(e)}.`, hint, { cause: e })
  throw e
}

export async function targetGroupInfo(ctx: Ctx, arn: string, input: string): Promise<TargetGroupInfo> {
  // ELB answers a well-formed ARN of no target group, or a malformed one, with an error.
  const tg = await describeTargetGroup(ctx.aws, arn).catch((e: unknown) =>
    notFound(
      e,
      ['TargetGroupNotFound', 'ValidationError'],
      `Target group ${arn} ('${input}') was not found`,
      `set '${input}' to the ARN of an existing target group ` +
        `(arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>) in the region the action runs in.`
    )
  )
  return {
    arn,
    name: tg.TargetGroupName ?? arn,
    intervalSeconds: tg.HealthCheckIntervalSeconds ?? 30,
    healthyThreshold: tg.HealthyThresholdCount ?? 5,
    deregistrationDelaySeconds: await deregistrationDelaySeconds(ctx.aws, arn),
    healthCheckPath: tg.HealthCheckPath ?? '/',
    loadBalancerArns: tg.LoadBalancerArns ?? [],
    targetType: tg.TargetType,
    slowStartSeconds: await slowStartSeconds(ctx, arn)
  }
}

// New targets get a linearly growing share of requests for this long once healthy; 0 turns it off.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#slow-start-mode
async function slowStartSeconds(ctx: Ctx, arn: string): Promise<number> {
  return Number((await targetGroupAttributes(ctx.aws, arn))['slow_start.duration_seconds'] || 0)
}

/** Both groups' lifecycle hooks, by group name. */
export async function readHooks(ctx: Ctx, groups: GroupView[]): Promise<Record<string, HookView[]>> {
  const hooks: Record<string, HookView[]> = {}
  for (const g of groups) hooks[g.name] = (await describeLifecycleHooks(ctx.aws, g.name)).map(toHookView)
  return hooks
}

export async function readListener(ctx: Ctx, listenerArn: string): Promise<Listener> {
  return describeListener(ctx.aws, listenerArn).catch((e: unknown) =>
    notFound(
      e,
      ['ListenerNotFound', 'ValidationError'],
      `Listener ${listenerArn} ('${Inputs.ListenerArn}') was not found`,
      `set '${Inputs.ListenerArn}' to the ARN of the ALB listener that gets the synthetic header rule ` +
        `(arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<alb>/<id>/<id>) in the region the action ` +
        `runs in.`
    )
  )
}

export async function readHeaderRule(
  ctx: Ctx,
  listenerArn: string,
  syntheticArn: string
): Promise<HeaderRuleState> {
  return headerRuleState(
    await describeRules(ctx.aws, listenerArn),
    ctx.settings.syntheticHeader,
    syntheticArn,
    ctx.settings.healthPath
  )
}

/** The synthetic target group behind the listener, with the listener's URL (the `url` input when set). */
export async function syntheticSetup(
  ctx: Ctx,
  info: TargetGroupInfo,
  listenerArn: string,
  listener: Listener
): Promise<SyntheticSetup> {
  const { url } = ctx.settings
  const lb = await describeLoadBalancer(ctx.aws, listener.LoadBalancerArn ?? '')
  return { ...info, listenerArn, url: url ?? listenerUrl(lb, listener), reachable: url !== undefined }
}

/** The version the new fleet starts from, as EC2 resolves it now; undefined when it does not exist. */
export async function resolveLaunch(
  ctx: Ctx,
  plan: TemplatePlan,
  wanted: string
): Promise<LaunchTarget | undefined> {
  const found = await describeLaunchTemplateVersion(ctx.aws, plan.template, wanted)
  if (!found?.LaunchTemplateId) return undefined
  const number = String(found.VersionNumber ?? wanted)
  if (plan.kind === 'new-ami')
    return {
      templateId: found.LaunchTemplateId,
      sourceVersion: number,
      sourceImageId: found.LaunchTemplateData?.ImageId
    }
  // Pinned: a group left on $Latest would launch whatever version a later deploy creates.
  if (number !== wanted)
    ctx.log.info(`Launch template version ${wanted} is version ${number} now: pinned to it`)
  return { templateId: found.LaunchTemplateId, version: number }
}

/** The version a plan asks EC2 for: the one given, or the template's own ($Default when unset). */
export function wantedVersion(plan: TemplatePlan): string {
  return plan.kind === 'version' ? plan.version : (plan.template.version ?? '$Default')
}

/**
 * The URL production traffic arrives at: the listener of the target group's load balancer that
 * forwards to it. Undefined when no load balancer uses the target group (no smoke test, no probe).
 */
export async function productionUrl(ctx: Ctx, main: TargetGroupInfo): Promise<string | undefined> {
  const lbArn = main.loadBalancerArns[0]
  if (!lbArn) {
    ctx.log.info(
      `Notice: no '${Inputs.Url}' input and ${main.name} is not used by any load balancer: the smoke tests and ` +
        `the traffic probe are skipped; the target group's health checks still gate every step.`
    )
    return undefined
  }
  const lb = await describeLoadBalancer(ctx.aws, lbArn)
  const listeners = await describeListeners(ctx.aws, lbArn)
  const forwards = (l: Listener) => forwardsTo(l.DefaultActions, main.arn)
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

/** The production URL, and the same when the runner can reach it (the probe's and the smoke tests'). */
export async function productionUrls(
  ctx: Ctx,
  main: TargetGroupInfo
): Promise<{ url: string | undefined; reachableUrl: string | undefined }> {
  const given = ctx.settings.url
  if (given) return { url: given, reachableUrl: given }
  const url = await productionUrl(ctx, main)
  if (!url) return { url, reachableUrl: undefined }
  ctx.log.info(`URL: ${url} (derived from the load balancer of ${main.name})`)
  const reason = await unreachableReason(ctx.http, url)
  if (reason === undefined) return { url, reachableUrl: url }
  ctx.log.warning(unreachableNotice(url, reason, Inputs.Url))
  return { url, reachableUrl: undefined }
}

/** Whether the runner reaches the synthetic listener; asked only when it is another address than production's. */
export async function checkSyntheticReach(
  ctx: Ctx,
  synthetic: SyntheticSetup,
  urls: { url: string | undefined; reachableUrl: string | undefined }
): Promise<void> {
  if (ctx.settings.url) return
  if (synthetic.url === urls.url) {
    synthetic.reachable = urls.reachableUrl !== undefined
    return
  }
  const reason = await unreachableReason(ctx.http, synthetic.url)
  synthetic.reachable = reason === undefined
  if (reason !== undefined) ctx.log.warning(unreachableNotice(synthetic.url, reason, Inputs.Url))
}
