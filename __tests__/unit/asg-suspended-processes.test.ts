// Group settings real Auto Scaling honours and that would stall a blue/green deploy (suspended
// processes, scale-in protection, a warm pool) are refused in the pre-flight, with the command that fixes them.
import { describe, expect, it } from '@jest/globals'
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling'
import { toGroupView, type GroupView } from '../../src/strategies/asg-blue-green/model.js'
import {
  scaleInProtectionProblem,
  suspendedProcessesProblem,
  warmPoolProblem
} from '../../src/strategies/asg-blue-green/preflight/rules.js'

function group(name: string, suspended: string[], over: Partial<AutoScalingGroup> = {}): GroupView {
  const g: AutoScalingGroup = {
    AutoScalingGroupName: name,
    MinSize: 1,
    MaxSize: 4,
    DesiredCapacity: 2,
    DefaultCooldown: 300,
    AvailabilityZones: ['us-east-1a'],
    HealthCheckType: 'ELB',
    CreatedTime: new Date(0),
    SuspendedProcesses: suspended.map(ProcessName => ({ ProcessName, SuspensionReason: 'User suspended' })),
    ...over
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

const instance = (id: string, ProtectedFromScaleIn: boolean) => ({
  InstanceId: id,
  AvailabilityZone: 'us-east-1a',
  LifecycleState: 'InService' as const,
  HealthStatus: 'Healthy',
  ProtectedFromScaleIn
})

describe('scaleInProtectionProblem', () => {
  it('accepts groups without scale-in protection', () => {
    const blue = group('blue', [], { Instances: [instance('i-1', false)] })
    expect(scaleInProtectionProblem(blue, group('green', []))).toBeUndefined()
  })

  it('refuses protected instances (they would never terminate), naming the command that lifts it', () => {
    const blue = group('blue', [], { Instances: [instance('i-1', true), instance('i-2', false)] })
    const p = scaleInProtectionProblem(blue, group('green', []))
    expect(p?.message).toMatch(/blue's instances i-1 are protected from scale-in/)
    expect(p?.hint).toBe(
      'aws autoscaling set-instance-protection --auto-scaling-group-name blue --no-protected-from-scale-in --instance-ids i-1'
    )
  })

  it('refuses a group whose new instances start protected', () => {
    const green = group('green', [], { NewInstancesProtectedFromScaleIn: true })
    const p = scaleInProtectionProblem(group('blue', []), green)
    expect(p?.message).toMatch(/green protects new instances from scale-in/)
    expect(p?.hint).toMatch(/--auto-scaling-group-name green --no-new-instances-protected-from-scale-in$/)
  })
})

describe('warmPoolProblem', () => {
  it('refuses a standby group with a warm pool (its instances keep an older template version)', () => {
    const green = group('green', [], { WarmPoolConfiguration: { MinSize: 1, PoolState: 'Stopped' } })
    expect(warmPoolProblem(green)?.message).toMatch(/green has a warm pool/)
    expect(warmPoolProblem(green)?.hint).toMatch(/delete-warm-pool --auto-scaling-group-name green/)
  })

  it('accepts a group without one', () => {
    expect(warmPoolProblem(group('green', []))).toBeUndefined()
  })
})
