// Proving the preview serves: its service stable, then a smoke test of its URL. Returns the one line the
// PR comment and the result message carry.
import { Inputs } from '../../../constants.js'
import { smokeTest, unreachableNotice, unreachableReason } from '../../../smoke.js'
import type { PreviewUrl } from './url.js'
import { made, type PreviewRun } from './run.js'
import { waitForStable } from './wait.js'

export async function verifyPreview(run: PreviewRun, target: PreviewUrl): Promise<string> {
  const { ctx, names } = run
  const { settings, log } = ctx
  const taskDefinitionArn = made(run, 'taskDefinition').taskDefinitionArn ?? ''
  await log.phase('Wait for the preview to be stable', () =>
    waitForStable(ctx, settings.cluster, names.service, taskDefinitionArn)
  )
  if (settings.previewDesiredCount === 0) {
    log.info(`'${Inputs.PreviewDesiredCount}' is 0: no task runs, so there is nothing to smoke-test.`)
    return `${settings.previewDesiredCount} task(s) running`
  }
  const unresolvable = await unresolvableReason(run, target)
  if (unresolvable !== undefined) {
    log.warning(unreachableNotice(target.url, unresolvable, Inputs.Url))
    return (
      `${settings.previewDesiredCount} task(s) running; not smoke-tested (${target.url} does not ` +
      `resolve from the runner)`
    )
  }
  const smoke = await log.phase('Smoke test', () =>
    smokeTest(
      { http: ctx.http, clock: ctx.clock, log },
      {
        url: `${target.url}${settings.healthPath}`,
        headers: hostHeaders(target),
        accept: settings.healthStatus,
        timeoutSeconds: settings.healthTimeoutSeconds
      }
    )
  )
  return `smoke test ${settings.healthPath} answered ${smoke.status}`
}

/**
 * A derived name nobody can resolve (no wildcard DNS record for the preview domain yet, an emulator's
 * made-up ALB name) cannot be smoke-tested: say so rather than fail the preview. A `url` input is trusted.
 */
async function unresolvableReason(run: PreviewRun, target: PreviewUrl): Promise<string | undefined> {
  const { settings, http } = run.ctx
  if (settings.url) return undefined
  return unreachableReason(http, `${target.url}${settings.healthPath}`, {
    kinds: ['dns'],
    headers: hostHeaders(target)
  })
}

function hostHeaders(target: PreviewUrl): Record<string, string> | undefined {
  return target.hostHeader ? { Host: target.hostHeader } : undefined
}
