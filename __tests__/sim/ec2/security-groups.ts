// Security groups as a load balancer's clients meet them: a request reaches a listener only when an
// inbound rule of one of the load balancer's groups covers its port; otherwise the packets are dropped
// and the client waits until it gives up (a timeout, not a refusal).
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html
// https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
import type { DescribeSecurityGroupsCommandInput, IpPermission } from '@aws-sdk/client-ec2'
import { deepCopy } from '../copy.js'
import type { Ec2Model } from './index.js'

export interface SecurityGroupRecord {
  id: string
  name: string
  vpcId: string
  ingress: IpPermission[]
}

/** The group every simulated load balancer starts with: the world's builders admit their listener ports. */
export const LOAD_BALANCER_GROUP = 'sg-0sim0000000000001'

export function addSecurityGroup(
  ec2: Ec2Model,
  opts: { id?: string; name: string; vpcId?: string; ingress?: IpPermission[] }
): SecurityGroupRecord {
  const record: SecurityGroupRecord = {
    id: opts.id ?? `sg-0${ec2.world.ids.hex(16)}`,
    name: opts.name,
    vpcId: opts.vpcId ?? 'vpc-0sim0000000000001',
    ingress: deepCopy(opts.ingress ?? [])
  }
  ec2.securityGroups.set(record.id, record)
  return record
}

/** Adds an inbound rule: TCP `from`-`to` from anywhere (the shape a console "Add rule" makes). */
export function admitTcp(ec2: Ec2Model, groupId: string, from: number, to = from): void {
  const group = ec2.securityGroups.get(groupId) ?? addSecurityGroup(ec2, { id: groupId, name: groupId })
  group.ingress.push({ IpProtocol: 'tcp', FromPort: from, ToPort: to, IpRanges: [{ CidrIp: '0.0.0.0/0' }] })
}

/** Whether an inbound rule of any of the groups covers TCP `port` (`-1` is every protocol and port). */
export function admits(ec2: Ec2Model, groupIds: string[], port: number): boolean {
  return groupIds.some(id =>
    (ec2.securityGroups.get(id)?.ingress ?? []).some(
      p =>
        p.IpProtocol === '-1' ||
        ((p.IpProtocol === 'tcp' || p.IpProtocol === '6') &&
          (p.FromPort ?? 0) <= port &&
          port <= (p.ToPort ?? 0))
    )
  )
}

export function describeSecurityGroups(ec2: Ec2Model, input: DescribeSecurityGroupsCommandInput) {
  const ids = input.GroupIds ?? [...ec2.securityGroups.keys()]
  const missing = ids.find(id => !ec2.securityGroups.has(id))
  if (missing) throw ec2.error('InvalidGroup.NotFound', `The security group '${missing}' does not exist`)
  return {
    SecurityGroups: ids.map(id => {
      const g = ec2.securityGroups.get(id)!
      return { GroupId: g.id, GroupName: g.name, VpcId: g.vpcId, IpPermissions: deepCopy(g.ingress) }
    })
  }
}
