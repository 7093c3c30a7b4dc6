// The task definition to register: from the `task-definition` file or the service's current one,
// with the image of one container replaced and the fields AWS returns but refuses on input removed.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type {
  ContainerDefinition,
  LoadBalancer,
  RegisterTaskDefinitionCommandInput,
  Tag,
  TaskDefinition
} from '@aws-sdk/client-ecs'
import { Inputs } from '../../constants.js'
import { pickContainer } from '../../aws/containers.js'
import { DeployError, errorMessage } from '../../errors.js'

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition rejects. */
export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt'
] as const

/** A task definition as read from a file or from AWS, before it is prepared for registration. */
export interface TaskDefinitionSource {
  /** Where it came from, for log lines: the file path or the current revision's ARN. */
  origin: string
  fromFile: boolean
  definition: Record<string, unknown>
  tags: Tag[]
}

/**
 * Parses a task-definition file: the bare RegisterTaskDefinition input, or the
 * `{ "taskDefinition": {...}, "tags": [...] }` that `aws ecs describe-task-definition` prints.
 */
export function parseTaskDefinitionFile(text: string, origin: string): TaskDefinitionSource {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new DeployError(
      `The task-definition file ${origin} is not valid JSON: ${errorMessage(e)}.`,
      `fix the JSON, e.g. with the output of 'aws ecs describe-task-definition --task-definition <family>'.`
    )
  }
  if (!isObject(parsed)) throw notATaskDefinition(origin, 'it is not a JSON object')
  const wrapped = isObject(parsed.taskDefinition)
  const definition = wrapped ? (parsed.taskDefinition as Record<string, unknown>) : parsed
  const tags = toTags(wrapped && Array.isArray(parsed.tags) ? parsed.tags : definition.tags)
  if (typeof definition.family !== 'string' || definition.family === '')
    throw notATaskDefinition(origin, "it has no 'family'")
  const containers = definition.containerDefinitions
  if (!Array.isArray(containers) || containers.length === 0)
    throw notATaskDefinition(origin, "it has no 'containerDefinitions'")
  if (!containers.every(c => isObject(c) && typeof c.name === 'string' && c.name !== ''))
    throw notATaskDefinition(origin, "a container definition has no 'name'")
  return { origin, fromFile: true, definition, tags }
}

/** Reads `task-definition` relative to the workspace (before any AWS call, so a bad file costs none). */
export async function loadTaskDefinitionFile(workspace: string, file: string): Promise<TaskDefinitionSource> {
  const full = path.resolve(workspace, file)
  let text: string
  try {
    text = await readFile(full, 'utf8')
  } catch (e) {
    throw new DeployError(
      `The task-definition file '${file}' could not be read (${full}): ${errorMessage(e)}.`,
      `set '${Inputs.TaskDefinition}' to a path relative to the workspace, and check out the repository (actions/checkout) before this step.`
    )
  }
  return parseTaskDefinitionFile(text, file)
}

export function sourceFromCurrent(taskDefinition: TaskDefinition, tags: Tag[]): TaskDefinitionSource {
  return {
    origin: taskDefinition.taskDefinitionArn ?? 'the current task definition',
    fromFile: false,
    definition: { ...taskDefinition } as Record<string, unknown>,
    tags
  }
}

export interface PrepareOptions {
  containerName: string | undefined
  image: string | undefined
  /** Tags every revision the action registers carries (zdt:managed-by, zdt:repo). */
  managedTags: Tag[]
}

export interface PreparedTaskDefinition {
  input: RegisterTaskDefinitionCommandInput
  /** The container whose image was replaced, when `image` was given. */
  container: string | undefined
  previousImage: string | undefined
}

