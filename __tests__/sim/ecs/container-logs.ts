// What a task's container writes through the awslogs driver: into the group of its log configuration,
// stream <awslogs-stream-prefix>/<container name>/<task id>
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html). Containers with
// another driver, or without a stream prefix, write nothing the model keeps.
import type { EcsModel } from './index.js'
import type { TaskRecord } from './records.js'
import { findTaskDefinition } from './task-definitions.js'

/** The awslogs group and stream of a container of a task, when it has them. */
export function streamOf(
  ecs: EcsModel,
  t: TaskRecord,
  container: string
): { group: string; stream: string } | undefined {
  const definition = findTaskDefinition(ecs, t.taskDefinitionArn)?.body.containerDefinitions?.find(
    c => c.name === container
  )
  const config = definition?.logConfiguration
  const group = config?.options?.['awslogs-group']
  const prefix = config?.options?.['awslogs-stream-prefix']
  if (config?.logDriver !== 'awslogs' || !group || !prefix) return undefined
  return { group, stream: `${prefix}/${container}/${t.id}` }
}

/** Schedules the behaviour's lines from now on, one every logEverySeconds; a stop cancels the rest. */
export function writeLogLines(ecs: EcsModel, t: TaskRecord): void {
  const lines = t.behavior.logLines ?? []
  const at = t.logContainer ? streamOf(ecs, t, t.logContainer) : undefined
  if (!at || lines.length === 0) return
  const everyMs = (t.behavior.logEverySeconds ?? 1) * 1000
  lines.forEach((line, i) =>
    t.events.push(
      ecs.world.timeline.after(i * everyMs, () => {
        if (t.lastStatus === 'RUNNING') ecs.world.logs.write(at.group, at.stream, line)
      })
    )
  )
}
