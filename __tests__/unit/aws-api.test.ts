// How the AWS choke point classifies errors: what it retries, what it passes straight on.
import { describe, expect, it } from '@jest/globals'
import { ClientException } from '@aws-sdk/client-ecs'
import { AwsApi, isRetryable, isThrottling } from '../../src/aws/api.js'
import type { AwsClients } from '../../src/aws/clients.js'
import type { Clock } from '../../src/clock.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'

const clientException = (message: string) =>
  new ClientException({ message, $metadata: { httpStatusCode: 400 } })
const concurrent = () =>
  clientException('Too many concurrent attempts to create a new revision of the specified family.')

function api(): { aws: AwsApi; slept: number[] } {
  const slept: number[] = []
  let now = 0
  const clock: Clock = {
    now: () => now,
    sleep: async ms => {
      slept.push(ms)
      now += ms
    }
  }
  const aws = new AwsApi({} as AwsClients, {
    clock,
    log: new Reporter(new MemorySink(), clock),
    dryRun: false,
    random: () => 0.5
  })
  return { aws, slept }
}

describe('AwsApi error classification', () => {
  it("treats ECS's concurrent-revision ClientException as throttling, and other ClientExceptions as final", () => {
    expect(isThrottling(concurrent())).toBe(true)
    expect(isRetryable(clientException('Container.image should not be null or empty.'))).toBe(false)
  })

  it('registers after backing off while parallel deploys of the same family collide', async () => {
    const { aws, slept } = api()
    let calls = 0
    const out = await aws.write(
      'ecs:RegisterTaskDefinition',
      {},
      async () => {
        calls++
        if (calls < 3) throw concurrent()
        return 'registered'
      },
      'planned'
    )
    expect(out).toBe('registered')
    expect(calls).toBe(3)
    expect(slept).toHaveLength(2)
  })

  it('does not retry a ClientException about the request itself', async () => {
    const { aws, slept } = api()
    let calls = 0
    const call = aws.read('ecs:DescribeTaskDefinition', async () => {
      calls++
      throw clientException('Unable to describe task definition.')
    })
    await expect(call).rejects.toThrow('Unable to describe task definition.')
    expect(calls).toBe(1)
    expect(slept).toEqual([])
  })
})
