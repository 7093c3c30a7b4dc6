// AMIs that exist: DescribeImages and the builder.
import type { DescribeImagesCommandInput, Image } from '@aws-sdk/client-ec2'
import type { Ec2Model } from './index.js'
import { AMI, type ImageRecord } from './records.js'

/** An AMI that exists (launches from unknown AMIs fail, as on AWS). */
export function addImage(ec2: Ec2Model, id: string, name?: string): ImageRecord {
  if (!AMI.test(id)) throw new Error(`sim: '${id}' is not an AMI id (ami- and 8 or 17 hex digits)`)
  const existing = ec2.images.get(id)
  if (existing) return existing
  const image = { id, name: name ?? `app-${id.slice(4, 12)}`, createdAt: ec2.now - 86_400_000 }
  ec2.images.set(id, image)
  return image
}

export function imageShape(ec2: Ec2Model, i: ImageRecord): Image {
  return {
    ImageId: i.id,
    Name: i.name,
    State: 'available',
    CreationDate: new Date(i.createdAt).toISOString(),
    Architecture: 'x86_64',
    ImageType: 'machine',
    Public: false,
    OwnerId: ec2.world.accountId,
    RootDeviceType: 'ebs',
    RootDeviceName: '/dev/xvda',
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    EnaSupport: true,
    PlatformDetails: 'Linux/UNIX',
    BlockDeviceMappings: []
  }
}

export function describeImages(ec2: Ec2Model, input: DescribeImagesCommandInput) {
  if (input.ImageIds?.length) {
    const missing = input.ImageIds.filter(id => !ec2.images.has(id))
    if (missing.some(id => !AMI.test(id))) {
      throw ec2.error(
        'InvalidAMIID.Malformed',
        `Invalid id: "${missing.find(id => !AMI.test(id))}" (expecting "ami-...")`
      )
    }
    if (missing.length > 0)
      throw ec2.error('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`)
    return { Images: input.ImageIds.map(id => imageShape(ec2, ec2.images.get(id) as ImageRecord)) }
  }
  return { Images: [...ec2.images.values()].map(i => imageShape(ec2, i)) }
}
