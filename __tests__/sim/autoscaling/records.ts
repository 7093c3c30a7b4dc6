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
  /** Ends a lifecycle hook's wait early (CompleteLifecycleAction). */
  completeHook?: (result: 'CONTINUE' | 'ABANDON') => void
}

export interface AttachmentRecord {
  arn: string
  state: 'Adding' | 'Added' | 'InService' | 'Removing'
}

/** A lifecycle hook: launches wait in Pending:Wait, terminations in Terminating:Wait, until completed or timed out. */
export interface HookRecord {
  name: string
  transition: 'autoscaling:EC2_INSTANCE_LAUNCHING' | 'autoscaling:EC2_INSTANCE_TERMINATING'
  heartbeatTimeoutSeconds: number
  defaultResult: 'CONTINUE' | 'ABANDON'
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
  hooks: HookRecord[]
  /** Set when the group launches through a mixed instances policy on its launch template. */
  mixedInstancesPolicy?: boolean
  /** Set when the group launches from a launch configuration (its image is the template's). */
  launchConfigurationName?: string
  launchFailureStreak: number
  nextLaunchAt: number
}

export const COUNTED: ReadonlySet<string> = new Set([
  'Pending',
  'Pending:Wait',
  'Pending:Proceed',
  'InService'
])
