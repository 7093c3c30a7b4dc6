// The smoke test: GET url + health-path until an accepted status or health-timeout.
import type { Clock } from './clock.js'
import { formatDuration } from './clock.js'
import { DeployError } from './errors.js'
import { describeResult, type HttpProber, type HttpResult } from './http.js'
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
