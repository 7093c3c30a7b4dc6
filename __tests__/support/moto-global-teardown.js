// Stops the moto_server the global setup started (its whole process group).
export default async function globalTeardown() {
  const child = globalThis.__ZDT_MOTO__
  if (!child) return
  try {
    process.kill(-child.pid, 'SIGTERM')
  } catch {
    try {
      child.kill('SIGTERM')
    } catch {
      // already gone
    }
  }
}
