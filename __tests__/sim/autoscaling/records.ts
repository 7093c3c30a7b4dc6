// What the Auto Scaling model keeps about groups, their instances and target group attachments.
import type { Activity, InstanceRefresh, LifecycleState, TagDescription } from '@aws-sdk/client-auto-scaling'
import { type AppBehavior, Backend } from '../apps.js'
import type { InstanceRecord } from '../ec2/records.js'
import type { ScheduledEvent } from '../timeline.js'

export interface AsgInstanceRecord {
  id: string
  availabilityZone: string
  lifecycle: LifecycleState
  health: 'Healthy' | 'Unhealthy'
  /** The launch template as the group named it when the instance was launched. */
  launchTemplate: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string }
  imageId: string
  behavior: AppBehavior
  launchedAt: number
  inServiceAt?: number
  instance: InstanceRecord
  backend?: Backend
  /** Target groups the instance is registered in. */
  registrations: Set<string>
  events: ScheduledEvent[]
}

export interface AttachmentRecord {
  arn: string
  state: 'Adding' | 'Added' | 'InService' | 'Removing'
}

export interface AsgRecord {
  name: string
  arn: string
  minSize: number
  maxSize: number
  desiredCapacity: number
  launchTemplate: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string }
  attachments: AttachmentRecord[]
  instances: AsgInstanceRecord[]
  tags: TagDescription[]
  healthCheckType: string
  healthCheckGracePeriod: number
  defaultCooldown: number
  vpcZoneIdentifier: string
  createdAt: number
  /** Newest first. */
  activities: Activity[]
  refreshes: InstanceRefresh[]
  reconcile?: ScheduledEvent
  launchFailureStreak: number
  nextLaunchAt: number
}

export const COUNTED: ReadonlySet<string> = new Set(['Pending', 'InService'])
