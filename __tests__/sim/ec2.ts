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
  Image,
  Instance,
  LaunchTemplate,
  LaunchTemplateVersion,
  ModifyLaunchTemplateCommandInput,
  ResponseLaunchTemplateData,
  Tag
} from '@aws-sdk/client-ec2'
import type { Backend } from './apps.js'
import { deepCopy } from './copy.js'
import type { Handler } from './elbv2.js'
import { awsError } from './errors.js'
import type { World } from './world.js'

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

const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80
}

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

const AMI = /^ami-[0-9a-f]{8,17}$/

export class Ec2Model {
  readonly templates = new Map<string, LaunchTemplateRecord>()
  readonly images = new Map<string, ImageRecord>()
  readonly instances = new Map<string, InstanceRecord>()

  constructor(private readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return {
      CreateLaunchTemplate: i => this.createLaunchTemplate(i as CreateLaunchTemplateCommandInput),
      CreateLaunchTemplateVersion: i =>
        this.createLaunchTemplateVersion(i as CreateLaunchTemplateVersionCommandInput),
      DescribeLaunchTemplateVersions: i =>
        this.describeLaunchTemplateVersions(i as DescribeLaunchTemplateVersionsCommandInput),
      DescribeLaunchTemplates: i => this.describeLaunchTemplates(i as DescribeLaunchTemplatesCommandInput),
      ModifyLaunchTemplate: i => this.modifyLaunchTemplate(i as ModifyLaunchTemplateCommandInput),
      DescribeImages: i => this.describeImages(i as DescribeImagesCommandInput),
      DescribeInstances: i => this.describeInstances(i as DescribeInstancesCommandInput)
    }
  }

  private get now(): number {
    return this.world.now()
  }

  private error(code: string, message: string): Error {
    return awsError('ec2', code, message)
  }

  // ---- images ------------------------------------------------------------------------------

  /** An AMI that exists (launches from unknown AMIs fail, as on AWS). */
  addImage(id: string, name?: string): ImageRecord {
    if (!AMI.test(id)) throw new Error(`sim: '${id}' is not an AMI id (ami- and 8 or 17 hex digits)`)
    const existing = this.images.get(id)
    if (existing) return existing
    const image = { id, name: name ?? `app-${id.slice(4, 12)}`, createdAt: this.now - 86_400_000 }
    this.images.set(id, image)
    return image
  }

  private imageShape(i: ImageRecord): Image {
    return {
      ImageId: i.id,
      Name: i.name,
      State: 'available',
      CreationDate: new Date(i.createdAt).toISOString(),
      Architecture: 'x86_64',
      ImageType: 'machine',
      Public: false,
      OwnerId: this.world.accountId,
      RootDeviceType: 'ebs',
      RootDeviceName: '/dev/xvda',
      VirtualizationType: 'hvm',
      Hypervisor: 'xen',
      EnaSupport: true,
      PlatformDetails: 'Linux/UNIX',
      BlockDeviceMappings: []
    }
  }

  private describeImages(input: DescribeImagesCommandInput) {
    if (input.ImageIds?.length) {
      const missing = input.ImageIds.filter(id => !this.images.has(id))
      if (missing.some(id => !AMI.test(id))) {
        throw this.error(
          'InvalidAMIID.Malformed',
          `Invalid id: "${missing.find(id => !AMI.test(id))}" (expecting "ami-...")`
        )
      }
      if (missing.length > 0)
        throw this.error('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`)
      return { Images: input.ImageIds.map(id => this.imageShape(this.images.get(id) as ImageRecord)) }
    }
    return { Images: [...this.images.values()].map(i => this.imageShape(i)) }
  }

  // ---- launch templates --------------------------------------------------------------------

  /** Creates a template with version 1 (world builders and CreateLaunchTemplate). */
  addLaunchTemplate(opts: {
    name: string
    data: ResponseLaunchTemplateData
    description?: string
    tags?: Tag[]
  }): LaunchTemplateRecord {
    if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(opts.name)) {
      throw this.error(
        'InvalidLaunchTemplateName.MalformedException',
        'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'
      )
    }
    if ([...this.templates.values()].some(t => t.name === opts.name)) {
      throw this.error(
        'InvalidLaunchTemplateName.AlreadyExistsException',
        `Launch template name already in use.`
      )
    }
    this.checkData(opts.data)
    const template: LaunchTemplateRecord = {
      id: `lt-${this.world.ids.hex(17)}`,
      name: opts.name,
      createdAt: this.now,
      defaultVersion: 1,
      versions: [
        { number: 1, description: opts.description, data: deepCopy(opts.data), createdAt: this.now }
      ],
      tags: [...(opts.tags ?? [])],
      clientTokens: new Map()
    }
    this.templates.set(template.id, template)
    this.world.faults.created('launchtemplate', template.id)
    return template
  }

