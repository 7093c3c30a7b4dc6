// The smoke test: GET url + health-path until an accepted status or health-timeout; and whether a
// derived URL can be reached from the runner at all, before the smoke test and the probe rely on it.
import type { Clock } from './clock.js'
import { formatDuration } from './clock.js'
import { Inputs } from './constants.js'
import type { DeployContext } from './context.js'
import { DeployError } from './errors.js'
import {
  describeResult,
  type HttpErrorKind,
  type HttpHeaders,
  type HttpProber,
  type HttpResult
} from './http.js'
import { pollUntil } from './poll.js'
import { statusAccepted, type StatusMatcher } from './parse.js'
import type { Reporter } from './report.js'

export interface SmokeTestOptions {
  url: string
  headers?: Record<string, string>
  accept: StatusMatcher
  timeoutSeconds: number
  intervalSeconds?: number
  requestTimeoutMs?: number
}

export interface SmokeTestDeps {
  http: HttpProber
  clock: Clock
  log: Reporter
}

export interface SmokeTestResult {
  attempts: number
  status: number
  seconds: number
}

export async function smokeTest(deps: SmokeTestDeps, opts: SmokeTestOptions): Promise<SmokeTestResult> {
  const { http, clock, log } = deps
  const started = clock.now()
  const via =
    opts.headers && Object.keys(opts.headers).length > 0
      ? ` with ${Object.entries(opts.headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')}`
      : ''
  log.info(
    `Smoke test: GET ${opts.url}${via}, accepting ${opts.accept.text}, for up to ${formatDuration(opts.timeoutSeconds)}`
  )
  const { last, looks } = await pollUntil(
    deps,
    {
      key: `smoke:${opts.url}`,
      line: answer => `Smoke test: ${opts.url} answered ${answer}`,
      timeoutMs: opts.timeoutSeconds * 1000,
      intervalMs: (opts.intervalSeconds ?? 2) * 1000,
      deadline: 'whole',
      timedOut: ({ result }, attempts) => smokeFailure(opts, result, attempts)
    },
    async () => {
      const result = await http({
        url: opts.url,
        headers: opts.headers,
        timeoutMs: opts.requestTimeoutMs ?? 5000
      })
      const accepted = result.status !== undefined && statusAccepted(opts.accept, result.status)
      return { done: accepted, status: accepted ? undefined : describeResult(result), result }
    }
  )
  const seconds = (clock.now() - started) / 1000
  const status = last.result.status ?? 0
  log.info(`Smoke test passed: ${status} after ${looks} attempt(s), ${formatDuration(seconds)}`)
  return { attempts: looks, status, seconds }
}

/** The smoke test after a rollout, on `url` + `health-path`; skipped, saying so, without a URL. */
export async function runSmokeTest(ctx: DeployContext, url: string | undefined): Promise<void> {
  const { settings, log } = ctx
  if (!url) {
    // No input, and no derived URL the runner can reach (the pre-flight said which).
    log.info(`Smoke test skipped: no URL the runner can reach (set '${Inputs.Url}' to have one).`)
    return
  }
  await smokeTest(ctx, {
    url: `${url}${settings.healthPath}`,
    accept: settings.healthStatus,
    timeoutSeconds: settings.healthTimeoutSeconds
  })
}

// A URL derived from the load balancer may not be reachable from the runner at all (an internal
// ALB, a private hosted zone, an emulator's made-up DNS name). Checked once before anything
// changes, so an unreachable address is not mistaken for a failed deploy.

/**
 * Undefined when `url` answers with any HTTP status (or fails in a way not listed in `kinds`);
 * otherwise why it could not be reached.
 */
export async function unreachableReason(
  http: HttpProber,
  url: string,
  options: { kinds?: HttpErrorKind[]; headers?: HttpHeaders } = {}
): Promise<string | undefined> {
  const r = await http({ url, headers: options.headers, timeoutMs: 5000 })
  if (r.status !== undefined) return undefined
  if (options.kinds && !options.kinds.includes(r.error ?? 'other')) return undefined
  return `${r.error ?? 'error'}${r.errorMessage ? `: ${r.errorMessage}` : ''}`
}

export function unreachableNotice(url: string, reason: string, inputName: string): string {
  return `${url} is not reachable from the runner (${reason}), so the smoke test and the traffic probe are skipped and the deploy relies on the load balancer's target health. Set '${inputName}' to an address the runner can reach to have them.`
}

function smokeFailure(opts: SmokeTestOptions, last: HttpResult, attempts: number): DeployError {
  const what = `Smoke test failed: GET ${opts.url} answered ${describeResult(last)} (expected ${opts.accept.text}) after ${attempts} attempt(s) in ${formatDuration(opts.timeoutSeconds)}`
  if (last.status !== undefined && last.status >= 300 && last.status < 400) {
    return new DeployError(
      what,
      `the health path redirects (the classic 302 from an app that sends / to a login page): point 'health-path' at an endpoint that answers ${opts.accept.text} without a redirect, or add ${last.status} to 'health-status'.`
    )
  }
  if (last.status === 502 || last.status === 503 || last.status === 504) {
    return new DeployError(
      what,
      'the load balancer has no healthy target to send the request to: check the target group health (security groups, health-check path and port) and the application logs.'
    )
  }
  if (last.error === 'dns' || last.error === 'refused' || last.error === 'timeout') {
    return new DeployError(
      what,
      `the URL could not be reached from the runner (${last.error}): set 'url' to an address the runner can reach, or check DNS and security groups.`
    )
  }
  return new DeployError(
    what,
    `the new version answers ${describeResult(last)} on '${opts.url}': check the application logs, or adjust 'health-path' / 'health-status' if that answer is expected.`
  )
}
