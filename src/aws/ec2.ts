// The thin layer over EC2 launch templates: read a version, create a new one from it.
import {
  CreateLaunchTemplateVersionCommand,
  DescribeLaunchTemplateVersionsCommand,
  type LaunchTemplateVersion
} from '@aws-sdk/client-ec2'
import { hasErrorCode } from '../errors.js'
import type { AwsApi } from './api.js'

export interface TemplateRef {
  id?: string
  name?: string
}

/** One version (`7`, `$Latest`, `$Default`) of a launch template; undefined when it does not exist. */
export async function describeLaunchTemplateVersion(
  aws: AwsApi,
  template: TemplateRef,
  version: string
): Promise<LaunchTemplateVersion | undefined> {
  try {
    const out = await aws.read('ec2:DescribeLaunchTemplateVersions', () =>
      aws.clients.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({
          LaunchTemplateId: template.id,
          LaunchTemplateName: template.id ? undefined : template.name,
          Versions: [version]
        })
      )
    )
    return out.LaunchTemplateVersions?.[0]
  } catch (e) {
    if (
      hasErrorCode(
        e,
        'InvalidLaunchTemplateId.VersionNotFound',
        'InvalidLaunchTemplateId.NotFound',
        'InvalidLaunchTemplateName.NotFoundException'
      )
    )
      return undefined
    throw e
  }
}

// What a dry run's plan calls the version CreateLaunchTemplateVersion would create: EC2 numbers it.
export const PLANNED_VERSION = '<new version>'

/**
 * A new version of `templateId` copied from `sourceVersion` with only the image changed: everything
 * else the launch template says (instance type, security groups, user data...) is kept.
 * Returns the new version number (undefined in dry-run) and the validation warnings EC2 gave: it
 * creates a version even when some of its parameters are not valid, and says so only there.
 */
export async function createLaunchTemplateVersion(
  aws: AwsApi,
  templateId: string,
  sourceVersion: string,
  imageId: string,
  description: string,
  /** Idempotency token: a retried call returns the version the first one created. */
  clientToken?: string
): Promise<{ version: number | undefined; warnings: string[] }> {
  const out = await aws.write(
    'ec2:CreateLaunchTemplateVersion',
    { LaunchTemplateId: templateId, SourceVersion: sourceVersion, ImageId: imageId },
    () =>
      aws.clients.ec2.send(
        new CreateLaunchTemplateVersionCommand({
          LaunchTemplateId: templateId,
          SourceVersion: sourceVersion,
          VersionDescription: description.slice(0, 255),
          ClientToken: clientToken?.slice(0, 64),
          LaunchTemplateData: { ImageId: imageId }
        })
      ),
    { $metadata: {} }
  )
  const warnings = (out.Warning?.Errors ?? []).map(e => [e.Code, e.Message].filter(Boolean).join(': '))
  return { version: out.LaunchTemplateVersion?.VersionNumber, warnings }
}

/** The version to name in later calls: EC2's number, or the dry run's stand-in for it. */
export function createdVersion(created: number | undefined): string {
  return created === undefined ? PLANNED_VERSION : String(created)
}
