// Errors shaped exactly like the SDK v3 builds them from a real response, so code that checks
// `name`, `Code`, `$fault`, `$metadata.httpStatusCode` or `instanceof XxxException` behaves as on AWS.
// Query-protocol services (ELBv2, Auto Scaling, EC2) carry the wire code in `Code` and the modelled
// exception's class name in `name` (TargetGroupNotFound -> TargetGroupNotFoundException); ECS (JSON)
// has only `name`. Unmodelled codes (ValidationError, Throttling) come back as the service's base
// exception with `name` = the code, as the SDK does.
import * as autoscaling from '@aws-sdk/client-auto-scaling'
import * as logs from '@aws-sdk/client-cloudwatch-logs'
import * as ec2 from '@aws-sdk/client-ec2'
import * as ecs from '@aws-sdk/client-ecs'
import * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2'

export type ServiceKey = 'ecs' | 'elbv2' | 'autoscaling' | 'ec2' | 'logs'

/** The IAM prefix of each service: what recorded calls and IAM policies name actions by. */
export const IAM_PREFIX: Record<ServiceKey, string> = {
  ecs: 'ecs',
  elbv2: 'elasticloadbalancing',
  autoscaling: 'autoscaling',
  ec2: 'ec2',
  logs: 'logs'
}

/** The SDK's own name for each service, as used in "sim: <Service>:<Operation> is not modelled". */
export const SERVICE_NAME: Record<ServiceKey, string> = {
  ecs: 'ECS',
  elbv2: 'ElasticLoadBalancingV2',
  autoscaling: 'AutoScaling',
  ec2: 'EC2',
  logs: 'CloudWatchLogs'
}

interface ExceptionOptions {
  message: string
  $metadata: { httpStatusCode: number; requestId: string; attempts: number; totalRetryDelay: number }
  name?: string
  $fault?: 'client' | 'server'
  /** Query-protocol exceptions also carry the text as `Message`. */
  Message?: string
}
type ExceptionClass = new (opts: ExceptionOptions) => Error

const MODULES: Record<
  ServiceKey,
  { exports: Record<string, unknown>; base: ExceptionClass; query: boolean }
> = {
  ecs: { exports: ecs, base: ecs.ECSServiceException as unknown as ExceptionClass, query: false },
  elbv2: {
    exports: elbv2,
    base: elbv2.ElasticLoadBalancingV2ServiceException as unknown as ExceptionClass,
    query: true
  },
  autoscaling: {
    exports: autoscaling,
    base: autoscaling.AutoScalingServiceException as unknown as ExceptionClass,
    query: true
  },
  ec2: { exports: ec2, base: ec2.EC2ServiceException as unknown as ExceptionClass, query: true },
  logs: {
    exports: logs,
    base: logs.CloudWatchLogsServiceException as unknown as ExceptionClass,
    query: false
  }
}

let requestCounter = 0

function modelledClass(service: ServiceKey, code: string): ExceptionClass | undefined {
  const { exports, base } = MODULES[service]
  for (const candidate of [`${code}Exception`, `${code}Fault`, code]) {
    const cls = exports[candidate]
    if (typeof cls === 'function' && cls.prototype instanceof (base as unknown as typeof Error)) {
      return cls as ExceptionClass
    }
  }
  return undefined
}

/**
 * An AWS service error as the SDK would throw it. `code` is the wire code (`TargetGroupNotFound`,
 * `ValidationError`, `ScalingActivityInProgress`) or, for ECS, the exception name
 * (`ServiceNotFoundException`).
 */
export function awsError(service: ServiceKey, code: string, message: string, httpStatusCode = 400): Error {
  const $metadata = {
    httpStatusCode,
    requestId: `sim-${(++requestCounter).toString(16).padStart(8, '0')}`,
    attempts: 1,
    totalRetryDelay: 0
  }
  const $fault = httpStatusCode >= 500 ? 'server' : 'client'
  const cls = modelledClass(service, code)
  const error = cls
    ? new cls({ message, $metadata, ...(MODULES[service].query ? { Message: message } : {}) })
    : new MODULES[service].base({ name: code, $fault, message, $metadata })
  if (!cls) Object.assign(error, { $fault })
  if (MODULES[service].query) {
    Object.assign(error, {
      Code: code,
      ...(service === 'ec2' ? {} : { Type: $fault === 'server' ? 'Receiver' : 'Sender' })
    })
  }
  return error
}

/** The throttling error each service really answers with. */
export function throttlingError(service: ServiceKey): Error {
  switch (service) {
    case 'ecs':
      return awsError('ecs', 'ThrottlingException', 'Rate exceeded')
    case 'ec2':
      return awsError('ec2', 'RequestLimitExceeded', 'Request limit exceeded.', 503)
    default:
      return awsError(service, 'Throttling', 'Rate exceeded')
  }
}

/** A command the simulation does not implement: fails loudly rather than answering something made up. */
export class SimNotModelledError extends Error {
  constructor(
    readonly service: ServiceKey,
    readonly operation: string
  ) {
    super(
      `sim: ${SERVICE_NAME[service]}:${operation} is not modelled (add it to __tests__/sim/${service}.ts, or fail this path another way)`
    )
    this.name = 'SimNotModelledError'
  }
}
