// The validation window: the new fleet serves alone while the old one waits in Standby. Any sign of
// trouble (failed probe requests above max-probe-errors, a failed smoke test, a new target that is
// no longer healthy) ends the window at once.
import { formatDuration } from '../../../clock.js'
import { DeployError, errorMessage } from '../../../errors.js'
import { pollUntil, type Look } from '../../../poll.js'
import { probeFailureMessage } from '../../../probe.js'
import { Reporter, type LogSink } from '../../../report.js'
import { smokeTest } from '../../../smoke.js'
import type { AsgRun } from '../state.js'
import { statesOf } from '../model.js'
import { plannedOnly, targetStates } from '../waits.js'

// A smoke test through the production URL this often during the window.
const SMOKE_EVERY_MS = 60_000
// Each periodic smoke test may retry a blip for this long.
const SMOKE_TIMEOUT_SECONDS = 30

export async function validationWindow(run: AsgRun): Promise<void> {
  const { ctx, main } = run
  const { settings: s, log, clock } = ctx
  const windowMs = s.validationWindowSeconds * 1000
  const watch =
    `probe errors (max ${s.maxProbeErrors}), a smoke test every ${SMOKE_EVERY_MS / 1000}s, target ` +
    `health in ${main.name}`
  if (
    plannedOnly(ctx, `would watch the new fleet for ${formatDuration(s.validationWindowSeconds)}: ${watch}`)
  )
    return
  const started = clock.now()
  let nextSmoke = started
  let smokes = 0
  // Each periodic smoke test logs to debug only; the window logs one line, and the failure if any.
  const quiet = { http: ctx.http, clock, log: new Reporter(quietSink(log), clock) }
  const old =
    run.did.oldIds.length > 0
      ? `${run.active.name} stays in Standby for an instant rollback`
      : 'there is no old fleet to roll back to'
  log.info(`Watching the new fleet for ${formatDuration(s.validationWindowSeconds)}; ${old}`)
  // The window ends with the first look at or after its end; a failure in any look ends it at once.
  const look = async (): Promise<Look> => {
    const states = await targetStates(ctx, main.arn)
    const unhealthy = run.did.newIds.filter(id => states.get(id)?.state !== 'healthy')
    log.change('validate:new', `New fleet in ${main.name}: ${statesOf(run.did.newIds, states)}`)
    if (run.did.oldIds.length > 0)
      log.change('validate:old', `Old fleet in ${main.name}: ${statesOf(run.did.oldIds, states)}`)
    if (unhealthy.length > 0) {
      const s0 = states.get(unhealthy[0])
      throw new DeployError(
        `Validation failed after ${log.elapsed(started)}: ${unhealthy.length} new instance(s) are no longer ` +
          `healthy in ${main.name} (${statesOf(unhealthy, states)}${s0?.description ? `: ${s0.description}` : ''}).`,
        `check the application logs of the new version on ${unhealthy.join(', ')}.`
      )
    }
    const probe = run.probe
    if (probe && probe.errors > s.maxProbeErrors) {
      const what = probeFailureMessage(probe.report(), 'validation window', s.maxProbeErrors)
      throw new DeployError(
        `Validation failed after ${log.elapsed(started)}: ${what.charAt(0).toLowerCase()}${what.slice(1)}.`,
        `check the application logs of the new version; raise 'max-probe-errors' only if these failures are expected.`
      )
    }
    if (run.reachableUrl && clock.now() >= nextSmoke) {
      try {
        await smokeTest(quiet, {
          url: `${run.reachableUrl}${s.healthPath}`,
          accept: s.healthStatus,
          timeoutSeconds: Math.min(SMOKE_TIMEOUT_SECONDS, s.healthTimeoutSeconds)
        })
      } catch (e) {
        throw new DeployError(
          `Validation failed after ${log.elapsed(started)}: ${errorMessage(e)}`,
          e instanceof DeployError ? e.hint : undefined
        )
      }
      smokes++
      log.change(
        'validate:smoke',
        `Periodic smoke test of ${run.reachableUrl}${s.healthPath} passing (every ${SMOKE_EVERY_MS / 1000}s)`
      )
      nextSmoke += SMOKE_EVERY_MS
    }
    return { done: clock.now() >= started + windowMs }
  }
  await pollUntil(
    ctx,
    {
      key: 'validate',
      timeoutMs: windowMs,
      intervalMs: s.pollIntervalSeconds * 1000,
      deadline: 'clip',
      tick: async () => run.lock?.refreshIfDue()
    },
    look
  )
  log.info(`Validation window passed (${formatDuration(s.validationWindowSeconds)}, ${smokes} smoke test(s))`)
}

function quietSink(log: Reporter): LogSink {
  return {
    info: m => log.debug(m),
    warning: m => log.warning(m),
    error: m => log.debug(m),
    debug: m => log.debug(m),
    startGroup: () => {},
    endGroup: () => {}
  }
}
