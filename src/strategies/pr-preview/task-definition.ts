// The preview's task definition: the base service's, under the preview's own family, with `image` on
// the chosen container and the preview's tags.
import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs'
import { toEcsTags, type TagMap } from '../../aws/tags.js'

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
