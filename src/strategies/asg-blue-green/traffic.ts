// The traffic probe around the cutover, the validation window and any rollback: steady requests to
// the production URL, every failure reported.
import { Outputs } from '../../constants.js'
import { probeMarkdown, TrafficProbe } from '../../probe.js'
import type { Flow } from './flow.js'

export async function startProbe(flow: Flow): Promise<void> {
  const { ctx } = flow
  const { settings: s, log } = ctx
  if (!s.probe) {
    log.info(`Traffic probe off ('probe: false')`)
    return
  }
  if (!flow.reachableUrl) return // said in pre-flight
  const url = `${flow.reachableUrl}${s.healthPath}`
  if (ctx.aws.dryRun) {
    log.info(`[dry-run] would probe GET ${url} through the cutover and the validation window`)
    return
  }
  const probe = new TrafficProbe(ctx, { url, accept: s.healthStatus })
  await probe.preflight()
  probe.start()
  flow.probe = probe
}

export async function stopProbe(flow: Flow): Promise<void> {
  const { ctx, probe } = flow
  if (!probe) return
  flow.probe = undefined
  const report = await probe.stop()
  ctx.log.section('Traffic probe', probeMarkdown(report))
  if (report.skipped) return
  ctx.outputs.set(Outputs.ProbeRequests, report.requests)
  ctx.outputs.set(Outputs.ProbeErrors, report.errors)
  ctx.log.info(`Traffic probe: ${report.requests} request(s), ${report.errors} failed`)
}
