// The traffic probe: steady requests to the production URL while traffic moves, every failure
// recorded with its time, so a deploy proves (or disproves) its zero-downtime promise.
import type { Clock } from './clock.js'
import { Outputs as OutputNames } from './constants.js'
import type { HttpErrorKind, HttpProber } from './http.js'
import type { CommonSettings } from './inputs.js'
import type { Outputs } from './run-state.js'
import { statusAccepted, type StatusMatcher } from './parse.js'
import type { Reporter } from './report.js'

export interface ProbeOptions {
  url: string
  headers?: Record<string, string>
  accept: StatusMatcher
  ratePerSecond?: number
  maxConcurrency?: number
  requestTimeoutMs?: number
  /** Hard cap on requests, so a stuck deploy cannot make the probe run away. */
  maxRequests?: number
}

export interface ProbeSample {
  atMs: number
  status?: number
  error?: HttpErrorKind
  latencyMs: number
  ok: boolean
}

export interface FailureWindow {
  kind: string
  count: number
  fromMs: number
  toMs: number
}

export interface ProbeReport {
  url: string
  requests: number
  errors: number
  /** e.g. { '502': 14, timeout: 1 } */
  failuresByKind: Record<string, number>
  windows: FailureWindow[]
  latencyMs: { p50: number; p95: number; p99: number }
  skipped?: string
}

export interface ProbeDeps {
  http: HttpProber
  clock: Clock
  log: Reporter
}

// Failures closer together than this belong to one reported window.
const WINDOW_GAP_MS = 5000

export class TrafficProbe {
  private readonly samples: ProbeSample[] = []
  private inFlight = 0
  private stopped = false
  private loop: Promise<void> | undefined
  private readonly pending = new Set<Promise<void>>()
  private disabledReason: string | undefined
  private failingKind: string | undefined

  constructor(
    private readonly deps: ProbeDeps,
    readonly opts: ProbeOptions
  ) {}

  get requests(): number {
    return this.samples.length
  }

  get errors(): number {
    return this.samples.filter(s => !s.ok).length
  }

  /**
   * One request before anything changes: if the URL cannot be reached at all (an internal ALB, a
   * runner outside the VPC), say so once and go on without the probe rather than failing.
   */
  async preflight(): Promise<boolean> {
    const r = await this.deps.http({
      url: this.opts.url,
      headers: this.opts.headers,
      timeoutMs: this.timeoutMs
    })
    if (r.status === undefined) {
      this.disabledReason = `${this.opts.url} is not reachable from the runner (${r.error ?? 'error'}${r.errorMessage ? `: ${r.errorMessage}` : ''})`
      this.deps.log.warning(
        `Traffic probe disabled: ${this.disabledReason}. The deploy goes on without it; set 'url' to an address the runner can reach, or 'probe: false' to silence this.`
      )
      return false
    }
    if (!statusAccepted(this.opts.accept, r.status)) {
      this.deps.log.warning(
        `Traffic probe: ${this.opts.url} answers ${r.status} before the deploy (expected ${this.opts.accept.text}); failures counted from now on may predate the deploy.`
      )
    }
    return true
  }

  start(): void {
    if (this.disabledReason || this.loop) return
    this.deps.log.info(`Traffic probe: ${this.rate} requests/s to ${this.opts.url}`)
    this.loop = this.run()
  }

  async stop(): Promise<ProbeReport> {
    this.stopped = true
    await this.loop
    await Promise.all([...this.pending])
    return this.report()
  }

  private get rate(): number {
    return this.opts.ratePerSecond ?? 5
  }

  private get timeoutMs(): number {
    return this.opts.requestTimeoutMs ?? 2000
  }

  private async run(): Promise<void> {
    const interval = 1000 / this.rate
    const maxConcurrency = this.opts.maxConcurrency ?? 10
    const maxRequests = this.opts.maxRequests ?? 50_000
    while (!this.stopped && this.samples.length + this.inFlight < maxRequests) {
      if (this.inFlight < maxConcurrency) this.fire()
      await this.deps.clock.sleep(interval)
    }
  }

  private fire(): void {
    const atMs = this.deps.clock.now()
    this.inFlight++
    const p = this.deps
      .http({ url: this.opts.url, headers: this.opts.headers, timeoutMs: this.timeoutMs })
      .then(r => {
        const ok = r.status !== undefined && statusAccepted(this.opts.accept, r.status)
        this.samples.push({ atMs, status: r.status, error: r.error, latencyMs: r.latencyMs, ok })
        this.logTransition(ok ? undefined : String(r.status ?? r.error ?? 'error'), atMs)
      })
      .finally(() => {
        this.inFlight--
        this.pending.delete(p)
      })
    this.pending.add(p)
  }