  private checkData(data: ResponseLaunchTemplateData): void {
    if (data.ImageId !== undefined && !AMI.test(data.ImageId)) {
      throw this.error('InvalidAMIID.Malformed', `Invalid id: "${data.ImageId}" (expecting "ami-...")`)
    }
  }

  private templateShape(t: LaunchTemplateRecord): LaunchTemplate {
    return {
      LaunchTemplateId: t.id,
      LaunchTemplateName: t.name,
      CreateTime: new Date(t.createdAt),
      CreatedBy: `arn:aws:sts::${this.world.accountId}:assumed-role/github-deploy/zdt-sim`,
      DefaultVersionNumber: t.defaultVersion,
      LatestVersionNumber: t.versions.at(-1)?.number ?? 1,
      ...(t.tags.length ? { Tags: deepCopy(t.tags) } : {})
    }
  }

  private versionShape(t: LaunchTemplateRecord, v: TemplateVersionRecord): LaunchTemplateVersion {
    return {
      LaunchTemplateId: t.id,
      LaunchTemplateName: t.name,
      VersionNumber: v.number,
      ...(v.description !== undefined ? { VersionDescription: v.description } : {}),
      CreateTime: new Date(v.createdAt),
      CreatedBy: `arn:aws:sts::${this.world.accountId}:assumed-role/github-deploy/zdt-sim`,
      DefaultVersion: v.number === t.defaultVersion,
      LaunchTemplateData: deepCopy(v.data)
    }
  }

  /** A template by id or name, with EC2's not-found errors. */
  template(ref: { id?: string; name?: string }): LaunchTemplateRecord {
    if (ref.id) {
      const t = this.templates.get(ref.id)
      if (!t || this.world.faults.hidden(t.id)) {
        throw this.error(
          'InvalidLaunchTemplateId.NotFound',
          `The specified launch template, with template ID ${ref.id}, does not exist.`
        )
      }
      return t
    }
    const t = [...this.templates.values()].find(x => x.name === ref.name)
    if (!t || this.world.faults.hidden(t.id)) {
      throw this.error(
        'InvalidLaunchTemplateName.NotFoundException',
        `The specified launch template, with template name ${ref.name ?? ''}, does not exist.`
      )
    }
    return t
  }

  /** `7`, `$Latest` or `$Default` of a template; undefined when there is no such version. */
  findVersion(t: LaunchTemplateRecord, version: string | undefined): TemplateVersionRecord | undefined {
    const v = version ?? '$Default'
    const number =
      v === '$Latest' ? t.versions.at(-1)?.number : v === '$Default' ? t.defaultVersion : Number(v)
    return t.versions.find(x => x.number === number)
  }

  private version(t: LaunchTemplateRecord, version: string | undefined): TemplateVersionRecord {
    const found = this.findVersion(t, version)
    if (!found) {
      throw this.error(
        'InvalidLaunchTemplateId.VersionNotFound',
        `Could not find launch template version ${version ?? ''} for launch template ${t.id}.`
      )
    }
    return found
  }

  private createLaunchTemplate(input: CreateLaunchTemplateCommandInput) {
    const t = this.addLaunchTemplate({
      name: input.LaunchTemplateName ?? '',
      data: (input.LaunchTemplateData ?? {}) as ResponseLaunchTemplateData,
      description: input.VersionDescription,
      tags: input.TagSpecifications?.flatMap(s => s.Tags ?? [])
    })
    return { LaunchTemplate: this.templateShape(t) }
  }

  private createLaunchTemplateVersion(input: CreateLaunchTemplateVersionCommandInput) {
    const t = this.template({ id: input.LaunchTemplateId, name: input.LaunchTemplateName })
    if (input.ClientToken && t.clientTokens.has(input.ClientToken)) {
      const v = t.versions.find(x => x.number === t.clientTokens.get(input.ClientToken ?? ''))
      if (v) return { LaunchTemplateVersion: this.versionShape(t, v) }
    }
    const given = (input.LaunchTemplateData ?? {}) as ResponseLaunchTemplateData
    this.checkData(given)
    // The source version's data, with what the request gives replacing it key by key.
    const base = input.SourceVersion ? this.version(t, input.SourceVersion).data : {}
    const version: TemplateVersionRecord = {
      number: (t.versions.at(-1)?.number ?? 0) + 1,
      description: input.VersionDescription,
      data: { ...deepCopy(base), ...deepCopy(given) },
      createdAt: this.now
    }
    t.versions.push(version)
    if (input.ClientToken) t.clientTokens.set(input.ClientToken, version.number)
    return { LaunchTemplateVersion: this.versionShape(t, version) }
  }

