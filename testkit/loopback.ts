// Where every local stand-in listens: a free port on 127.0.0.1 only, and a server that stops by itself
// after 10 minutes if a test forgets to close it.
import type http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Listening {
  url: string
  port: number
  close(): Promise<void>
}

export async function listenOnLoopback(server: http.Server): Promise<Listening> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const guard = setTimeout(() => server.close(), 10 * 60_000)
  guard.unref()
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>(resolve => {
        clearTimeout(guard)
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
