// A write whose answer is lost after AWS applied it is retried: the retry must not make a second
// one. CreateLaunchTemplateVersion carries the same ClientToken on every attempt; CreateRule meeting
// PriorityInUse and CreateListener meeting DuplicateListener take their own first attempt's result.
import { describe, expect, it } from '@jest/globals'
import { AwsApi } from '../../src/aws/api.js'
import type { AwsClients } from '../../src/aws/clients.js'
import { createLaunchTemplateVersion } from '../../src/aws/ec2.js'
import { createForwardListener, createForwardRule } from '../../src/aws/elbv2.js'
import type { Clock } from '../../src/clock.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/pr-7/1'
const OTHER_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/pr-8/2'
const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/1/2'
const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/lb/1'

const connectionReset = () =>
  Object.assign(new Error('socket hang up'), { name: 'ECONNRESET', code: 'ECONNRESET' })
const awsError = (code: string) =>
  Object.assign(new Error(code), { name: code, Code: code, $metadata: { httpStatusCode: 400 } })

/** An API whose client answers each command by its name from `answers`, one entry per call (the last repeats). */
function apiAnswering(answers: Record<string, (() => unknown)[]>) {
  const clock: Clock = { now: () => 0, sleep: async () => {} }
  const sent: { name: string; input: Record<string, unknown> }[] = []
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '')
      const n = sent.filter(s => s.name === name).length
      sent.push({ name, input: command.input })
      const script = answers[name] ?? []
      return script[Math.min(n, script.length - 1)]()
    }
  }
  const aws = new AwsApi({ ec2: client, elbv2: client } as unknown as AwsClients, {
    clock,
    log: new Reporter(new MemorySink(), clock),
    dryRun: false,
    random: () => 0
  })
  return { aws, sent }
}

const fail = (e: () => Error) => () => {
  throw e()
}

describe('a retried write meets its own first attempt', () => {
  it('CreateLaunchTemplateVersion sends the same ClientToken on the retry, a new one for another request', async () => {
    const { aws, sent } = apiAnswering({
      CreateLaunchTemplateVersion: [
        fail(connectionReset),
        () => ({ LaunchTemplateVersion: { VersionNumber: 8 } })
      ]
    })
    const r = await createLaunchTemplateVersion(aws, 'lt-1', '7', 'ami-2', 'zdt-deploy acme/shop run 41')
    expect(r.version).toBe(8)
    const [first, retry] = sent.map(s => s.input.ClientToken)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(retry).toBe(first)
    await createLaunchTemplateVersion(aws, 'lt-1', '7', 'ami-2', 'zdt-deploy acme/shop run 42')
    expect(sent[2].input.ClientToken).not.toBe(first)
  })

  const ownRule = {
    RuleArn: `${LISTENER}/rule/9`,
    Priority: '17',
    Actions: [{ Type: 'forward', TargetGroupArn: TG }]
  }
  const ruleParams = { listenerArn: LISTENER, priority: 17, conditions: [], targetGroupArn: TG, tags: {} }

  it('CreateRule: PriorityInUse on the retry, with its own rule at that priority, is the rule created', async () => {
    const { aws, sent } = apiAnswering({
      CreateRule: [fail(connectionReset), fail(() => awsError('PriorityInUse'))],
      DescribeRules: [() => ({ Rules: [ownRule] })]
    })
    await expect(createForwardRule(aws, ruleParams)).resolves.toEqual(ownRule)
    expect(sent.map(s => s.name)).toEqual(['CreateRule', 'CreateRule', 'DescribeRules'])
  })

  it("CreateRule: PriorityInUse by a rival's rule stays PriorityInUse (the caller picks another)", async () => {
    const { aws } = apiAnswering({
      CreateRule: [fail(() => awsError('PriorityInUse'))],
      DescribeRules: [
        () => ({ Rules: [{ ...ownRule, Actions: [{ Type: 'forward', TargetGroupArn: OTHER_TG }] }] })
      ]
    })
    await expect(createForwardRule(aws, ruleParams)).rejects.toMatchObject({ Code: 'PriorityInUse' })
  })

  const ownListener = {
    ListenerArn: LISTENER,
    Port: 8443,
    DefaultActions: [{ Type: 'forward', TargetGroupArn: TG }]
  }
  const listenerParams = {
    loadBalancerArn: LB,
    port: 8443,
    protocol: 'HTTP' as const,
    targetGroupArn: TG,
    tags: {}
  }

  it('CreateListener: DuplicateListener on the retry, with its own listener on that port, is the listener created', async () => {
    const { aws } = apiAnswering({
      CreateListener: [fail(connectionReset), fail(() => awsError('DuplicateListener'))],
      DescribeListeners: [() => ({ Listeners: [ownListener] })]
    })
    await expect(createForwardListener(aws, listenerParams)).resolves.toEqual(ownListener)
  })

  it("CreateListener: a rival's listener on the port stays DuplicateListener", async () => {
    const { aws } = apiAnswering({
      CreateListener: [fail(() => awsError('DuplicateListener'))],
      DescribeListeners: [
        () => ({
          Listeners: [{ ...ownListener, DefaultActions: [{ Type: 'forward', TargetGroupArn: OTHER_TG }] }]
        })
      ]
    })
    await expect(createForwardListener(aws, listenerParams)).rejects.toMatchObject({
      Code: 'DuplicateListener'
    })
  })
})