  private describeLaunchTemplateVersions(input: DescribeLaunchTemplateVersionsCommandInput) {
    const t = this.template({ id: input.LaunchTemplateId, name: input.LaunchTemplateName })
    let versions: TemplateVersionRecord[]
    if (input.Versions?.length) {
      versions = input.Versions.map(v => this.version(t, v))
    } else {
      versions = [...t.versions]
        .filter(v => input.MinVersion === undefined || v.number >= Number(input.MinVersion))
        .filter(v => input.MaxVersion === undefined || v.number <= Number(input.MaxVersion))
        .reverse()
    }
    return { LaunchTemplateVersions: versions.map(v => this.versionShape(t, v)) }
  }

  private describeLaunchTemplates(input: DescribeLaunchTemplatesCommandInput) {
    let templates: LaunchTemplateRecord[]
    if (input.LaunchTemplateIds?.length) {
      templates = input.LaunchTemplateIds.map(id => this.template({ id }))
    } else if (input.LaunchTemplateNames?.length) {
      templates = input.LaunchTemplateNames.map(name => {
        const t = [...this.templates.values()].find(x => x.name === name)
        if (!t || this.world.faults.hidden(t.id)) {
          throw this.error(
            'InvalidLaunchTemplateName.NotFoundException',
            'At least one of the launch templates specified in the request does not exist.'
          )
        }
        return t
      })
    } else {
      templates = [...this.templates.values()].filter(t => !this.world.faults.hidden(t.id))
    }
    return { LaunchTemplates: templates.map(t => this.templateShape(t)) }
  }

  private modifyLaunchTemplate(input: ModifyLaunchTemplateCommandInput) {
    const t = this.template({ id: input.LaunchTemplateId, name: input.LaunchTemplateName })
    if (input.DefaultVersion !== undefined) t.defaultVersion = this.version(t, input.DefaultVersion).number
    return { LaunchTemplate: this.templateShape(t) }
  }

  // ---- instances ---------------------------------------------------------------------------

  /** An instance Auto Scaling launched (state `pending` until it runs). */
  launchInstance(opts: {
    imageId: string
    instanceType?: string
    availabilityZone: string
    tags: Tag[]
  }): InstanceRecord {
    const instance: InstanceRecord = {
      id: `i-${this.world.ids.hex(17)}`,
      imageId: opts.imageId,
      instanceType: opts.instanceType ?? 't3.micro',
      state: 'pending',
      launchedAt: this.now,
      privateIp: this.world.ids.privateIp().replace(/^10\.0\./, '10.1.'),
      availabilityZone: opts.availabilityZone,
      tags: opts.tags
    }
    this.instances.set(instance.id, instance)
    return instance
  }

  /**
   * The instance stops existing now: its app stops answering at once, whatever still routes to it.
   * (A fault for tests: Auto Scaling terminates instances through its own lifecycle.)
   */
  terminateInstance(id: string): void {
    const instance = this.instances.get(id)
    if (!instance) throw new Error(`sim: no instance ${id}`)
    instance.state = 'terminated'
    instance.backend?.stop(this.now)
  }

  private instanceShape(i: InstanceRecord): Instance {
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

  private describeInstances(input: DescribeInstancesCommandInput) {
    let instances: InstanceRecord[]
    if (input.InstanceIds?.length) {
      const missing = input.InstanceIds.filter(id => !this.instances.has(id))
      if (missing.length > 0) {
        throw this.error(
          'InvalidInstanceID.NotFound',
          `The instance ID${missing.length > 1 ? 's' : ''} '${missing.join(', ')}' ${missing.length > 1 ? 'do' : 'does'} not exist`
        )
      }
      instances = input.InstanceIds.map(id => this.instances.get(id) as InstanceRecord)
    } else {
      instances = [...this.instances.values()]
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
        OwnerId: this.world.accountId,
        Instances: [this.instanceShape(i)]
      }))
    }
  }
}
