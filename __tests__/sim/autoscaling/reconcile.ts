// The group's own work over time: it brings Pending + InService instances to the desired capacity,
// launches from the launch template (with back-off after failures), replaces unhealthy instances, and
// drains surplus ones before terminating them.
import type { Activity } from '@aws-sdk/client-auto-scaling'
import { amiNotFound, Backend, DEFAULT_BEHAVIOR } from '../apps.js'
import { finishActivity, iso, startActivity } from './activities.js'
import type { AutoScalingModel } from './index.js'
import { type AsgInstanceRecord, type AsgRecord, COUNTED } from './records.js'
import { deregisterInstance, registerInstance } from './target-groups.js'
import { launchInstance } from '../ec2/instances.js'
import { holdForHook } from './lifecycle-hooks.js'

export function scheduleReconcile(asg: AutoScalingModel, g: AsgRecord, delayMs: number): void {
  const at = asg.now + delayMs
  if (g.reconcile && g.reconcile.at <= at) return
  g.reconcile?.cancel()
  g.reconcile = asg.world.timeline.at(at, () => {
    g.reconcile = undefined
    reconcile(asg, g)
    scheduleReconcile(asg, g, asg.world.timing.asgReconcileSeconds * 1000)
  })
}

/** Launches or terminates instances until Pending + InService = desired; replaces unhealthy ones. */
export function reconcile(asg: AutoScalingModel, g: AsgRecord): void {
  checkHealth(asg, g)
  const counted = g.instances.filter(i => COUNTED.has(i.lifecycle))
  if (counted.length < g.desiredCapacity && asg.now >= g.nextLaunchAt) {
    const from = counted.length
    for (let n = from; n < g.desiredCapacity; n++) {
      const cause = `an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${g.desiredCapacity}`
      if (!launch(asg, g, cause)) break
    }
  } else if (counted.length > g.desiredCapacity) {
    const surplus = counted.length - g.desiredCapacity
    const current = asg.world.ec2.findVersion(
      asg.world.ec2.template({ id: g.launchTemplate.LaunchTemplateId }),
      g.launchTemplate.Version
    )?.number
    // Default termination policy, simplified: instances of another template version first, then the oldest.
    const order = [...counted].sort(
      (a, b) =>
        Number(versionOf(asg, b) === current) - Number(versionOf(asg, a) === current) ||
        a.launchedAt - b.launchedAt
    )
    for (const i of order.slice(0, surplus)) {
      terminate(
        asg,
        g,
        i,
        `At ${iso(asg)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${counted.length} to ${g.desiredCapacity}.`
      )
    }
  }
}

export function versionOf(asg: AutoScalingModel, i: AsgInstanceRecord): number | undefined {
  const t = asg.world.ec2.templates.get(i.launchTemplate.LaunchTemplateId)
  return t ? asg.world.ec2.findVersion(t, i.launchTemplate.Version)?.number : undefined
}

/** ELB health checks (HealthCheckType ELB): an InService instance unhealthy after the grace period is replaced. */
export function checkHealth(asg: AutoScalingModel, g: AsgRecord): void {
  for (const i of g.instances) {
    if (i.lifecycle !== 'InService') continue
    const dead = i.instance.state === 'terminated'
    const elbUnhealthy =
      g.healthCheckType === 'ELB' &&
      (i.inServiceAt ?? 0) + g.healthCheckGracePeriod * 1000 <= asg.now &&
      [...i.registrations].some(arn => {
        const tg = asg.world.elbv2.targetGroups.get(arn)
        return tg?.targets.get(`${i.id}:${tg.port}`)?.state === 'unhealthy'
      })
    if (!dead && !elbUnhealthy) continue
    i.health = 'Unhealthy'
    terminate(
      asg,
      g,
      i,
      `At ${iso(asg)} an instance was taken out of service in response to ${dead ? 'an EC2 instance status check failure' : 'an ELB system health check failure'}.`
    )
  }
}

