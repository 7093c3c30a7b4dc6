// Entry of `npm run demo` (compiled into .tools/demo-build/ first; see package.json).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository: the first folder above this file holding a package.json (the build sits in .tools/). */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir)
    if (up === dir) throw new Error('package.json not found above the demo')
    dir = up
  }
  return dir
}

const major = Number(process.versions.node.split('.')[0])
if (major < 24)
  console.error(
    `Note: the action runs on Node 24 (action.yml: runs.using node24) and this is Node ${process.versions.node}; 'source .ci/node24.sh' puts Node 24 on PATH.`
  )

const root = repoRoot()
// run-action.ts finds dist/ relative to its own file, which moves when compiled: point it at the
// repository's committed bundle (what users run) unless ZDT_DIST names another one.
process.env.ZDT_DIST ??= path.join(root, 'dist', 'index.js')
if (!existsSync(process.env.ZDT_DIST)) {
  console.error(`${process.env.ZDT_DIST} is missing: run 'npm run bundle' first.`)
  process.exit(1)
}
const { runDemo } = await import('./demo.js')
process.exitCode = await runDemo({
  outDir: path.resolve(process.env.ZDT_DEMO_OUTPUT ?? path.join(root, 'demo-output')),
  deadlineMs: 110_000,
  stepTimeoutMs: 60_000
})
