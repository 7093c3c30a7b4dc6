// Jest global teardown: stops the moto_server the global setup started (its whole process group).
export default async function globalTeardown() {
  await globalThis.__ZDT_MOTO__?.stop()
}
