// Entry of `npm run demo` (node --import ./testkit/ts-hooks.js scripts/demo/main.ts).
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DIST } from '../../testkit/run-action.js'
import { runDemo } from './demo.js'

if (Number(process.versions.node.split('.')[0]) < 24)
  console.error(
    `Note: the action runs on Node 24 (action.yml: runs.using node24) and this is Node ${process.versions.node}; 'npm run demo' runs it under Node 24, fetched into .tools/ when missing.`
  )

// DIST is the committed dist/index.js (what users run) unless ZDT_DIST names another bundle.
if (!existsSync(DIST)) {
  console.error(`${DIST} is missing: run 'npm run bundle' first.`)
  process.exit(1)
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
process.exitCode = await runDemo({
  outDir: path.resolve(process.env.ZDT_DEMO_OUTPUT ?? path.join(root, 'demo-output')),
  deadlineMs: 110_000,
  stepTimeoutMs: 60_000
})
