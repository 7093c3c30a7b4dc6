// UpdateAutoScalingGroup right after a new launch template version: Auto Scaling may refuse a version
// EC2 just created ("You must use a valid fully-formed launch template"), so that one error is retried
// a bounded number of times, as is ScalingActivityInProgress; any other ValidationError fails at once.
import { describe, expect, it } from '@jest/globals'
import { AwsApi } from '../../src/aws/api.js'
import { updateAutoScalingGroup } from '../../src/aws/autoscaling.js'
import type { AwsClients } from '../../src/aws/clients.js'
import type { Clock } from '../../src/clock.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'

const validationError = (message: string) =>
  Object.assign(new Error(message), { name: 'ValidationError', Code: 'ValidationError' })
const NOT_VISIBLE = validationError(
  'You must use a valid fully-formed launch template. The specified launch template version does not exist.'
)

/** An AwsApi whose UpdateAutoScalingGroup answers from `answers` (an Error is thrown), the last repeating. */
function setup(answers: Array<Error | 'ok'>) {
  let t = 0
  const clock: Clock = { now: () => t, sleep: async ms => void (t += ms) }
  let calls = 0
  const autoscaling = {
    send: async () => {
      const a = answers[Math.min(calls++, answers.length - 1)]
      if (a instanceof Error) throw a
      return {}
    }
  }
  const aws = new AwsApi({ autoscaling } as unknown as AwsClients, {
    clock,
    log: new Reporter(new MemorySink(), clock),
    dryRun: false
  })
  return { aws, calls: () => calls, elapsedMs: () => t }
}

const withTemplate = { launchTemplate: { LaunchTemplateId: 'lt-1', Version: '8' }, desiredCapacity: 2 }

describe('updateAutoScalingGroup with a launch template', () => {
  it('retries while Auto Scaling does not see the new version yet, then succeeds', async () => {
    const s = setup([NOT_VISIBLE, NOT_VISIBLE, 'ok'])
    await updateAutoScalingGroup(s.aws, 'green', withTemplate)
    expect(s.calls()).toBe(3)
    expect(s.elapsedMs()).toBeGreaterThan(0)
  })

  it('gives up after a bounded number of tries with the AWS error itself', async () => {
    const s = setup([NOT_VISIBLE])
    await expect(updateAutoScalingGroup(s.aws, 'green', withTemplate)).rejects.toBe(NOT_VISIBLE)
    expect(s.calls()).toBe(8)
  })

  it('fails at once on any other validation error', async () => {
    const other = validationError(
      'Desired capacity:5 must be between the specified min size:0 and max size:4'
    )
    const s = setup([other, 'ok'])
    await expect(updateAutoScalingGroup(s.aws, 'green', withTemplate)).rejects.toBe(other)
    expect(s.calls()).toBe(1)
  })

  it('does not retry that error for a capacity-only update', async () => {
    const s = setup([NOT_VISIBLE, 'ok'])
    await expect(updateAutoScalingGroup(s.aws, 'green', { minSize: 0, desiredCapacity: 0 })).rejects.toBe(
      NOT_VISIBLE
    )
    expect(s.calls()).toBe(1)
  })

  it('retries ScalingActivityInProgress (a 400) for any update', async () => {
    const busy = Object.assign(new Error('Scaling activities in progress'), {
      name: 'ScalingActivityInProgressFault',
      Code: 'ScalingActivityInProgress'
    })
    const s = setup([busy, 'ok'])
    await updateAutoScalingGroup(s.aws, 'green', { minSize: 0, desiredCapacity: 0 })
    expect(s.calls()).toBe(2)
  })
})
