// Amazon CloudWatch Logs as a deploy reads it: log groups holding one stream per container of a task
// (the awslogs driver names it <prefix>/<container>/<task id>), the lines a behaviour writes, and the
// two reads: GetLogEvents (one stream, newest page first unless startFromHead) and FilterLogEvents
// (a group, optionally some streams, by time, paged with nextToken).
import type { FilterLogEventsCommandInput, GetLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs'
import { commandHandlers, type Handler } from '../clients.js'
import { awsError } from '../errors.js'
import type { World } from '../world.js'

export interface LogEventRecord {
  timestamp: number
  ingestionTime: number
  message: string
  eventId: string
}

// FilterLogEvents pages hold up to 1 MB or 10,000 events and may be partly full, or empty with a
// nextToken (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html);
// a small page here makes the code under test follow nextToken.
const FILTER_PAGE_EVENTS = 25
// GetLogEvents returns up to 10,000 events (1 MB) when no limit is given
// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html).
const GET_DEFAULT_LIMIT = 10_000

export class LogsModel {
  /** Log group name -> stream name -> events in the order written (timestamps ascending). */
  readonly groups = new Map<string, Map<string, LogEventRecord[]>>()

  constructor(readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return commandHandlers(this, { GetLogEvents: getLogEvents, FilterLogEvents: filterLogEvents })
  }

  addGroup(name: string): void {
    if (!this.groups.has(name)) this.groups.set(name, new Map())
  }

  /**
   * A line a container writes now. The awslogs driver creates the stream on the first line; a group
   * that does not exist loses it (the driver would have failed the task's start without
   * awslogs-create-group, which the simulation does not model).
   */
  write(group: string, stream: string, message: string): void {
    const streams = this.groups.get(group)
    if (!streams) return
    const events = streams.get(stream) ?? []
    streams.set(stream, events)
    const now = this.world.now()
    events.push({ timestamp: now, ingestionTime: now, message, eventId: this.world.ids.hex(24) })
  }

  /** Every line of a stream, for tests. */
  lines(group: string, stream: string): string[] {
    return (this.groups.get(group)?.get(stream) ?? []).map(e => e.message)
  }

  error(code: string, message: string): Error {
    return awsError('logs', code, message)
  }
}

function groupOf(logs: LogsModel, name: string | undefined): Map<string, LogEventRecord[]> {
  const group = logs.groups.get(name ?? '')
  if (!group) throw logs.error('ResourceNotFoundException', 'The specified log group does not exist.')
  return group
}

/** Tokens are `f/<index>` (forward) and `b/<index>` (backward) into the stream's events. */
export function getLogEvents(logs: LogsModel, input: GetLogEventsCommandInput) {
  const events = groupOf(logs, input.logGroupName).get(input.logStreamName ?? '')
  if (!events) throw logs.error('ResourceNotFoundException', 'The specified log stream does not exist.')
  const inRange = (e: LogEventRecord) =>
    (input.startTime === undefined || e.timestamp >= input.startTime) &&
    (input.endTime === undefined || e.timestamp < input.endTime)
  const limit = input.limit ?? GET_DEFAULT_LIMIT
  const token = /^([fb])\/(\d+)$/.exec(input.nextToken ?? '')
  let start: number
  let end: number
  if (token?.[1] === 'f' || (!token && input.startFromHead)) {
    start = token ? Number(token[2]) : 0
    end = Math.min(events.length, start + limit)
  } else {
    end = token ? Number(token[2]) : events.length
    start = Math.max(0, end - limit)
  }
  return {
    events: events
      .slice(start, end)
      .filter(inRange)
      .map(e => ({ timestamp: e.timestamp, ingestionTime: e.ingestionTime, message: e.message })),
    nextForwardToken: `f/${end}`,
    nextBackwardToken: `b/${start}`
  }
}

export function filterLogEvents(logs: LogsModel, input: FilterLogEventsCommandInput) {
  const group = groupOf(logs, input.logGroupName)
  if (input.logStreamNames && input.logStreamNamePrefix)
    throw logs.error(
      'InvalidParameterException',
      'logStreamNames and logStreamNamePrefix are mutually exclusive.'
    )
  const all = [...group.entries()]
    .filter(([name]) => !input.logStreamNames || input.logStreamNames.includes(name))
    .filter(([name]) => !input.logStreamNamePrefix || name.startsWith(input.logStreamNamePrefix))
    .flatMap(([logStreamName, events]) => events.map(e => ({ ...e, logStreamName })))
    .filter(
      e =>
        (input.startTime === undefined || e.timestamp >= input.startTime) &&
        (input.endTime === undefined || e.timestamp <= input.endTime)
    )
    .sort((a, b) => a.timestamp - b.timestamp || a.ingestionTime - b.ingestionTime)
  const start = input.nextToken ? Number(input.nextToken) : 0
  const size = Math.min(input.limit ?? 10_000, FILTER_PAGE_EVENTS)
  const next = start + size < all.length ? String(start + size) : undefined
  return {
    events: all.slice(start, start + size),
    searchedLogStreams: [],
    ...(next ? { nextToken: next } : {})
  }
}
