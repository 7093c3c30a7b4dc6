// The demo's own moto_server: on a free loopback port, in its own process group (so one kill stops it
// and anything it started), under `timeout` so it ends by itself even if the demo is killed -9.
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, openSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'

export const INSTALL_HINT = 'moto_server is not installed: pip install "moto[server]>=5,<6"'

export interface MotoServer {
  endpoint: string
  pid: number
  port: number
  stop(): Promise<void>
}

/** The executable `name` on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const file = path.join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  return undefined
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

export async function startMoto(opts: { logFile: string; lifetimeSeconds: number }): Promise<MotoServer> {
  if (!onPath('moto_server')) throw new Error(INSTALL_HINT)
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const serve = ['moto_server', '-H', '127.0.0.1', '-p', String(port)]
  // macOS has no `timeout`: moto then lives until the demo stops it.
  const [cmd, ...args] = onPath('timeout') ? ['timeout', String(opts.lifetimeSeconds), ...serve] : serve
  const log = openSync(opts.logFile, 'w')
  const child = spawn(cmd, args, {
    stdio: ['ignore', log, log],
    detached: true,
    env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: process.env.MOTO_ECS_SERVICE_RUNNING ?? '2' }
  })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  const spawnFailed = new Promise<Error>(resolve => child.on('error', resolve))
  const stop = () => stopGroup(child, exited)
  try {
    await Promise.race([
      waitUp(endpoint, Date.now() + 30_000),
      exited.then(code => {
        throw new Error(`moto_server exited (code ${code}) before it answered; see ${opts.logFile}`)
      }),
      spawnFailed.then(e => {
        throw e
      })
    ])
  } catch (e) {
    await stop()
    throw e
  }
  return { endpoint, port, pid: child.pid ?? -1, stop }
}

async function waitUp(endpoint: string, deadlineMs: number): Promise<void> {
  while (Date.now() < deadlineMs) {
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) })
      if (res.status < 500) return
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 200))
  }
  throw new Error(`moto_server did not answer at ${endpoint} within 30s`)
}

/**
 * SIGTERM to the whole group, SIGKILL if it is still there after 5s; resolves once it has exited. The
 * deadlines do not keep the process alive (jest's global teardown would wait for them).
 */
async function stopGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig)
    } catch {
      // already gone
    }
  }
  signal('SIGTERM')
  const stopped = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>(r => setTimeout(() => r(false), 5000).unref())
  ])
  if (!stopped) {
    signal('SIGKILL')
    await Promise.race([exited, new Promise(r => setTimeout(r, 2000).unref())])
  }
}
