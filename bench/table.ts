// Markdown tables and the statistics the bench prints: one helper so every section looks alike.

export function table(head: string[], rows: Array<Array<string | number>>, align?: string[]): string {
  const marks = head.map((_, i) => align?.[i] ?? (i === 0 ? '---' : '---:'))
  return [head, marks, ...rows].map(r => `| ${r.join(' | ')} |`).join('\n')
}

export function median(xs: number[]): number {
  return percentile(xs, 50)
}

/** Nearest-rank percentile of `xs` (0 < p <= 100). */
export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export function ratio(ours: number, theirs: number): string {
  return `${(ours / theirs).toFixed(2)}`
}

/** Reads the value after `--name` on the command line, if any. */
export function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1] : undefined
}
