// The preview's task definition: the base service's, under the preview's own family, with `image` on
// the chosen container and the preview's tags.
import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs'
import { imageOf } from '../../../aws/containers.js'
import { registerTaskDefinition } from '../../../aws/ecs.js'
import { toEcsTags, type TagMap } from '../../../aws/tags.js'
import { runPreDeployTask } from '../../ecs-rolling/pre-deploy.js'
import { made, recordCreated, type PreviewRun } from './run.js'

export function previewTaskDefinitionInput(
  base: TaskDefinition,
  family: string,
  container: string,
  image: string | undefined,
  tags: TagMap
): RegisterTaskDefinitionCommandInput {
  return {
    family,
    taskRoleArn: base.taskRoleArn,
    executionRoleArn: base.executionRoleArn,
    networkMode: base.networkMode,
    containerDefinitions: (base.containerDefinitions ?? []).map(c =>
      c.name === container && image ? { ...c, image } : c
    ),
    volumes: base.volumes,
    placementConstraints: base.placementConstraints,
    requiresCompatibilities: base.requiresCompatibilities,
    cpu: base.cpu,
    memory: base.memory,
    pidMode: base.pidMode,
    ipcMode: base.ipcMode,
    proxyConfiguration: base.proxyConfiguration,
    inferenceAccelerators: base.inferenceAccelerators,
    ephemeralStorage: base.ephemeralStorage,
    runtimePlatform: base.runtimePlatform,
    tags: toEcsTags(tags)
  }
}

export async function registerPreviewTaskDefinition(run: PreviewRun): Promise<void> {
  const { ctx, base, names } = run
  const container = base.imageContainer
  const input = previewTaskDefinitionInput(
    base.taskDefinition,
    names.family,
    container,
    ctx.settings.image,
    run.tags
  )
  const td = await registerTaskDefinition(ctx.aws, input)
  recordCreated(run, 'task definition', td.taskDefinitionArn)
  ctx.log.info(
    `Task definition ${td.family}:${td.revision ?? 'next'} runs ${imageOf(td, container) ?? '?'} in ${container}`
  )
  run.made.taskDefinition = td
}

/** The preview's own migrations (its database), from its revision, before its service changes. */
export async function runPreviewPreDeployTask(run: PreviewRun): Promise<void> {
  const revision = made(run, 'taskDefinition')
  await runPreDeployTask(run.ctx, {
    taskDefinitionArn: revision.taskDefinitionArn ?? '',
    containers: revision.containerDefinitions ?? [],
    service: run.base.service,
    command: run.ctx.settings.preDeployCommand ?? []
  })
}
