// Jest global setup: one moto_server for the whole run, on a free loopback port. Its endpoint
// reaches the test workers through the environment (they are started after this runs).
import { spawn } from 'node:child_process'
import net from 'node:net'

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

async function waitUp(url, deadlineMs) {
  while (Date.now() < deadlineMs) {
    try {
      const res = await fetch(`${url}/moto-api/`)
      if (res.ok || res.status < 500) return
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 200))
  }
  throw new Error(`moto_server did not answer at ${url}`)
}

export default async function globalSetup() {
  if (process.env.ZDT_MOTO_ENDPOINT) return // started by someone else (the demo, a developer)
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  // `timeout` makes the server stop by itself even if this run is killed before its teardown.
  const child = spawn('timeout', ['3600', 'moto_server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, MOTO_ECS_SERVICE_RUNNING: process.env.MOTO_ECS_SERVICE_RUNNING ?? '2' }
  })
  child.unref()
  child.on('exit', code => {
    if (code === 127) console.error('moto_server is not installed: pip install "moto[server]"')
  })
  await waitUp(endpoint, Date.now() + 30_000)
  process.env.ZDT_MOTO_ENDPOINT = endpoint
  process.env.ZDT_MOTO_PID = String(child.pid)
  globalThis.__ZDT_MOTO__ = child
}
