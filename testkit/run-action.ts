// Runs the bundled action (dist/index.js) exactly as the runner does: INPUT_* variables, an event
// payload file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files; returns outputs, summary and log.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

// ZDT_DIST lets a developer run the end-to-end tests against a private bundle while dist/ is
// being rebuilt by someone else; CI always runs the committed dist/index.js.
const ACTION_YML = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../action.yml')

export const DIST =
  process.env.ZDT_DIST ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/index.js')

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

export interface RunActionOptions {
  inputs: Record<string, string>
  env?: Record<string, string>
  eventName?: string
  event?: unknown
  ref?: string
  repository?: string
  timeoutMs?: number
}

/** action.yml's input defaults, as the runner applies them (expressions such as the token: empty). */
export function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync(ACTION_YML, 'utf8')) as { inputs: Record<string, { default?: string }> }
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, spec]) => [
      name,
      (spec.default ?? '').includes('${{') ? '' : (spec.default ?? '')
    ])
  )
}

/** Parses the GITHUB_OUTPUT file format (`name<<DELIM\nvalue\nDELIM`). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
      out[m[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return out
}

export async function runAction(opts: RunActionOptions): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zdt-e2e-'))
  const files = {
    event: path.join(dir, 'event.json'),
    output: path.join(dir, 'output'),
    summary: path.join(dir, 'summary.md'),
    state: path.join(dir, 'state')
  }
  writeFileSync(files.event, JSON.stringify(opts.event ?? {}))
  for (const f of [files.output, files.summary, files.state]) writeFileSync(f, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_EVENT_NAME: opts.eventName ?? 'workflow_dispatch',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REF: opts.ref ?? 'refs/heads/main',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REPOSITORY: opts.repository ?? 'acme/shop',
    GITHUB_RUN_ID: '42',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    ...opts.env
  }
  // The runner sets every input action.yml declares, with its default when the workflow omits it.
  const inputs = { ...actionDefaults(), ...opts.inputs }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    resolve => {
      execFile(
        process.execPath,
        [DIST],
        { env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
          resolve({ code, stdout, stderr })
        }
      )
    }
  )
  const result = {
    exitCode: code,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8')
  }
  rmSync(dir, { recursive: true, force: true })
  return result
}
