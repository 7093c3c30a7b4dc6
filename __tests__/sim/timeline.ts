// The world's own schedule: health checks, task starts, draining, launches. The clock moves the
// timeline to each instant before it wakes the sleepers due then, so the action always observes
// a world that is exactly as old as its clock says.
import { TimeHeap } from './heap.js'

interface Event {
  at: number
  seq: number
  fn: () => void
  cancelled: boolean
}

export interface ScheduledEvent {
  readonly at: number
  cancel(): void
}

// Events processed in one advance before the world is declared to be looping on itself.
const MAX_EVENTS_PER_ADVANCE = 2_000_000

export class Timeline {
  private readonly heap = new TimeHeap<Event>()
  private seq = 0
  private time: number

  constructor(startMs: number) {
    this.time = startMs
  }

  get now(): number {
    return this.time
  }

  /** Runs `fn` at `atMs` (now, if that is in the past). Same-instant events run in scheduling order. */
  at(atMs: number, fn: () => void): ScheduledEvent {
    const event: Event = { at: Math.max(atMs, this.time), seq: this.seq++, fn, cancelled: false }
    this.heap.push(event)
    return {
      at: event.at,
      cancel: () => {
        event.cancelled = true
      }
    }
  }

  after(ms: number, fn: () => void): ScheduledEvent {
    return this.at(this.time + Math.max(0, ms), fn)
  }

  /** Processes every event due up to `toMs`, each at its own instant, then stands at `toMs`. */
  advanceTo(toMs: number): void {
    let processed = 0
    for (;;) {
      const next = this.heap.peek()
      if (!next || next.at > toMs) break
      this.heap.pop()
      if (next.cancelled) continue
      if (++processed > MAX_EVENTS_PER_ADVANCE) {
        throw new Error(
          `sim world: more than ${MAX_EVENTS_PER_ADVANCE} events before ${new Date(toMs).toISOString()}: an event keeps rescheduling itself at the same instant`
        )
      }
      this.time = Math.max(this.time, next.at)
      next.fn()
    }
    this.time = Math.max(this.time, toMs)
  }
}
