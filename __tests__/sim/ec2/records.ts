// What the EC2 model keeps about launch templates and their versions, AMIs and instances.
import type { ResponseLaunchTemplateData, Tag } from '@aws-sdk/client-ec2'
import type { Backend } from '../apps.js'

export interface TemplateVersionRecord {
  number: number
  description?: string
  data: ResponseLaunchTemplateData
  createdAt: number
}

export interface LaunchTemplateRecord {
  id: string
  name: string
  createdAt: number
  defaultVersion: number
  versions: TemplateVersionRecord[]
  tags: Tag[]
  /** ClientToken -> version made with it: a retried create returns the same version. */
  clientTokens: Map<string, number>
}

export interface ImageRecord {
  id: string
  name: string
  createdAt: number
}

export type InstanceStateName =
  'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped'

export interface InstanceRecord {
  id: string
  imageId: string
  instanceType: string
  state: InstanceStateName
  launchedAt: number
  privateIp: string
  availabilityZone: string
  tags: Tag[]
  backend?: Backend
}

export const AMI = /^ami-[0-9a-f]{8,17}$/
