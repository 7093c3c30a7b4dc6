// EC2 as an Auto Scaling deploy sees it: launch templates and their versions ($Latest, $Default,
// CreateLaunchTemplateVersion from a source version with only what changed), the AMIs that exist,
// and the instances Auto Scaling launches. Error codes are EC2's (`InvalidLaunchTemplateId.NotFound`).
import { commandHandlers, type Handler } from '../clients.js'
import { awsError } from '../errors.js'
import type { ModelArgs, World } from '../world.js'
import { describeImages } from './images.js'
import { describeInstances, terminateInstance } from './instances.js'
import {
  createLaunchTemplate,
  createLaunchTemplateVersion,
  describeLaunchTemplates,
  describeLaunchTemplateVersions,
  findVersion,
  modifyLaunchTemplate,
  templateByRef
} from './launch-templates.js'
import type { ImageRecord, InstanceRecord, LaunchTemplateRecord, TemplateVersionRecord } from './records.js'
import {
  LOAD_BALANCER_GROUP,
  addSecurityGroup,
  admits,
  describeSecurityGroups,
  type SecurityGroupRecord
} from './security-groups.js'

/**
 * The model's state and its API handlers by command name, plus the few methods tests call on it. The
 * work is done by the functions in the resource files beside this one, which take the model first.
 */
export class Ec2Model {
  readonly templates = new Map<string, LaunchTemplateRecord>()
  readonly images = new Map<string, ImageRecord>()
  readonly instances = new Map<string, InstanceRecord>()
  readonly securityGroups = new Map<string, SecurityGroupRecord>()

  constructor(readonly world: World) {
    addSecurityGroup(this, { id: LOAD_BALANCER_GROUP, name: 'load-balancer' })
  }

  get handlers(): Record<string, Handler> {
    return commandHandlers(this, {
      CreateLaunchTemplate: createLaunchTemplate,
      CreateLaunchTemplateVersion: createLaunchTemplateVersion,
      DescribeLaunchTemplateVersions: describeLaunchTemplateVersions,
      DescribeLaunchTemplates: describeLaunchTemplates,
      ModifyLaunchTemplate: modifyLaunchTemplate,
      DescribeImages: describeImages,
      DescribeInstances: describeInstances,
      DescribeSecurityGroups: describeSecurityGroups
    })
  }

  get now(): number {
    return this.world.now()
  }

  error(code: string, message: string): Error {
    return awsError('ec2', code, message)
  }

  /** Whether the groups admit TCP `port` from clients (a load balancer's listener port). */
  admits(...args: ModelArgs<typeof admits>): boolean {
    return admits(this, ...args)
  }

  /** A template by id or name, with EC2's not-found errors. */
  template(...args: ModelArgs<typeof templateByRef>): LaunchTemplateRecord {
    return templateByRef(this, ...args)
  }

  /** `7`, `$Latest` or `$Default` of a template; undefined when there is no such version. */
  findVersion(...args: Parameters<typeof findVersion>): TemplateVersionRecord | undefined {
    return findVersion(...args)
  }

  /**
   * The instance stops existing now: its app stops answering at once, whatever still routes to it.
   * (A fault for tests: Auto Scaling terminates instances through its own lifecycle.)
   */
  terminateInstance(...args: ModelArgs<typeof terminateInstance>): void {
    return terminateInstance(this, ...args)
  }
}
