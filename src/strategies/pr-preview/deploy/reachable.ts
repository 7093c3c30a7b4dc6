// Whether the preview's route can serve, decided before any change. Host mode: a rule with a lower
// priority number that can match the preview's host answers its requests first (a `*.preview.example.com`
// host rule, a `/*` path rule), so the preview's rule goes ahead of it, or the deploy is refused naming it.
// Port mode: a listener port no inbound rule of the load balancer's security groups covers is never
// reached, so only admitted ports are used, or the deploy is refused naming the group and the rule to add.
import type { Rule, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { SecurityGroup } from '@aws-sdk/client-ec2'
import { describeRules } from '../../../aws/elbv2.js'
import { answersFirst, hostCondition, placeRule, ruleLabel } from '../../../aws/rules.js'
import { describeSecurityGroups, groupLabel, groupsAdmit } from '../../../aws/security-groups.js'
import { Inputs } from '../../../constants.js'
import { DeployError } from '../../../errors.js'
import { PRIORITY_FLOOR, nextFreePriority } from '../naming.js'
import type { PreviewRun } from './run.js'

/** The step before any change: the host rule has a place, or the listener port can be reached. */
export async function checkReachable(run: PreviewRun): Promise<void> {
  if (run.names.host) await hostRulePriority(run, run.names.host, new Set())
  else await admittedPorts(run)
}

/** The preview's own rules (this PR's, found by tags) never count as answering first. */
function isPreviewRule(run: PreviewRun): (rule: Rule) => boolean {
  const own = new Set(run.existing.rules.map(r => r.RuleArn))
  return rule => own.has(rule.RuleArn)
}

/**
 * The priority for the preview's host rule: its usual one (1000 + PR, or the next free) unless a rule with
 * a lower number can match the host; then the highest free priority just ahead of that rule.
 */
export async function hostRulePriority(run: PreviewRun, host: string, tried: Set<number>): Promise<number> {
  const listenerArn = run.alb.listener.ListenerArn ?? ''
  const rules = await describeRules(run.ctx.aws, listenerArn)
  const used = new Set([...rules.map(r => Number(r.Priority)).filter(Number.isFinite), ...tried])
  const preferred = nextFreePriority(run.pr, used)
  if (preferred === undefined)
    throw new DeployError(
      `Listener ${listenerArn} has no free rule priority left.`,
      'remove unused rules from the listener.'
    )
  const conditions = [hostCondition(host)]
  const placed = placeRule(rules, conditions, preferred, { ignore: isPreviewRule(run), taken: tried })
  if ('refused' in placed) throw answeredFirst(host, placed.refused)
  if (placed.ahead.length > 0)
    run.ctx.log.change(
      `preview-rule-ahead:${run.pr}`,
      `Rule ${ruleLabel(placed.ahead[0])} can match ${host} and would answer first: the preview's rule ` +
        `goes ahead of it, at priority ${placed.priority}.`
    )
  return placed.priority
}

/** Rules with a lower number than the preview's existing rule that take its requests first. */
export async function rulesAheadOf(run: PreviewRun, mine: Rule): Promise<Rule[]> {
  const rules = await describeRules(run.ctx.aws, run.alb.listener.ListenerArn ?? '')
  return answersFirst(rules, mine.Conditions as RuleCondition[], Number(mine.Priority), isPreviewRule(run))
}

function answeredFirst(host: string, rule: Rule): DeployError {
  return new DeployError(
    `Rule ${ruleLabel(rule)} on the shared listener can match ${host} and answers before any rule the ` +
      `preview could add: no priority below ${rule.Priority} is free. Its requests would reach that rule's ` +
      `targets, not the preview.`,
    `narrow that rule's conditions so they cannot match ${host} (name its hosts instead of a wildcard, or add ` +
      `a host-header condition to a path rule), renumber it above the previews' rules (${PRIORITY_FLOOR} + PR ` +
      `number), or free a priority below ${rule.Priority}.`
  )
}

/** The security groups of the load balancer; undefined when it has none to judge by. */
async function loadBalancerGroups(run: PreviewRun): Promise<SecurityGroup[] | undefined> {
  const ids = run.alb.loadBalancer.SecurityGroups ?? []
  if (ids.length === 0) return undefined
  return describeSecurityGroups(run.ctx.aws, ids)
}

/** Which ports of `preview-ports` the load balancer's security groups admit; refused when none is. */
export async function admittedPorts(run: PreviewRun): Promise<(port: number) => boolean> {
  const groups = await loadBalancerGroups(run)
  if (groups === undefined) return () => true
  const { from, to } = run.ctx.settings.previewPorts
  const admitted = (port: number) => groupsAdmit(groups, port)
  const ports = Array.from({ length: to - from + 1 }, (_, i) => from + i)
  if (!ports.some(admitted)) throw portsNotAdmitted(run, groups)
  const closed = ports.filter(p => !admitted(p))
  if (closed.length > 0)
    run.ctx.log.change(
      `preview-ports-closed:${run.pr}`,
      `${closed.length} port(s) of '${Inputs.PreviewPorts}' (${closed[0]} first) are not admitted by the load ` +
        `balancer's security groups: previews use only the admitted ones.`
    )
  return admitted
}

function portsNotAdmitted(run: PreviewRun, groups: SecurityGroup[]): DeployError {
  const { from, to } = run.ctx.settings.previewPorts
  const lb = run.alb.loadBalancer.LoadBalancerName
  return new DeployError(
    `No port of '${Inputs.PreviewPorts}' (${from}-${to}) is admitted by the security groups of ${lb} ` +
      `(${groups.map(groupLabel).join(', ')}): a preview listener there could never be reached.`,
    `add an inbound rule to security group ${groupLabel(groups[0])}: TCP ports ${from}-${to} from the addresses ` +
      `that open previews (your reviewers' and the runner's, or 0.0.0.0/0 for a public load balancer), or set ` +
      `'${Inputs.PreviewPorts}' to ports it admits.`
  )
}
