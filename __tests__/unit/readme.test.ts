// The README's inputs/outputs tables are generated from action.yml; they must not drift.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
// @ts-expect-error plain JS script without type declarations
import { updateReadme } from '../../scripts/readme-tables.js'

describe('README.md', () => {
  const readme = readFileSync('README.md', 'utf8')

  it('has the inputs and outputs tables of action.yml (run `npm run docs`)', () => {
    expect(readme).toBe(updateReadme(readme, readFileSync('action.yml', 'utf8')))
  })

  it('gives the test command that CI runs', () => {
    expect(readme).toContain('npm ci && npm test')
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/npm ci\s*\nnpm test/)
  })
})
