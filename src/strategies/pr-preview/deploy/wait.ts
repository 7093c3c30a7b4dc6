// Waiting for the preview's ECS service (src/poll.ts): until it is stable (one deployment, every task
// running, ECS's own rollout COMPLETED), or until a service being deleted is gone.
import type { Service } from '@aws-sdk/client-ecs'
import { describeServicesWithTags } from '../../../aws/ecs.js'
import { serviceStability } from '../../../aws/ecs-deployments.js'
import { formatDuration } from '../../../clock.js'
import { Inputs } from '../../../constants.js'
import { DeployError } from '../../../errors.js'
import { pollUntil } from '../../../poll.js'
import type { PreviewContext } from '../base.js'

export async function waitForStable(
  ctx: PreviewContext,
  cluster: string,
  name: string,
  taskDefinitionArn: string
): Promise<Service> {
  const { clock, log, settings, aws } = ctx
  const started = clock.now()
  const { last } = await pollUntil(
    ctx,
    {
      key: `preview-stable:${name}`,
      ...every(settings),
      timedOut: ({ service, status }) => {
        const event = service?.events?.[0]?.message
        return new DeployError(
          `The preview service ${name} was not stable within ` +
            `${formatDuration(settings.waitTimeoutSeconds)} ` +
            `(${status})${event ? `; last ECS event: ${event}` : ''}.`,
          `check why its tasks do not start or stay unhealthy (ECS events, stopped tasks, target health), ` +
            `or raise '${Inputs.WaitTimeout}'.`
        )
      }
    },
    async () => {
      const [service] = await describeServicesWithTags(aws, cluster, [name])
      const state = serviceStability(service, taskDefinitionArn)
      if (state.stable) return { done: true, service }
      const failure = state.failed
        ? new DeployError(
            `The preview service ${name} failed to deploy: ${state.failed}`,
            `check the stopped tasks and the application logs of ${name}; the image may not start or may ` +
              `fail its health check.`
          )
        : undefined
      return { done: false, status: state.line, failure, service }
    }
  )
  log.info(`Preview service ${name} is stable after ${log.elapsed(started)}.`)
  return last.service!
}

/** Waits while a deleted service with this name is still DRAINING (ECS refuses to reuse the name). */
export async function waitUntilGone(ctx: PreviewContext, cluster: string, name: string): Promise<void> {
  const { clock, log, settings, aws } = ctx
  const started = clock.now()
  await pollUntil(
    ctx,
    {
      key: `preview-gone:${name}`,
      line: status => `previous service ${name} is ${status}: waiting for ECS to finish removing it`,
      ...every(settings),
      timedOut: ({ status }) =>
        new DeployError(
          `The previous preview service ${name} was still ${status} after ` +
            `${formatDuration(settings.waitTimeoutSeconds)}.`,
          `wait for ECS to finish deleting it and run the deploy again, or raise '${Inputs.WaitTimeout}'.`
        )
    },
    async () => {
      const [s] = await describeServicesWithTags(aws, cluster, [name])
      return !s || s.status === 'INACTIVE' ? { done: true } : { done: false, status: s.status }
    }
  )
  log.info(`The previous service ${name} is gone after ${log.elapsed(started)}.`)
}

/** Every `poll-interval`, each wait bounded by `wait-timeout`; no look would end past it. */
function every(settings: PreviewContext['settings']) {
  return {
    timeoutMs: settings.waitTimeoutSeconds * 1000,
    intervalMs: settings.pollIntervalSeconds * 1000,
    deadline: 'whole' as const
  }
}
