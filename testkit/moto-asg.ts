// Two Auto Scaling groups behind an ALB in moto, as the asg-blue-green tests (moto and end to end)
// need them: VPC + 2 subnets, a launch template, main and synthetic target groups, an ALB with an
// HTTP listener forwarding to the main one, blue serving (attached, sized), green at zero.
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  type AutoScalingGroup
} from '@aws-sdk/client-auto-scaling'
import {
  CreateLaunchTemplateCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand
} from '@aws-sdk/client-ec2'
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  type Rule
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsClients } from '../src/aws/clients.js'
import { createVpc, uniqueName } from './moto.js'

export const FIRST_AMI = 'ami-0a0a0a0a0a0a0a0a1'

export interface AsgFixture {
  blue: string
  green: string
  templateId: string
  targetGroupArn: string
  syntheticTargetGroupArn: string
  loadBalancerArn: string
  listenerArn: string
}

export interface AsgFixtureOptions {
  /** Blue's fleet; green starts at zero. */
  blueCapacity?: { min: number; max: number; desired: number }
  /** Attach blue to the main target group (it serves); false for a first deploy. */
  blueServes?: boolean
  deregistrationDelaySeconds?: number
  /** Extra tags on the groups, e.g. a zdt:lock. */
  blueTags?: Record<string, string>
  greenTags?: Record<string, string>
  /** The version both groups name of their shared launch template (default `1`). */
  launchTemplateVersion?: string
}

export async function createAsgFixture(c: AwsClients, opts: AsgFixtureOptions = {}): Promise<AsgFixture> {
  const name = uniqueName('web')
  const { vpcId, subnetIds } = await createVpc(c, 1)
  const template = await c.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `${name}-lt`,
      LaunchTemplateData: { ImageId: FIRST_AMI, InstanceType: 't3.micro' }
    })
  )
  const templateId = template.LaunchTemplate!.LaunchTemplateId!
  const targetGroup = async (suffix: string) => {
    const out = await c.elbv2.send(
      new CreateTargetGroupCommand({
        Name: `${name}-${suffix}`.slice(0, 32),
        Protocol: 'HTTP',
        Port: 80,
        VpcId: vpcId,
        TargetType: 'instance',
        HealthCheckPath: '/healthz'
      })
    )
    const arn = out.TargetGroups![0].TargetGroupArn!
    if (opts.deregistrationDelaySeconds !== undefined) {
      await c.elbv2.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: arn,
          Attributes: [
            { Key: 'deregistration_delay.timeout_seconds', Value: String(opts.deregistrationDelaySeconds) }
          ]
        })
      )
    }
    return arn
  }
  const targetGroupArn = await targetGroup('main')
  const syntheticTargetGroupArn = await targetGroup('syn')
  const lb = await c.elbv2.send(
    new CreateLoadBalancerCommand({ Name: `${name}-alb`.slice(0, 32), Subnets: subnetIds })
  )
  const loadBalancerArn = lb.LoadBalancers![0].LoadBalancerArn!
  const listener = await c.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }]
    })
  )
  const tags = (group: string, t: Record<string, string> | undefined) =>
    Object.entries(t ?? {}).map(([Key, Value]) => ({
      ResourceId: group,
      ResourceType: 'auto-scaling-group',
      Key,
      Value,
      PropagateAtLaunch: false
    }))
  const blue = `${name}-blue`
  const green = `${name}-green`
  const cap = opts.blueCapacity ?? { min: 1, max: 4, desired: 2 }
  await c.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: blue,
      LaunchTemplate: { LaunchTemplateId: templateId, Version: opts.launchTemplateVersion ?? '1' },
      MinSize: cap.min,
      MaxSize: cap.max,
      DesiredCapacity: cap.desired,
      VPCZoneIdentifier: subnetIds.join(','),
      HealthCheckType: 'ELB',
      TargetGroupARNs: opts.blueServes === false ? [] : [targetGroupArn],
      Tags: tags(blue, opts.blueTags)
    })
  )
  await c.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: green,
      LaunchTemplate: { LaunchTemplateId: templateId, Version: opts.launchTemplateVersion ?? '1' },
      MinSize: 0,
      MaxSize: cap.max,
      DesiredCapacity: 0,
      VPCZoneIdentifier: subnetIds.join(','),
      HealthCheckType: 'ELB',
      Tags: tags(green, opts.greenTags)
    })
  )
  return {
    blue,
    green,
    templateId,
    targetGroupArn,
    syntheticTargetGroupArn,
    loadBalancerArn,
    listenerArn: listener.Listeners![0].ListenerArn!
  }
}

export interface GroupSnapshot {
  desired: number
  minSize: number
  maxSize: number
  instances: Array<{ id: string; lifecycle: string }>
  targetGroupArns: string[]
  tags: Record<string, string>
  launchTemplateVersion: string | undefined
}

export async function groupSnapshot(c: AwsClients, name: string): Promise<GroupSnapshot> {
  const out = await c.autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })
  )
  const g: AutoScalingGroup = out.AutoScalingGroups![0]
  return {
    desired: g.DesiredCapacity ?? 0,
    minSize: g.MinSize ?? 0,
    maxSize: g.MaxSize ?? 0,
    instances: (g.Instances ?? []).map(i => ({ id: i.InstanceId!, lifecycle: i.LifecycleState! })),
    targetGroupArns: g.TargetGroupARNs ?? [],
    tags: Object.fromEntries((g.Tags ?? []).map(t => [t.Key!, t.Value!])),
    launchTemplateVersion: g.LaunchTemplate?.Version
  }
}

/** Target id -> state, for the targets the target group lists. */
export async function targetHealth(c: AwsClients, arn: string): Promise<Record<string, string>> {
  const out = await c.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))
  return Object.fromEntries(
    (out.TargetHealthDescriptions ?? []).map(t => [t.Target!.Id!, t.TargetHealth?.State ?? '?'])
  )
}

/** The image each instance was launched from. */
export async function instanceImages(c: AwsClients, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const out = await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))
  return (out.Reservations ?? []).flatMap(r => (r.Instances ?? []).map(i => i.ImageId ?? '?'))
}

export async function templateImage(
  c: AwsClients,
  templateId: string,
  version: string
): Promise<string | undefined> {
  const out = await c.ec2.send(
    new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: [version] })
  )
  return out.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.ImageId
}

export async function listenerRules(
  c: AwsClients,
  listenerArn: string
): Promise<Array<Rule & { tags: Record<string, string> }>> {
  const out = await c.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))
  const rules = (out.Rules ?? []).filter(r => !r.IsDefault)
  if (rules.length === 0) return []
  const tags = await c.elbv2.send(new DescribeTagsCommand({ ResourceArns: rules.map(r => r.RuleArn!) }))
  return rules.map(r => ({
    ...r,
    tags: Object.fromEntries(
      (tags.TagDescriptions ?? [])
        .find(d => d.ResourceArn === r.RuleArn)
        ?.Tags?.map(t => [t.Key!, t.Value!]) ?? []
    )
  }))
}
