// Shows an action's raw stdout the way the Actions log page does: workflow commands (::group::,
// ::error::, ::warning::, ...) become headings and marked lines instead of `::` noise.

export interface Style {
  bold(s: string): string
  dim(s: string): string
  red(s: string): string
  yellow(s: string): string
  green(s: string): string
}

const ansi = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`
const plain = (s: string) => s

export const colors: Style = {
  bold: ansi('1'),
  dim: ansi('2'),
  red: ansi('31'),
  yellow: ansi('33'),
  green: ansi('32')
}
export const noColors: Style = { bold: plain, dim: plain, red: plain, yellow: plain, green: plain }

/** Colours for a terminal, none for a pipe or a file (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  if (env.NO_COLOR) return noColors
  return env.FORCE_COLOR || stream.isTTY ? colors : noColors
}

// `::name key=value,...::data`: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
const COMMAND = /^::([a-z-]+)(?: [^:]*)?::(.*)$/

/** The runner's escaping of command data (src/runner.ts escapeData), undone. */
export function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** The log lines to print, each already indented by `indent`. */
export function renderActionsLog(stdout: string, style: Style, indent = '  '): string[] {
  const out: string[] = []
  let inGroup = false
  const pad = () => indent + (inGroup ? '  ' : '')
  const push = (first: string, text: string, paint: (s: string) => string = plain) => {
    const [head, ...rest] = text.split(/\r?\n/)
    out.push(pad() + paint(first + head))
    // Continuation lines of a multi-line message line up under its text.
    for (const line of rest) out.push(pad() + ' '.repeat(first.length) + paint(line))
  }
  for (const line of stdout.replace(/\n$/, '').split('\n')) {
    const m = COMMAND.exec(line)
    if (!m) {
      if (line !== '' || out.length > 0) out.push(pad() + line)
      continue
    }
    const [, name, raw] = m
    const data = unescapeData(raw)
    switch (name) {
      case 'group':
        inGroup = false
        out.push(pad() + style.bold(`▼ ${data}`))
        inGroup = true
        break
      case 'endgroup':
        inGroup = false
        break
      case 'error':
        push('✖ Error: ', data, style.red)
        break
      case 'warning':
        push('⚠ Warning: ', data, style.yellow)
        break
      case 'notice':
        push('ℹ Notice: ', data)
        break
      // Hidden on the log page too (debug needs ACTIONS_STEP_DEBUG; the rest are not log lines).
      case 'debug':
      case 'add-mask':
      case 'save-state':
      case 'set-output':
      case 'echo':
        break
      default:
        out.push(pad() + line)
    }
  }
  return out
}

/** `text` broken into lines of at most `width` characters (words kept whole), each starting with `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  if (line) lines.push(indent + line)
  return lines
}

/** An ARN shortened to its resource part, for reading (`targetgroup/web-main`); other values as they are. */
export function shortValue(value: string): string {
  const m = /^arn:aws[\w-]*:[\w-]+:[\w-]*:\d*:(.+)$/.exec(value)
  if (!m) return value
  const parts = m[1].split('/')
  // targetgroup/<name>/<id>, listener/app/<lb>/<id>/<id>, loadbalancer/app/<name>/<id>
  const named = parts[1] === 'app' || parts[1] === 'net' ? parts.slice(0, 3) : parts.slice(0, 2)
  return `arn:…:${named.join('/')}/…`
}
