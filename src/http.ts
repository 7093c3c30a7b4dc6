// The HTTP prober behind the smoke test and the traffic probe. Injected: the simulation answers
// these requests from its model of the load balancer instead of the network.
import http from 'node:http'
import https from 'node:https'

export type HttpHeaders = Record<string, string>

export interface HttpRequest {
  url: string
  headers?: HttpHeaders
  timeoutMs: number
}

export type HttpErrorKind = 'timeout' | 'refused' | 'reset' | 'dns' | 'other'

export interface HttpResult {
  /** Absent when the request failed before a status line. */
  status?: number
  /** Location header of a redirect, so a 302 from the health path can be reported as such. */
  location?: string
  error?: HttpErrorKind
  errorMessage?: string
  latencyMs: number
}

export type HttpProber = (req: HttpRequest) => Promise<HttpResult>

function classify(e: NodeJS.ErrnoException): HttpErrorKind {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'refused'
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns'
    case 'ETIMEDOUT':
      return 'timeout'
    default:
      return 'other'
  }
}

/** GET without following redirects: the status users' load balancer would see. */
export const nodeHttpProber: HttpProber = req =>
  new Promise(resolve => {
    const started = performance.now()
    const done = (r: Omit<HttpResult, 'latencyMs'>) =>
      resolve({ ...r, latencyMs: Math.round(performance.now() - started) })
    let url: URL
    try {
      url = new URL(req.url)
    } catch (e) {
      done({ error: 'other', errorMessage: `bad URL ${req.url}: ${(e as Error).message}` })
      return
    }
    const lib = url.protocol === 'https:' ? https : http
    const request = lib.request(
      url,
      { method: 'GET', headers: { 'user-agent': 'zdt-deploy-probe', ...req.headers }, agent: false },
      res => {
        res.resume()
        res.on('end', () => done({ status: res.statusCode, location: res.headers.location }))
        res.on('error', e => done({ status: res.statusCode, error: classify(e), errorMessage: e.message }))
      }
    )
    request.setTimeout(req.timeoutMs, () => {
      request.destroy(
        Object.assign(new Error(`no response within ${req.timeoutMs} ms`), { code: 'ETIMEDOUT' })
      )
    })
    request.on('error', (e: NodeJS.ErrnoException) => done({ error: classify(e), errorMessage: e.message }))
    request.end()
  })

export function describeResult(r: HttpResult): string {
  if (r.status !== undefined) {
    return r.location && r.status >= 300 && r.status < 400
      ? `${r.status} redirect to ${r.location}`
      : `${r.status}`
  }
  return `${r.error ?? 'error'}${r.errorMessage ? ` (${r.errorMessage})` : ''}`
}
