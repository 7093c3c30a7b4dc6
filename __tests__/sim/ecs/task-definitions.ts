// Task definitions and their revisions: the API handlers and the builder.
import type {
  DeregisterTaskDefinitionCommandInput,
  DescribeTaskDefinitionCommandInput,
  ListTaskDefinitionFamiliesCommandInput,
  ListTaskDefinitionsCommandInput,
  RegisterTaskDefinitionCommandInput,
  TaskDefinition
} from '@aws-sdk/client-ecs'
import { deepCopy } from '../copy.js'
import { tokenPage } from '../paging.js'
import type { EcsModel } from './index.js'
import type { TaskDefinitionRecord } from './records.js'

// Read-only fields of a described task definition; the SDK drops them from a RegisterTaskDefinition
// request (they are not in its input shape), so AWS never sees them.
export const READ_ONLY_TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'tags'
]

/** Registers a revision (world builders and RegisterTaskDefinition). */
export function addTaskDefinition(
  ecs: EcsModel,
  input: RegisterTaskDefinitionCommandInput
): TaskDefinitionRecord {
  const family = input.family ?? ''
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw ecs.error(
      'ClientException',
      'Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.'
    )
  }
  if (!input.containerDefinitions?.length) {
    throw ecs.error('ClientException', 'Container list cannot be empty.')
  }
  for (const c of input.containerDefinitions) {
    if (!c.name) throw ecs.error('ClientException', 'Container.name should not be null or empty.')
    if (!c.image) throw ecs.error('ClientException', 'Container.image should not be null or empty.')
  }
  const fargate = input.requiresCompatibilities?.includes('FARGATE')
  if (fargate && input.networkMode !== 'awsvpc') {
    throw ecs.error('ClientException', 'Fargate only supports network mode ‘awsvpc’.')
  }
  if (fargate && (!input.cpu || !input.memory)) {
    throw ecs.error('ClientException', `Fargate requires that 'cpu' be defined at the task level.`)
  }
  const body = deepCopy(input) as unknown as Record<string, unknown>
  for (const f of READ_ONLY_TASK_DEFINITION_FIELDS) delete body[f]
  const revisions = ecs.taskDefinitions.get(family) ?? []
  const revision = (revisions.at(-1)?.revision ?? 0) + 1
  const arn = ecs.world.arn('ecs', `task-definition/${family}:${revision}`)
  const td: TaskDefinition = {
    ...(body as TaskDefinition),
    taskDefinitionArn: arn,
    family,
    revision,
    status: 'ACTIVE',
    volumes: (body.volumes as TaskDefinition['volumes']) ?? [],
    placementConstraints: (body.placementConstraints as TaskDefinition['placementConstraints']) ?? [],
    requiresAttributes: [
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
      ...(input.networkMode === 'awsvpc' ? [{ name: 'ecs.capability.task-eni' }] : []),
      ...(input.executionRoleArn ? [{ name: 'ecs.capability.execution-role-ecr-pull' }] : [])
    ],
    compatibilities: input.networkMode === 'awsvpc' ? ['EC2', 'FARGATE'] : ['EC2'],
    registeredAt: new Date(ecs.now),
    registeredBy: `arn:aws:sts::${ecs.world.accountId}:assumed-role/github-deploy/zdt-sim`
  }
  const record: TaskDefinitionRecord = {
    arn,
    family,
    revision,
    status: 'ACTIVE',
    body: td,
    tags: [...(input.tags ?? [])]
  }
  revisions.push(record)
  ecs.taskDefinitions.set(family, revisions)
  return record
}

export function registerTaskDefinition(ecs: EcsModel, input: RegisterTaskDefinitionCommandInput) {
  const td = addTaskDefinition(ecs, input)
  return { taskDefinition: deepCopy(td.body), tags: deepCopy(td.tags) }
}

/** `family`, `family:revision` or an ARN; a bare family means its latest ACTIVE revision. */
export function findTaskDefinition(ecs: EcsModel, ref: string): TaskDefinitionRecord | undefined {
  const bare = ref.startsWith('arn:') ? (ref.split(':task-definition/')[1] ?? '') : ref
  const [family, rev] = bare.split(':')
  const revisions = ecs.taskDefinitions.get(family) ?? []
  if (rev === undefined) return revisions.filter(r => r.status === 'ACTIVE').at(-1)
  return revisions.find(r => r.revision === Number(rev))
}

export function describeTaskDefinition(ecs: EcsModel, input: DescribeTaskDefinitionCommandInput) {
  const td = findTaskDefinition(ecs, input.taskDefinition ?? '')
  if (!td) throw ecs.error('ClientException', 'Unable to describe task definition.')
  return {
    taskDefinition: deepCopy(td.body),
    ...(input.include?.includes('TAGS') ? { tags: deepCopy(td.tags) } : {})
  }
}

export function deregisterTaskDefinition(ecs: EcsModel, input: DeregisterTaskDefinitionCommandInput) {
  const ref = input.taskDefinition ?? ''
  if (!ref.includes(':'))
    throw ecs.error('ClientException', 'Revision must be specified for the task definition.')
  const td = findTaskDefinition(ecs, ref)
  if (!td) throw ecs.error('ClientException', 'The specified task definition does not exist.')
  td.status = 'INACTIVE'
  td.body.status = 'INACTIVE'
  td.body.deregisteredAt = new Date(ecs.now)
  return { taskDefinition: deepCopy(td.body) }
}

export function listTaskDefinitions(ecs: EcsModel, input: ListTaskDefinitionsCommandInput) {
  const status = input.status ?? 'ACTIVE'
  let all = [...ecs.taskDefinitions.values()]
    .flat()
    .filter(td => td.status === status && (!input.familyPrefix || td.family.startsWith(input.familyPrefix)))
    .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision)
  if (input.sort === 'DESC') all = all.reverse()
  const { items, next } = tokenPage(
    all.map(td => td.arn),
    input.nextToken,
    input.maxResults ?? 100
  )
  return { taskDefinitionArns: items, nextToken: next }
}

/**
 * Family names, sorted, starting with `familyPrefix`. Without `status` every family that ever had a
 * revision; ACTIVE only those with an ACTIVE revision, INACTIVE only those without one.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTaskDefinitionFamilies.html
 */
export function listTaskDefinitionFamilies(ecs: EcsModel, input: ListTaskDefinitionFamiliesCommandInput) {
  const families = [...ecs.taskDefinitions.entries()]
    .filter(([family]) => !input.familyPrefix || family.startsWith(input.familyPrefix))
    .filter(([, revisions]) => {
      const active = revisions.some(td => td.status === 'ACTIVE')
      return input.status === 'ACTIVE' ? active : input.status === 'INACTIVE' ? !active : true
    })
    .map(([family]) => family)
    .sort()
  const { items, next } = tokenPage(families, input.nextToken, input.maxResults ?? 100)
  return { families: items, nextToken: next }
}

export function activeTaskDefinition(ecs: EcsModel, ref: string | undefined): TaskDefinitionRecord {
  const td = findTaskDefinition(ecs, ref ?? '')
  if (!td) throw ecs.error('ClientException', 'TaskDefinition not found.')
  if (td.status !== 'ACTIVE') throw ecs.error('ClientException', 'TaskDefinition is inactive')
  return td
}
