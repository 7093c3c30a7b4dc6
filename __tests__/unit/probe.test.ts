// The traffic probe on a virtual clock with a scripted prober: what it counts, how it groups
// failures into windows, and that it logs transitions rather than every failed request.
import { describe, expect, it } from '@jest/globals'
import { VirtualClock } from '../sim/clock.js'
import type { HttpProber } from '../../src/http.js'
import { parseStatusMatcher } from '../../src/parse.js'
import { TrafficProbe, describeWindows, probeMarkdown } from '../../src/probe.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'

const accept = (() => {
  const r = parseStatusMatcher('200')
  if (!r.ok) throw new Error('bad matcher')
  return r.value
})()

/** Answers 502 between 10 s and 13 s of virtual time, 200 otherwise, with a latency per request. */
function scripted(clock: VirtualClock, start: number): HttpProber {
  let n = 0
  return async () => {
    const t = clock.now() - start
    n++
    return t >= 10_000 && t < 13_000 ? { status: 502, latencyMs: 5 } : { status: 200, latencyMs: n % 10 }
  }
}

describe('TrafficProbe', () => {
  it('counts requests, groups failures into one window and logs two transitions', async () => {
    const clock = new VirtualClock()
    const start = clock.now()
    const sink = new MemorySink()
    const log = new Reporter(sink, clock)
    const probe = new TrafficProbe(
      { http: scripted(clock, start), clock, log },
      { url: 'http://app/healthz', accept }
    )
    const report = await clock.run(async () => {
      expect(await probe.preflight()).toBe(true)
      probe.start()
      await clock.sleep(20_000)
      return probe.stop()
    })
    expect(report.requests).toBe(100) // 5 per second for 20 s
    expect(report.errors).toBe(15) // 3 s of 502s
    expect(report.failuresByKind).toEqual({ '502': 15 })
    expect(report.windows).toHaveLength(1)
    expect(report.windows[0]).toMatchObject({ kind: '502', count: 15, fromMs: start + 10_000 })
    expect(describeWindows(report)[0]).toMatch(/^502 x 15 between \d\d:\d\d:10 and \d\d:\d\d:12$/)
    expect(report.latencyMs.p99).toBeGreaterThanOrEqual(report.latencyMs.p50)
    const transitions = sink.lines.filter(l => l.startsWith('Traffic probe: requests'))
    expect(transitions).toEqual([
      expect.stringMatching(/^Traffic probe: requests failing with 502 since /),
      expect.stringMatching(/^Traffic probe: requests succeed again/)
    ])
    expect(probeMarkdown(report)).toContain('| 100 | 15 |')
  })

  it('disables itself with one warning when the URL cannot be reached before the deploy', async () => {
    const clock = new VirtualClock()
    const log = new Reporter(new MemorySink(), clock)
    const http: HttpProber = async () => ({
      error: 'timeout',
      errorMessage: 'no response within 2000 ms',
      latencyMs: 2000
    })
    const probe = new TrafficProbe({ http, clock, log }, { url: 'http://internal-alb/healthz', accept })
    const report = await clock.run(async () => {
      expect(await probe.preflight()).toBe(false)
      probe.start()
      await clock.sleep(5_000)
      return probe.stop()
    })
    expect(report.requests).toBe(0)
    expect(report.skipped).toContain('not reachable')
    expect(log.warnings).toHaveLength(1)
  })

  it('stops at its request cap', async () => {
    const clock = new VirtualClock()
    const log = new Reporter(new MemorySink(), clock)
    const http: HttpProber = async () => ({ status: 200, latencyMs: 1 })
    const probe = new TrafficProbe(
      { http, clock, log },
      { url: 'http://app/healthz', accept, maxRequests: 7 }
    )
    const report = await clock.run(async () => {
      probe.start()
      await clock.sleep(60_000)
      return probe.stop()
    })
    expect(report.requests).toBe(7)
  })
})
