// Deep copies that keep Dates as Dates of this realm. structuredClone would hand jest's test realm
// Dates from Node's own realm, and `instanceof Date` would then fail in the code under test.

export function deepCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  if (value instanceof Date) return new Date(value.getTime()) as T
  if (Array.isArray(value)) return value.map(v => deepCopy(v) as unknown) as T
  if (value instanceof Uint8Array) return new Uint8Array(value) as T
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = deepCopy(v)
  return out as T
}
