// The example workflows users copy must be valid YAML and use only what action.yml declares.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { parse } from 'yaml'
import { STRATEGIES } from '../../src/constants.js'
import { WORLD_OUTPUTS } from '../../scripts/demo/world.js'

interface Step {
  uses?: string
  with?: Record<string, unknown>
}
interface Workflow {
  on: unknown
  permissions?: Record<string, string>
  concurrency?: unknown
  jobs: Record<string, { steps: Step[] }>
}

const declared = new Set(
  Object.keys((parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, unknown> }).inputs)
)
const examples = readdirSync('examples').filter(f => f.endsWith('.yml'))

describe('examples/', () => {
  it('has the workflows the README promises', () => {
    expect(examples.sort()).toEqual([
      'asg-blue-green.yml',
      'ecs-promote-release.yml',
      'ecs-promote.yml',
      'ecs-release.yml',
      'pr-preview-sweep.yml',
      'pr-preview.yml'
    ])
  })

  describe.each(examples)('%s', file => {
    const wf = parse(readFileSync(`examples/${file}`, 'utf8')) as Workflow
    const steps = Object.values(wf.jobs).flatMap(j => j.steps)
    const ours = steps.filter(s => s.uses?.startsWith('org/zdt-deploy@'))

    it('uses the action with declared inputs and a valid strategy', () => {
      expect(ours.length).toBeGreaterThan(0)
      for (const step of ours) {
        const inputs = Object.keys(step.with ?? {})
        expect(inputs.filter(i => !declared.has(i))).toEqual([])
        expect(STRATEGIES).toContain(step.with?.strategy)
      }
    })

    it('gets AWS credentials through OIDC with least privilege', () => {
      expect(wf.permissions?.['id-token']).toBe('write')
      expect(wf.permissions?.contents).toBe('read')
      const creds = steps.findIndex(s => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))
      expect(creds).toBeGreaterThanOrEqual(0)
      expect(creds).toBeLessThan(steps.indexOf(ours[0]))
    })

    it('serialises deploys with a concurrency group', () => {
      expect(wf.concurrency).toBeDefined()
    })
  })

  it('previews ask for pull-requests: write and listen to the events the action handles', () => {
    const wf = parse(readFileSync('examples/pr-preview.yml', 'utf8')) as Workflow & {
      on: { pull_request: { types: string[] } }
    }
    expect(wf.permissions?.['pull-requests']).toBe('write')
    expect(wf.on.pull_request.types).toEqual(['opened', 'synchronize', 'reopened', 'closed'])
  })
})

describe('.github/workflows/self-test.yml', () => {
  const text = readFileSync('.github/workflows/self-test.yml', 'utf8')
  const wf = parse(text) as {
    on: Record<string, unknown>
    jobs: Record<string, { steps: Array<Step & { id?: string; run?: string }> }>
  }
  const steps = Object.values(wf.jobs).flatMap(j => j.steps)
  const ours = steps.filter(s => s.uses === './')
  const outputs = new Set(
    Object.keys((parse(readFileSync('action.yml', 'utf8')) as { outputs: Record<string, unknown> }).outputs)
  )

  it('runs on pushes and pull requests', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push'])
  })

  it('runs the checked-out action (ecs-rolling at least) with declared inputs only', () => {
    expect(ours.map(s => s.with?.strategy)).toContain('ecs-rolling')
    for (const step of ours) {
      expect(Object.keys(step.with ?? {}).filter(i => !declared.has(i))).toEqual([])
      expect(STRATEGIES).toContain(step.with?.strategy)
    }
  })

  it('reads only outputs the action declares and names the demo world prints, and checks every run', () => {
    const ids = new Map(steps.filter(s => s.id).map(s => [s.id!, s]))
    const refs = [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)].map(m => [m[1], m[2]])
    for (const [id, name] of refs) {
      const step = ids.get(id)
      expect({ id, known: step !== undefined }).toEqual({ id, known: true })
      if (step?.uses === './')
        expect({ id, name, declared: outputs.has(name) }).toEqual({ id, name, declared: true })
      if (step?.run?.includes('world-cli.ts'))
        expect({ name, printed: (WORLD_OUTPUTS as readonly string[]).includes(name) }).toEqual({
          name,
          printed: true
        })
    }
    for (const step of ours) expect(refs.some(([id]) => id === step.id)).toBe(true)
  })

  it('runs demo scripts that exist', () => {
    const scripts = [...text.matchAll(/scripts\/demo\/([\w.-]+)/g)].map(m => m[1])
    expect(scripts.length).toBeGreaterThan(0)
    const sources = readdirSync('scripts/demo')
    for (const file of scripts) expect(sources).toContain(file)
  })
})
