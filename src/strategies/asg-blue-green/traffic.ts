// The traffic probe around the cutover, the validation window and any rollback: steady requests to
// the production URL, every failure reported.
import { finishTrafficProbe, startTrafficProbe } from '../../probe.js'
import type { Flow } from './flow.js'

export async function startProbe(flow: Flow): Promise<void> {
  // Without a reachable URL there is nothing to probe (said in pre-flight).
  flow.probe = await startTrafficProbe(flow.ctx, flow.reachableUrl)
}

export async function stopProbe(flow: Flow): Promise<void> {
  const probe = flow.probe
  flow.probe = undefined
  await finishTrafficProbe(flow.ctx, probe)
}
