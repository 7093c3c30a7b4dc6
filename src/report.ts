// Logging and the run's record: one group per phase, a line per state change (not per poll), and
// what the job summary is built from.
import type { Clock } from './clock.js'
import { formatDuration } from './clock.js'

export interface LogSink {
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  debug(message: string): void
  startGroup(name: string): void
  endGroup(): void
}

export type PhaseOutcome = 'ok' | 'failed'

export interface PhaseRecord {
  name: string
  startMs: number
  endMs: number
  outcome: PhaseOutcome
}

export interface SummarySection {
  title: string
  markdown: string
}

/**
 * A table of the moments state changed (deployments, target health), filled while a strategy polls
 * and rendered into the job summary at the end. Long runs keep their first and last rows.
 */
export class MomentTable {
  readonly rows: string[][] = []
  private dropped = 0

  constructor(
    readonly title: string,
    readonly columns: string[],
    private readonly maxRows = 40
  ) {}

  add(cells: string[]): void {
    this.rows.push(cells)
    if (this.rows.length > this.maxRows) {
      // Keep the start of the story and its end; the middle is in the log.
      this.rows.splice(this.maxRows / 4, 1)
      this.dropped++
    }
  }

  markdown(): string {
    const cell = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, '<br>')
    const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`
    const out = [line(this.columns), line(this.columns.map(() => '---'))]
    this.rows.forEach((r, i) => {
      if (this.dropped > 0 && i === this.maxRows / 4)
        out.push(line([`... ${this.dropped} more in the log`, ...r.slice(1).map(() => '')]))
      out.push(line(r))
    })
    return out.join('\n')
  }
}

export class Reporter {
  readonly phases: PhaseRecord[] = []
  readonly warnings: string[] = []
  readonly sections: SummarySection[] = []
  readonly tables: MomentTable[] = []
  private readonly lastLine = new Map<string, string>()
  private inGroup = false

  constructor(
    readonly sink: LogSink,
    readonly clock: Clock
  ) {}

  /** Runs one named phase of a strategy inside its own log group and records its duration. */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const startMs = this.clock.now()
    // Groups do not nest in the Actions log: a phase inside a phase only gets a heading line.
    const grouped = !this.inGroup
    if (grouped) {
      this.sink.startGroup(name)
      this.inGroup = true
    } else {
      this.sink.info(`-- ${name}`)
    }
    let outcome: PhaseOutcome = 'failed'
    try {
      const result = await fn()
      outcome = 'ok'
      return result
    } finally {
      const endMs = this.clock.now()
      this.phases.push({ name, startMs, endMs, outcome })
      this.sink.info(
        `${name}: ${outcome === 'ok' ? 'done' : 'failed'} after ${formatDuration((endMs - startMs) / 1000)}`
      )
      if (grouped) {
        this.sink.endGroup()
        this.inGroup = false
      }
    }
  }

  info(message: string): void {
    this.sink.info(message)
  }

  warning(message: string): void {
    this.warnings.push(message)
    this.sink.warning(message)
  }

  debug(message: string): void {
    this.sink.debug(message)
  }

  /** Logs `line` only when it differs from the last line logged under `key`. Returns whether it logged. */
  change(key: string, line: string): boolean {
    if (this.lastLine.get(key) === line) return false
    this.lastLine.set(key, line)
    this.sink.info(line)
    return true
  }

  /** Adds a block to the job summary (pre-flight findings, tables, probe results, ...). */
  section(title: string, markdown: string): void {
    this.sections.push({ title, markdown })
  }

  /**
   * The table of moments titled `title` (made on first use), for the job summary; rendered after
   * the sections, when it has rows.
   */
  table(title: string, columns: string[]): MomentTable {
    let t = this.tables.find(x => x.title === title)
    if (!t) {
      t = new MomentTable(title, columns)
      this.tables.push(t)
    }
    return t
  }

  /** Seconds since `startMs` on the injected clock, for "waited 42s" lines. */
  elapsed(startMs: number): string {
    return formatDuration((this.clock.now() - startMs) / 1000)
  }
}
