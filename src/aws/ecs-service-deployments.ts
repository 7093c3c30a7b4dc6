// The thin layer over ECS's service-deployment APIs (2024-2026): how a BLUE_GREEN, LINEAR or CANARY
// deployment stands stage by stage, its revisions, and the two ways to steer it (continue a paused
// hook, stop with a rollback). One AWS operation per function. An endpoint that does not implement
// these calls (an emulator such as moto) answers `{ unavailable }` instead of an error retried ten times.
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  type DeploymentLifecycleHookAction,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
  type ServiceDeploymentStatus,
  type ServiceRevision
} from '@aws-sdk/client-ecs'
import { awsErrorCode, hasErrorCode } from '../errors.js'
import type { AwsApi } from './api.js'

/** The call is not implemented where it was sent; `reason` says what answered instead. */
export interface Unavailable {
  unavailable: string
}

export function isUnavailable<T>(x: T | Unavailable): x is Unavailable {
  return typeof x === 'object' && x !== null && 'unavailable' in x
}

const NOT_IMPLEMENTED = ['UnknownOperation', 'InvalidAction', 'NotImplemented', 'UnsupportedOperation']

/**
 * Why an error means "this endpoint has no such operation": a not-implemented code, HTTP 501, or an
 * HTTP 500 whose body is not an AWS answer at all (moto's HTML page). Real AWS's 500s are JSON.
 */
function notImplemented(e: unknown): string | undefined {
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
  if (hasErrorCode(e, ...NOT_IMPLEMENTED)) return `${awsErrorCode(e)}`
  if (status === 501) return 'HTTP 501 Not Implemented'
  if (status === 500 && hasErrorCode(e, 'SyntaxError')) return 'HTTP 500 with no AWS answer in the body'
  return undefined
}

/** Runs `send` under aws.read, turning "not implemented" into `{ unavailable }` (not retried). */
function readOrUnavailable<T>(aws: AwsApi, operation: string, send: () => Promise<T>) {
  return aws.read(operation, async (): Promise<T | Unavailable> => {
    try {
      return await send()
    } catch (e) {
      const reason = notImplemented(e)
      if (reason === undefined) throw e
      return { unavailable: `${operation} is not available at this endpoint (${reason})` }
    }
  })
}

/** The service's deployments, newest first, optionally only those in `status`. */
export async function listServiceDeployments(
  aws: AwsApi,
  cluster: string,
  service: string,
  status?: ServiceDeploymentStatus[]
): Promise<ServiceDeploymentBrief[] | Unavailable> {
  const out = await readOrUnavailable(aws, 'ecs:ListServiceDeployments', () =>
    aws.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster, service, status, maxResults: 20 }))
  )
  if (isUnavailable(out)) return out
  return out.serviceDeployments ?? []
}

export async function describeServiceDeployment(
  aws: AwsApi,
  arn: string
): Promise<ServiceDeployment | undefined | Unavailable> {
  const out = await readOrUnavailable(aws, 'ecs:DescribeServiceDeployments', () =>
    aws.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))
  )
  if (isUnavailable(out)) return out
  return out.serviceDeployments?.[0]
}

export async function describeServiceRevision(
  aws: AwsApi,
  arn: string
): Promise<ServiceRevision | undefined | Unavailable> {
  const out = await readOrUnavailable(aws, 'ecs:DescribeServiceRevisions', () =>
    aws.clients.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [arn] }))
  )
  if (isUnavailable(out)) return out
  return out.serviceRevisions?.[0]
}

/** Answers a PAUSE hook that is AWAITING_ACTION: go on to the next stage, or roll back to blue. */
export async function continueServiceDeployment(
  aws: AwsApi,
  serviceDeploymentArn: string,
  hookId: string,
  action: DeploymentLifecycleHookAction
): Promise<void> {
  const params = { serviceDeploymentArn, hookId, action }
  await aws.write(
    'ecs:ContinueServiceDeployment',
    params,
    () => aws.clients.ecs.send(new ContinueServiceDeploymentCommand(params)),
    undefined
  )
}

/** Stops an ongoing deployment with ECS's own rollback to the revision it replaces. */
export async function stopServiceDeploymentWithRollback(aws: AwsApi, serviceDeploymentArn: string) {
  const params = { serviceDeploymentArn, stopType: 'ROLLBACK' as const }
  await aws.write(
    'ecs:StopServiceDeployment',
    params,
    () => aws.clients.ecs.send(new StopServiceDeploymentCommand(params)),
    undefined
  )
}
