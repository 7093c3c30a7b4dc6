// Step 7 for ECS's BLUE_GREEN, LINEAR and CANARY strategies: put blue back with ECS's own mechanism.
// Blue still runs until CLEAN_UP, so ECS only moves the traffic back: StopServiceDeployment with
// ROLLBACK when we decided it, or ECS's own rollback (a hook, the circuit breaker, an alarm), followed
// to its final status. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stop-service-deployment.html
import type { ServiceDeployment } from '@aws-sdk/client-ecs'
import { revisionName } from '../../../aws/arns.js'
import { stopServiceDeploymentWithRollback } from '../../../aws/ecs-service-deployments.js'
import { formatDuration } from '../../../clock.js'
import { Inputs } from '../../../constants.js'
import { DeployError, errorMessage } from '../../../errors.js'
import { pollUntil, inputTiming } from '../../../poll.js'
import { diagnoseRollout } from '../diagnose.js'
import type { RolloutFailureKind } from '../rollout.js'
import type { EcsContext, EcsRun } from '../run.js'
import { markRolledBackFrom } from '../rollback.js'
import { startDeployment } from '../update.js'
import type { ShiftFailure } from './follow.js'
import { isFinal } from './stages.js'
import { DeploymentView } from './view.js'

/** Rolls back as the failure says, then the error the run fails with: the cause, the rollback, the fix. */
export async function failAfterShiftRollback(
  ctx: EcsContext,
  run: EcsRun,
  failure: ShiftFailure
): Promise<Error> {
  let summary: string
  try {
    summary = await rollBackShift(ctx, run, failure)
  } catch (e) {
    throw new DeployError(
      `${failure.message}; the rollback to ${revisionName(run.next.previousArn)} failed too: ${errorMessage(e)}`,
      `the service needs attention now: check its deployments in the ECS console, and deploy a working ` +
        `revision (${run.next.previousArn}) by hand.`,
      { cause: e }
    )
  }
  const diagnosis = diagnoseRollout({
    kind: DIAGNOSIS_KIND[failure.kind],
    stoppedTasks: failure.stoppedTasks,
    events: failure.view.events,
    targetGroups: run.pre.facts.targetGroups,
    estimate: run.pre.estimate,
    waitTimeoutSeconds: ctx.settings.waitTimeoutSeconds
  })
  const cause = diagnosis.cause ? ` Cause: ${diagnosis.cause}.` : ''
  return new DeployError(`${failure.message}; ${summary}.${cause}`, failure.hint ?? diagnosis.hint, {
    cause: failure
  })
}

const DIAGNOSIS_KIND: Record<ShiftFailure['kind'], RolloutFailureKind> = {
  probe: 'probe',
  smoke: 'failed',
  gate: 'failed',
  timeout: 'timeout',
  'ecs-rollback': 'failed',
  replaced: 'replaced'
}

/** One sentence for the error message: what happened to the service. */
async function rollBackShift(ctx: EcsContext, run: EcsRun, failure: ShiftFailure): Promise<string> {
  const { settings, log } = ctx
  const blue = revisionName(run.next.previousArn)
  if (failure.rollback === 'none')
    return 'not rolling back: the deployment that replaced ours is in charge now'
  if (!settings.rollback) {
    const summary =
      failure.rollback === 'ecs'
        ? `not waiting for ECS's rollback to ${blue} ('${Inputs.Rollback}' is false)`
        : `the deployment is left to go on ('${Inputs.Rollback}' is false)`
    log.info(`Not rolling back: ${summary}`)
    return summary
  }
  await markRolledBackFrom(ctx, run, run.next.arn)
  let view = failure.view
  if (failure.rollback === 'request') {
    log.info(
      `Stopping service deployment ${view.arn} with ECS's rollback to ${blue} (StopServiceDeployment ROLLBACK)`
    )
    await stopServiceDeploymentWithRollback(ctx.aws, view.arn)
  } else if (failure.rollback === 'redeploy') {
    log.info(`The deployment had completed: deploying ${blue} again`)
    const again = await startDeployment(ctx, run, run.next.previousArn, false)
    view = new DeploymentView(ctx, run, again.serviceDeploymentArn ?? '', 'rollback')
  } else {
    log.info(`Following ECS's rollback to ${blue}`)
  }
  const sd = await followToEnd(ctx, view)
  const back =
    failure.rollback === 'redeploy' ? sd.status === 'SUCCESSFUL' : sd.status === 'ROLLBACK_SUCCESSFUL'
  if (!back) throw new Error(`the rollback ended ${sd.status}: ${sd.statusReason ?? 'no reason given'}`)
  ctx.state.setRolledBack(true)
  return `ECS rolled the service back to ${blue}`
}

/** Looks every poll-interval until the deployment's status is final. */
async function followToEnd(ctx: EcsContext, view: DeploymentView): Promise<ServiceDeployment> {
  const { settings } = ctx
  const started = ctx.clock.now()
  const { last } = await pollUntil(
    ctx,
    {
      key: `rollback:${view.arn}`,
      ...inputTiming(settings),
      timedOut: () =>
        new Error(
          `it did not finish within '${Inputs.WaitTimeout}' ${formatDuration(settings.waitTimeoutSeconds)}`
        )
    },
    async () => {
      const sd = await view.look()
      return { done: isFinal(sd.status), sd }
    }
  )
  ctx.log.info(`Service deployment ${view.arn} ${last.sd.status} after ${ctx.log.elapsed(started)}`)
  return last.sd
}
