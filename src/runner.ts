// The runner's side of a JavaScript action, as GitHub documents it: inputs arrive as INPUT_<NAME>
// variables, outputs and the job summary go to the files GITHUB_OUTPUT and GITHUB_STEP_SUMMARY name,
// log lines and workflow commands (::group::, ::warning::, ...) go to stdout, and a failed step
// exits non-zero. Written here rather than loaded from @actions/core, whose entry also loads an HTTP
// client (undici) for OIDC that this action never calls: every run, a failing one included, would
// compile it first.
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'

/** `INPUT_<NAME>` (spaces as `_`, upper case), trimmed; empty when the workflow gave none. */
export function getInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

/** Command data escaped as the runner reads it back: `%`, CR and LF. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** A command property (`name=...`) escaped: command data's escapes, and `:` and `,`. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

function command(name: string, message: string): void {
  process.stdout.write(`::${name}::${escapeData(message)}${EOL}`)
}

/**
 * An output, as a `name<<delimiter` block in the GITHUB_OUTPUT file (the delimiter random, so no
 * value can end the block early); without the file, the legacy `::set-output` command.
 */
export function setOutput(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_OUTPUT
  if (!file) {
    process.stdout.write(EOL)
    process.stdout.write(`::set-output name=${escapeProperty(name)}::${escapeData(value)}${EOL}`)
    return
  }
  const delimiter = `ghadelimiter_${randomUUID()}`
  if (name.includes(delimiter) || value.includes(delimiter))
    throw new Error(`Unexpected input: output ${name} should not contain the delimiter ${delimiter}`)
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' })
}

/** The step fails: the exit code is 1 when the process ends, and the message is an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1
  command('error', message)
}

/** Appends markdown to the job summary, when the runner gave a GITHUB_STEP_SUMMARY file. */
export async function appendSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = env.GITHUB_STEP_SUMMARY
  if (file) await appendFile(file, `${markdown}${EOL}`, { encoding: 'utf8' })
}

/** Log lines and annotations on stdout, as the runner shows them. */
export const stdoutSink = {
  info: (m: string) => void process.stdout.write(`${m}${EOL}`),
  warning: (m: string) => command('warning', m),
  error: (m: string) => command('error', m),
  debug: (m: string) => command('debug', m),
  startGroup: (name: string) => void process.stdout.write(`::group::${name}${EOL}`),
  endGroup: () => void process.stdout.write(`::endgroup::${EOL}`)
}
