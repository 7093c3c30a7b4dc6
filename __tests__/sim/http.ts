// HTTP through the simulated ALB: the URL's host is a load balancer's DNS name, its port picks the
// listener, rules pick the target group, and the target's app answers (or the ALB answers 502/503/504
// for it). Every request is recorded, the action's and the background traffic's alike, so a test can
// assert that no request failed during a whole deploy.
import type { HttpErrorKind, HttpProber, HttpRequest, HttpResult } from '../../src/http.js'
import type { VirtualClock } from './clock.js'
import { pickTarget, route } from './elbv2/routing.js'
import type { World } from './world.js'

export interface RequestRecord {
  atMs: number
  url: string
  headers: Record<string, string>
  /** `action` for the code under test, the traffic's name for background traffic. */
  source: string
  status?: number
  location?: string
  error?: HttpErrorKind
  /** Which listener rule matched: `default` or `priority 10`. */
  rule?: string
  targetGroupArn?: string
  /** The target (task IP or instance id) that got the request. */
  targetId?: string
  /** The task ARN or instance id behind that target. */
  owner?: string
  latencyMs: number
}

/** A request that a user would call an outage: no answer, or a 5xx. */
export function isFailure(r: Pick<RequestRecord, 'status' | 'error'>): boolean {
  return r.status === undefined || r.status >= 500
}

export class RequestLog {
  readonly all: RequestRecord[] = []

  record(r: RequestRecord): void {
    this.all.push(r)
  }

  /** Requests of one source (`action`, a traffic name), or all. */
  list(source?: string): RequestRecord[] {
    return source === undefined ? [...this.all] : this.all.filter(r => r.source === source)
  }

  /** Failed requests (no answer or 5xx), optionally of one source and within [fromMs, toMs]. */
  failures(source?: string, fromMs = -Infinity, toMs = Infinity): RequestRecord[] {
    return this.list(source).filter(r => isFailure(r) && r.atMs >= fromMs && r.atMs <= toMs)
  }

  /** `{ '200': 120, '502': 3, timeout: 1 }` */
  countsByOutcome(source?: string): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const r of this.list(source)) {
      const k = r.status !== undefined ? String(r.status) : (r.error ?? 'error')
      counts[k] = (counts[k] ?? 0) + 1
    }
    return counts
  }

  clear(): void {
    this.all.length = 0
  }
}

export interface TrafficOptions {
  headers?: Record<string, string>
  /** Name of the source in the request log (default `traffic-1`, `traffic-2`, ...). */
  name?: string
}

export interface TrafficReport {
  name: string
  url: string
  requests: number
  failed: number
  /** `{ '200': 600, '502': 4 }` */
  byOutcome: Record<string, number>
  failures: RequestRecord[]
  firstFailureAtMs?: number
  lastFailureAtMs?: number
}

export interface Traffic {
  readonly name: string
  report(): TrafficReport
  /** Stops sending (the next tick does nothing) and returns the report. */
  stop(): TrafficReport
}

export class SimHttp {
  readonly requests = new RequestLog()
  private trafficCount = 0

  constructor(
    private readonly world: World,
    private readonly clock: VirtualClock
  ) {}

  /** An HttpProber for the code under test; its requests are recorded under `source`. */
  prober(source = 'action'): HttpProber {
    return req => this.request(req, source)
  }

