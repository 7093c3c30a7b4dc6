// The smoke test after the rollout, on `url` + `health-path`.
import { Inputs } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import type { EcsRollingSettings } from '../../inputs.js'
import { smokeTest } from '../../smoke.js'

export async function runSmokeTest(
  ctx: DeployContext<EcsRollingSettings>,
  url: string | undefined
): Promise<void> {
  const { settings, log } = ctx
  if (!url) {
    // No input, and no derived URL the runner can reach (the pre-flight said which).
    log.info(`Smoke test skipped: no URL the runner can reach (set '${Inputs.Url}' to have one).`)
    return
  }
  await smokeTest(
    { http: ctx.http, clock: ctx.clock, log },
    {
      url: `${url}${settings.healthPath}`,
      accept: settings.healthStatus,
      timeoutSeconds: settings.healthTimeoutSeconds
    }
  )
}
