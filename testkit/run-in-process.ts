// Runs the action in this process (src/main.ts run()) against moto, as the moto integration tests do:
// inputs from a map, every AWS command the action sends recorded by name, the log, the summary and
// the failure line captured.
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AwsClients } from '../src/aws/clients.js'
import type { InputName } from '../src/constants.js'
import { run, type RunDeps, type RunResult } from '../src/main.js'
import { MemorySink } from './memory-sink.js'
import { motoClients } from './moto.js'

export interface InProcessRun extends RunResult {
  failed: string | undefined
  summary: string
  lines: string[]
  /** Every command the action sent to AWS, by name (`UpdateService`, ...). */
  sent: string[]
}

/** Moto clients whose every `send` is recorded, so tests can assert which calls were (not) made. */
export function recordingClients(sent: string[]): AwsClients {
  const clients = motoClients()
  const record = <C extends { send: unknown }>(client: C): C => {
    const send = (client.send as (command: unknown) => Promise<unknown>).bind(client)
    ;(client as { send: unknown }).send = (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name.replace(/Command$/, ''))
      return send(command)
    }
    return client
  }
  const { logs, ...sdkClients } = clients
  for (const client of Object.values(sdkClients)) record(client)
  // The logs clients are made per region on first use: each is recorded as it is made.
  const recorded = new Map<string, ReturnType<typeof logs>>()
  clients.logs = region => {
    if (!recorded.has(region)) recorded.set(region, logs(region).then(record))
    return recorded.get(region)!
  }
  return clients
}

export interface InProcessOptions {
  inputs: Record<string, string>
  /** Runner variables (GITHUB_REPOSITORY, GITHUB_EVENT_NAME, ...). */
  env?: Record<string, string>
  /** Written to a file and passed as GITHUB_EVENT_PATH. */
  event?: unknown
  sink?: MemorySink
  createGitHub?: RunDeps['createGitHub']
}

export async function runInProcess(o: InProcessOptions): Promise<InProcessRun> {
  const sink = o.sink ?? new MemorySink()
  const sent: string[] = []
  const env: Record<string, string> = { ...o.env }
  if (o.event !== undefined) {
    const eventPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'zdt-event-')), 'event.json')
    writeFileSync(eventPath, JSON.stringify(o.event))
    env.GITHUB_EVENT_PATH = eventPath
  }
  let failed: string | undefined
  let summary = ''
  const result = await run({
    getInput: (name: InputName) => o.inputs[name] ?? '',
    setOutput: () => {},
    setFailed: m => {
      failed = m
    },
    writeSummary: async md => {
      summary = md
    },
    sink,
    env,
    createClients: () => recordingClients(sent),
    ...(o.createGitHub ? { createGitHub: o.createGitHub } : {})
  })
  return { ...result, failed, summary, lines: sink.lines, sent }
}
