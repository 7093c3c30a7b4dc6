// Launch templates and their versions ($Latest, $Default, a new version from a source version with
// only what changed): the API handlers, their validation and the builder.
import type {
  CreateLaunchTemplateCommandInput,
  CreateLaunchTemplateVersionCommandInput,
  DescribeLaunchTemplatesCommandInput,
  DescribeLaunchTemplateVersionsCommandInput,
  LaunchTemplate,
  LaunchTemplateVersion,
  ModifyLaunchTemplateCommandInput,
  ResponseLaunchTemplateData,
  Tag
} from '@aws-sdk/client-ec2'
import { deepCopy } from '../copy.js'
import type { Ec2Model } from './index.js'
import { AMI, type LaunchTemplateRecord, type TemplateVersionRecord } from './records.js'

/** Creates a template with version 1 (world builders and CreateLaunchTemplate). */
export function addLaunchTemplate(
  ec2: Ec2Model,
  opts: {
    name: string
    data: ResponseLaunchTemplateData
    description?: string
    tags?: Tag[]
  }
): LaunchTemplateRecord {
  if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(opts.name)) {
    throw ec2.error(
      'InvalidLaunchTemplateName.MalformedException',
      'A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'
    )
  }
  if ([...ec2.templates.values()].some(t => t.name === opts.name)) {
    throw ec2.error(
      'InvalidLaunchTemplateName.AlreadyExistsException',
      `Launch template name already in use.`
    )
  }
  checkData(ec2, opts.data)
  const template: LaunchTemplateRecord = {
    id: `lt-${ec2.world.ids.hex(17)}`,
    name: opts.name,
    createdAt: ec2.now,
    defaultVersion: 1,
    versions: [{ number: 1, description: opts.description, data: deepCopy(opts.data), createdAt: ec2.now }],
    tags: [...(opts.tags ?? [])],
    clientTokens: new Map()
  }
  ec2.templates.set(template.id, template)
  ec2.world.faults.created('launchtemplate', template.id)
  return template
}

export function checkData(ec2: Ec2Model, data: ResponseLaunchTemplateData): void {
  if (data.ImageId !== undefined && !AMI.test(data.ImageId)) {
    throw ec2.error('InvalidAMIID.Malformed', `Invalid id: "${data.ImageId}" (expecting "ami-...")`)
  }
}

export function templateShape(ec2: Ec2Model, t: LaunchTemplateRecord): LaunchTemplate {
  return {
    LaunchTemplateId: t.id,
    LaunchTemplateName: t.name,
    CreateTime: new Date(t.createdAt),
    CreatedBy: `arn:aws:sts::${ec2.world.accountId}:assumed-role/github-deploy/zdt-sim`,
    DefaultVersionNumber: t.defaultVersion,
    LatestVersionNumber: t.versions.at(-1)?.number ?? 1,
    ...(t.tags.length ? { Tags: deepCopy(t.tags) } : {})
  }
}

export function versionShape(
  ec2: Ec2Model,
  t: LaunchTemplateRecord,
  v: TemplateVersionRecord
): LaunchTemplateVersion {
  return {
    LaunchTemplateId: t.id,
    LaunchTemplateName: t.name,
    VersionNumber: v.number,
    ...(v.description !== undefined ? { VersionDescription: v.description } : {}),
    CreateTime: new Date(v.createdAt),
    CreatedBy: `arn:aws:sts::${ec2.world.accountId}:assumed-role/github-deploy/zdt-sim`,
    DefaultVersion: v.number === t.defaultVersion,
    LaunchTemplateData: deepCopy(v.data)
  }
}

/** A template by id or name, with EC2's not-found errors. */
export function templateByRef(ec2: Ec2Model, ref: { id?: string; name?: string }): LaunchTemplateRecord {
  if (ref.id) {
    const t = ec2.templates.get(ref.id)
    if (!t || ec2.world.faults.hidden(t.id)) {
      throw ec2.error(
        'InvalidLaunchTemplateId.NotFound',
        `The specified launch template, with template ID ${ref.id}, does not exist.`
      )
    }
    return t
  }
  const t = [...ec2.templates.values()].find(x => x.name === ref.name)
  if (!t || ec2.world.faults.hidden(t.id)) {
    throw ec2.error(
      'InvalidLaunchTemplateName.NotFoundException',
      `The specified launch template, with template name ${ref.name ?? ''}, does not exist.`
    )
  }
  return t
}

