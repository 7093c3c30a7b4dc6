// The crash's own words: where an awslogs container's stream is, which container of a stopped task
// explains it, and tasks that ended alike told once with their count.
import { describe, expect, it } from '@jest/globals'
import type { ContainerDefinition, Task } from '@aws-sdk/client-ecs'
import { culpritContainer, lastLinesText, logStreamOf, type TaskLastLines } from '../../src/container-logs.js'

const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/main/0123456789abcdef0123456789abcdef'

const awslogs = (options: Record<string, string>): ContainerDefinition => ({
  name: 'app',
  logConfiguration: { logDriver: 'awslogs', options }
})

describe('logStreamOf', () => {
  it('names the stream prefix/container/task id, in the awslogs-region or the deploy region', () => {
    expect(
      logStreamOf(awslogs({ 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' }), TASK, 'us-east-1')
    ).toEqual({
      stream: { group: '/ecs/web', stream: 'ecs/app/0123456789abcdef0123456789abcdef', region: 'us-east-1' }
    })
    const elsewhere = logStreamOf(
      awslogs({ 'awslogs-group': 'g', 'awslogs-stream-prefix': 'p', 'awslogs-region': 'eu-west-1' }),
      TASK,
      'us-east-1'
    )
    expect('stream' in elsewhere && elsewhere.stream.region).toBe('eu-west-1')
  })

  it('says why a container cannot be read: no configuration, another driver, no prefix', () => {
    const why = (d: ContainerDefinition) => {
      const r = logStreamOf(d, TASK, 'us-east-1')
      return 'unreadable' in r ? r.unreadable : ''
    }
    expect(why({ name: 'app' })).toContain('no logConfiguration')
    expect(why({ name: 'app', logConfiguration: { logDriver: 'splunk' } })).toContain('the splunk driver')
    expect(why(awslogs({ 'awslogs-group': 'g' }))).toContain('no awslogs-stream-prefix')
  })
})

describe('culpritContainer', () => {
  it('takes the container that exited non-zero, else one with a reason, else the fallback', () => {
    const task = (containers: Task['containers']): Task => ({ containers })
    expect(
      culpritContainer(
        task([
          { name: 'proxy', exitCode: 0 },
          { name: 'app', exitCode: 1 }
        ]),
        'proxy'
      )?.name
    ).toBe('app')
    expect(culpritContainer(task([{ name: 'proxy' }, { name: 'app', reason: 'OOM' }]), 'proxy')?.name).toBe(
      'app'
    )
    expect(culpritContainer(task([{ name: 'proxy' }, { name: 'app' }]), 'app')?.name).toBe('app')
  })
})

describe('lastLinesText', () => {
  const stopped = (taskId: string, lines: string[] | undefined, exitCode = 1): TaskLastLines => ({
    taskId,
    status: 'STOPPED',
    container: 'app',
    exitCode,
    stoppedReason: 'Essential container in task exited',
    lines
  })

  it('tells tasks with the same end once, with their count', () => {
    const crash = ['Starting', 'Error: DATABASE_URL is not set']
    const text = lastLinesText([1, 2, 3, 4, 5].map(n => stopped(`t${n}`, crash)))
    expect(text).toBe(
      [
        "5 tasks stopped with the same last lines (container 'app', exit code 1: Essential container in task exited; tasks t1, t2, t3, t4, t5):",
        '  | Starting',
        '  | Error: DATABASE_URL is not set'
      ].join('\n')
    )
  })

  it('keeps different ends apart and leaves out tasks whose lines could not be read', () => {
    const text = lastLinesText([stopped('a', ['boom']), stopped('b', [], 137), stopped('c', undefined)]) ?? ''
    expect(text).toContain(
      "Task a stopped (container 'app', exit code 1: Essential container in task exited); its last log lines:\n  | boom"
    )
    expect(text).toContain('Task b stopped')
    expect(text).toContain('(no log lines)')
    expect(text).not.toContain('Task c')
    expect(lastLinesText([stopped('c', undefined)])).toBeUndefined()
  })
})
