// The thin layer over CloudWatch Logs: what a container wrote through the awslogs driver. Only read
// (the crash's last lines, a one-off task's output); nothing here changes anything.
import type { FilteredLogEvent, OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs'
import type { AwsApi } from './api.js'

// The package (its client and commands) is a dist/ chunk of its own, loaded on the first log read:
// a deploy where nothing fails and no pre-deploy task runs never loads it.
const sdk = () => import('@aws-sdk/client-cloudwatch-logs')

/** Where one container of one task logs: `awslogs-group`, `<prefix>/<container>/<task id>`, its region. */
export interface LogStream {
  group: string
  stream: string
  region: string
}

/**
 * The last `limit` events of a stream, oldest first. GetLogEvents with startFromHead=false returns
 * the newest page first: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
 */
export async function lastLogEvents(aws: AwsApi, at: LogStream, limit: number): Promise<OutputLogEvent[]> {
  const client = await aws.clients.logs(at.region)
  const { GetLogEventsCommand } = await sdk()
  const out = await aws.read('logs:GetLogEvents', () =>
    client.send(
      new GetLogEventsCommand({
        logGroupName: at.group,
        logStreamName: at.stream,
        startFromHead: false,
        limit
      })
    )
  )
  return out.events ?? []
}

/**
 * Events of a stream from `startTime` (ms, inclusive) on, every page of them up to `maxPages`, the way
 * `aws logs tail --follow` reads: FilterLogEvents pages with nextToken until none is returned.
 */
export async function logEventsSince(
  aws: AwsApi,
  at: LogStream,
  startTime: number,
  maxPages = 10
): Promise<FilteredLogEvent[]> {
  const client = await aws.clients.logs(at.region)
  const { FilterLogEventsCommand } = await sdk()
  const events: FilteredLogEvent[] = []
  let nextToken: string | undefined
  for (let page = 0; page < maxPages; page++) {
    const out = await aws.read('logs:FilterLogEvents', () =>
      client.send(
        new FilterLogEventsCommand({
          logGroupName: at.group,
          logStreamNames: [at.stream],
          startTime,
          nextToken
        })
      )
    )
    events.push(...(out.events ?? []))
    nextToken = out.nextToken
    if (!nextToken) break
  }
  return events
}
