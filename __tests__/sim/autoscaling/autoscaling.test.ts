// Auto Scaling and EC2 launch templates through the real SDK clients: a blue/green switch by hand
// (new template version, launch, synthetic check, attach, Standby, exit Standby) with zero failed
// requests, launch failures, scale-in with draining, an instance killed while registered, the API's
// validation errors, tags and instance refreshes.
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  AttachLoadBalancerTargetGroupsCommand,
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  DescribeTagsCommand,
  DetachLoadBalancerTargetGroupsCommand,
  EnterStandbyCommand,
  ExitStandbyCommand,
  ScalingActivityInProgressFault,
  UpdateAutoScalingGroupCommand,
  type AutoScalingGroup
} from '@aws-sdk/client-auto-scaling'
import {
  CreateLaunchTemplateVersionCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand
} from '@aws-sdk/client-ec2'
import { amiNotFound, createSimulation, type AsgPairFixture, type Simulation } from '../index.js'

let sim: Simulation
afterEach(() => sim?.restore())

const NEW_AMI = 'ami-0feedfacecafe0002'

async function group(s: Simulation, name: string): Promise<AutoScalingGroup> {
  const out = await s.clients.autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })
  )
  return out.AutoScalingGroups![0]
}

async function waitFor(s: Simulation, check: () => Promise<boolean>, everyMs = 1000): Promise<void> {
  while (!(await check())) await s.clock.sleep(everyMs)
}

const states = (g: AutoScalingGroup) => (g.Instances ?? []).map(i => i.LifecycleState).sort()

function pair(s: Simulation): AsgPairFixture {
  return s.addAsgPair({
    activeCount: 2,
    alb: {
      targetGroup: {
        healthCheck: { intervalSeconds: 10, healthyThreshold: 3 },
        deregistrationDelaySeconds: 30
      }
    }
  })
}

