// Polling the preview's ECS service on the injected clock: until it is stable (one deployment, every
// task running, ECS's own rollout COMPLETED), or until a service being deleted is gone.
import type { Service } from '@aws-sdk/client-ecs'
import { describeServicesWithTags } from '../../aws/ecs.js'
import { formatDuration } from '../../clock.js'
import { Inputs } from '../../constants.js'
import { DeployError } from '../../errors.js'
import type { PreviewContext } from './base.js'

export type Stability = { stable: true } | { stable: false; failed?: string; line: string }

/**
 * Pure: is the service steady on `taskDefinitionArn`, still moving, or failed? Without the revision
 * a describe that still shows the state before UpdateService (eventual consistency) would pass as
 * stable on the old one.
 */
export function serviceStability(s: Service | undefined, taskDefinitionArn?: string): Stability {
  // Just created, a service can be MISSING to the first describes (eventual consistency).
  if (!s) return { stable: false, line: 'preview service: not visible yet' }
  if (s.status !== 'ACTIVE') return { stable: false, line: `preview service: ${s.status}` }
  const deployments = s.deployments ?? []
  const primary = deployments.find(d => d.status === 'PRIMARY') ?? deployments[0]
  if (
    taskDefinitionArn &&
    s.taskDefinition !== taskDefinitionArn &&
    primary?.taskDefinition !== taskDefinitionArn
  ) {
    // The circuit breaker's rollback leaves ours FAILED behind a new PRIMARY of the old revision.
    const ours = deployments.find(d => d.taskDefinition === taskDefinitionArn && d.rolloutState === 'FAILED')
    const line = `preview service: ${taskDefinitionArn.split('/').pop()} not deployed yet`
    return ours
      ? { stable: false, failed: ours.rolloutStateReason ?? 'rollout failed', line }
      : { stable: false, line }
  }
  const desired = s.desiredCount ?? 0
  const running = primary?.runningCount ?? s.runningCount ?? 0
  const rollout = primary?.rolloutState
  const line = `preview service: ${running}/${desired} running, ${deployments.length} deployment(s)${rollout ? `, rollout ${rollout}` : ''}`
  if (rollout === 'FAILED')
    return { stable: false, failed: primary?.rolloutStateReason ?? 'rollout failed', line }
  const stable =
    deployments.length <= 1 && running >= desired && (rollout === undefined || rollout === 'COMPLETED')
  return stable ? { stable: true } : { stable: false, line }
}

export async function waitForStable(
  ctx: PreviewContext,
  cluster: string,
  name: string,
  taskDefinitionArn: string
): Promise<Service> {
  const { clock, log, settings, aws } = ctx
  const started = clock.now()
  const deadline = started + settings.waitTimeoutSeconds * 1000
  for (;;) {
    const [s] = await describeServicesWithTags(aws, cluster, [name])
    const state = serviceStability(s, taskDefinitionArn)
    if (state.stable) {
      log.info(`Preview service ${name} is stable after ${log.elapsed(started)}.`)
      return s
    }
    log.change(`preview-stable:${name}`, state.line)
    if (state.failed)
      throw new DeployError(
        `The preview service ${name} failed to deploy: ${state.failed}`,
        `check the stopped tasks and the application logs of ${name}; the image may not start or may fail its health check.`
      )
    if (clock.now() + settings.pollIntervalSeconds * 1000 > deadline) {
      const event = s?.events?.[0]?.message
      throw new DeployError(
        `The preview service ${name} was not stable within ${formatDuration(settings.waitTimeoutSeconds)} (${state.line})${event ? `; last ECS event: ${event}` : ''}.`,
        `check why its tasks do not start or stay unhealthy (ECS events, stopped tasks, target health), or raise '${Inputs.WaitTimeout}'.`
      )
    }
    await clock.sleep(settings.pollIntervalSeconds * 1000)
  }
}

/** Waits while a deleted service with this name is still DRAINING (ECS refuses to reuse the name). */
export async function waitUntilGone(ctx: PreviewContext, cluster: string, name: string): Promise<void> {
  const { clock, log, settings, aws } = ctx
  const started = clock.now()
  const deadline = started + settings.waitTimeoutSeconds * 1000
  for (;;) {
    const [s] = await describeServicesWithTags(aws, cluster, [name])
    if (!s || s.status === 'INACTIVE') {
      log.info(`The previous service ${name} is gone after ${log.elapsed(started)}.`)
      return
    }
    log.change(
      `preview-gone:${name}`,
      `previous service ${name} is ${s.status}: waiting for ECS to finish removing it`
    )
    if (clock.now() + settings.pollIntervalSeconds * 1000 > deadline)
      throw new DeployError(
        `The previous preview service ${name} was still ${s.status} after ${formatDuration(settings.waitTimeoutSeconds)}.`,
        `wait for ECS to finish deleting it and run the deploy again, or raise '${Inputs.WaitTimeout}'.`
      )
    await clock.sleep(settings.pollIntervalSeconds * 1000)
  }
}
