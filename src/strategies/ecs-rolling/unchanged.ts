// A deploy that changes nothing still proves the service healthy: steady on the revision it already
// runs, and the smoke test passing. A re-run of a deploy cancelled mid-rollback lands here, on the very
// revision that failed; without this it would say "nothing deployed" and pass.
import { revisionName } from '../../aws/arns.js'
import { notSteadyOn } from '../../aws/ecs-deployments.js'
import { Tags } from '../../constants.js'
import type { StrategyResult } from '../../context.js'
import { DeployError } from '../../errors.js'
import { serviceLabel } from './rollout-state.js'
import type { EcsRun, Step } from './run.js'
import { runSmokeTest } from '../../smoke.js'

export const proveUnchanged: Step<StrategyResult> = async (ctx, run) => {
  const { settings, log } = ctx
  const { pre, next } = run
  const target = serviceLabel(settings.cluster, settings.service)
  const runs = `${target} already runs ${next.description}`
  const failedBefore = failedBeforeOn(run) ? ` ${rolledBackFromNotice(next.arn)}` : ''
  if (failedBefore) log.warning(failedBefore.trim())
  const settle = failedBefore ? '' : ' (or re-run once the service has settled)'
  const fix = `deploy a working image${settle}, or update the service to a working revision by hand.`

  await log.phase('Verify', async () => {
    const why = notSteadyOn(pre.service, next.arn)
    if (why) throw new DeployError(`${runs}, but the service is not steady: ${why}.${failedBefore}`, fix)
    const tasks = `${pre.service.runningCount ?? 0} of ${pre.service.desiredCount ?? 0} tasks running`
    log.info(`Service steady on ${revisionName(next.arn)}: ${tasks}`)
  })
  await log.phase('Smoke test', async () => {
    try {
      await runSmokeTest(ctx, pre.url)
    } catch (e) {
      if (!(e instanceof DeployError)) throw e
      throw new DeployError(`${runs}, but it is not healthy: ${e.message}.${failedBefore}`, e.hint ?? fix, {
        cause: e
      })
    }
  })
  return {
    outcome: 'unchanged',
    message: `${runs}: nothing deployed; the service is steady${pre.url ? ' and the smoke test passed' : ''}.`
  }
}

/**
 * The revision to deploy is the one a previous run rolled back from: the tag a rollback writes before
 * it starts (rollback.ts) names it, and that rollback did not finish.
 */
export function failedBeforeOn(run: EcsRun): boolean {
  return run.pre.service.tags?.find(t => t.key === Tags.RolledBackFrom)?.value === run.next.arn
}

function rolledBackFromNotice(arn: string): string {
  return (
    `${revisionName(arn)} is the revision a previous zdt-deploy run rolled back from ` +
    `(service tag ${Tags.RolledBackFrom}); that rollback did not finish.`
  )
}