describe('Auto Scaling blue/green by hand', () => {
  it('switches from blue to green through the synthetic group and Standby with no failed request', async () => {
    sim = createSimulation()
    const p = pair(sim)
    sim.addAmi(NEW_AMI, { startSeconds: 40 })
    const users = sim.startTraffic(`${p.url}/`, 10)
    const asg = sim.clients.autoscaling
    const ec2 = sim.clients.ec2

    await sim.run(async () => {
      // A new launch template version with only the image changed.
      const createVersion = () =>
        ec2.send(
          new CreateLaunchTemplateVersionCommand({
            LaunchTemplateId: p.green.launchTemplateId,
            SourceVersion: '1',
            LaunchTemplateData: { ImageId: NEW_AMI },
            ClientToken: 'deploy-1'
          })
        )
      const created = await createVersion()
      const version = created.LaunchTemplateVersion!
      expect(version).toMatchObject({ VersionNumber: 2, DefaultVersion: false })
      expect(version.LaunchTemplateData).toMatchObject({ ImageId: NEW_AMI, InstanceType: 't3.micro' })
      const again = await createVersion()
      expect(again.LaunchTemplateVersion?.VersionNumber).toBe(2)
      const latest = await ec2.send(
        new DescribeLaunchTemplateVersionsCommand({
          LaunchTemplateId: p.green.launchTemplateId,
          Versions: ['$Latest', '$Default']
        })
      )
      expect(
        latest.LaunchTemplateVersions?.map(v => [v.VersionNumber, v.LaunchTemplateData?.ImageId])
      ).toEqual([
        [2, NEW_AMI],
        [1, p.ami]
      ])

      // Launch green.
      await asg.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: p.green.name,
          LaunchTemplate: { LaunchTemplateId: p.green.launchTemplateId, Version: '2' },
          MinSize: 2,
          MaxSize: 4,
          DesiredCapacity: 2
        })
      )
      await sim.clock.sleep(1000)
      expect(states(await group(sim, p.green.name))).toEqual(['Pending', 'Pending'])
      await waitFor(sim, async () => states(await group(sim, p.green.name)).join() === 'InService,InService')
      expect(sim.clock.elapsed()).toBeGreaterThanOrEqual(40_000)
      const green = await group(sim, p.green.name)
      expect(green.Instances?.map(i => i.LaunchTemplate?.Version)).toEqual(['2', '2'])
      const greenIds = green.Instances!.map(i => i.InstanceId!)
      const activities = await asg.send(
        new DescribeScalingActivitiesCommand({ AutoScalingGroupName: p.green.name })
      )
      expect(
        activities.Activities?.map(a => [a.StatusCode, a.Description?.replace(/i-[0-9a-f]+/, 'i-x')])
      ).toEqual([
        ['Successful', 'Launching a new EC2 instance: i-x'],
        ['Successful', 'Launching a new EC2 instance: i-x']
      ])

      // Synthetic check through the ALB: only the header reaches green.
      await asg.send(
        new AttachLoadBalancerTargetGroupsCommand({
          AutoScalingGroupName: p.green.name,
          TargetGroupARNs: [p.syntheticTargetGroupArn!]
        })
      )
      await sim.clock.sleep(30_000)
      expect(sim.targetHealth(p.syntheticTargetGroupArn!).map(t => t.TargetHealth?.State)).toEqual([
        'healthy',
        'healthy'
      ])
      const synthetic = await sim.prober({
        url: `${p.url}/healthz`,
        headers: { Synthetic: 'True' },
        timeoutMs: 2000
      })
      expect(synthetic.status).toBe(200)
      expect(greenIds).toContain(sim.requests.list('action').at(-1)?.owner)

      // Production traffic to both, then blue to Standby.
      await asg.send(
        new AttachLoadBalancerTargetGroupsCommand({
          AutoScalingGroupName: p.green.name,
          TargetGroupARNs: [p.targetGroupArn]
        })
      )
      await sim.clock.sleep(30_000)
      expect(
        sim.targetHealth(p.targetGroupArn).filter(t => t.TargetHealth?.State === 'healthy')
      ).toHaveLength(4)
      // Standby with ShouldDecrementDesiredCapacity needs room below the desired capacity.
      await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: p.blue.name, MinSize: 0 }))
      const entered = await asg.send(
        new EnterStandbyCommand({
          AutoScalingGroupName: p.blue.name,
          InstanceIds: p.blue.instanceIds,
          ShouldDecrementDesiredCapacity: true
        })
      )
      expect(entered.Activities?.[0]?.Description).toBe(
        `Moving EC2 instance to Standby: ${p.blue.instanceIds[0]}`
      )
      expect(states(await group(sim, p.blue.name))).toEqual(['EnteringStandby', 'EnteringStandby'])
      await sim.clock.sleep(31_000)
      const blue = await group(sim, p.blue.name)
      expect(states(blue)).toEqual(['Standby', 'Standby'])
      expect(blue.DesiredCapacity).toBe(0)
      expect(
        sim
          .targetHealth(p.targetGroupArn)
          .map(t => t.Target?.Id)
          .sort()
      ).toEqual([...greenIds].sort())

      // Roll back: blue out of Standby, back through health checks.
      await asg.send(
        new ExitStandbyCommand({ AutoScalingGroupName: p.blue.name, InstanceIds: p.blue.instanceIds })
      )
      expect(states(await group(sim, p.blue.name))).toEqual(['Pending', 'Pending'])
      await sim.clock.sleep(10_000)
      expect(states(await group(sim, p.blue.name))).toEqual(['InService', 'InService'])
      await sim.clock.sleep(30_000)
      expect(
        sim.targetHealth(p.targetGroupArn).filter(t => t.TargetHealth?.State === 'healthy')
      ).toHaveLength(4)

      // Green leaves the main group: it drains, then is gone from it.
      await asg.send(
        new DetachLoadBalancerTargetGroupsCommand({
          AutoScalingGroupName: p.green.name,
          TargetGroupARNs: [p.targetGroupArn]
        })
      )
      expect(
        sim.targetHealth(p.targetGroupArn).filter(t => t.TargetHealth?.State === 'draining')
      ).toHaveLength(2)
      expect((await group(sim, p.green.name)).TargetGroupARNs).toEqual([p.syntheticTargetGroupArn])
      await sim.clock.sleep(31_000)
    })
    const report = users.stop()
    expect(report.requests).toBeGreaterThan(2000)
    expect(report.failed).toBe(0)
    expect(new Set(sim.requests.list(report.name).map(r => r.owner)).size).toBe(4)
  })

  it('reports an AMI that does not exist, or fails to launch, as failed scaling activities', async () => {
    sim = createSimulation()
    const p = pair(sim)
    sim.setAmiBehavior('ami-0badbadbadbad0003', {
      launchFailure: 'Instance launch failed: insufficient capacity in us-east-1a.'
    })
    await sim.run(async () => {
      for (const ami of ['ami-0000000000000dead', 'ami-0badbadbadbad0003']) {
        const v = await sim.clients.ec2.send(
          new CreateLaunchTemplateVersionCommand({
            LaunchTemplateId: p.green.launchTemplateId,
            SourceVersion: '1',
            LaunchTemplateData: { ImageId: ami }
          })
        )
        await sim.clients.autoscaling.send(
          new UpdateAutoScalingGroupCommand({
            AutoScalingGroupName: p.green.name,
            LaunchTemplate: {
              LaunchTemplateId: p.green.launchTemplateId,
              Version: String(v.LaunchTemplateVersion?.VersionNumber)
            },
            MinSize: 1,
            DesiredCapacity: 1
          })
        )
        await sim.clock.sleep(60_000)
        const out = await sim.clients.autoscaling.send(
          new DescribeScalingActivitiesCommand({ AutoScalingGroupName: p.green.name })
        )
        const failed = out.Activities!.filter(a => a.StatusCode === 'Failed')
        expect(failed.length).toBeGreaterThanOrEqual(2)
        const expected = ami.endsWith('dead')
          ? amiNotFound(ami)
          : 'Instance launch failed: insufficient capacity in us-east-1a.'
        expect(failed[0]).toMatchObject({
          StatusMessage: expected,
          Description: `Launching a new EC2 instance.  Status Reason: ${expected}`,
          Cause: expect.stringMatching(
            /^At \S+Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1\.$/
          )
        })
        expect((await group(sim, p.green.name)).Instances).toEqual([])
      }
      await expect(
        sim.clients.ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0000000000000dead'] }))
      ).rejects.toMatchObject({
        name: 'InvalidAMIID.NotFound',
        Code: 'InvalidAMIID.NotFound'
      })
    })
  })
})

