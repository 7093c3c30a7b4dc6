// Synthetic checks: the new fleet answers through the real load balancer, reached only by requests
// that carry the synthetic header, before any production request reaches it.
import { attachTargetGroups } from '../../../aws/autoscaling.js'
import { createForwardRule, describeRules } from '../../../aws/elbv2.js'
import { headerCondition } from '../../../aws/rules.js'
import { managedTags } from '../../../aws/tags.js'
import { DeployError, hasErrorCode } from '../../../errors.js'
import { smokeTest } from '../../../smoke.js'
import type { AsgRun, SyntheticSetup } from '../state.js'
import { headerRuleState } from '../header-rule.js'
import { headerRuleAnsweredFirst } from '../preflight/rules.js'
import { plannedOnly, waitForHealthy } from '../waits.js'

const RULE_ATTEMPTS = 5

export async function syntheticChecks(run: AsgRun): Promise<void> {
  const { ctx, standby, synthetic } = run
  if (!synthetic) return
  const { settings: s, log } = ctx
  log.info(`Attaching ${standby.name} to the synthetic target group ${synthetic.name}`)
  await attachTargetGroups(ctx.aws, standby.name, [synthetic.arn])
  run.did.attachedToSynthetic = true
  await ensureHeaderRule(run, synthetic)
  await waitForHealthy(
    run,
    synthetic,
    run.did.newIds,
    `until the new instances are healthy in ${synthetic.name}`
  )

  const url = `${synthetic.url}${s.healthPath}`
  const headers = { [s.syntheticHeader.name]: s.syntheticHeader.value }
  if (!synthetic.reachable) {
    log.info(
      `Synthetic smoke test skipped: ${synthetic.url} cannot be reached from the runner (said in pre-flight)`
    )
    return
  }
  if (
    plannedOnly(ctx, `would smoke-test GET ${url} with ${s.syntheticHeader.name}: ${s.syntheticHeader.value}`)
  )
    return
  await smokeTest(ctx, { url, headers, accept: s.healthStatus, timeoutSeconds: s.healthTimeoutSeconds })
}

/** The listener rule routing the header to the synthetic target group: found, or created at a free priority. */
async function ensureHeaderRule(run: AsgRun, synthetic: SyntheticSetup): Promise<void> {
  const { ctx } = run
  const header = ctx.settings.syntheticHeader
  const tags = managedTags(ctx.event.repository)
  for (let attempt = 1; ; attempt++) {
    const rules = await describeRules(ctx.aws, synthetic.listenerArn)
    const state = headerRuleState(rules, header, synthetic.arn, ctx.settings.healthPath)
    if (state.kind === 'present') {
      ctx.log.info(
        `Header rule '${header.name}: ${header.value}' -> ${synthetic.name} is in place (priority ${state.rule.Priority})`
      )
      return
    }
    if (state.kind === 'answered-first') {
      const problem = headerRuleAnsweredFirst(ctx.settings, state.rule)
      throw new DeployError(problem.message, problem.hint)
    }
    if (state.kind === 'conflict') {
      throw new DeployError(
        `A listener rule for '${header.name}: ${header.value}' (priority ${state.rule.Priority}) forwards to ` +
          `${state.forwardsTo.join(', ')}, not to ${synthetic.name}.`,
        `point that rule at the synthetic target group, or delete it and deploy again.`
      )
    }
    try {
      const rule = await createForwardRule(ctx.aws, {
        listenerArn: synthetic.listenerArn,
        priority: state.priority,
        conditions: [headerCondition(header)],
        targetGroupArn: synthetic.arn,
        tags
      })
      run.did.createdRuleArn = rule.RuleArn
      ctx.log.info(
        `Created header rule '${header.name}: ${header.value}' -> ${synthetic.name} at priority ${state.priority}`
      )
      return
    } catch (e) {
      // Another writer took the priority between our read and our create: read again, pick another.
      if (!hasErrorCode(e, 'PriorityInUse') || attempt >= RULE_ATTEMPTS) throw e
      ctx.log.info(`Priority ${state.priority} was taken meanwhile (PriorityInUse): picking another`)
    }
  }
}
