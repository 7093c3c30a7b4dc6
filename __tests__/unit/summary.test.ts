// The job summary: outcome, timeline (Mermaid gantt), sections, moment tables, escaped text.
import { describe, expect, it } from '@jest/globals'
import { MomentTable, Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'
import { buildSummary } from '../../src/summary.js'
import type { Clock } from '../../src/clock.js'

function fakeClock(): Clock & { advance(ms: number): void } {
  let now = Date.UTC(2026, 0, 1, 12, 0, 0)
  return { now: () => now, sleep: async ms => void (now += ms), advance: ms => void (now += ms) }
}

describe('buildSummary', () => {
  it('renders outcome, gantt timeline, sections and moment tables', async () => {
    const clock = fakeClock()
    const log = new Reporter(new MemorySink(), clock)
    await log.phase('Pre-flight', async () => clock.advance(2000))
    await log.phase('Rollout', async () => clock.advance(90_000)).catch(() => {})
    log.section('Pre-flight', 'at least 1m30s: start ~30s + 2 checks x 15s + 30s deregistration delay')
    const t = log.table('Rollout of web:8', ['at', 'deployments', 'target health'])
    t.add(['+0s', 'PRIMARY web:8 0/2\nACTIVE web:7 2/2', 'web: healthy 2'])
    t.add(['+45s', 'PRIMARY web:8 2/2', 'web: healthy 2, draining 2'])
    expect(log.table('Rollout of web:8', [])).toBe(t)
    log.table('Empty', ['a'])
    const md = buildSummary({
      title: 'zdt-deploy ecs-rolling',
      outcome: 'deployed',
      ok: true,
      environment: 'production',
      url: 'http://app.example.com',
      durationSeconds: 92,
      outputs: new Map([['rolled-back', 'false']]),
      report: log
    })
    expect(md).toContain('## ✅ zdt-deploy ecs-rolling: deployed')
    expect(md).toContain('| Environment | `production` |')
    expect(md).toContain('| Duration | 1m32s |')
    expect(md).toMatch(/```mermaid\ngantt\n {2}dateFormat x\n/)
    expect(md).toMatch(/ {2}Pre-flight :\d+, \d+\n {2}Rollout :\d+, \d+/)
    expect(md).toContain('at least 1m30s: start ~30s')
    expect(md).toContain('### Rollout of web:8')
    expect(md).toContain('| +0s | PRIMARY web:8 0/2<br>ACTIVE web:7 2/2 | web: healthy 2 |')
    expect(md).not.toContain('### Empty')
  })

  it('escapes AWS- and user-supplied text in the failure line', () => {
    const md = buildSummary({
      title: 't',
      outcome: 'failed',
      ok: false,
      environment: undefined,
      url: undefined,
      durationSeconds: 1,
      error: { message: 'bad <img src=x> [link](http://evil)', hint: 'fix *it*' },
      outputs: new Map(),
      report: new Reporter(new MemorySink(), fakeClock())
    })
    expect(md).toContain('**Failure:** bad \\<img src=x\\> \\[link\\](http://evil)')
    expect(md).toContain('**Fix:** fix \\*it\\*')
  })
})

describe('MomentTable', () => {
  it('keeps the first and the last rows of a long run and says how many it left out', () => {
    const t = new MomentTable('t', ['at', 'state'], 8)
    for (let i = 0; i < 20; i++) t.add([`+${i}s`, `state ${i}`])
    expect(t.rows).toHaveLength(8)
    expect(t.rows[0]).toEqual(['+0s', 'state 0'])
    expect(t.rows.at(-1)).toEqual(['+19s', 'state 19'])
    expect(t.markdown()).toContain('| ... 12 more in the log |  |')
  })
})
