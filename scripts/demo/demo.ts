// `npm run demo`: moto, a demo world, a local app and GitHub stand-in, then the bundled action through
// the story (story.ts), each step's log shown as the Actions log shows it, checked, and a verdict.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { startAppServer } from '../../testkit/app-server.js'
import { startGitHubServer } from '../../testkit/github-server.js'
import { motoAwsEnv, motoClients } from '../../testkit/moto.js'
import { DIST, runAction, type ActionRun } from '../../testkit/run-action.js'
import { failures, type Check } from './checks.js'
import { Cleanup, stopOnInterrupt } from './lifecycle.js'
import { INSTALL_HINT, startMoto } from '../../testkit/moto-server.js'
import { renderActionsLog, shortValue, styleFor, wrap, type Style } from './render.js'
import { REPO, story, type Step, type StoryDeps } from './story.js'
import { buildWorld, describeWorld } from './world.js'

export interface DemoOptions {
  /** Where the job summaries, PR comments and raw logs go. */
  outDir: string
  /** The whole demo, setup and cleanup included, stops by itself after this long. */
  deadlineMs: number
  stepTimeoutMs: number
}

const WIDTH = 100

export async function runDemo(opts: DemoOptions): Promise<number> {
  const style = styleFor(process.stdout)
  const write = (line = '') => process.stdout.write(`${line}\n`)
  // After an interrupt only the stopping is reported, not the log of the action it killed.
  const say = (line = '') => {
    if (!interrupts.stopping()) write(line)
  }
  const shown = (file: string) => {
    const rel = path.relative(process.cwd(), file)
    return rel.startsWith('..') ? file : rel
  }
  const cleanup = new Cleanup()
  const interrupts = stopOnInterrupt(cleanup, opts.deadlineMs, write)
  const started = Date.now()
  try {
    mkdirSync(opts.outDir, { recursive: true })
    say(style.bold('zdt-deploy demo: the bundled action against a local AWS (moto), no account needed'))
    say(`  action: ${shown(DIST)}`)

    const motoLog = path.join(opts.outDir, 'moto.log')
    const moto = await startMoto({
      logFile: motoLog,
      lifetimeSeconds: Math.ceil(opts.deadlineMs / 1000) + 30
    })
    cleanup.add('moto_server', moto.stop)
    // The test support code (clients, the action's AWS variables) reads the endpoint from here.
    process.env.ZDT_MOTO_ENDPOINT = moto.endpoint
    say(`  moto_server: ${moto.endpoint} (pid ${moto.pid}), log ${shown(motoLog)}`)

    const clients = motoClients()
    const world = await buildWorld(clients)
    const app = await startAppServer('1.2.3')
    cleanup.add('local app', app.close)
    const broken = await startAppServer('1.2.4-rc.1')
    broken.setStatus('/healthz', 500)
    cleanup.add('broken build', broken.close)
    const github = await startGitHubServer()
    cleanup.add('GitHub stand-in', github.close)
    say(`  local app: ${app.url} (version 1.2.3: / and /healthz answer 200)`)
    say(`  broken build: ${broken.url} (version 1.2.4-rc.1: /healthz answers 500)`)
    say(`  GitHub API stand-in: ${github.url} (repository ${REPO})`)
    say()
    say(style.bold('The demo world in moto'))
    for (const line of describeWorld(world)) say(`  ${line}`)

    const deps: StoryDeps = { clients, world, app, broken, github }
    const steps = story(deps)
    const passed: boolean[] = []
    for (const step of steps) {
      say()
      passed.push(await runStep(step, deps, opts, style, say, shown))
    }

    const failed = steps.filter((_, i) => !passed[i]).map(s => s.id)
    const took = `${Math.round((Date.now() - started) / 1000)}s`
    say()
    say(
      failed.length === 0
        ? style.green(`Demo passed: all ${steps.length} steps behaved as the story says (${took}).`)
        : style.red(`Demo failed: ${failed.join(', ')} did not behave as the story says (${took}).`)
    )
    say(`Job summaries, PR comments and raw logs: ${shown(opts.outDir)}/`)
    return failed.length === 0 ? 0 : 1
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    say(style.red(message === INSTALL_HINT ? message : `Demo failed: ${message}`))
    return 1
  } finally {
    interrupts.disarm()
    const { stopped, problems } = await cleanup.run()
    if (stopped.length > 0) say(style.dim(`Stopped ${stopped.join(', ')}.`))
    for (const p of problems) say(style.red(`Could not stop ${p}`))
  }
}

async function runStep(
  step: Step,
  d: StoryDeps,
  opts: DemoOptions,
  style: Style,
  say: (line?: string) => void,
  shown: (file: string) => string
): Promise<boolean> {
  // The story's own numbering: 1, 2, 3a, 3b, 3c, 4.
  const number = step.id.split('-')[0]
  say(style.bold(`━━ Step ${number}: ${step.title}`))
  for (const line of wrap(step.story, WIDTH, '   ')) say(style.dim(line))
  say(`   on: ${step.trigger.describe}`)
  say(`   uses: ./ (${shown(DIST)})`)
  say('   with:')
  for (const [k, v] of Object.entries(step.inputs)) say(`     ${k}: ${shortValue(v)}`)
  say()

  step.before?.()
  const started = Date.now()
  let run: ActionRun
  try {
    run = await runAction({
      inputs: step.inputs,
      env: { ...motoAwsEnv(), GITHUB_API_URL: d.github.url },
      eventName: step.trigger.eventName,
      ref: step.trigger.ref,
      event: step.trigger.event,
      repository: REPO,
      timeoutMs: opts.stepTimeoutMs
    })
  } catch (e) {
    say(
      style.red(`✘ Step ${number} failed: the action could not be run: ${e instanceof Error ? e.message : e}`)
    )
    return false
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  for (const line of renderActionsLog(run.stdout, style, '   ')) say(line)
  if (run.stderr.trim()) {
    say(style.dim('   stderr:'))
    for (const line of run.stderr.trimEnd().split('\n')) say(style.dim(`     ${line}`))
  }

  const files: Record<string, string> = {
    [`${step.id}.log`]: run.stdout,
    [`${step.id}.summary.md`]: run.summary,
    ...step.files?.()
  }
  const written = Object.entries(files).map(([name, content]) => {
    const file = path.join(opts.outDir, name)
    writeFileSync(file, content)
    return shown(file)
  })

  let checks: Check[]
  try {
    checks = [
      {
        what: 'exit code',
        ok: run.exitCode === step.expectedExit,
        expected: String(step.expectedExit),
        actual: String(run.exitCode)
      },
      ...(await step.check(run))
    ]
  } catch (e) {
    checks = [
      {
        what: 'checking the result',
        ok: false,
        expected: 'no error',
        actual: e instanceof Error ? e.message : String(e)
      }
    ]
  }
  const bad = failures(checks)
  say()
  if (bad.length === 0) {
    say(style.green(`✔ Step ${number} passed: ${step.told(run)} (${seconds}s, ${checks.length} checks)`))
  } else {
    const n = checks.filter(c => !c.ok).length
    say(style.red(`✘ Step ${number} failed: ${n} of ${checks.length} checks did not hold (${seconds}s)`))
    for (const line of bad) say(style.red(`   ${line}`))
  }
  say(style.dim(`   files: ${written.join(', ')}`))
  return bad.length === 0
}
