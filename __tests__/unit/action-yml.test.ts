// action.yml declares exactly the inputs and outputs the code reads and writes (SPEC names).
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { ACTION_VERSION, DEFAULTS, Inputs, Outputs } from '../../src/constants.js'

const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

describe('action.yml', () => {
  it('declares every input the code reads, each with a description', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort())
    for (const [name, spec] of Object.entries(action.inputs))
      expect({ name, d: spec.description.length > 10 }).toEqual({ name, d: true })
  })

  it('declares every output the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('keeps the defaults of the spec', () => {
    const d = (n: string) => action.inputs[n].default
    expect(action.inputs.strategy.required).toBe(true)
    expect([d('environment'), d('health-path'), d('health-status'), d('health-timeout')]).toEqual([
      'auto',
      '/healthz',
      '200',
      '120'
    ])
    expect([d('probe'), d('max-probe-errors'), d('wait-timeout'), d('poll-interval')]).toEqual([
      'true',
      '0',
      '1800',
      '3'
    ])
    expect([d('rollback'), d('dry-run'), d('github-token')]).toEqual(['true', 'false', '${{ github.token }}'])
    expect([d('synthetic-header'), d('validation-window'), d('preview-ports')]).toEqual([
      'Synthetic: True',
      '300',
      '8000-8999'
    ])
    expect([d('preview-desired-count'), d('preview-action'), d('preview-ttl'), d('allow-forks')]).toEqual([
      '1',
      'auto',
      '7d',
      'false'
    ])
  })

  it('has the defaults the code reads (DEFAULTS), and no other', () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, spec]) => spec.default !== undefined && spec.default !== '')
        .map(([name, spec]) => [name, spec.default])
    )
    expect(declared).toEqual(DEFAULTS)
  })

  it('runs the bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('names the version of package.json in the user agent', () => {
    expect(ACTION_VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version)
  })
})
