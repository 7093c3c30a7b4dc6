// The ECS thin layer's request shapes where AWS differs from what emulators accept.
import { describe, expect, it } from '@jest/globals'
import type { ListTasksCommand } from '@aws-sdk/client-ecs'
import { AwsApi } from '../../src/aws/api.js'
import type { AwsClients } from '../../src/aws/clients.js'
import { listStoppedTasks } from '../../src/aws/ecs.js'
import type { Clock } from '../../src/clock.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'

const clock: Clock = { now: () => 0, sleep: async () => {} }

function ecsAnswering(pages: number): { aws: AwsApi; inputs: ListTasksCommand['input'][] } {
  const inputs: ListTasksCommand['input'][] = []
  const ecs = {
    send: async (command: ListTasksCommand) => {
      inputs.push(command.input)
      const page = Number(command.input.nextToken ?? 0)
      const taskArns = Array.from({ length: 100 }, (_, i) => `arn:task/${page * 100 + i}`)
      return { taskArns, nextToken: page + 1 < pages ? String(page + 1) : undefined }
    }
  }
  const aws = new AwsApi({ ecs } as unknown as AwsClients, {
    clock,
    log: new Reporter(new MemorySink(), clock),
    dryRun: false
  })
  return { aws, inputs }
}

describe('listStoppedTasks', () => {
  it('asks by service name even when given the service ARN, and reads further pages', async () => {
    const { aws, inputs } = ecsAnswering(2)
    const arns = await listStoppedTasks(aws, 'shop', 'arn:aws:ecs:us-east-1:123456789012:service/shop/web')
    expect(arns).toHaveLength(200)
    expect(inputs.map(i => [i.serviceName, i.desiredStatus, i.nextToken])).toEqual([
      ['web', 'STOPPED', undefined],
      ['web', 'STOPPED', '1']
    ])
  })

  it('stops after maxPages of a crash loop that stopped more tasks than that', async () => {
    const { aws, inputs } = ecsAnswering(50)
    expect(await listStoppedTasks(aws, 'shop', 'web', 3)).toHaveLength(300)
    expect(inputs).toHaveLength(3)
  })
})
