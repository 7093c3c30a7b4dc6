// The thin layer over EC2 security groups, and what their ingress admits: a load balancer's listener
// port that no inbound rule of its security groups covers cannot be reached by any client.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html
import { DescribeSecurityGroupsCommand, type IpPermission, type SecurityGroup } from '@aws-sdk/client-ec2'
import type { AwsApi } from './api.js'

export async function describeSecurityGroups(aws: AwsApi, ids: string[]): Promise<SecurityGroup[]> {
  if (ids.length === 0) return []
  const out = await aws.read('ec2:DescribeSecurityGroups', () =>
    aws.clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ids }))
  )
  return out.SecurityGroups ?? []
}

/** Whether an inbound rule covers TCP `port`: all traffic (`-1`), or TCP with the port in its range. */
export function permissionAdmits(p: IpPermission, port: number): boolean {
  if (p.IpProtocol === '-1') return true
  if (p.IpProtocol !== 'tcp' && p.IpProtocol !== '6') return false
  return (p.FromPort ?? 0) <= port && port <= (p.ToPort ?? 65535)
}

/** Whether any inbound rule of any of the groups covers TCP `port`. */
export function groupsAdmit(groups: SecurityGroup[], port: number): boolean {
  return groups.some(g => (g.IpPermissions ?? []).some(p => permissionAdmits(p, port)))
}

/** `sg-0abc (web-alb)`: a group as a message names it. */
export function groupLabel(g: SecurityGroup): string {
  return g.GroupName ? `${g.GroupId} (${g.GroupName})` : (g.GroupId ?? '?')
}