/** `7`, `$Latest` or `$Default` of a template; undefined when there is no such version. */
export function findVersion(
  t: LaunchTemplateRecord,
  version: string | undefined
): TemplateVersionRecord | undefined {
  const v = version ?? '$Default'
  const number = v === '$Latest' ? t.versions.at(-1)?.number : v === '$Default' ? t.defaultVersion : Number(v)
  return t.versions.find(x => x.number === number)
}

export function versionOrThrow(
  ec2: Ec2Model,
  t: LaunchTemplateRecord,
  version: string | undefined
): TemplateVersionRecord {
  const found = findVersion(t, version)
  if (!found) {
    throw ec2.error(
      'InvalidLaunchTemplateId.VersionNotFound',
      `Could not find launch template version ${version ?? ''} for launch template ${t.id}.`
    )
  }
  return found
}

export function createLaunchTemplate(ec2: Ec2Model, input: CreateLaunchTemplateCommandInput) {
  const t = addLaunchTemplate(ec2, {
    name: input.LaunchTemplateName ?? '',
    data: (input.LaunchTemplateData ?? {}) as ResponseLaunchTemplateData,
    description: input.VersionDescription,
    tags: input.TagSpecifications?.flatMap(s => s.Tags ?? [])
  })
  return { LaunchTemplate: templateShape(ec2, t) }
}

export function createLaunchTemplateVersion(ec2: Ec2Model, input: CreateLaunchTemplateVersionCommandInput) {
  const t = templateByRef(ec2, { id: input.LaunchTemplateId, name: input.LaunchTemplateName })
  if (input.ClientToken && t.clientTokens.has(input.ClientToken)) {
    const v = t.versions.find(x => x.number === t.clientTokens.get(input.ClientToken ?? ''))
    if (v) return { LaunchTemplateVersion: versionShape(ec2, t, v) }
  }
  const given = (input.LaunchTemplateData ?? {}) as ResponseLaunchTemplateData
  checkData(ec2, given)
  // The source version's data, with what the request gives replacing it key by key.
  const base = input.SourceVersion ? versionOrThrow(ec2, t, input.SourceVersion).data : {}
  const version: TemplateVersionRecord = {
    number: (t.versions.at(-1)?.number ?? 0) + 1,
    description: input.VersionDescription,
    data: { ...deepCopy(base), ...deepCopy(given) },
    createdAt: ec2.now
  }
  t.versions.push(version)
  if (input.ClientToken) t.clientTokens.set(input.ClientToken, version.number)
  return { LaunchTemplateVersion: versionShape(ec2, t, version) }
}

export function describeLaunchTemplateVersions(
  ec2: Ec2Model,
  input: DescribeLaunchTemplateVersionsCommandInput
) {
  const t = templateByRef(ec2, { id: input.LaunchTemplateId, name: input.LaunchTemplateName })
  let versions: TemplateVersionRecord[]
  if (input.Versions?.length) {
    versions = input.Versions.map(v => versionOrThrow(ec2, t, v))
  } else {
    versions = [...t.versions]
      .filter(v => input.MinVersion === undefined || v.number >= Number(input.MinVersion))
      .filter(v => input.MaxVersion === undefined || v.number <= Number(input.MaxVersion))
      .reverse()
  }
  return { LaunchTemplateVersions: versions.map(v => versionShape(ec2, t, v)) }
}

export function describeLaunchTemplates(ec2: Ec2Model, input: DescribeLaunchTemplatesCommandInput) {
  let templates: LaunchTemplateRecord[]
  if (input.LaunchTemplateIds?.length) {
    templates = input.LaunchTemplateIds.map(id => templateByRef(ec2, { id }))
  } else if (input.LaunchTemplateNames?.length) {
    templates = input.LaunchTemplateNames.map(name => {
      const t = [...ec2.templates.values()].find(x => x.name === name)
      if (!t || ec2.world.faults.hidden(t.id)) {
        throw ec2.error(
          'InvalidLaunchTemplateName.NotFoundException',
          'At least one of the launch templates specified in the request does not exist.'
        )
      }
      return t
    })
  } else {
    templates = [...ec2.templates.values()].filter(t => !ec2.world.faults.hidden(t.id))
  }
  return { LaunchTemplates: templates.map(t => templateShape(ec2, t)) }
}

export function modifyLaunchTemplate(ec2: Ec2Model, input: ModifyLaunchTemplateCommandInput) {
  const t = templateByRef(ec2, { id: input.LaunchTemplateId, name: input.LaunchTemplateName })
  if (input.DefaultVersion !== undefined)
    t.defaultVersion = versionOrThrow(ec2, t, input.DefaultVersion).number
  return { LaunchTemplate: templateShape(ec2, t) }
}
