// The run's guard rails: bad inputs and an underivable environment fail before any AWS client exists.
import { describe, expect, it, jest } from '@jest/globals'
import { run, type RunDeps } from '../../src/main.js'
import { MemorySink } from '../../testkit/memory-sink.js'
import type { AwsClients, AwsService } from '../../src/aws/clients.js'
import { BAD_INPUTS, BAD_INPUTS_ENV } from './bad-inputs.js'

function depsFor(inputs: Record<string, string>, env: NodeJS.ProcessEnv = { AWS_REGION: 'us-east-1' }) {
  const failed: string[] = []
  const outputs: Record<string, string> = {}
  const createClients = jest.fn<(region: string, services: readonly AwsService[]) => AwsClients>(() => {
    throw new Error('no AWS client may be created')
  })
  const deps: Partial<RunDeps> = {
    getInput: name => inputs[name] ?? '',
    setOutput: (name, value) => {
      outputs[name] = value
    },
    setFailed: m => {
      failed.push(m)
    },
    writeSummary: async () => {},
    sink: new MemorySink(),
    env,
    createClients
  }
  return { deps, failed, outputs, createClients }
}

describe('run', () => {
  it('fails on a bad input, naming it, without creating an AWS client', async () => {
    const t = depsFor({
      strategy: 'ecs-rolling',
      cluster: 'c',
      service: 's',
      'dry-run': 'yes',
      environment: 'qa'
    })
    const r = await run(t.deps)
    expect(r.ok).toBe(false)
    expect(t.failed.join('\n')).toContain("Input 'dry-run'")
    expect(t.createClients).not.toHaveBeenCalled()
  })

  // The whole table of bad inputs, through the run: each fails naming its input, and no AWS client
  // is even created, so no AWS call can follow.
  it.each(BAD_INPUTS)('fails on a bad %s before any AWS call', async (input, values) => {
    const t = depsFor({ environment: 'qa', ...values }, { AWS_REGION: 'us-east-1', ...BAD_INPUTS_ENV })
    const r = await run(t.deps)
    expect(r.ok).toBe(false)
    expect(t.failed.join('\n')).toContain(`'${input}'`)
    expect(t.createClients).not.toHaveBeenCalled()
  })

  it('writes the job summary on a bad input too: what failed, one problem per line', async () => {
    const t = depsFor({ strategy: 'pr-preview', 'dry-run': 'yes', 'preview-ttl': 'forever' })
    const summaries: string[] = []
    const r = await run({ ...t.deps, writeSummary: async md => void summaries.push(md) })
    expect(r.ok).toBe(false)
    expect(summaries).toHaveLength(1)
    expect(summaries[0]).toMatch(/^## ❌ zdt-deploy pr-preview: failed/)
    expect(summaries[0]).toContain("- Input 'dry-run' has an invalid value 'yes'")
    expect(summaries[0]).toContain("- Input 'preview-ttl' has an invalid value 'forever'")
    expect(summaries[0]).toContain("- Input 'listener-arn' is required for strategy pr-preview")
  })

  it('fails when environment is auto and the event gives nothing to derive it from', async () => {
    const t = depsFor(
      { strategy: 'ecs-rolling', cluster: 'c', service: 's' },
      {
        AWS_REGION: 'us-east-1',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main'
      }
    )
    const r = await run(t.deps)
    expect(r.ok).toBe(false)
    expect(t.failed.join('\n')).toContain("Input 'environment' is 'auto'")
    expect(t.createClients).not.toHaveBeenCalled()
  })

  it('derives staging from a prerelease tag and sets the environment output first', async () => {
    const t = depsFor(
      { strategy: 'ecs-rolling', cluster: 'c', service: 's', 'dry-run': 'true' },
      {
        AWS_REGION: 'us-east-1',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/tags/v1.2.3-rc.1'
      }
    )
    t.createClients.mockImplementation(() => {
      throw new Error('stop here')
    })
    await run(t.deps)
    expect(t.outputs.environment).toBe('staging')
    // ecs-rolling asks for the clients it uses and no others (EC2 and Auto Scaling stay unloaded; the
    // logs client loads its package only when a log is read).
    expect(t.createClients).toHaveBeenCalledWith('us-east-1', ['ecs', 'elbv2', 'logs'])
  })
})
