import { describe, expect, it } from '@jest/globals'
import { getSettings } from '../../src/inputs.js'
import { InputError } from '../../src/errors.js'
import type { InputName } from '../../src/constants.js'

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/main/0123456789abcdef'
const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/0123456789abcdef/fedcba9876543210'

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

  // Each bad input yields a message naming the input (and nothing else is done: getSettings is pure).
  const ecs = { strategy: 'ecs-rolling', cluster: 'c', service: 's' }
  const bg = { strategy: 'asg-blue-green', 'blue-asg': 'b', 'green-asg': 'g', 'target-group': TG }
  const pr = { strategy: 'pr-preview', cluster: 'c', service: 's', 'listener-arn': LISTENER }
  it.each([
    ['strategy', { strategy: 'canary' }, 'one of ecs-rolling'],
    ['strategy', {}, 'required'],
    ['aws-region', { ...ecs, 'aws-region': 'mars' }, 'region such as us-east-1'],
    ['probe', { ...ecs, probe: 'yes' }, '`true` or `false`'],
    ['rollback', { ...ecs, rollback: 'True' }, '`true` or `false`'],
    ['dry-run', { ...ecs, 'dry-run': '1' }, '`true` or `false`'],
    ['force-new-deployment', { ...ecs, 'force-new-deployment': 'on' }, '`true` or `false`'],
    ['max-probe-errors', { ...ecs, 'max-probe-errors': '-1' }, 'whole number'],
    ['wait-timeout', { ...ecs, 'wait-timeout': 'forever' }, 'duration'],
    ['poll-interval', { ...ecs, 'poll-interval': '0' }, 'at least 1'],
    ['health-timeout', { ...ecs, 'health-timeout': '2 minutes' }, 'duration'],
    ['health-status', { ...ecs, 'health-status': '2xx' }, 'status codes'],
    ['health-status', { ...ecs, 'health-status': '299-200' }, 'status codes'],
    ['health-path', { ...ecs, 'health-path': 'healthz' }, "starting with '/'"],
    ['url', { ...ecs, url: 'ftp://x' }, 'http://'],
    ['cluster', { strategy: 'ecs-rolling', service: 's' }, 'required'],
    ['service', { strategy: 'ecs-rolling', cluster: 'c' }, 'required'],
    ['cluster', { ...ecs, cluster: 'my cluster' }, 'name or ARN'],
    ['blue-asg', { ...bg, 'blue-asg': '' }, 'required'],
    ['green-asg', { ...bg, 'green-asg': 'b' }, 'two different'],
    ['target-group', { ...bg, 'target-group': 'main-tg' }, 'ARN'],
    ['synthetic-target-group', { ...bg, 'synthetic-target-group': 'arn:aws:s3:::bucket' }, 'ARN'],
    ['listener-arn', { ...bg, 'synthetic-target-group': TG }, 'required with'],
    ['synthetic-header', { ...bg, 'synthetic-header': 'Synthetic' }, 'Name: value'],
    ['ami-id', { ...bg, 'ami-id': 'ubuntu' }, 'AMI id'],
    ['ami-id', { ...bg, 'ami-id': 'ami-0123456789abcdef0', 'launch-template-version': '3' }, 'at most one'],
    ['launch-template-version', { ...bg, 'launch-template-version': 'latest' }, '$Latest'],
    ['validation-window', { ...bg, 'validation-window': '-5' }, 'duration'],
    ['listener-arn', { ...pr, 'listener-arn': '' }, 'required'],
    ['listener-arn', { ...pr, 'listener-arn': TG }, 'ARN'],
    ['preview-domain', { ...pr, 'preview-domain': 'not a domain' }, 'DNS domain'],
    ['preview-ports', { ...pr, 'preview-ports': '9000' }, 'port range'],
    ['preview-ports', { ...pr, 'preview-ports': '9000-70000' }, 'port range'],
    ['preview-desired-count', { ...pr, 'preview-desired-count': 'two' }, 'whole number'],
    ['preview-action', { ...pr, 'preview-action': 'create' }, 'auto, deploy, destroy, sweep'],
    ['preview-ttl', { ...pr, 'preview-ttl': 'a week' }, 'duration'],
    ['allow-forks', { ...pr, 'allow-forks': 'maybe' }, '`true` or `false`']
  ])('rejects a bad %s', (input, values, expected) => {
    const problems = problemsOf(values as Record<string, string>)
    expect(problems.length).toBeGreaterThan(0)
    const problem = problems.find(p => p.includes(`'${input}'`))
    expect(problem).toBeDefined()
    expect(problem).toContain(expected)
  })

  it('requires a region when none is given anywhere', () => {
    expect(problemsOf(ecs, {}).join('\n')).toContain("'aws-region' is required")
  })

  it('reports every bad input at once', () => {
    const problems = problemsOf({ ...ecs, probe: 'yes', rollback: 'no', 'poll-interval': 'x' })
    expect(problems).toHaveLength(3)
  })
})
