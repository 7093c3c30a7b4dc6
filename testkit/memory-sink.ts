// A log sink that keeps the lines, as the runner would show them (`::group::`, `::warning::`), for
// tests to read.
import type { LogSink } from '../src/report.js'

export class MemorySink implements LogSink {
  readonly lines: string[] = []
  info(m: string) {
    this.lines.push(m)
  }
  warning(m: string) {
    this.lines.push(`::warning::${m}`)
  }
  error(m: string) {
    this.lines.push(`::error::${m}`)
  }
  debug(_m: string) {}
  startGroup(n: string) {
    this.lines.push(`::group::${n}`)
  }
  endGroup() {
    this.lines.push('::endgroup::')
  }
}
