// Seeded randomness and identifiers: the same seed gives the same world, ids and faults every run.

/** mulberry32: small, fast, good enough for a simulation; returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An independent stream per purpose, so adding traffic does not change which calls are throttled. */
export function deriveSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/** Ids shaped like AWS's (hex suffixes, uuids, digit runs), from a seeded stream. */
export class IdGenerator {
  private readonly random: () => number
  private ipCounter = 10

  constructor(seed: number) {
    this.random = seededRandom(deriveSeed(seed, 'ids'))
  }

  hex(length: number): string {
    let s = ''
    for (let i = 0; i < length; i++) s += Math.floor(this.random() * 16).toString(16)
    return s
  }

  digits(length: number): string {
    let s = String(1 + Math.floor(this.random() * 9))
    for (let i = 1; i < length; i++) s += String(Math.floor(this.random() * 10))
    return s
  }

  uuid(): string {
    const h = this.hex(32)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  /** Private IPv4 addresses in 10.0.0.0/16, never reused within a world. */
  privateIp(): string {
    const n = this.ipCounter++
    return `10.0.${(n >> 8) & 255}.${n & 255}`
  }
}
