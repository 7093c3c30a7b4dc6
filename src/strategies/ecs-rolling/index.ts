// The ecs-rolling strategy: a rolling update of an ECS service, watched until ECS has replaced every
// task, proven by a traffic probe and a smoke test, rolled back on failure. Each step is a function
// (ctx, run) over one EcsRun (run.ts); this file is their order.
import type { StrategyResult } from '../../context.js'
import { runSmokeTest } from '../../smoke.js'
import { reportPlan } from '../../summary.js'
import { revisionName } from '../../aws/arns.js'
import { isCancellation } from '../../cancellation.js'
import { carriesOnAfterCancel } from './cancelled.js'
import { runPreDeployTask } from './pre-deploy.js'
import { preflight } from './preflight.js'
import { chooseRevision } from './register.js'
import { failAfterRollback } from './rollback.js'
import { watchWithProbe } from './rollout.js'
import { serviceLabel } from './rollout-state.js'
import { followDeployment } from './shifting/follow.js'
import { EcsRun, type EcsContext, type Step } from './run.js'
import { loadTaskDefinitionFile } from './task-definition.js'
import { proveUnchanged } from './unchanged.js'
import { resumeInFlight, startProbe, updateToNext, verifyRunning } from './update.js'

export async function ecsRolling(ctx: EcsContext): Promise<StrategyResult> {
  const { log } = ctx
  ctx.state.setRolledBack(false)
  // The file is read first: a missing or malformed one fails before any AWS call.
  const file = await readFile(ctx)
  // 1. Pre-flight (read-only): refuse settings that guarantee downtime; derive the URL.
  const run = new EcsRun(await log.phase('Pre-flight', () => preflight(ctx)), file)

  // 2. The task definition: register the new revision, or, when nothing changed, prove the service
  //    healthy on the one it runs and stop there. A deployment of it that an earlier run started
  //    and did not see through is followed from here, not started again.
  await log.phase('Task definition', async () => {
    await chooseRevision(ctx, run)
    if (run.next.unchanged) resumeInFlight(ctx, run)
  })
  if (run.next.unchanged) return proveUnchanged(ctx, run)

  // 2b. The pre-deploy task (migrations): it must exit 0 before the service is touched (a resumed
  //     deployment's ran before the earlier run's UpdateService).
  if (ctx.settings.preDeployCommand && !run.resumed)
    await log.phase('Pre-deploy task', () => preDeployTask(ctx, run))

  // 3. Update the service; the probe watches the URL from here until the old tasks are gone.
  await startProbe(ctx, run)
  if (!run.resumed) await log.phase('Update service', () => updateToNext(ctx, run))
  if (ctx.aws.dryRun) return planned(ctx, run)
  // From here a cancellation leaves the deployment to ECS, and says so.
  const offCancel = carriesOnAfterCancel(ctx, run)

  try {
    if (run.pre.shift) {
      // 4-5. ECS's own blue/green, linear or canary deployment: follow its stages, gate our PAUSE
      //      hook, probe from the first production traffic shift, smoke test once production is on green.
      await log.phase('Deployment', () => followDeployment(ctx, run))
    } else {
      // 4. Watch the rollout until our deployment is COMPLETED and the old ones are gone.
      await log.phase('Rollout', () => watchWithProbe(ctx, run))
      // 5. Smoke test the URL.
      await log.phase('Smoke test', () => smokeTest(ctx, run))
    }
    // 6. The service must end on our revision.
    await log.phase('Verify', () => verifyRunning(ctx, run))
  } catch (failure) {
    // A cancelled run writes nothing more: ECS carries on (the safe state above says so).
    if (isCancellation(failure)) throw failure
    // 7. Roll back (or say why not), then fail with what happened and what to fix.
    throw await log.phase('Rollback', () => failAfterRollback(ctx, run, failure))
  }
  offCancel()
  return { outcome: 'deployed', message: `Deployed ${deployment(ctx, run)}.` }
}

async function readFile(ctx: EcsContext) {
  const path = ctx.settings.taskDefinitionPath
  return path ? await loadTaskDefinitionFile(ctx.workspace, path) : undefined
}

const smokeTest: Step = (ctx, run) => runSmokeTest(ctx, run.pre.url)

const preDeployTask: Step = (ctx, run) =>
  runPreDeployTask(ctx, {
    taskDefinitionArn: run.next.arn,
    containers: run.next.containers,
    service: run.pre.service,
    command: ctx.settings.preDeployCommand!
  })

/** A dry run ends after the update: the plan is what AwsApi recorded. */
function planned(ctx: EcsContext, run: EcsRun): StrategyResult {
  reportPlan(ctx.log, ctx.aws.mutations)
  return {
    outcome: 'planned',
    message: `Dry run: would deploy ${deployment(ctx, run)}; nothing was changed.`
  }
}

/** `web (app=nginx:1.27) to main/web (previous: web:41)` */
function deployment(ctx: EcsContext, run: EcsRun): string {
  const target = serviceLabel(ctx.settings.cluster, ctx.settings.service)
  return `${run.next.description} to ${target} (previous: ${revisionName(run.next.previousArn)})`
}
