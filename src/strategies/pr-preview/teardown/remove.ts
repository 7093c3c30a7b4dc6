// Removing a preview, in the order that never leaves traffic pointing at nothing: routing first (rule or
// listener), then the service (scaled to zero, deleted with force), then the target group (retrying
// while the load balancer still counts it in use), then the task definition revisions. Every step
// tolerates what is already gone, so a second teardown is a quiet success.
import type { Service } from '@aws-sdk/client-ecs'
import { deleteService, deregisterTaskDefinition, updateService } from '../../../aws/ecs.js'
import {
  TARGET_GROUP_IN_USE_ATTEMPTS,
  deleteListener,
  deleteRule,
  deleteTargetGroupWhenFree
} from '../../../aws/elbv2.js'
import { hostOf } from '../../../aws/rules.js'
import { DeployError, errorMessage, hasErrorCode } from '../../../errors.js'
import type { PreviewContext } from '../base.js'
import type { PreviewResources } from '../find.js'

const GONE = {
  rule: ['RuleNotFound'],
  listener: ['ListenerNotFound'],
  service: ['ServiceNotFound', 'ServiceNotActive'],
  targetGroup: ['TargetGroupNotFound'],
  taskDefinition: ['TaskDefinitionNotFound', 'RevisionNotFound']
}

/** What was removed, one line each (for the log and the sweep's summary). */
export async function removePreview(
  ctx: PreviewContext,
  cluster: string,
  r: PreviewResources
): Promise<string[]> {
  const { aws, log } = ctx
  const removed: string[] = []

  await log.phase(`Remove routing of PR #${r.pr}`, async () => {
    for (const rule of r.rules) {
      await ignoreGone(GONE.rule, () => deleteRule(aws, rule.RuleArn ?? ''))
      removed.push(`rule ${rule.Priority} (${hostOf(rule) ?? rule.RuleArn})`)
    }
    for (const listener of r.listeners) {
      await ignoreGone(GONE.listener, () => deleteListener(aws, listener.ListenerArn ?? ''))
      removed.push(`listener :${listener.Port}`)
    }
  })

  await log.phase(`Remove service of PR #${r.pr}`, async () => {
    for (const s of r.services) {
      const name = s.serviceName ?? s.serviceArn ?? ''
      if (s.status === 'ACTIVE') {
        await scaleToZero(ctx, cluster, name, s)
        await ignoreGone(GONE.service, () => deleteService(aws, cluster, name))
        removed.push(`service ${name}`)
      } else {
        log.info(`Service ${name} is already ${s.status}: ECS is removing it.`)
      }
    }
  })

  await log.phase(`Remove target group of PR #${r.pr}`, async () => {
    for (const tg of r.targetGroups) {
      await removeTargetGroup(ctx, tg.TargetGroupArn ?? '', tg.TargetGroupName ?? '')
      removed.push(`target group ${tg.TargetGroupName}`)
    }
  })

  if (r.taskDefinitionArns.length > 0)
    await log.phase(`Deregister task definitions of PR #${r.pr}`, async () => {
      for (const arn of r.taskDefinitionArns) {
        await ignoreGone(GONE.taskDefinition, () => deregisterTaskDefinition(aws, arn))
      }
      removed.push(`${r.taskDefinitionArns.length} task definition revision(s)`)
    })

  return removed
}

/**
 * Scaling to zero first stops the tasks promptly. ECS may refuse it once the target group has lost its
 * rule or listener ("does not have an associated load balancer"): the forced delete then stops them.
 */
async function scaleToZero(ctx: PreviewContext, cluster: string, name: string, s: Service): Promise<void> {
  try {
    await ignoreGone(GONE.service, () =>
      updateService(ctx.aws, { cluster, service: name, desiredCount: 0 }, { ...s, desiredCount: 0 })
    )
  } catch (e) {
    if (!hasErrorCode(e, 'InvalidParameter')) throw e
    ctx.log.info(
      `ECS did not scale ${name} to zero first (${errorMessage(e)}); the forced delete stops its tasks.`
    )
  }
}

async function removeTargetGroup(ctx: PreviewContext, arn: string, name: string): Promise<void> {
  try {
    await ignoreGone(GONE.targetGroup, () =>
      deleteTargetGroupWhenFree(ctx.aws, arn, () =>
        ctx.log.change(`tg-in-use:${arn}`, `Target group ${name} is still in use; trying again`)
      )
    )
  } catch (e) {
    if (!hasErrorCode(e, 'ResourceInUse')) throw e
    throw new DeployError(
      `Target group ${name} is still in use after ${TARGET_GROUP_IN_USE_ATTEMPTS} attempts: ${errorMessage(e)}`,
      `something other than this preview's rule or listener forwards to it; remove that reference and run ` +
        `the teardown again.`,
      { cause: e }
    )
  }
}

async function ignoreGone(codes: string[], call: () => Promise<unknown>): Promise<void> {
  try {
    await call()
  } catch (e) {
    if (!hasErrorCode(e, ...codes)) throw e
  }
}
