// The containers of a task definition: which one an `image` replaces, and what each one runs.
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs'
import { Inputs } from '../constants.js'
import { DeployError } from '../errors.js'

export interface PickOptions {
  /** Taken when `container-name` is not set and there are several containers (the load-balanced one). */
  fallback?: string
  /** How the task definition is named in the message, e.g. `task definition web:3`. */
  where?: string
}

/** The container whose image `image` replaces: `container-name`, else the only container, else the fallback. */
export function pickContainer(
  containers: ContainerDefinition[],
  containerName: string | undefined,
  options: PickOptions = {}
): string {
  const names = containers.map(c => c.name ?? '')
  const fix = `set '${Inputs.ContainerName}' to one of: ${names.join(', ')}.`
  const where = options.where ?? 'task definition'
  if (containerName !== undefined) {
    if (names.includes(containerName)) return containerName
    throw new DeployError(
      `The ${where} has no container named '${containerName}' (containers: ${names.join(', ')}).`,
      fix
    )
  }
  if (names.length === 1) return names[0]
  if (options.fallback !== undefined) return options.fallback
  throw new DeployError(
    `The ${where} has ${names.length} containers (${names.join(', ')}) and '${Inputs.ContainerName}' is not set, so it is unclear whose image to replace.`,
    fix
  )
}

/** The image a container of a task definition runs. */
export function imageOf(
  taskDefinition: Pick<TaskDefinition, 'containerDefinitions'>,
  containerName: string
): string | undefined {
  return taskDefinition.containerDefinitions?.find(c => c.name === containerName)?.image
}
