// What a user pays to run zdt-deploy instead of the official amazon-ecs-deploy-task-definition
// action: start-up of a run that fails at once, its peak memory, the bytes of dist/, and the same
// ECS deploy against moto. Both bundles run as the runner runs them (node <dist>/index.js with
// INPUT_* variables), alternating, and the medians are compared.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createEcsService } from '../testkit/moto-ecs.js'
import { motoAwsEnv, motoClients } from '../testkit/moto.js'
import { startAppServer } from '../testkit/app-server.js'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { median, ratio, table } from './table.js'

interface Measured {
  wallSeconds: number
  maxRssKb: number
  exitCode: number
  stdout: string
}

const TIME = '/usr/bin/time'

/**
 * Runs `node <entry>` with `env`; max RSS from GNU time when the machine has it. Asynchronous, so the
 * app the smoke test reaches (served from this process) keeps answering.
 */
function runNode(entry: string, env: Record<string, string>): Promise<Measured> {
  const useTime = statSync(TIME, { throwIfNoEntry: false }) !== undefined
  const [cmd, args] = useTime ? [TIME, ['-f', '%M', process.execPath, entry]] : [process.execPath, [entry]]
  const started = performance.now()
  return new Promise(resolve => {
    execFile(cmd, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({
        wallSeconds: (performance.now() - started) / 1000,
        maxRssKb: useTime ? Number(/(\d+)\s*$/.exec(stderr)?.[1] ?? NaN) : NaN,
        exitCode: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
        stdout
      })
    })
  })
}

function baseEnv(dir: string): Record<string, string> {
  const files = {
    output: path.join(dir, 'output'),
    summary: path.join(dir, 'summary'),
    event: path.join(dir, 'event')
  }
  writeFileSync(files.output, '')
  writeFileSync(files.summary, '')
  writeFileSync(files.event, '{}')
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    RUNNER_TEMP: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary
  }
}

/** Bytes of the .js files a runner downloads with dist/ (licences and metadata excluded). */
function distBytes(dir: string): number {
  return readdirSync(dir)
    .filter(f => f.endsWith('.js'))
    .reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0)
}

/** An action.yml's input defaults, as the runner applies them (expressions such as the token: empty). */
function actionDefaults(actionYml: string): Record<string, string> {
  const action = parse(readFileSync(actionYml, 'utf8')) as { inputs: Record<string, { default?: unknown }> }
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, spec]) => {
      const value = String(spec.default ?? '')
      return [name, value.includes('${{') ? '' : value]
    })
  )
}

function inputs(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
}

/** Alternating runs of ours and theirs; the medians of each. */
async function alternate(
  n: number,
  ours: () => Promise<Measured>,
  theirs: () => Promise<Measured>
): Promise<{ ours: Measured[]; theirs: Measured[] }> {
  const out = { ours: [] as Measured[], theirs: [] as Measured[] }
  for (let i = 0; i < n; i++) {
    out.ours.push(await ours())
    out.theirs.push(await theirs())
  }
  return out
}

export async function peerCost(ourDist: string, peerDist: string, runs: number): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zdt-bench-'))
  try {
    const env = baseEnv(dir)
    const failing = await alternate(
      runs,
      () => runNode(path.join(ourDist, 'index.js'), env),
      () => runNode(path.join(peerDist, 'index.js'), env)
    )
    const deploy = await motoDeploys(ourDist, peerDist, Math.max(3, Math.ceil(runs / 3)), env)
    const wall = (ms: Measured[]) => median(ms.map(m => m.wallSeconds))
    const rss = (ms: Measured[]) => median(ms.map(m => m.maxRssKb)) / 1024
    const bytes = (dir: string) => distBytes(dir) / 1e6
    const row = (label: string, ours: number, theirs: number, unit: string, digits: number) => [
      label,
      `${ours.toFixed(digits)} ${unit}`,
      `${theirs.toFixed(digits)} ${unit}`,
      ratio(ours, theirs)
    ]
    const rows = [
      row(
        'a run that fails at once (no inputs): wall time',
        wall(failing.ours),
        wall(failing.theirs),
        's',
        2
      ),
      row('peak memory of that run', rss(failing.ours), rss(failing.theirs), 'MiB', 0),
      row(
        'dist/ bytes the runner downloads (.js, licences excluded)',
        bytes(ourDist),
        bytes(peerDist),
        'MB',
        2
      ),
      row(
        'the same ECS deploy against moto (register, update, wait), probe off: wall time',
        wall(deploy.ours),
        wall(deploy.theirs),
        's',
        2
      ),
      row('peak memory of that deploy', rss(deploy.ours), rss(deploy.theirs), 'MiB', 0)
    ]
    const failed = [...deploy.ours, ...deploy.theirs].filter(m => m.exitCode !== 0)
    const note = failed.length
      ? `\n\n${failed.length} deploy run(s) exited non-zero; their times are still counted:\n${failed[0].stdout
          .split('\n')
          .filter(l => l.startsWith('::error'))
          .join('\n')}`
      : ''
    return (
      `Medians of ${runs} alternating runs (${deploy.ours.length} for the deploy), node ${process.version}.\n\n` +
      table(['figure', 'zdt-deploy', 'official v2.6.3', 'ratio'], rows) +
      note
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * One service in moto per run (a fresh task definition each time), deployed by each action with the
 * new image: ours as ecs-rolling with the probe off and its smoke test against a local app, theirs
 * with a task-definition file and wait-for-service-stability.
 */
async function motoDeploys(
  ourDist: string,
  peerDist: string,
  runs: number,
  env: Record<string, string>
): Promise<{ ours: Measured[]; theirs: Measured[] }> {
  const clients = motoClients()
  const app = await startAppServer('v2')
  const aws = motoAwsEnv()
  const out = { ours: [] as Measured[], theirs: [] as Measured[] }
  try {
    for (let i = 0; i < runs; i++) {
      const mine = await createEcsService(clients)
      out.ours.push(
        await runNode(path.join(ourDist, 'index.js'), {
          ...env,
          ...aws,
          // The runner sets every input action.yml declares, with its default when a workflow omits it.
          ...inputs({
            ...actionDefaults('action.yml'),
            strategy: 'ecs-rolling',
            cluster: mine.cluster,
            service: mine.service,
            image: 'registry.example.com/shop:2.0.0',
            environment: 'production',
            url: app.url,
            'health-path': '/',
            probe: 'false'
          })
        })
      )
      const theirsService = await createEcsService(clients)
      const taskDefinition = path.join(env.GITHUB_WORKSPACE, `task-definition-${i}.json`)
      writeFileSync(
        taskDefinition,
        JSON.stringify({
          family: theirsService.family,
          containerDefinitions: [
            {
              name: 'app',
              image: 'registry.example.com/shop:2.0.0',
              memory: 256,
              portMappings: [{ containerPort: 8080 }]
            }
          ]
        })
      )
      out.theirs.push(
        await runNode(path.join(peerDist, 'index.js'), {
          ...env,
          ...aws,
          ...inputs({
            ...actionDefaults(path.join(peerDist, '..', 'action.yml')),
            'task-definition': taskDefinition,
            cluster: theirsService.cluster,
            service: theirsService.service,
            'wait-for-service-stability': 'true',
            'wait-for-minutes': '10'
          })
        })
      )
    }
  } finally {
    await app.close()
  }
  return out
}
