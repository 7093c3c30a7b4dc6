// Faults injected into the AWS API: throttling on a seeded fraction of calls, an error for the next
// N calls of an operation, and eventual consistency (a just-created resource not found for a while).
import { matchesOperation } from './calls.js'
import { awsError, IAM_PREFIX, throttlingError, type ServiceKey } from './errors.js'
import { deriveSeed, seededRandom } from './random.js'

export interface ThrottleOptions {
  /** Share of matching calls that are throttled, 0..1. */
  fraction: number
  /** Only these services (default: all). */
  services?: ServiceKey[]
  /** Only these operations (`elbv2:DescribeTargetHealth`, `DescribeTargetHealth`, ...). */
  operations?: string[]
}

export interface InjectedError {
  /** Wire code (`PriorityInUse`, `ValidationError`) or ECS exception name (`ServerException`). */
  code: string
  message?: string
  /** HTTP status (default 400; 5xx makes it a server fault the action retries). */
  status?: number
  /** How many of the next matching calls fail (default 1). */
  count?: number
}

/** Kinds of resources eventual consistency applies to. */
export type ResourceKind =
  'targetgroup' | 'listener' | 'rule' | 'loadbalancer' | 'service' | 'autoscalinggroup' | 'launchtemplate'

export interface ConsistencyOptions {
  /** A resource created from now on is not found by this many describes that ask for it. */
  describes: number
  /** Only these kinds (default: all). */
  kinds?: ResourceKind[]
}

interface PendingError extends InjectedError {
  operation: string
  remaining: number
}

export class Faults {
  private throttling: ThrottleOptions | undefined
  private readonly random: () => number
  private readonly pending: PendingError[] = []
  private consistency: ConsistencyOptions | undefined
  private readonly hiddenFor = new Map<string, number>()
  /** Calls answered with a throttling error so far. */
  throttled = 0

  constructor(seed: number) {
    this.random = seededRandom(deriveSeed(seed, 'throttle'))
  }

  /** Throttles `fraction` of matching calls from now on (deterministic for a seed and call sequence). */
  throttle(opts: ThrottleOptions): void {
    if (!(opts.fraction >= 0 && opts.fraction <= 1))
      throw new RangeError(`throttle fraction ${opts.fraction} is not in 0..1`)
    this.throttling = opts
  }

  stopThrottling(): void {
    this.throttling = undefined
  }

  /** The next `count` calls of `operation` (`elbv2:CreateRule`, `ecs:UpdateService`) fail with `error`. */
  failNext(operation: string, error: InjectedError): void {
    this.pending.push({ ...error, operation, remaining: error.count ?? 1 })
  }

  /** Resources created from now on stay invisible to the next `describes` describes that name them. */
  eventualConsistency(opts: ConsistencyOptions): void {
    this.consistency = opts
  }

  /** Hides one existing resource (ARN, name or id) from its next `describes` describes. */
  hide(resource: string, describes: number): void {
    this.hiddenFor.set(resource, describes)
  }

  /** Called before a command is handled: an injected error, a throttle, or nothing. */
  beforeCall(service: ServiceKey, operation: string): Error | undefined {
    const call = { service, operation, action: `${IAM_PREFIX[service]}:${operation}` }
    const injected = this.pending.find(p => p.remaining > 0 && matchesOperation(call, p.operation))
    if (injected) {
      injected.remaining--
      return awsError(
        service,
        injected.code,
        injected.message ?? `Injected ${injected.code}`,
        injected.status
      )
    }
    const t = this.throttling
    if (
      t &&
      (!t.services || t.services.includes(service)) &&
      (!t.operations || t.operations.some(o => matchesOperation(call, o))) &&
      this.random() < t.fraction
    ) {
      this.throttled++
      return throttlingError(service)
    }
    return undefined
  }

  /** Models call this when they create a resource; eventual consistency may hide it for a while. */
  created(kind: ResourceKind, ...keys: string[]): void {
    const c = this.consistency
    if (!c || c.describes <= 0 || (c.kinds && !c.kinds.includes(kind))) return
    for (const key of keys) this.hiddenFor.set(key, c.describes)
  }

  /** Whether a describe naming `key` must not see it yet; each answer counts as one describe. */
  hidden(...keys: string[]): boolean {
    for (const key of keys) {
      const left = this.hiddenFor.get(key)
      if (left !== undefined && left > 0) {
        for (const k of keys)
          if (this.hiddenFor.has(k)) this.hiddenFor.set(k, (this.hiddenFor.get(k) ?? 1) - 1)
        return true
      }
    }
    return false
  }
}
