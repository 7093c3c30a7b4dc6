// Suspended Auto Scaling processes that would stall a blue/green deploy are refused in the pre-flight,
// with the resume command; the ones the deploy does not need are left alone.
import { describe, expect, it } from '@jest/globals'
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling'
import { toGroupView, type GroupView } from '../../src/strategies/asg-blue-green/model.js'
import { suspendedProcessesProblem } from '../../src/strategies/asg-blue-green/plan.js'

function group(name: string, suspended: string[]): GroupView {
  const g: AutoScalingGroup = {
    AutoScalingGroupName: name,
    MinSize: 1,
    MaxSize: 4,
    DesiredCapacity: 2,
    DefaultCooldown: 300,
    AvailabilityZones: ['us-east-1a'],
    HealthCheckType: 'ELB',
    CreatedTime: new Date(0),
    SuspendedProcesses: suspended.map(ProcessName => ({ ProcessName, SuspensionReason: 'User suspended' }))
  }
  return toGroupView(g)
}

describe('suspendedProcessesProblem', () => {
  it('reads the suspended processes from DescribeAutoScalingGroups', () => {
    expect(group('blue', ['Launch', 'AZRebalance']).suspendedProcesses).toEqual(['Launch', 'AZRebalance'])
  })

  it('accepts groups with nothing suspended, or only processes the deploy does not need', () => {
    expect(suspendedProcessesProblem(group('blue', []), group('green', []))).toBeUndefined()
    expect(
      suspendedProcessesProblem(
        group('blue', ['AZRebalance', 'Launch']),
        group('green', ['ScheduledActions'])
      )
    ).toBeUndefined()
  })

  it('refuses a standby group that cannot launch, register or terminate, naming the resume command', () => {
    const p = suspendedProcessesProblem(group('blue', []), group('green', ['Launch', 'AddToLoadBalancer']))
    expect(p?.message).toMatch(/green has Launch, AddToLoadBalancer suspended/)
    expect(p?.hint).toBe(
      'aws autoscaling resume-processes --auto-scaling-group-name green --scaling-processes Launch AddToLoadBalancer'
    )
  })

  it('refuses an active group that cannot be retired or rolled back to', () => {
    const p = suspendedProcessesProblem(group('blue', ['Terminate']), group('green', []))
    expect(p?.message).toMatch(/blue has Terminate suspended/)
    expect(p?.hint).toMatch(/--auto-scaling-group-name blue --scaling-processes Terminate$/)
  })
})