/** Pure: strips read-only fields, replaces the image, merges tags. */
export function prepareTaskDefinition(
  source: TaskDefinitionSource,
  opts: PrepareOptions
): PreparedTaskDefinition {
  const body: Record<string, unknown> = { ...source.definition }
  for (const field of READ_ONLY_FIELDS) delete body[field]
  delete body.tags
  const containers = (body.containerDefinitions as ContainerDefinition[]).map(c => ({ ...c }))
  let container: string | undefined
  let previousImage: string | undefined
  if (opts.image !== undefined) {
    container = pickContainer(containers, opts.containerName)
    const target = containers.find(c => c.name === container)!
    previousImage = target.image
    target.image = opts.image
  }
  body.containerDefinitions = containers
  const tags = mergeTags(source.tags, opts.managedTags)
  const input = {
    ...body,
    ...(tags.length > 0 ? { tags } : {})
  } as unknown as RegisterTaskDefinitionCommandInput
  return { input, container, previousImage }
}

/**
 * Whether there is something new to register: a file (registering it is how its changes reach the
 * service), or an image other than the one the container runs.
 */
export function hasChanges(opts: {
  fromFile: boolean
  image: string | undefined
  currentImage: string | undefined
}): boolean {
  if (opts.fromFile) return true
  return opts.image !== undefined && opts.image !== opts.currentImage
}

/** `web (app=nginx:1.27)`: how a revision is named in log lines and the dry-run plan. */
export function describeDefinition(input: {
  family?: string
  containerDefinitions?: ContainerDefinition[]
}): string {
  const images = (input.containerDefinitions ?? []).map(c => `${c.name}=${c.image}`).join(', ')
  return `${input.family} (${images})`
}

// AWS-owned tags (`aws:cloudformation:stack-name`, ...) come back from DescribeTaskDefinition, but
// RegisterTaskDefinition rejects any key with the reserved `aws:` prefix (any case).
const RESERVED_TAG_PREFIX = /^aws:/i

function mergeTags(existing: Tag[], managed: Tag[]): Tag[] {
  const keys = new Set(managed.map(t => t.key))
  return [...existing.filter(t => !keys.has(t.key) && !RESERVED_TAG_PREFIX.test(t.key ?? '')), ...managed]
}

function toTags(raw: unknown): Tag[] {
  if (!Array.isArray(raw)) return []
  return raw
    .filter(isObject)
    .map(t => ({ key: String(t.key ?? t.Key ?? ''), value: String(t.value ?? t.Value ?? '') }))
    .filter(t => t.key !== '')
}

function notATaskDefinition(origin: string, why: string): DeployError {
  return new DeployError(
    `The task-definition file ${origin} is not a task definition: ${why}.`,
    `use the RegisterTaskDefinition input shape (family, containerDefinitions, ...) or the output of 'aws ecs describe-task-definition'.`
  )
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Throws when a container the service's load balancer targets is missing from the task definition
 * (ECS would refuse it); returns a warning for each targeted port the container does not map.
 */
export function checkLoadBalancerTargets(
  containers: ContainerDefinition[],
  loadBalancers: LoadBalancer[],
  origin: string
): string[] {
  const warnings: string[] = []
  for (const lb of loadBalancers) {
    if (lb.containerName === undefined) continue
    const c = containers.find(x => x.name === lb.containerName)
    const port = lb.containerPort
    if (!c) {
      const names = containers.map(x => x.name ?? '?').join(', ')
      throw new DeployError(
        `The task definition from ${origin} has no container '${lb.containerName}' (containers: ${names}), which the service's load balancer sends traffic to${port !== undefined ? ` on port ${port}` : ''}. Refused before changing anything.`,
        `keep container '${lb.containerName}' in the task definition (or set 'container-name' and the file to match it), or change the service's load balancer configuration first.`
      )
    }
    if (port !== undefined && !(c.portMappings ?? []).some(m => m.containerPort === port))
      warnings.push(
        `The task definition from ${origin} maps no containerPort ${port} in container '${lb.containerName}', which the service's load balancer sends traffic to: ECS may refuse it. Add { "containerPort": ${port} } to its portMappings.`
      )
  }
  return warnings
}
