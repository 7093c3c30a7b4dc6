// The job summary: outcome, environment, URL, a timeline of the phases (a Mermaid gantt chart,
// which GitHub renders), and the sections the strategies added (pre-flight, probe, tables).
import type { Mutation } from './aws/api.js'
import { formatDuration } from './clock.js'
import type { Reporter } from './report.js'

export interface SummaryInput {
  title: string
  outcome: string
  ok: boolean
  environment: string | undefined
  url: string | undefined
  durationSeconds: number
  error?: { message: string; hint?: string }
  outputs: Map<string, string>
  report: Reporter
}

export function buildSummary(s: SummaryInput): string {
  const out: string[] = []
  out.push(`## ${s.ok ? '✅' : '❌'} ${s.title}: ${s.outcome}`, '')
  out.push('| | |', '| --- | --- |')
  if (s.environment) out.push(`| Environment | \`${s.environment}\` |`)
  if (s.url) out.push(`| URL | ${s.url} |`)
  out.push(`| Duration | ${formatDuration(s.durationSeconds)} |`)
  const rolledBack = s.outputs.get('rolled-back')
  if (rolledBack) out.push(`| Rolled back | ${rolledBack} |`)
  out.push('')
  if (s.error) {
    // Several problems (bad inputs) come one per line: a list, not one run-on line.
    const [first, ...more] = s.error.message.split('\n')
    out.push(`**Failure:** ${escapeMd(first)}`, '')
    if (more.length > 0) out.push(...more.map(l => `- ${escapeMd(l.trim())}`), '')
    if (s.error.hint) out.push(`**Fix:** ${escapeMd(s.error.hint)}`, '')
  }
  const phases = s.report.phases
  if (phases.length > 0) {
    out.push('### Timeline', '', '```mermaid', 'gantt', '  dateFormat x', '  axisFormat %H:%M:%S')
    for (const p of [...phases].sort((a, b) => a.startMs - b.startMs)) {
      // Mermaid needs a non-zero span to draw a bar; a colon would end the task name.
      const name = p.name.replace(/[:#;]/g, ' ')
      out.push(
        `  ${name} :${p.outcome === 'failed' ? 'crit, ' : ''}${p.startMs}, ${Math.max(p.endMs, p.startMs + 1)}`
      )
    }
    out.push('```', '', '| Phase | Duration | Outcome |', '| --- | ---: | --- |')
    for (const p of phases)
      out.push(`| ${p.name} | ${formatDuration((p.endMs - p.startMs) / 1000)} | ${p.outcome} |`)
    out.push('')
  }
  for (const section of s.report.sections) out.push(`### ${section.title}`, '', section.markdown, '')
  for (const table of s.report.tables.filter(t => t.rows.length > 0))
    out.push(`### ${table.title}`, '', table.markdown(), '')
  if (s.report.warnings.length > 0) {
    out.push('### Warnings', '', ...s.report.warnings.map(w => `- ${escapeMd(w)}`), '')
  }
  if (s.outputs.size > 0) {
    out.push('<details><summary>Outputs</summary>', '', '| Output | Value |', '| --- | --- |')
    for (const [k, v] of s.outputs) out.push(`| \`${k}\` | ${escapeMd(v)} |`)
    out.push('', '</details>', '')
  }
  return out.join('\n')
}

/** Keeps AWS- or user-supplied text from turning into markup in the summary. */
export function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|]/g, c => `\\${c}`).replace(/\n/g, ' ')
}

/** A dry run's plan for the job summary: every call it would have made, in order, with its parameters. */
export function planMarkdown(mutations: Mutation[]): string {
  if (mutations.length === 0) return 'No changes.'
  return mutations
    .map((m, i) => `${i + 1}. \`${m.operation}\` ${escapeMd(JSON.stringify(m.params))}`)
    .join('\n')
}

/** Adds the dry-run plan section; the AWS layer recorded every write it planned. */
export function reportPlan(log: Reporter, mutations: Mutation[]): void {
  log.section('Dry-run plan', planMarkdown(mutations))
}
