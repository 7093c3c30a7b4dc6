// RunTask: one-off tasks outside any service (a migration before a deploy). The command override
// decides what the container does (sim.setCommandBehavior); its image can still fail the start.
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RunTask.html
import type { RunTaskCommandInput } from '@aws-sdk/client-ecs'
import { clusterByRef } from './clusters.js'
import type { EcsModel } from './index.js'
import { findTaskDefinition } from './task-definitions.js'
import { launchTask } from './task-lifecycle.js'
import { findTask, taskShape } from './tasks.js'
import { checkNetwork } from './validation.js'

// Launch type or capacity providers, not both (InvalidParameterException).
// A clientToken makes the call idempotent for 24 hours: the same token with the same parameters
// returns the first call's tasks, with other parameters a ConflictException
// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/ECS_Idempotency.html).
export function runTask(ecs: EcsModel, input: RunTaskCommandInput) {
  const cluster = clusterByRef(ecs, input.cluster)
  if (input.launchType && input.capacityProviderStrategy?.length)
    throw ecs.error(
      'InvalidParameterException',
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.'
    )
  const count = input.count ?? 1
  if (count < 1 || count > 10) throw ecs.error('InvalidParameterException', 'Count must be between 1 and 10.')
  const key = input.clientToken ? `${cluster.arn}|${input.clientToken}` : undefined
  const { clientToken: _token, ...params } = input
  const seen = key ? ecs.runTaskTokens.get(key) : undefined
  if (seen) {
    if (seen.params !== JSON.stringify(params))
      throw ecs.error(
        'ConflictException',
        'The request uses the same client token as a previous, but non-identical request.'
      )
    return {
      tasks: seen.taskIds.flatMap(id => findTask(ecs, cluster, id) ?? []).map(t => taskShape(t, false)),
      failures: []
    }
  }
  const td = findTaskDefinition(ecs, input.taskDefinition ?? '')
  if (!td) throw ecs.error('ClientException', 'Unable to find task definition.')
  if (td.status !== 'ACTIVE') throw ecs.error('ClientException', 'TaskDefinition is inactive')
  checkNetwork(ecs, td, input.networkConfiguration)

  const containers = td.body.containerDefinitions ?? []
  const override = input.overrides?.containerOverrides?.find(o => o.command?.length)
  const named = containers.find(c => c.name === override?.name)
  if (override && !named)
    throw ecs.error(
      'InvalidParameterException',
      `Override for container named ${override.name} is not a container in the TaskDefinition.`
    )
  const runs = named ?? containers.find(c => c.essential !== false) ?? containers[0]
  const image = ecs.world.apps.forImage(runs?.image ?? '')
  // The command's behaviour: it runs, writes its lines over its run, and exits; the image may still
  // fail the start (a pull error) or be unplaceable.
  const command = ecs.world.apps.forCommand(override?.command ?? runs?.command ?? [])
  const runSeconds = command.runSeconds ?? 10
  const lines = command.logLines ?? []
  if (image.unplaceable) return { tasks: [], failures: [{ arn: td.arn, reason: 'RESOURCE:MEMORY' }] }
  const tasks = Array.from({ length: count }, () =>
    launchTask(
      ecs,
      td,
      {
        ...image,
        crashAfterSeconds: runSeconds,
        exitCode: command.exitCode ?? 0,
        logLines: lines,
        logEverySeconds: runSeconds / (lines.length + 1)
      },
      {
        clusterArn: cluster.arn,
        serviceName: undefined,
        deploymentId: undefined,
        launchType: input.launchType ?? (input.capacityProviderStrategy?.length ? 'FARGATE' : undefined),
        tags: [...(input.tags ?? [])],
        startedBy: input.startedBy,
        group: input.group ?? `family:${td.family}`,
        logContainer: runs?.name
      }
    )
  )
  if (key) ecs.runTaskTokens.set(key, { params: JSON.stringify(params), taskIds: tasks.map(t => t.id) })
  return { tasks: tasks.map(t => taskShape(t, false)), failures: [] }
}
