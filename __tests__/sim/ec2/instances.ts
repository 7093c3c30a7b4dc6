// The instances Auto Scaling launches and terminates, and DescribeInstances.
import type { DescribeInstancesCommandInput, Instance, Tag } from '@aws-sdk/client-ec2'
import { deepCopy } from '../copy.js'
import type { Ec2Model } from './index.js'
import type { InstanceRecord, InstanceStateName } from './records.js'

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80
}

/** An instance Auto Scaling launched (state `pending` until it runs). */
export function launchInstance(
  ec2: Ec2Model,
  opts: {
    imageId: string
    instanceType?: string
    availabilityZone: string
    tags: Tag[]
  }
): InstanceRecord {
  const instance: InstanceRecord = {
    id: `i-${ec2.world.ids.hex(17)}`,
    imageId: opts.imageId,
    instanceType: opts.instanceType ?? 't3.micro',
    state: 'pending',
    launchedAt: ec2.now,
    privateIp: ec2.world.ids.privateIp().replace(/^10\.0\./, '10.1.'),
    availabilityZone: opts.availabilityZone,
    tags: opts.tags
  }
  ec2.instances.set(instance.id, instance)
  return instance
}

/**
 * The instance stops existing now: its app stops answering at once, whatever still routes to it.
 * (A fault for tests: Auto Scaling terminates instances through its own lifecycle.)
 */
export function terminateInstance(ec2: Ec2Model, id: string): void {
  const instance = ec2.instances.get(id)
  if (!instance) throw new Error(`sim: no instance ${id}`)
  instance.state = 'terminated'
  instance.backend?.stop(ec2.now)
}

export function instanceShape(i: InstanceRecord): Instance {
  return {
    InstanceId: i.id,
    ImageId: i.imageId,
    InstanceType: i.instanceType as Instance['InstanceType'],
    State: { Code: STATE_CODES[i.state], Name: i.state },
    LaunchTime: new Date(i.launchedAt),
    PrivateIpAddress: i.state === 'terminated' ? undefined : i.privateIp,
    Placement: { AvailabilityZone: i.availabilityZone, Tenancy: 'default' },
    Architecture: 'x86_64',
    Tags: deepCopy(i.tags)
  }
}

export function describeInstances(ec2: Ec2Model, input: DescribeInstancesCommandInput) {
  let instances: InstanceRecord[]
  if (input.InstanceIds?.length) {
    const missing = input.InstanceIds.filter(id => !ec2.instances.has(id))
    if (missing.length > 0) {
      throw ec2.error(
        'InvalidInstanceID.NotFound',
        `The instance ID${missing.length > 1 ? 's' : ''} '${missing.join(', ')}' ${missing.length > 1 ? 'do' : 'does'} not exist`
      )
    }
    instances = input.InstanceIds.map(id => ec2.instances.get(id) as InstanceRecord)
  } else {
    instances = [...ec2.instances.values()]
  }
  for (const f of input.Filters ?? []) {
    const values = f.Values ?? []
    if (f.Name === 'instance-state-name') instances = instances.filter(i => values.includes(i.state))
    else if (f.Name === 'image-id') instances = instances.filter(i => values.includes(i.imageId))
    else if (f.Name?.startsWith('tag:')) {
      const k = f.Name.slice(4)
      instances = instances.filter(i => i.tags.some(t => t.Key === k && values.includes(t.Value ?? '')))
    } else {
      throw new Error(`sim: EC2:DescribeInstances filter '${f.Name ?? ''}' is not modelled`)
    }
  }
  return {
    Reservations: instances.map(i => ({
      ReservationId: `r-${i.id.slice(2)}`,
      OwnerId: ec2.world.accountId,
      Instances: [instanceShape(i)]
    }))
  }
}
