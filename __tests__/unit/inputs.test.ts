import { describe, expect, it } from '@jest/globals'
import { getSettings } from '../../src/inputs.js'
import { InputError } from '../../src/errors.js'
import type { InputName } from '../../src/constants.js'
import path from 'node:path'
import { BAD_INPUTS, BAD_INPUTS_ENV, LISTENER, TG } from './bad-inputs.js'

const inputsFrom = (values: Record<string, string>) => (name: InputName) => values[name] ?? ''
const env = { AWS_REGION: 'us-east-1' }

function problemsOf(values: Record<string, string>, environment: NodeJS.ProcessEnv = env): string[] {
  try {
    getSettings(inputsFrom(values), environment)
  } catch (e) {
    if (e instanceof InputError) return e.problems
    throw e
  }
  return []
}

describe('getSettings', () => {
  it('builds ecs-rolling settings with the defaults of the spec', () => {
    const s = getSettings(inputsFrom({ strategy: 'ecs-rolling', cluster: 'prod', service: 'web' }), env)
    expect(s).toMatchObject({
      strategy: 'ecs-rolling',
      region: 'us-east-1',
      environment: 'auto',
      healthPath: '/healthz',
      healthTimeoutSeconds: 120,
      probe: true,
      maxProbeErrors: 0,
      waitTimeoutSeconds: 1800,
      pollIntervalSeconds: 3,
      rollback: true,
      dryRun: false,
      forceNewDeployment: false,
      cluster: 'prod',
      service: 'web'
    })
    expect(s.healthStatus.ranges).toEqual([[200, 200]])
  })

  it('takes the region from AWS_DEFAULT_REGION when AWS_REGION is unset', () => {
    const s = getSettings(inputsFrom({ strategy: 'ecs-rolling', cluster: 'c', service: 's' }), {
      AWS_DEFAULT_REGION: 'eu-west-1'
    })
    expect(s.region).toBe('eu-west-1')
  })

  it('parses durations, status ranges and headers', () => {
    const s = getSettings(
      inputsFrom({
        strategy: 'asg-blue-green',
        'blue-asg': 'web-blue',
        'green-asg': 'web-green',
        'target-group': TG,
        'synthetic-target-group': TG.replace('/main/', '/synthetic/'),
        'listener-arn': LISTENER,
        'synthetic-header': 'X-Canary: yes',
        'validation-window': '5m',
        'health-status': '200-204,301',
        'wait-timeout': '1h30m'
      }),
      env
    )
    if (s.strategy !== 'asg-blue-green') throw new Error('wrong strategy')
    expect(s.validationWindowSeconds).toBe(300)
    expect(s.waitTimeoutSeconds).toBe(5400)
    expect(s.healthStatus.ranges).toEqual([
      [200, 204],
      [301, 301]
    ])
    expect(s.syntheticHeader).toEqual({ name: 'X-Canary', value: 'yes' })
  })

  it('parses pr-preview settings', () => {
    const s = getSettings(
      inputsFrom({
        strategy: 'pr-preview',
        cluster: 'c',
        service: 'web',
        'listener-arn': LISTENER,
        'preview-ttl': '7d',
        'preview-ports': '9000-9099',
        'preview-action': 'sweep'
      }),
      env
    )
    if (s.strategy !== 'pr-preview') throw new Error('wrong strategy')
    expect(s.previewTtlSeconds).toBe(7 * 86400)
    expect(s.previewPorts).toEqual({ from: 9000, to: 9099 })
    expect(s.previewAction).toBe('sweep')
    expect(s.allowForks).toBe(false)
  })

  it('takes a short preview-ttl as given (seconds to try the sweep out), not 0', () => {
    const ttl = (v: string) =>
      getSettings(
        inputsFrom({
          strategy: 'pr-preview',
          cluster: 'c',
          service: 'web',
          'listener-arn': LISTENER,
          'preview-ttl': v
        }),
        env
      )
    const s = ttl('5s')
    expect(s.strategy === 'pr-preview' && s.previewTtlSeconds).toBe(5)
    expect(() => ttl('0')).toThrow(/'preview-ttl' has an invalid value '0'/)
  })

  // Each bad input yields a message naming the input (and nothing else is done: getSettings only reads, the file system at most).
  it.each(BAD_INPUTS)('rejects a bad %s', (input, values, expected) => {
    const problems = problemsOf(values as Record<string, string>, { ...env, ...BAD_INPUTS_ENV })
    expect(problems.length).toBeGreaterThan(0)
    const problem = problems.find(p => p.includes(`'${input}'`))
    expect(problem).toBeDefined()
    expect(problem).toContain(expected)
  })

  it('takes a task-definition path inside the workspace as a file, an ARN or family:revision as a revision', () => {
    const taskDefinition = (v: string) => {
      const s = getSettings(
        inputsFrom({ strategy: 'ecs-rolling', cluster: 'c', service: 's', 'task-definition': v }),
        { ...env, ...BAD_INPUTS_ENV }
      )
      return s.strategy === 'ecs-rolling' ? [s.taskDefinitionPath, s.taskDefinitionRevision] : []
    }
    const inside = path.join(BAD_INPUTS_ENV.GITHUB_WORKSPACE, 'deploy', 'web.json')
    for (const v of ['deploy/web.json', './deploy/../web.json', inside, 'web.json:3'])
      expect(taskDefinition(v)).toEqual([v, undefined])
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3'
    for (const v of [arn, 'web:3', 'my_app-web:12']) expect(taskDefinition(v)).toEqual([undefined, v])
  })

  it('takes pre-deploy-command as a JSON array or a shell line', () => {
    const command = (v: string) => {
      const s = getSettings(
        inputsFrom({ strategy: 'ecs-rolling', cluster: 'c', service: 's', 'pre-deploy-command': v }),
        env
      )
      return s.strategy === 'ecs-rolling' && s.preDeployCommand
    }
    expect(command('["npm", "run", "migrate"]')).toEqual(['npm', 'run', 'migrate'])
    expect(command('npm run migrate && echo done')).toEqual(['sh', '-c', 'npm run migrate && echo done'])
    expect(command('')).toBeUndefined()
  })

  it('requires a region when none is given anywhere', () => {
    expect(problemsOf({ strategy: 'ecs-rolling', cluster: 'c', service: 's' }, {}).join('\n')).toContain(
      "'aws-region' is required"
    )
  })

  it('reports every bad input at once', () => {
    const problems = problemsOf({
      strategy: 'ecs-rolling',
      cluster: 'c',
      service: 's',
      probe: 'yes',
      rollback: 'no',
      'poll-interval': 'x'
    })
    expect(problems).toHaveLength(3)
  })
})
