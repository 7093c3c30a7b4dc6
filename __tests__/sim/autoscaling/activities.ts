// Scaling activities as Auto Scaling words them, and instance refreshes (fixtures a test injects).
import type {
  Activity,
  DescribeInstanceRefreshesCommandInput,
  DescribeScalingActivitiesCommandInput,
  InstanceRefresh,
  InstanceRefreshStatus
} from '@aws-sdk/client-auto-scaling'
import { deepCopy } from '../copy.js'
import { tokenPage } from '../paging.js'
import { groupByName } from './groups.js'
import type { AutoScalingModel } from './index.js'
import type { AsgRecord } from './records.js'

/** How a test sets up an instance refresh that is (or was) running on a group. */
export interface InjectedRefresh {
  status?: InstanceRefreshStatus
  statusReason?: string
  percentageComplete?: number
  /** It finishes (Successful) this many seconds from now. */
  finishesAfterSeconds?: number
}

export function iso(asg: AutoScalingModel, ms = asg.now): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Puts an instance refresh on a group (default: one in progress), as a test fixture. */
export function injectInstanceRefresh(
  asg: AutoScalingModel,
  groupName: string,
  opts: InjectedRefresh = {}
): InstanceRefresh {
  const g = groupByName(asg, groupName)
  const refresh: InstanceRefresh = {
    InstanceRefreshId: asg.world.ids.uuid(),
    AutoScalingGroupName: g.name,
    Status: opts.status ?? 'InProgress',
    ...(opts.statusReason ? { StatusReason: opts.statusReason } : {}),
    StartTime: new Date(asg.now - 60_000),
    PercentageComplete: opts.percentageComplete ?? 40,
    InstancesToUpdate: Math.max(1, g.instances.length - 1)
  }
  if (refresh.Status !== 'InProgress' && refresh.Status !== 'Pending') refresh.EndTime = new Date(asg.now)
  g.refreshes.unshift(refresh)
  if (opts.finishesAfterSeconds !== undefined) {
    asg.world.timeline.after(opts.finishesAfterSeconds * 1000, () => {
      refresh.Status = 'Successful'
      refresh.PercentageComplete = 100
      refresh.InstancesToUpdate = 0
      refresh.EndTime = new Date(asg.now)
    })
  }
  return refresh
}

export function describeInstanceRefreshes(
  asg: AutoScalingModel,
  input: DescribeInstanceRefreshesCommandInput
) {
  const g = groupByName(asg, input.AutoScalingGroupName)
  const wanted = input.InstanceRefreshIds?.length
    ? g.refreshes.filter(r => input.InstanceRefreshIds?.includes(r.InstanceRefreshId ?? ''))
    : g.refreshes
  const { items, next } = tokenPage(wanted, input.NextToken, Math.min(input.MaxRecords ?? 50, 100))
  return { InstanceRefreshes: deepCopy(items), NextToken: next }
}

export function describeScalingActivities(
  asg: AutoScalingModel,
  input: DescribeScalingActivitiesCommandInput
) {
  const groups = input.AutoScalingGroupName
    ? [groupByName(asg, input.AutoScalingGroupName)]
    : [...asg.groups.values()]
  let activities = groups
    .flatMap(g => g.activities)
    .sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0))
  if (input.ActivityIds?.length)
    activities = activities.filter(a => input.ActivityIds?.includes(a.ActivityId ?? ''))
  const { items, next } = tokenPage(activities, input.NextToken, Math.min(input.MaxRecords ?? 100, 100))
  return { Activities: deepCopy(items), NextToken: next }
}

export function startActivity(
  asg: AutoScalingModel,
  g: AsgRecord,
  fields: Pick<Activity, 'Description' | 'Cause' | 'StatusCode' | 'Progress'> & { StatusMessage?: string }
): Activity {
  const activity: Activity = {
    ActivityId: asg.world.ids.uuid(),
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    StartTime: new Date(asg.now),
    Details: JSON.stringify({
      'Subnet ID': 'subnet-0sim000000000001',
      'Availability Zone': asg.world.zones[0]
    }),
    ...fields
  } as Activity
  g.activities.unshift(activity)
  if (g.activities.length > 100) g.activities.length = 100
  return activity
}

export function finishActivity(
  asg: AutoScalingModel,
  a: Activity,
  status: 'Successful' | 'Failed',
  message?: string
): void {
  a.StatusCode = status
  a.Progress = 100
  a.EndTime = new Date(asg.now)
  if (message) a.StatusMessage = message
}