describe('Auto Scaling capacity and instances', () => {
  it('scales in after draining, without failed requests', async () => {
    sim = createSimulation()
    const p = pair(sim)
    const users = sim.startTraffic(`${p.url}/`, 10)
    await sim.run(async () => {
      await sim.clients.autoscaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: p.blue.name,
          MinSize: 1,
          DesiredCapacity: 1
        })
      )
      await sim.clock.sleep(1000)
      expect(states(await group(sim, p.blue.name))).toEqual(['InService', 'Terminating'])
      const activities = await sim.clients.autoscaling.send(
        new DescribeScalingActivitiesCommand({ AutoScalingGroupName: p.blue.name })
      )
      expect(activities.Activities?.[0]).toMatchObject({
        StatusCode: 'WaitingForELBConnectionDraining',
        Description: expect.stringMatching(/^Terminating EC2 instance: i-[0-9a-f]{17}$/)
      })
      await sim.clock.sleep(40_000)
      expect(states(await group(sim, p.blue.name))).toEqual(['InService'])
    })
    expect(users.stop().failed).toBe(0)
  })

  it('an instance killed while registered gives 502s until it leaves the target group, then is replaced', async () => {
    sim = createSimulation()
    const p = pair(sim)
    const users = sim.startTraffic(`${p.url}/`, 10)
    await sim.run(async () => {
      await sim.clock.sleep(5000)
      sim.world.ec2.terminateInstance(p.blue.instanceIds[0])
      await sim.clock.sleep(300_000)
    })
    const report = users.stop()
    expect(report.byOutcome['502']).toBeGreaterThan(0)
    const g = sim.autoScalingGroup(p.blue.name)
    expect(states(g)).toEqual(['InService', 'InService'])
    expect(g.Instances?.map(i => i.InstanceId)).not.toContain(p.blue.instanceIds[0])
    const instances = await sim.run(() =>
      sim.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [p.blue.instanceIds[0]] }))
    )
    expect(instances.Reservations?.[0]?.Instances?.[0]?.State).toEqual({ Code: 48, Name: 'terminated' })
  })

  it('validates capacity and Standby requests as AWS does', async () => {
    sim = createSimulation()
    const p = pair(sim)
    const asg = sim.clients.autoscaling
    await sim.run(async () => {
      await expect(
        asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: p.blue.name, DesiredCapacity: 9 }))
      ).rejects.toMatchObject({
        name: 'ValidationError',
        Code: 'ValidationError',
        message: 'Desired capacity:9 must be between the specified min size:2 and max size:4'
      })
      await expect(
        asg.send(
          new EnterStandbyCommand({
            AutoScalingGroupName: p.blue.name,
            InstanceIds: [p.blue.instanceIds[0]],
            ShouldDecrementDesiredCapacity: true
          })
        )
      ).rejects.toMatchObject({ Code: 'ValidationError', message: expect.stringContaining('below min-size') })
      await expect(
        asg.send(
          new ExitStandbyCommand({ AutoScalingGroupName: p.blue.name, InstanceIds: [p.blue.instanceIds[0]] })
        )
      ).rejects.toMatchObject({
        message: `The instance ${p.blue.instanceIds[0]} is not in Standby.`
      })
      await expect(
        asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'nope', MinSize: 1 }))
      ).rejects.toMatchObject({
        Code: 'ValidationError',
        message: expect.stringContaining('AutoScalingGroup name not found')
      })
      await expect(
        asg.send(
          new UpdateAutoScalingGroupCommand({
            AutoScalingGroupName: p.green.name,
            LaunchTemplate: { LaunchTemplateId: p.green.launchTemplateId, Version: '7' }
          })
        )
      ).rejects.toMatchObject({
        Code: 'ValidationError',
        message: expect.stringContaining('version 7, does not exist')
      })
      sim.faults.failNext('autoscaling:UpdateAutoScalingGroup', {
        code: 'ScalingActivityInProgress',
        message: 'Scaling activity is in progress.'
      })
      const error = await asg
        .send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: p.blue.name, MinSize: 1 }))
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ScalingActivityInProgressFault)
      expect(error).toMatchObject({
        name: 'ScalingActivityInProgressFault',
        Code: 'ScalingActivityInProgress',
        $fault: 'client'
      })
      await expect(
        sim.clients.ec2.send(
          new DescribeLaunchTemplateVersionsCommand({
            LaunchTemplateId: 'lt-0123456789abcdef0',
            Versions: ['1']
          })
        )
      ).rejects.toMatchObject({
        name: 'InvalidLaunchTemplateId.NotFound',
        Code: 'InvalidLaunchTemplateId.NotFound'
      })
      await expect(
        sim.clients.ec2.send(
          new DescribeLaunchTemplateVersionsCommand({
            LaunchTemplateId: p.blue.launchTemplateId,
            Versions: ['5']
          })
        )
      ).rejects.toMatchObject({ Code: 'InvalidLaunchTemplateId.VersionNotFound' })
    })
  })

  it('keeps group tags, propagates the ones marked so to new instances, and reports injected refreshes', async () => {
    sim = createSimulation()
    const p = pair(sim)
    sim.world.autoscaling.injectInstanceRefresh(p.blue.name, { finishesAfterSeconds: 120 })
    const asg = sim.clients.autoscaling
    await sim.run(async () => {
      const tag = (Key: string, Value: string, PropagateAtLaunch = false) => ({
        ResourceId: p.green.name,
        ResourceType: 'auto-scaling-group',
        Key,
        Value,
        PropagateAtLaunch
      })
      await asg.send(
        new CreateOrUpdateTagsCommand({ Tags: [tag('zdt:role', 'standby'), tag('app', 'shop', true)] })
      )
      await asg.send(new CreateOrUpdateTagsCommand({ Tags: [tag('zdt:role', 'active')] }))
      const tags = await asg.send(
        new DescribeTagsCommand({ Filters: [{ Name: 'auto-scaling-group', Values: [p.green.name] }] })
      )
      expect(tags.Tags?.map(t => [t.Key, t.Value, t.PropagateAtLaunch])).toEqual([
        ['app', 'shop', true],
        ['zdt:role', 'active', false]
      ])
      await asg.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: p.green.name,
          MinSize: 1,
          DesiredCapacity: 1
        })
      )
      await sim.clock.sleep(30_000)
      const id = (await group(sim, p.green.name)).Instances![0].InstanceId!
      const described = await sim.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))
      expect(described.Reservations?.[0]?.Instances?.[0]?.Tags).toEqual([
        { Key: 'aws:autoscaling:groupName', Value: p.green.name },
        { Key: 'app', Value: 'shop' }
      ])
      await asg.send(
        new DeleteTagsCommand({
          Tags: [{ ResourceId: p.green.name, ResourceType: 'auto-scaling-group', Key: 'zdt:role' }]
        })
      )
      expect((await group(sim, p.green.name)).Tags?.map(t => t.Key)).toEqual(['app'])

      const before = await asg.send(
        new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: p.blue.name })
      )
      expect(before.InstanceRefreshes?.map(r => r.Status)).toEqual(['InProgress'])
      await sim.clock.sleep(120_000)
      const after = await asg.send(
        new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: p.blue.name })
      )
      expect(after.InstanceRefreshes?.[0]).toMatchObject({ Status: 'Successful', PercentageComplete: 100 })
    })
  })
})
