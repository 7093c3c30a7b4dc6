// dist/ is what users run: it must be the bundle of the committed src/.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

describe('dist/', () => {
  it('is the bundle of src/ (run `npm run bundle` and commit dist/)', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'zdt-dist-'))
    // The same build `npm run bundle` makes (ncc, then minified), into a fresh folder.
    execFileSync(process.execPath, ['scripts/bundle.js', out], { stdio: 'pipe' })
    // Every file ncc emits must be committed, and nothing else may linger in dist/.
    expect(readdirSync('dist').sort()).toEqual(readdirSync(out).sort())
    for (const file of readdirSync(out)) {
      const fresh = readFileSync(path.join(out, file), 'utf8')
      const committed = readFileSync(path.join('dist', file), 'utf8')
      expect({ file, same: committed === fresh }).toEqual({ file, same: true })
    }
  }, 180_000)
})
