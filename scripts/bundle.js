// `npm run bundle [out]`: the action as the runner downloads it. ncc bundles src/index.ts (a chunk per
// lazily loaded strategy and SDK client), then esbuild minifies every emitted .js file in place: the
// runner fetches less and Node parses less at start-up. Licences stay whole in licenses.txt.
// __tests__/dist.test.ts runs this same script into a temporary folder and compares it with dist/.
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { transformSync } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = path.resolve(process.argv[2] ?? path.join(root, 'dist'))
const ncc = path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js')

// ncc writes into the folder without emptying it: a chunk an earlier build emitted would linger.
rmSync(out, { recursive: true, force: true })
execFileSync(process.execPath, [ncc, 'build', 'src/index.ts', '-o', out, '--license', 'licenses.txt', '-q'], {
  cwd: root,
  stdio: 'inherit'
})

for (const file of readdirSync(out)
  .filter(f => f.endsWith('.js'))
  .sort()) {
  const full = path.join(out, file)
  // Legal comments are dropped here because licenses.txt carries every licence in full.
  const { code } = transformSync(readFileSync(full, 'utf8'), {
    loader: 'js',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    target: 'node24'
  })
  writeFileSync(full, code)
}
