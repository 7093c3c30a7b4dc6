// Step 7: after a failed rollout, smoke test or probe, put the previous revision back in service:
// wait for the circuit breaker's own rollback when ECS started one, else start ours and watch it.
import { revisionName } from '../../aws/arns.js'
import { tagEcsResource } from '../../aws/ecs.js'
import { Inputs, Tags } from '../../constants.js'
import { DeployError, errorMessage } from '../../errors.js'
import { diagnoseRollout } from './diagnose.js'
import { failureWords } from './last-words.js'
import { RolloutFailure, watchRollout } from './rollout.js'
import type { EcsContext, EcsRun } from './run.js'
import { startDeployment } from './update.js'
import { ShiftFailure } from './shifting/follow.js'
import { failAfterShiftRollback } from './shifting/rollback.js'

export interface RollbackResult {
  rolledBack: boolean
  /** One sentence for the error message: what happened to the service. */
  summary: string
}

/** Step 7: rolls back, then returns the error the run fails with: the cause, the rollback, the fix. */
export async function failAfterRollback(ctx: EcsContext, run: EcsRun, failure: unknown): Promise<Error> {
  if (failure instanceof ShiftFailure) return failAfterShiftRollback(ctx, run, failure)
  const result = await rollBack(ctx, run, failure)
  // The last log lines of the tasks that failed, once per way they ended.
  const words = await failureWords(ctx, run.pre, failure, run.next)
  const said = words ? `\n${words}` : ''
  if (failure instanceof RolloutFailure) {
    const diagnosis = diagnoseRollout({
      kind: failure.kind,
      stoppedTasks: failure.stoppedTasks,
      events: failure.events,
      targetGroups: run.pre.facts.targetGroups,
      estimate: run.pre.estimate,
      waitTimeoutSeconds: ctx.settings.waitTimeoutSeconds
    })
    const cause = diagnosis.cause ? ` Cause: ${diagnosis.cause}.` : ''
    return new DeployError(`${failure.message}; ${result.summary}.${cause}${said}`, diagnosis.hint, {
      cause: failure
    })
  }
  if (failure instanceof DeployError)
    return new DeployError(`${failure.message}; ${result.summary}.${said}`, failure.hint, { cause: failure })
  // Unexpected errors (permissions, the network) keep their own explanation; the rollback is logged.
  ctx.log.info(`After the error '${errorMessage(failure)}': ${result.summary}`)
  return failure instanceof Error ? failure : new Error(errorMessage(failure))
}

/** Puts the previous revision back in service, or says why not. */
export async function rollBack(ctx: EcsContext, run: EcsRun, failure: unknown): Promise<RollbackResult> {
  const { settings, log } = ctx
  const { pre } = run
  const deployed = { taskDefinitionArn: run.next.arn, previousArn: run.next.previousArn }
  const previous = revisionName(deployed.previousArn)
  const byEcs = failure instanceof RolloutFailure ? failure.primary : undefined

  if (!settings.rollback) {
    const off = `('${Inputs.Rollback}' is false)`
    const summary = byEcs
      ? `not waiting for ECS's circuit breaker rolling back to ${revisionName(byEcs.taskDefinition)} ${off}`
      : `the service is left on ${revisionName(deployed.taskDefinitionArn)} ${off}`
    log.info(`Not rolling back: ${summary}`)
    return { rolledBack: false, summary }
  }

  if (byEcs?.id || deployed.previousArn !== deployed.taskDefinitionArn)
    await markRolledBackFrom(ctx, run, deployed.taskDefinitionArn)
  const watch = { targetGroups: pre.facts.targetGroups, seenEventIds: pre.seenEventIds }
  try {
    if (byEcs?.id) {
      log.info(
        `ECS's circuit breaker is rolling back to ${revisionName(byEcs.taskDefinition)}: waiting for it`
      )
      await watchRollout(ctx, {
        ...watch,
        label: 'circuit-breaker rollback',
        deploymentId: byEcs.id,
        taskDefinitionArn: byEcs.taskDefinition ?? deployed.previousArn
      })
      ctx.state.setRolledBack(true)
      return {
        rolledBack: true,
        summary: `ECS's circuit breaker rolled the service back to ${revisionName(byEcs.taskDefinition)}`
      }
    }
    if (deployed.previousArn === deployed.taskDefinitionArn) {
      const summary = `nothing to roll back to: the previous revision is ${previous} as well`
      log.info(summary)
      return { rolledBack: false, summary }
    }
    log.info(`Rolling back to ${previous}`)
    const rollback = await startDeployment(ctx, run, deployed.previousArn, false)
    try {
      await watchRollout(ctx, { ...watch, label: 'rollback', ...rollback })
    } catch (e) {
      // The circuit breaker may start its own rollback to the same revision just after ours: follow it.
      const same = e instanceof RolloutFailure && e.kind === 'replaced' ? e.primary : undefined
      if (same?.id === undefined || same.taskDefinition !== deployed.previousArn) throw e
      log.info(`Deployment ${same.id} (ECS's own rollback to ${previous}) replaced ours: following it`)
      await watchRollout(ctx, {
        ...watch,
        label: 'rollback',
        deploymentId: same.id,
        taskDefinitionArn: deployed.previousArn
      })
    }
    ctx.state.setRolledBack(true)
    return { rolledBack: true, summary: `rolled back to ${previous}` }
  } catch (e) {
    throw new DeployError(
      `${errorMessage(failure)}; the rollback to ${previous} failed too: ${errorMessage(e)}`,
      `the service needs attention now: check its events and tasks in the ECS console, ` +
        `and update it to a working revision (${deployed.previousArn}) by hand.`,
      { cause: e }
    )
  }
}

/**
 * Tags the service `zdt:rolled-back-from=<arn>` before the rollback starts, so that a run cancelled
 * mid-rollback still leaves word of the failed revision for the next run. Best effort: a refused tag
 * must not stop the rollback.
 */
export async function markRolledBackFrom(ctx: EcsContext, run: EcsRun, failedArn: string): Promise<void> {
  const serviceArn = run.pre.service.serviceArn
  if (!serviceArn) return
  try {
    await tagEcsResource(ctx.aws, serviceArn, { [Tags.RolledBackFrom]: failedArn })
  } catch (e) {
    const tag = `${Tags.RolledBackFrom}=${revisionName(failedArn)}`
    ctx.log.warning(`Could not tag the service ${tag} before rolling back: ${errorMessage(e)}`)
  }
}
