// The traffic probe around the rollout and the smoke test after it, both on `url` + `health-path`.
import { Inputs, Outputs } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import type { EcsRollingSettings } from '../../inputs.js'
import { TrafficProbe, probeMarkdown, type ProbeReport } from '../../probe.js'
import { smokeTest } from '../../smoke.js'

/** A probe checked for reachability, not yet started; undefined when there is nothing to probe. */
export async function prepareProbe(
  ctx: DeployContext<EcsRollingSettings>,
  url: string | undefined
): Promise<TrafficProbe | undefined> {
  const { settings } = ctx
  if (!url || !settings.probe || settings.dryRun) return undefined
  const probe = new TrafficProbe(
    { http: ctx.http, clock: ctx.clock, log: ctx.log },
    { url: `${url}${settings.healthPath}`, accept: settings.healthStatus }
  )
  await probe.preflight()
  return probe
}

/** Stops the probe and reports what it saw (outputs and a summary section). */
export async function finishProbe(
  ctx: DeployContext<EcsRollingSettings>,
  probe: TrafficProbe | undefined
): Promise<ProbeReport | undefined> {
  if (!probe) return undefined
  const report = await probe.stop()
  if (!report.skipped) {
    ctx.outputs.set(Outputs.ProbeRequests, report.requests)
    ctx.outputs.set(Outputs.ProbeErrors, report.errors)
    ctx.log.info(`Traffic probe: ${report.requests} requests, ${report.errors} failed`)
  }
  ctx.log.section('Traffic probe', probeMarkdown(report))
  return report
}

export async function runSmokeTest(
  ctx: DeployContext<EcsRollingSettings>,
  url: string | undefined
): Promise<void> {
  const { settings, log } = ctx
  if (!url) {
    log.info(`Smoke test skipped: no '${Inputs.Url}' and no load balancer to derive it from.`)
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