  async request(req: HttpRequest, source: string): Promise<HttpResult> {
    this.world.advanceTo(this.clock.now())
    const atMs = this.clock.now()
    const headers = { ...req.headers }
    const base: RequestRecord = { atMs, url: req.url, headers, source, latencyMs: 0 }
    const done = (r: Partial<RequestRecord>): HttpResult => {
      const record = { ...base, ...r }
      this.requests.record(record)
      return {
        ...(record.status !== undefined ? { status: record.status } : {}),
        ...(record.location ? { location: record.location } : {}),
        ...(record.error ? { error: record.error, errorMessage: errorText(record.error, req.url) } : {}),
        latencyMs: record.latencyMs
      }
    }
    let url: URL
    try {
      url = new URL(req.url)
    } catch {
      return done({ error: 'other' })
    }
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
    const decision = route(
      this.world.elbv2,
      url.hostname,
      port,
      url.pathname || '/',
      url.searchParams,
      headers
    )
    if (decision.kind === 'no-load-balancer') return done({ error: 'dns', latencyMs: 2 })
    if (decision.kind === 'no-listener') return done({ error: 'refused', latencyMs: 2 })
    if (decision.kind === 'not-admitted') {
      // Dropped by a security group: nothing answers, the client gives up after its own timeout.
      await this.clock.sleep(req.timeoutMs)
      return done({ error: 'timeout', latencyMs: req.timeoutMs })
    }
    if (decision.kind === 'fixed') {
      return done({ status: decision.status, location: decision.location, rule: decision.rule, latencyMs: 2 })
    }
    const tg = decision.targetGroup
    if (!tg) return done({ status: 503, rule: decision.rule, latencyMs: 2 })
    const target = pickTarget(this.world.elbv2, tg)
    if (!target) return done({ status: 503, rule: decision.rule, targetGroupArn: tg.arn, latencyMs: 2 })
    const backend = this.world.endpoints.get(target.id)
    const answer = backend
      ? backend.answer(`${url.pathname}${url.search}`, this.clock.now())
      : ({ error: 'timeout', latencyMs: 0 } as const)
    const routed = { rule: decision.rule, targetGroupArn: tg.arn, targetId: target.id, owner: backend?.owner }
    if ('status' in answer) {
      return done({
        ...routed,
        status: answer.status,
        location: answer.location,
        latencyMs: answer.latencyMs
      })
    }
    if (answer.error === 'refused') return done({ ...routed, status: 502, latencyMs: 3 })
    // The target never answers: the ALB gives up after its idle timeout, the client maybe sooner.
    const idleMs = this.world.timing.albIdleTimeoutSeconds * 1000
    if (req.timeoutMs < idleMs) {
      await this.clock.sleep(req.timeoutMs)
      return done({ ...routed, error: 'timeout', latencyMs: req.timeoutMs })
    }
    await this.clock.sleep(idleMs)
    return done({ ...routed, status: 504, latencyMs: idleMs })
  }

  /**
   * Sends `perSecond` requests a second to `url` at virtual times of its own, independent of the
   * action, until stopped. Requests land in the request log under the traffic's name.
   */
  startTraffic(url: string, perSecond: number, opts: TrafficOptions = {}): Traffic {
    if (!(perSecond > 0)) throw new RangeError(`traffic rate ${perSecond}/s must be positive`)
    const name = opts.name ?? `traffic-${++this.trafficCount}`
    const intervalMs = 1000 / perSecond
    const from = this.requests.all.length
    let stopped = false
    const loop = async () => {
      while (!stopped) {
        void this.request({ url, headers: opts.headers, timeoutMs: 5000 }, name)
        await this.clock.sleep(intervalMs)
      }
    }
    void loop()
    const report = (): TrafficReport => {
      const mine = this.requests.all.slice(from).filter(r => r.source === name)
      const failures = mine.filter(isFailure)
      const byOutcome: Record<string, number> = {}
      for (const r of mine) {
        const k = r.status !== undefined ? String(r.status) : (r.error ?? 'error')
        byOutcome[k] = (byOutcome[k] ?? 0) + 1
      }
      return {
        name,
        url,
        requests: mine.length,
        failed: failures.length,
        byOutcome,
        failures,
        firstFailureAtMs: failures[0]?.atMs,
        lastFailureAtMs: failures.at(-1)?.atMs
      }
    }
    return {
      name,
      report,
      stop: () => {
        stopped = true
        return report()
      }
    }
  }
}

function errorText(error: HttpErrorKind, url: string): string {
  switch (error) {
    case 'dns':
      return `getaddrinfo ENOTFOUND ${safeHost(url)}`
    case 'refused':
      return `connect ECONNREFUSED ${safeHost(url)}`
    case 'timeout':
      return 'request timed out'
    default:
      return `bad URL ${url}`
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
