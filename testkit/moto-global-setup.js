// Jest global setup: one moto_server for the whole run, on a free loopback port, started by the same
// code as the demo's (testkit/moto-server.ts). Its endpoint reaches the test workers through the
// environment (they are started after this runs); the global teardown stops it. Jest loads this file
// with Node itself, which runs the TypeScript starter in place (Node 24 strips the types).
import os from 'node:os'
import path from 'node:path'

export default async function globalSetup() {
  if (process.env.ZDT_MOTO_ENDPOINT) return // started by someone else (the demo, a developer)
  const { startMoto } = await import('./moto-server.ts')
  const logFile = path.join(os.tmpdir(), `zdt-jest-moto-${process.pid}.log`)
  const moto = await startMoto({ logFile, lifetimeSeconds: 3600 })
  process.env.ZDT_MOTO_ENDPOINT = moto.endpoint
  process.env.ZDT_MOTO_PID = String(moto.pid)
  globalThis.__ZDT_MOTO__ = moto
}
