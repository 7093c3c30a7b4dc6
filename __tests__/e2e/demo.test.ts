// `npm run demo` as a newcomer runs it: a child process that starts its own moto and servers, tells
// the story through the bundle, leaves its files, exits 0 and leaves nothing running.
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { isRunning } from '../../scripts/demo/lifecycle.js'
import { noColors, renderActionsLog } from '../../scripts/demo/render.js'

interface Finished {
  code: number | null
  stdout: string
  stderr: string
  ms: number
}

/** Runs `npm run demo` in its own process group, killed as a whole if it overruns `limitMs`. */
function runDemo(env: NodeJS.ProcessEnv, limitMs: number): Promise<Finished> {
  const started = Date.now()
  const child = spawn('npm', ['run', '--silent', 'demo'], { env, detached: true })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', d => (stdout += d))
  child.stderr.on('data', d => (stderr += d))
  const guard = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }, limitMs)
  return new Promise(resolve =>
    child.on('close', code => {
      clearTimeout(guard)
      resolve({ code, stdout, stderr, ms: Date.now() - started })
    })
  )
}

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise(resolve => {
    const socket = net.connect({ host: hostname, port: Number(port) })
    socket.setTimeout(2000)
    socket.on('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.on('timeout', () => {
      socket.destroy()
      resolve(false)
    })
    socket.on('error', () => resolve(true))
  })
}

describe('npm run demo', () => {
  it('tells the whole story through the bundle, passes, writes its files and stops everything', async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), 'zdt-demo-'))
    const env: NodeJS.ProcessEnv = { ...process.env, ZDT_DEMO_OUTPUT: outDir, NO_COLOR: '1' }
    // The demo starts its own moto_server; the one jest started is not its business.
    delete env.ZDT_MOTO_ENDPOINT
    delete env.ZDT_MOTO_PID
    const r = await runDemo(env, 200_000)

    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' })
    expect(r.ms).toBeLessThan(120_000)
    const out = r.stdout

    // One verdict per step of the story, in order.
    const verdicts = out.split('\n').filter(l => /^[✔✘] Step /.test(l))
    expect(verdicts.map(l => l.replace(/:.*/, ''))).toEqual([
      '✔ Step 1 passed',
      '✔ Step 2 passed',
      '✔ Step 3a passed',
      '✔ Step 3b passed',
      '✔ Step 3c passed',
      '✔ Step 4 passed'
    ])
    expect(verdicts[0]).toMatch(/staging runs registry\.example\.com\/shop:1\.2\.3-rc\.1 as shop-\S+:2 /)
    expect(verdicts[1]).toMatch(/production is served by web-\S+-green on ami-0b1c2d3e4f5a6b7c8/)
    expect(verdicts[2]).toMatch(
      /preview shop-\S+-pr-7 is up at pr-7\.preview\.demo\.local; comment #\d+ posted/
    )
    expect(verdicts[3]).toMatch(/comment #\d+ edited/)
    expect(verdicts[4]).toMatch(/nothing tagged zdt:pr=7 is left in moto/)
    expect(verdicts[5]).toMatch(/staging is back on shop-\S+:2 .*rolled-back=true, exit code 1/)
    expect(out).toMatch(/^Demo passed: all 6 steps behaved as the story says \(\d+s\)\.$/m)

    // The Actions log is rendered, not dumped: groups as headings, the failure as an error line.
    expect(out).not.toMatch(/^\s*::(group|endgroup|error|warning|debug)::/m)
    expect(out).toMatch(/^ {3}▼ Rollout$/m)
    expect(out).toMatch(/^ {3}✖ Error: Smoke test failed: GET \S+\/healthz answered 500/m)
    expect(out).toMatch(/^ {12}Fix: /m)

    // The files it names exist and hold what a reader expects.
    const read = (name: string) => readFileSync(path.join(outDir, name), 'utf8')
    expect(read('1-release-candidate.summary.md')).toContain('## ✅ zdt-deploy ecs-rolling: deployed')
    expect(read('2-blue-green.summary.md')).toContain('## ✅ zdt-deploy asg-blue-green: deployed')
    expect(read('3a-pr-opened.summary.md')).toContain('zdt-deploy pr-preview: deployed')
    expect(read('3c-pr-closed.summary.md')).toContain('zdt-deploy pr-preview: torn-down')
    expect(read('4-failed-deploy.summary.md')).toContain('## ❌ zdt-deploy ecs-rolling: failed, rolled back')
    expect(read('pr-7-comment.opened.md')).toContain('Preview is ready')
    expect(read('pr-7-comment.pushed.md')).toContain('2222222222222222222222222222222222222222')
    expect(read('pr-7-comment.closed.md')).toContain('Preview torn down')
    expect(read('4-failed-deploy.log')).toContain('::error::Smoke test failed')
    const named = [...out.matchAll(/^ {3}files: (.+)$/gm)].flatMap(m => m[1].split(', '))
    expect(named).toHaveLength(15)
    for (const file of named) expect(existsSync(path.resolve(file))).toBe(true)

    // Nothing it started is left: moto's process and every server it printed.
    const moto = /^ {2}moto_server: (http:\/\/127\.0\.0\.1:\d+) \(pid (\d+)\)/m.exec(out)
    expect(moto).not.toBeNull()
    expect(isRunning(Number(moto![2]))).toBe(false)
    const urls = [
      ...out.matchAll(/^ {2}(?:moto_server|local app|broken build|GitHub API stand-in): (http:\/\/\S+)/gm)
    ]
    expect(urls).toHaveLength(4)
    for (const [, url] of urls) expect(await refusesConnections(url)).toBe(true)
    expect(out).toMatch(/^Stopped GitHub stand-in, broken build, local app, moto_server\.$/m)
  }, 240_000)
})

describe('the demo log renderer', () => {
  it('shows groups as indented headings and hides the workflow commands', () => {
    const stdout = [
      'zdt-deploy: ecs-rolling',
      '::debug::not shown',
      '::group::Rollout',
      'Watching',
      '::endgroup::',
      'Deployed.'
    ].join('\n')
    expect(renderActionsLog(stdout, noColors, '> ')).toEqual([
      '> zdt-deploy: ecs-rolling',
      '> ▼ Rollout',
      '>   Watching',
      '> Deployed.'
    ])
  })

  it('unescapes multi-line errors and warnings and lines their continuation up', () => {
    const stdout = '::error::Smoke test failed: 100%25 broken%0D%0AFix: look\n::warning title=x::Careful'
    expect(renderActionsLog(stdout, noColors, '')).toEqual([
      '✖ Error: Smoke test failed: 100% broken',
      '         Fix: look',
      '⚠ Warning: Careful'
    ])
  })
})
