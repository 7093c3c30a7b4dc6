// Polling the preview's ECS service on the injected clock: until it is stable (one deployment, every
// task running, ECS's own rollout COMPLETED), or until a service being deleted is gone.
import type { Service } from '@aws-sdk/client-ecs'
import { describeServicesWithTags } from '../../aws/ecs.js'
import { serviceStability } from '../../aws/ecs-deployments.js'
import { formatDuration } from '../../clock.js'
import { Inputs } from '../../constants.js'
import { DeployError } from '../../errors.js'
import type { PreviewContext } from './base.js'

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
