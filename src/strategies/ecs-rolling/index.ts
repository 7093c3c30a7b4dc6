// The ecs-rolling strategy: a rolling update of an ECS service, watched until ECS has replaced every
// task, proven by a traffic probe and a smoke test, rolled back on failure.
import type { DeployContext, StrategyResult } from '../../context.js'
import { DeployError, errorMessage } from '../../errors.js'
import type { EcsRollingSettings } from '../../inputs.js'
import {
  finishTrafficProbe,
  probeFailureMessage,
  startTrafficProbe,
  type ProbeReport,
  type TrafficProbe
} from '../../probe.js'
import { runSmokeTest } from '../../smoke.js'
import { reportPlan } from '../../summary.js'
import { diagnoseRollout } from './diagnose.js'
import { failureWords } from './last-words.js'
import { runPreDeployTask } from './pre-deploy.js'
import { preflight, type Preflight } from './preflight.js'
import { nextTaskDefinition, type NextTaskDefinition } from './register.js'
import { rollBack } from './rollback.js'
import { RolloutFailure, watchRollout } from './rollout.js'
import { revisionName } from '../../aws/arns.js'
import { serviceLabel } from './rollout-state.js'
import { loadTaskDefinitionFile } from './task-definition.js'
import { startRollout, verifyRunning, type StartedRollout } from './update.js'
import { proveUnchanged } from './unchanged.js'

export async function ecsRolling(ctx: DeployContext<EcsRollingSettings>): Promise<StrategyResult> {
  const { settings, log } = ctx
  const target = serviceLabel(settings.cluster, settings.service)
  ctx.state.setRolledBack(false)
  // The file is read first: a missing or malformed one fails before any AWS call.
  const file = settings.taskDefinitionPath
    ? await loadTaskDefinitionFile(ctx.workspace, settings.taskDefinitionPath)
    : undefined

  // 1. Pre-flight (read-only): refuse settings that guarantee downtime; derive the URL.
  const pre = await log.phase('Pre-flight', () => preflight(ctx))

  // 2. The task definition: register the new revision, or, when nothing changed, prove the service
  //    healthy on the one it runs and stop there.
  const next = await log.phase('Task definition', () => nextTaskDefinition(ctx, pre, file))
  if (next.unchanged) return proveUnchanged(ctx, pre, next)

  // 2b. The pre-deploy task (migrations): it must exit 0 before the service is touched.
  if (settings.preDeployCommand) {
    const command = settings.preDeployCommand
    await log.phase('Pre-deploy task', () =>
      runPreDeployTask(ctx, {
        taskDefinitionArn: next.arn,
        containers: next.containers,
        service: pre.service,
        command
      })
    )
  }

  // 3. Update the service; the probe watches the URL from here until the old tasks are gone.
  const probe = await startTrafficProbe(ctx, pre.url)
  let rollout
  try {
    rollout = await log.phase('Update service', () =>
      startRollout(ctx, pre, next.arn, settings.forceNewDeployment)
    )
  } catch (e) {
    await finishTrafficProbe(ctx, probe)
    throw e
  }
  if (settings.dryRun) {
    reportPlan(log, ctx.aws.mutations)
    return {
      outcome: 'planned',
      message: `Dry run: would deploy ${next.description} to ${target} (previous: ${revisionName(next.previousArn)}); nothing was changed.`
    }
  }

  try {
    // 4. Watch the rollout until our deployment is COMPLETED and the old ones are gone.
    await log.phase('Rollout', () => watchWithProbe(ctx, pre, rollout, probe))
    // 5. Smoke test the URL.
    await log.phase('Smoke test', () => runSmokeTest(ctx, pre.url))
    // 6. The service must end on our revision.
    await log.phase('Verify', () => verifyRunning(ctx, next.arn))
  } catch (failure) {
    // 7. Roll back (or say why not), then fail with what happened and what to fix.
    throw await log.phase('Rollback', () => failAfterRollback(ctx, pre, failure, next))
  }

  return {
    outcome: 'deployed',
    message: `Deployed ${next.description} to ${target} (previous: ${revisionName(next.previousArn)}).`
  }
}

/** The rollout watch with the probe running; the probe's failures, even in the last poll, fail it. */
async function watchWithProbe(
  ctx: DeployContext<EcsRollingSettings>,
  pre: Preflight,
  rollout: StartedRollout,
  probe: TrafficProbe | undefined
): Promise<void> {
  let failure: unknown
  try {
    await watchRollout(ctx, {
      label: 'rollout',
      ...rollout,
      targetGroups: pre.facts.targetGroups,
      seenEventIds: pre.seenEventIds,
      probe
    })
  } catch (e) {
    failure = e
  }
  const report = await finishTrafficProbe(ctx, probe)
  if (failure !== undefined) throw failure
  if (report && report.errors > ctx.settings.maxProbeErrors)
    throw probeFailure(report, ctx.settings.maxProbeErrors)
}

function probeFailure(report: ProbeReport, max: number): RolloutFailure {
  return new RolloutFailure('probe', probeFailureMessage(report, 'rollout', max), undefined, [], [])
}

/** Rolls back, then returns the error the step fails with: the cause, the rollback, the fix. */
async function failAfterRollback(
  ctx: DeployContext<EcsRollingSettings>,
  pre: Preflight,
  failure: unknown,
  next: NextTaskDefinition
): Promise<Error> {
  const result = await rollBack(ctx, pre, failure, {
    taskDefinitionArn: next.arn,
    previousArn: next.previousArn
  })
  // The last log lines of the tasks that failed, once per way they ended.
  const words = await failureWords(ctx, pre, failure, next)
  const said = words ? `\n${words}` : ''
  if (failure instanceof RolloutFailure) {
    const diagnosis = diagnoseRollout({
      kind: failure.kind,
      stoppedTasks: failure.stoppedTasks,
      events: failure.events,
      targetGroups: pre.facts.targetGroups,
      estimate: pre.estimate,
      waitTimeoutSeconds: ctx.settings.waitTimeoutSeconds
    })
    const cause = diagnosis.cause ? ` Cause: ${diagnosis.cause}.` : ''
    return new DeployError(`${failure.message}; ${result.summary}.${cause}${said}`, diagnosis.hint, {
      cause: failure
    })
  }
  if (failure instanceof DeployError)
    return new DeployError(`${failure.message}; ${result.summary}.${said}`, failure.hint, {
      cause: failure
    })
  // Unexpected errors (permissions, the network) keep their own explanation; the rollback is logged.
  ctx.log.info(`After the error '${errorMessage(failure)}': ${result.summary}`)
  return failure instanceof Error ? failure : new Error(errorMessage(failure))
}