/** Launches one instance from the group's launch template; undefined (and a failed activity) if it cannot. */
export function launch(asg: AutoScalingModel, g: AsgRecord, cause: string): AsgInstanceRecord | undefined {
  const template = asg.world.ec2.template({ id: g.launchTemplate.LaunchTemplateId })
  // $Latest and $Default are resolved now, at each launch, not when the group was set to them
  // (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LaunchTemplateSpecification.html).
  const version = asg.world.ec2.findVersion(template, g.launchTemplate.Version)
  const imageId = version?.data.ImageId ?? ''
  const behavior = asg.world.apps.forAmi(imageId)
  const scriptedFailures = asg.scriptedLaunchFailures.get(imageId) ?? 0
  const scripted =
    behavior.launchFailure !== undefined &&
    (behavior.launchFailures === undefined || scriptedFailures < behavior.launchFailures)
  const failure = !version
    ? `The specified launch template version ${g.launchTemplate.Version} does not exist. Launching EC2 instance failed.`
    : !asg.world.ec2.images.has(imageId)
      ? amiNotFound(imageId)
      : scripted
        ? behavior.launchFailure
        : undefined
  if (failure) {
    if (scripted && failure === behavior.launchFailure)
      asg.scriptedLaunchFailures.set(imageId, scriptedFailures + 1)
    const a = startActivity(asg, g, {
      Description: `Launching a new EC2 instance.  Status Reason: ${failure}`,
      Cause: `At ${iso(asg)} ${cause}.`,
      StatusCode: 'Failed',
      Progress: 100
    })
    finishActivity(asg, a, 'Failed', failure)
    g.launchFailureStreak++
    g.nextLaunchAt = asg.now + Math.min(300, 10 * 2 ** (g.launchFailureStreak - 1)) * 1000
    return undefined
  }
  const zone = asg.world.zones[g.instances.length % asg.world.zones.length]
  const instance = launchInstance(asg.world.ec2, {
    imageId,
    instanceType: version?.data.InstanceType,
    availabilityZone: zone,
    tags: [
      { Key: 'aws:autoscaling:groupName', Value: g.name },
      ...g.tags.filter(t => t.PropagateAtLaunch).map(t => ({ Key: t.Key, Value: t.Value }))
    ]
  })
  const record: AsgInstanceRecord = {
    id: instance.id,
    availabilityZone: zone,
    lifecycle: 'Pending',
    health: 'Healthy',
    launchTemplate: { ...g.launchTemplate },
    imageId,
    behavior,
    launchedAt: asg.now,
    instance,
    registrations: new Set(),
    events: []
  }
  g.instances.push(record)
  const a = startActivity(asg, g, {
    Description: `Launching a new EC2 instance: ${instance.id}`,
    Cause: `At ${iso(asg)} ${cause}.`,
    StatusCode: 'InProgress',
    Progress: 30
  })
  const startMs = (behavior.startSeconds ?? DEFAULT_BEHAVIOR.startSeconds) * 1000
  record.events.push(
    asg.world.timeline.after(startMs, () => {
      if (record.lifecycle !== 'Pending') return
      holdForHook(asg, g, record, 'autoscaling:EC2_INSTANCE_LAUNCHING', result => {
        if (result === 'ABANDON') {
          terminate(asg, g, record, `At ${iso(asg)} the lifecycle action was abandoned.`)
          finishActivity(asg, a, 'Failed', "Instance failed to complete user's Lifecycle Action.")
          return
        }
        inService(asg, g, record)
        finishActivity(asg, a, 'Successful')
        g.launchFailureStreak = 0
      })
    })
  )
  return record
}

/** The instance is InService: its app runs, it joins every attached target group. */
export function inService(asg: AutoScalingModel, g: AsgRecord, i: AsgInstanceRecord): void {
  i.lifecycle = 'InService'
  i.inServiceAt = asg.now
  if (i.instance.state === 'pending') i.instance.state = 'running'
  if (!i.backend) {
    const backend = new Backend(i.id, i.id, i.behavior, asg.now + (i.behavior.bootSeconds ?? 0) * 1000)
    i.backend = backend
    i.instance.backend = backend
    asg.world.endpoints.set(i.id, backend)
    if (i.behavior.crashAfterSeconds !== undefined)
      backend.stop(asg.now + i.behavior.crashAfterSeconds * 1000)
  }
  // An attachment still Removing registers it too: Auto Scaling deregisters only the instances it
  // found when the detach began (LoadBalancerTargetGroupState, Removing:
  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_LoadBalancerTargetGroupState.html).
  for (const a of g.attachments) {
    const tg = asg.world.elbv2.targetGroups.get(a.arn)
    if (tg) registerInstance(asg, i, tg)
  }
}

/** Terminating: deregister and drain (the app keeps serving meanwhile), then the instance is gone. */
export function terminate(
  asg: AutoScalingModel,
  g: AsgRecord,
  i: AsgInstanceRecord,
  cause: string
): Activity {
  for (const e of i.events) e.cancel()
  i.lifecycle = 'Terminating'
  const a = startActivity(asg, g, {
    Description: `Terminating EC2 instance: ${i.id}`,
    Cause: cause,
    StatusCode: i.registrations.size > 0 ? 'WaitingForELBConnectionDraining' : 'InProgress',
    Progress: 50
  })
  // Drained first, then held by a terminate hook (Terminating:Wait), then shut down.
  deregisterInstance(asg, g, i, () =>
    holdForHook(asg, g, i, 'autoscaling:EC2_INSTANCE_TERMINATING', () => {
      i.instance.state = 'shutting-down'
      const shutdown = i.behavior.shutdownSeconds ?? DEFAULT_BEHAVIOR.shutdownSeconds
      i.backend?.stop(asg.now + shutdown * 1000)
      asg.world.timeline.after(Math.max(shutdown, 1) * 1000, () => {
        i.instance.state = 'terminated'
        i.lifecycle = 'Terminated'
        g.instances = g.instances.filter(x => x !== i)
        finishActivity(asg, a, 'Successful')
        scheduleReconcile(asg, g, 0)
      })
    })
  )
  return a
}
