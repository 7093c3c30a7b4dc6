// The gate at our PAUSE hook, without a Lambda function: a smoke test and a short probe of green
// through the test route (the test listener rule's URL, with its host and header), then
// ContinueServiceDeployment CONTINUE, or ROLLBACK with the reason. ECS's docs: pause hooks
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html, the call
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContinueServiceDeployment.html
import type { DeploymentLifecycleHookDetail } from '@aws-sdk/client-ecs'
import {
  continueServiceDeployment,
  describeServiceDeployment,
  isUnavailable
} from '../../../aws/ecs-service-deployments.js'
import { formatDuration } from '../../../clock.js'
import { DeployError } from '../../../errors.js'
import { pollUntil } from '../../../poll.js'
import { probeFailureMessage, TrafficProbe } from '../../../probe.js'
import { smokeTest } from '../../../smoke.js'
import type { EcsContext, EcsRun } from '../run.js'
import { GATE_PROBE_SECONDS, gateUrl } from './rules.js'

/** Runs the gate and answers the hook; returns why it rolled back, or undefined when it continued. */
export async function runGate(
  ctx: EcsContext,
  run: EcsRun,
  serviceDeploymentArn: string,
  hook: DeploymentLifecycleHookDetail
): Promise<string | undefined> {
  const { settings, log } = ctx
  const shift = run.pre.shift!
  const route = gateUrl(shift, run.pre.url)!
  const expires = hook.expiresAt
    ? ` (it expires at ${hook.expiresAt.toISOString()}, then ${hook.timeoutAction})`
    : ''
  const before = `before answering PAUSE hook ${hook.hookId}${expires}`
  log.info(`Gate at ${shift.gateStage}: testing green through ${route.via} ${before}`)
  let failure: string | undefined
  try {
    const url = `${route.url}${settings.healthPath}`
    await smokeTest(ctx, {
      url,
      headers: route.headers,
      accept: settings.healthStatus,
      timeoutSeconds: settings.healthTimeoutSeconds
    })
    failure = await probeTestRoute(ctx, serviceDeploymentArn, url, route.headers)
  } catch (e) {
    if (!(e instanceof DeployError)) throw e
    failure = e.message
  }
  const action = failure ? 'ROLLBACK' : 'CONTINUE'
  await continueServiceDeployment(ctx.aws, serviceDeploymentArn, hook.hookId!, action)
  log.info(
    failure
      ? `Gate at ${shift.gateStage}: ContinueServiceDeployment ROLLBACK, production never saw green: ${failure}`
      : `Gate at ${shift.gateStage}: passed; ContinueServiceDeployment CONTINUE`
  )
  return (
    failure &&
    `The gate at ${shift.gateStage} rolled the deployment back before production traffic moved: ${failure}`
  )
}

/**
 * A short probe of the test route while the hook waits; the deployment is read every poll, so a hook
 * answered by someone else (or timed out) ends the probe early.
 */
async function probeTestRoute(
  ctx: EcsContext,
  serviceDeploymentArn: string,
  url: string,
  headers: Record<string, string>
): Promise<string | undefined> {
  const { settings, clock } = ctx
  const probe = new TrafficProbe(ctx, { url, headers, accept: settings.healthStatus })
  if (!(await probe.preflight())) return undefined
  probe.start()
  const started = clock.now()
  await pollUntil(
    ctx,
    {
      key: `gate-probe:${url}`,
      timeoutMs: GATE_PROBE_SECONDS * 1000,
      intervalMs: Math.min(settings.pollIntervalSeconds, GATE_PROBE_SECONDS) * 1000,
      deadline: 'clip'
    },
    async () => {
      const sd = await describeServiceDeployment(ctx.aws, serviceDeploymentArn)
      const waiting = !sd || isUnavailable(sd) || sd.status === 'IN_PROGRESS'
      return { done: !waiting || clock.now() - started >= GATE_PROBE_SECONDS * 1000 }
    }
  )
  const report = await probe.stop()
  const window = formatDuration(GATE_PROBE_SECONDS)
  ctx.log.info(
    `Gate probe: ${report.requests} request(s) to the test route in ${window}, ${report.errors} failed`
  )
  const max = settings.maxProbeErrors
  return report.errors > max ? probeFailureMessage(report, 'gate on the test route', max) : undefined
}
