// The crash's own words for a failed deploy: the last log lines of the tasks that stopped during the
// rollout, or else (the smoke test, the probe, the final verify failed) of the new revision's tasks;
// deduplicated across tasks (src/container-logs.ts).
import type { ContainerDefinition } from '@aws-sdk/client-ecs'
import { lastWords, tasksOfRevision } from '../../container-logs.js'
import { DeployError } from '../../errors.js'
import type { Preflight } from './preflight.js'
import { RolloutFailure } from './rollout.js'
import type { EcsContext } from './run.js'

export async function failureWords(
  ctx: EcsContext,
  pre: Preflight,
  failure: unknown,
  next: { arn: string; containers: ContainerDefinition[] }
): Promise<string | undefined> {
  if (!(failure instanceof DeployError)) return undefined
  // Tasks that stopped during the rollout say most; without any (a probe or smoke-test failure, a
  // timeout on unhealthy tasks), the new revision's tasks do.
  const stopped = failure instanceof RolloutFailure ? failure.stoppedTasks : []
  const tasks =
    stopped.length > 0
      ? stopped
      : await tasksOfRevision(ctx.aws, ctx.settings.cluster, ctx.settings.service, next.arn)
  return lastWords({ aws: ctx.aws, log: ctx.log, region: ctx.settings.region }, tasks, {
    container: pre.service.loadBalancers?.[0]?.containerName,
    taskDefinitions: [{ taskDefinitionArn: next.arn, containerDefinitions: next.containers }]
  })
}
