// The choke point every AWS call goes through: retry with backoff on throttling and transient
// errors (sleeping on the injected clock), and dry-run for every mutating call.
import type { Clock } from '../clock.js'
import { awsErrorCode, errorMessage, hasErrorCode } from '../errors.js'
import type { Reporter } from '../report.js'
import type { AwsClients } from './clients.js'

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
  'EC2ThrottledException',
  'BandwidthLimitExceeded'
])
const TRANSIENT = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'ServerException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT'
])

// ECS answers concurrent RegisterTaskDefinition calls for one family (parallel deploys of services
// sharing it) with a plain 400 ClientException; nothing was registered, so backing off is safe.
const CONCURRENT_REVISION = /too many concurrent attempts to create a new revision/i

export function isThrottling(e: unknown): boolean {
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
  if (hasErrorCode(e, 'ClientException') && CONCURRENT_REVISION.test(errorMessage(e))) return true
  return hasErrorCode(e, ...THROTTLING) || status === 429
}

// A connection lost before the answer came: once its own retries are spent, the SDK throws it as a
// plain Error ("AWS SDK error wrapper for TimeoutError: socket hang up"), with no code to test.
const CONNECTION_LOST = /\b(socket hang up|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT)\b/

export function isRetryable(e: unknown): boolean {
  if (isThrottling(e)) return true
  const status = (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode
  return (
    hasErrorCode(e, ...TRANSIENT) ||
    (status !== undefined && status >= 500) ||
    CONNECTION_LOST.test(errorMessage(e))
  )
}

export class ThrottlingExhaustedError extends Error {
  constructor(
    readonly operation: string,
    readonly attempts: number,
    cause: unknown
  ) {
    super(`${operation} kept failing after ${attempts} attempts: ${errorMessage(cause)}`, { cause })
    this.name = 'ThrottlingExhaustedError'
  }
}

export interface AwsApiOptions {
  clock: Clock
  log: Reporter
  dryRun: boolean
  maxAttempts?: number
  /** Injected so the simulation stays deterministic. */
  random?: () => number
  /** Once it aborts, no new mutating call starts (nor a retry of one): the run is cancelled. */
  signal?: AbortSignal
}

/** A mutating call, made or (in dry-run) planned, with the parameters the log and the plan show. */
export interface Mutation {
  operation: string
  params: Record<string, unknown>
}

export interface RetryOptions {
  /** Attempts in all, the first one included (6). */
  attempts?: number
  /** The wait before attempt n+1 is n times this (1000 ms). */
  backoffMs?: number
  /** Says why it tries again; a debug line by default. */
  onRetry?: (e: unknown, attempt: number) => void
}

export class AwsApi {
  readonly dryRun: boolean
  /** Mutating calls made (or, in dry-run, planned), in order: the dry-run plan and the summary. */
  readonly mutations: Mutation[] = []
  private readonly maxAttempts: number
  private readonly random: () => number

  constructor(
    readonly clients: AwsClients,
    private readonly opts: AwsApiOptions,
    /** Shared by the views boundTo makes, so the plan and the summary see every call. */
    mutations?: Mutation[]
  ) {
    this.dryRun = opts.dryRun
    this.maxAttempts = opts.maxAttempts ?? 10
    this.random = opts.random ?? Math.random
    if (mutations) this.mutations = mutations
  }

  /**
   * The same clients and record under another signal and clock: what a cancelled run's safe state
   * calls through, while the run's own AwsApi refuses every new write.
   */
  boundTo(signal: AbortSignal, clock: Clock): AwsApi {
    return new AwsApi(this.clients, { ...this.opts, signal, clock }, this.mutations)
  }

  /** A read-only call (Describe*, List*, Get*): retried, also made in dry-run. */
  read<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return this.withRetry(operation, call)
  }

  /**
   * A mutating call. In dry-run it is printed with its key parameters and not made; `planned` is
   * what the caller gets back instead, so the plan can go on to the next step.
   */
  async write<T>(
    operation: string,
    params: Record<string, unknown>,
    call: () => Promise<T>,
    planned: T
  ): Promise<T> {
    this.opts.signal?.throwIfAborted()
    this.mutations.push({ operation, params })
    if (this.dryRun) {
      this.opts.log.info(`[dry-run] would call ${operation} ${JSON.stringify(params)}`)
      return planned
    }
    return this.withRetry(operation, call, true)
  }

  /**
   * Retries `call` while it fails with one of `codes` (or as `when` says): eventual consistency right
   * after a create, a resource still in use for a moment. Waits `backoffMs` times the attempt number
   * between attempts; the last attempt's error is thrown as it is.
   */
  async retryOn<T>(
    when: string[] | ((e: unknown) => boolean),
    operation: string,
    call: () => Promise<T>,
    options: RetryOptions = {}
  ): Promise<T> {
    const attempts = options.attempts ?? 6
    const matches = typeof when === 'function' ? when : (e: unknown) => hasErrorCode(e, ...when)
    for (let attempt = 1; ; attempt++) {
      try {
        return await call()
      } catch (e) {
        if (attempt >= attempts || !matches(e)) throw e
        if (options.onRetry) options.onRetry(e, attempt)
        else this.opts.log.debug(`${operation}: ${awsErrorCode(e)}, trying again (${attempt}/${attempts})`)
        await this.opts.clock.sleep((options.backoffMs ?? 1000) * attempt)
      }
    }
  }

  private async withRetry<T>(operation: string, call: () => Promise<T>, mutating = false): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      // A retry of a write is a new write: a cancelled run starts none.
      if (mutating && attempt > 1) this.opts.signal?.throwIfAborted()
      try {
        return await call()
      } catch (e) {
        if (!isRetryable(e)) throw e
        if (attempt >= this.maxAttempts) throw new ThrottlingExhaustedError(operation, attempt, e)
        // Full jitter, capped: throttled callers spread out instead of retrying in lockstep.
        const capMs = Math.min(20_000, 500 * 2 ** (attempt - 1))
        const delayMs = Math.round(capMs / 2 + (this.random() * capMs) / 2)
        this.opts.log.debug(`${operation}: ${awsErrorCode(e) ?? 'error'}, retry ${attempt} in ${delayMs} ms`)
        await this.opts.clock.sleep(delayMs)
      }
    }
  }
}

/** Every page of a paged read, in order. */
export async function allPages<T>(
  page: (token: string | undefined) => Promise<[T[], string | undefined]>
): Promise<T[]> {
  const items: T[] = []
  let token: string | undefined
  do {
    const [some, next] = await page(token)
    items.push(...some)
    token = next
  } while (token)
  return items
}
