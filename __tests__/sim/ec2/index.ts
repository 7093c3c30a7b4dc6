// EC2 as an Auto Scaling deploy sees it: launch templates and their versions ($Latest, $Default,
// CreateLaunchTemplateVersion from a source version with only what changed), the AMIs that exist,
// and the instances Auto Scaling launches. Error codes are EC2's (`InvalidLaunchTemplateId.NotFound`).
import type {
  CreateLaunchTemplateCommandInput,
  CreateLaunchTemplateVersionCommandInput,
  DescribeImagesCommandInput,
  DescribeInstancesCommandInput,
  DescribeLaunchTemplatesCommandInput,
  DescribeLaunchTemplateVersionsCommandInput,
  ModifyLaunchTemplateCommandInput
} from '@aws-sdk/client-ec2'
import type { Handler } from '../clients.js'
import { awsError } from '../errors.js'
import type { ModelArgs, World } from '../world.js'
import { addImage, describeImages } from './images.js'
import { describeInstances, launchInstance, terminateInstance } from './instances.js'
import {
  addLaunchTemplate,
  createLaunchTemplate,
  createLaunchTemplateVersion,
  describeLaunchTemplates,
  describeLaunchTemplateVersions,
  findVersion,
  modifyLaunchTemplate,
  templateByRef
} from './launch-templates.js'
import type { ImageRecord, InstanceRecord, LaunchTemplateRecord, TemplateVersionRecord } from './records.js'

/**
 * The model's state, its API handlers by command name, and the methods the world's builders and
 * other models call. The work is done in the resource files beside this one.
 */
export class Ec2Model {
  readonly templates = new Map<string, LaunchTemplateRecord>()
  readonly images = new Map<string, ImageRecord>()
  readonly instances = new Map<string, InstanceRecord>()

  constructor(readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return {
      CreateLaunchTemplate: i => createLaunchTemplate(this, i as CreateLaunchTemplateCommandInput),
      CreateLaunchTemplateVersion: i =>
        createLaunchTemplateVersion(this, i as CreateLaunchTemplateVersionCommandInput),
      DescribeLaunchTemplateVersions: i =>
        describeLaunchTemplateVersions(this, i as DescribeLaunchTemplateVersionsCommandInput),
      DescribeLaunchTemplates: i => describeLaunchTemplates(this, i as DescribeLaunchTemplatesCommandInput),
      ModifyLaunchTemplate: i => modifyLaunchTemplate(this, i as ModifyLaunchTemplateCommandInput),
      DescribeImages: i => describeImages(this, i as DescribeImagesCommandInput),
      DescribeInstances: i => describeInstances(this, i as DescribeInstancesCommandInput)
    }
  }

  get now(): number {
    return this.world.now()
  }

  error(code: string, message: string): Error {
    return awsError('ec2', code, message)
  }

  /** An AMI that exists (launches from unknown AMIs fail, as on AWS). */
  addImage(...args: ModelArgs<typeof addImage>): ImageRecord {
    return addImage(this, ...args)
  }

  /** Creates a template with version 1 (world builders and CreateLaunchTemplate). */
  addLaunchTemplate(...args: ModelArgs<typeof addLaunchTemplate>): LaunchTemplateRecord {
    return addLaunchTemplate(this, ...args)
  }

  /** A template by id or name, with EC2's not-found errors. */
  template(...args: ModelArgs<typeof templateByRef>): LaunchTemplateRecord {
    return templateByRef(this, ...args)
  }

  /** `7`, `$Latest` or `$Default` of a template; undefined when there is no such version. */
  findVersion(...args: Parameters<typeof findVersion>): TemplateVersionRecord | undefined {
    return findVersion(...args)
  }

  /** An instance Auto Scaling launched (state `pending` until it runs). */
  launchInstance(...args: ModelArgs<typeof launchInstance>): InstanceRecord {
    return launchInstance(this, ...args)
  }

  /**
   * The instance stops existing now: its app stops answering at once, whatever still routes to it.
   * (A fault for tests: Auto Scaling terminates instances through its own lifecycle.)
   */
  terminateInstance(...args: ModelArgs<typeof terminateInstance>): void {
    return terminateInstance(this, ...args)
  }
}
