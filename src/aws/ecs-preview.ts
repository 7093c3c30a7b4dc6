// The ECS operations previews need beyond src/aws/ecs.ts: services created, scaled, deleted and found by
// tags; task definition revisions listed and deregistered. One AWS operation per function (plus paging).
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type CreateServiceCommandInput,
  type LoadBalancer,
  type Service
} from '@aws-sdk/client-ecs'
import { DeployError } from '../errors.js'
import type { AwsApi } from './api.js'
import { hasErrorCode } from './error-codes.js'

/** Services with their tags, 10 per call (the API's limit); names that do not exist are left out. */
export async function describeServicesWithTags(
  aws: AwsApi,
  cluster: string,
  services: string[]
): Promise<Service[]> {
  const found: Service[] = []
  for (let i = 0; i < services.length; i += 10) {
    const batch = services.slice(i, i + 10)
    try {
      const out = await aws.read('ecs:DescribeServices', () =>
        aws.clients.ecs.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] }))
      )
      found.push(...(out.services ?? []))
    } catch (e) {
      if (hasErrorCode(e, 'ClusterNotFound'))
        throw new DeployError(
          `ECS cluster '${cluster}' was not found.`,
          `check the 'cluster' input (name or ARN) and the region.`,
          { cause: e }
        )
      throw e
    }
  }
  return found
}

export async function listServiceArns(aws: AwsApi, cluster: string): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const out = await aws.read('ecs:ListServices', () =>
      aws.clients.ecs.send(new ListServicesCommand({ cluster, nextToken, maxResults: 100 }))
    )
    arns.push(...(out.serviceArns ?? []))
    nextToken = out.nextToken
  } while (nextToken)
  return arns
}

export async function createService(
  aws: AwsApi,
  input: CreateServiceCommandInput,
  planned: Service
): Promise<Service> {
  const out = await aws.write(
    'ecs:CreateService',
    {
      cluster: input.cluster,
      serviceName: input.serviceName,
      taskDefinition: input.taskDefinition,
      desiredCount: input.desiredCount,
      loadBalancers: input.loadBalancers
    },
    () => aws.clients.ecs.send(new CreateServiceCommand(input)),
    { $metadata: {}, service: planned }
  )
  if (!out.service?.serviceArn)
    throw new DeployError(`CreateService returned no service for ${input.serviceName}.`)
  return out.service
}

export interface ServiceUpdate {
  cluster: string
  service: string
  desiredCount: number
  taskDefinition?: string
  loadBalancers?: LoadBalancer[]
}

/** New task definition and/or desired count (and target group) for a service. */
export async function updateServiceCount(
  aws: AwsApi,
  params: ServiceUpdate,
  planned: Service
): Promise<Service> {
  const out = await aws.write(
    'ecs:UpdateService',
    { ...params },
    () => aws.clients.ecs.send(new UpdateServiceCommand({ ...params })),
    { $metadata: {}, service: planned }
  )
  return out.service ?? planned
}

/** Deletes a service even while tasks still run (`force`): ECS drains and stops them. */
export async function deleteService(aws: AwsApi, cluster: string, service: string): Promise<void> {
  await aws.write(
    'ecs:DeleteService',
    { cluster, service, force: true },
    () => aws.clients.ecs.send(new DeleteServiceCommand({ cluster, service, force: true })),
    undefined
  )
}

export async function tagEcsResource(aws: AwsApi, arn: string, tags: Record<string, string>): Promise<void> {
  await aws.write(
    'ecs:TagResource',
    { resourceArn: arn, tags },
    () =>
      aws.clients.ecs.send(
        new TagResourceCommand({
          resourceArn: arn,
          tags: Object.entries(tags).map(([key, value]) => ({ key, value }))
        })
      ),
    undefined
  )
}

/** ACTIVE revisions of one task definition family (`familyPrefix` is the full family name). */
export async function listTaskDefinitionArns(aws: AwsApi, family: string): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  do {
    const out = await aws.read('ecs:ListTaskDefinitions', () =>
      aws.clients.ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', nextToken, maxResults: 100 })
      )
    )
    arns.push(...(out.taskDefinitionArns ?? []))
    nextToken = out.nextToken
  } while (nextToken)
  return arns
}

export async function deregisterTaskDefinition(aws: AwsApi, arn: string): Promise<void> {
  await aws.write(
    'ecs:DeregisterTaskDefinition',
    { taskDefinition: arn },
    () => aws.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })),
    undefined
  )
}