  /** One line when failures start (or change kind) and one when requests succeed again. */
  private logTransition(failingKind: string | undefined, atMs: number): void {
    if (failingKind === this.failingKind) return
    this.failingKind = failingKind
    this.deps.log.info(
      failingKind === undefined
        ? `Traffic probe: requests succeed again (${new Date(atMs).toISOString()})`
        : `Traffic probe: requests failing with ${failingKind} since ${new Date(atMs).toISOString()}`
    )
  }

  report(): ProbeReport {
    const failures = this.samples.filter(s => !s.ok).sort((a, b) => a.atMs - b.atMs)
    const failuresByKind: Record<string, number> = {}
    const windows: FailureWindow[] = []
    for (const f of failures) {
      const kind = f.status !== undefined ? String(f.status) : (f.error ?? 'error')
      failuresByKind[kind] = (failuresByKind[kind] ?? 0) + 1
      const w = windows.findLast(x => x.kind === kind)
      if (w && f.atMs - w.toMs <= WINDOW_GAP_MS) {
        w.count++
        w.toMs = f.atMs
      } else {
        windows.push({ kind, count: 1, fromMs: f.atMs, toMs: f.atMs })
      }
    }
    const latencies = this.samples
      .filter(s => s.status !== undefined)
      .map(s => s.latencyMs)
      .sort((a, b) => a - b)
    const pct = (p: number) =>
      latencies.length === 0
        ? 0
        : latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]
    return {
      url: this.opts.url,
      requests: this.samples.length,
      errors: failures.length,
      failuresByKind,
      windows: windows.sort((a, b) => a.fromMs - b.fromMs),
      latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99) },
      skipped: this.disabledReason
    }
  }
}

export function describeWindows(report: ProbeReport): string[] {
  const t = (ms: number) => new Date(ms).toISOString().slice(11, 19)
  return report.windows.map(w => `${w.kind} x ${w.count} between ${t(w.fromMs)} and ${t(w.toMs)}`)
}

/** `The traffic probe saw 14 failed request(s) during the rollout (...): 502 x 14 between ...`. */
export function probeFailureMessage(report: ProbeReport, during: string, maxErrors: number): string {
  const windows = describeWindows(report).join('; ')
  return `The traffic probe saw ${report.errors} failed request(s) during the ${during} (more than 'max-probe-errors' ${maxErrors})${windows ? `: ${windows}` : ''}`
}

export function probeMarkdown(report: ProbeReport): string {
  if (report.skipped) return `Probe skipped: ${report.skipped}.`
  const lines = [
    `| requests | failed | p50 | p95 | p99 |`,
    `| ---: | ---: | ---: | ---: | ---: |`,
    `| ${report.requests} | ${report.errors} | ${report.latencyMs.p50} ms | ${report.latencyMs.p95} ms | ${report.latencyMs.p99} ms |`
  ]
  const windows = describeWindows(report)
  if (windows.length > 0) lines.push('', '**Failed requests:**', '', ...windows.map(w => `- ${w}`))
  return lines.join('\n')
}

/** What starting and reporting a probe needs from a strategy's context. */
export interface ProbeContext extends ProbeDeps {
  settings: Pick<CommonSettings, 'probe' | 'dryRun' | 'healthPath' | 'healthStatus'>
  outputs: Outputs
}

/**
 * Starts the probe on `baseUrl` + health-path while traffic moves. Undefined (nothing to stop) when
 * there is no URL the runner can reach, `probe: false`, or a dry run.
 */
export async function startTrafficProbe(
  ctx: ProbeContext,
  baseUrl: string | undefined
): Promise<TrafficProbe | undefined> {
  const { settings, log } = ctx
  if (!baseUrl) return undefined
  const url = `${baseUrl}${settings.healthPath}`
  if (!settings.probe) {
    log.info(`Traffic probe off ('probe: false')`)
    return undefined
  }
  if (settings.dryRun) {
    log.info(`[dry-run] would probe GET ${url} while traffic moves`)
    return undefined
  }
  const probe = new TrafficProbe(ctx, { url, accept: settings.healthStatus })
  await probe.preflight()
  probe.start()
  return probe
}

/** Stops the probe and reports what it saw: outputs, a log line and a summary section. */
export async function finishTrafficProbe(
  ctx: ProbeContext,
  probe: TrafficProbe | undefined
): Promise<ProbeReport | undefined> {
  if (!probe) return undefined
  const report = await probe.stop()
  ctx.log.section('Traffic probe', probeMarkdown(report))
  if (!report.skipped) {
    ctx.outputs.set(OutputNames.ProbeRequests, report.requests)
    ctx.outputs.set(OutputNames.ProbeErrors, report.errors)
    ctx.log.info(`Traffic probe: ${report.requests} request(s), ${report.errors} failed`)
  }
  return report
}
