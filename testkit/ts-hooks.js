// `node --import ./testkit/ts-hooks.js <file>.ts` runs TypeScript in place, as Node 24 runs .ts files
// (type stripping), so the test kit the demo reuses finds action.yml and dist/ relative to itself as
// under jest. The one thing Node does not do is map the `./x.js` specifiers TypeScript code is written
// with to the `./x.ts` files that exist: this hook does.
import { existsSync } from 'node:fs'
import * as nodeModule from 'node:module'

if (!process.features.typescript || typeof nodeModule.registerHooks !== 'function') {
  console.error(
    `The demo needs Node 24 (this is Node ${process.versions.node}): 'source .ci/node24.sh' puts it on PATH.`
  )
  process.exit(1)
}

nodeModule.registerHooks({
  resolve(specifier, context, nextResolve) {
    if (/^\.\.?\//.test(specifier) && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const js = new URL(specifier, context.parentURL)
      const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL)
      if (!existsSync(js) && existsSync(ts)) return nextResolve(ts.href, context)
    }
    return nextResolve(specifier, context)
  }
})
