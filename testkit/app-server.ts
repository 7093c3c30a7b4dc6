// A small local app: serves /healthz (and /) on loopback, with a status tests can change, and
// records every request (path and headers) so tests can check what the action sent.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  path: string
  headers: http.IncomingHttpHeaders
}

export interface AppServer {
  url: string
  port: number
  requests: RecordedRequest[]
  /** Status for a path; default 200 for every path. */
  setStatus(path: string, status: number, headers?: Record<string, string>): void
  close(): Promise<void>
}

export async function startAppServer(version = 'v1'): Promise<AppServer> {
  const requests: RecordedRequest[] = []
  const statuses = new Map<string, { status: number; headers?: Record<string, string> }>()
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    requests.push({ path, headers: req.headers })
    const s = statuses.get(path) ?? { status: 200 }
    res.writeHead(s.status, { 'content-type': 'text/plain', ...s.headers })
    res.end(path === '/' ? `version ${version}\n` : `${s.status}\n`)
  })
  server.keepAliveTimeout = 1
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  // Stops by itself if a test forgets to close it.
  const guard = setTimeout(() => server.close(), 10 * 60_000)
  guard.unref()
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setStatus(path, status, headers) {
      statuses.set(path, { status, headers })
    },
    close: () =>
      new Promise<void>(resolve => {
        clearTimeout(guard)
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
