// An ECS service behind an ALB in moto, as the ecs-rolling tests (moto and end to end) need it:
// VPC + 2 subnets, ALB, target group, HTTP listener, cluster, task definition, service.
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand } from '@aws-sdk/client-ec2'
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type DeploymentConfiguration
} from '@aws-sdk/client-ecs'
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ModifyTargetGroupAttributesCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsClients } from '../src/aws/clients.js'
import { createVpc, uniqueName } from './moto.js'

export interface EcsServiceFixture {
  cluster: string
  service: string
  family: string
  taskDefinitionArn: string
  targetGroupArn: string
  loadBalancerArn: string
  listenerArn: string
  dnsName: string
}

export interface EcsServiceOptions {
  desiredCount?: number
  containers?: ContainerDefinition[]
  deploymentConfiguration?: DeploymentConfiguration
  healthCheckPath?: string
  deregistrationDelaySeconds?: number
  /**
   * TCP port ranges the load balancer's own security group admits (besides 80); without it the load
   * balancer keeps the security group moto gives it.
   */
  admitPorts?: Array<[number, number]>
  /** An alternate target group and a production listener rule, as ECS's blue/green needs them. */
  blueGreen?: boolean
}

export const DEFAULT_CONTAINERS: ContainerDefinition[] = [
  {
    name: 'app',
    image: 'registry.example.com/shop:1.0.0',
    memory: 256,
    portMappings: [{ containerPort: 8080 }]
  }
]

export async function createEcsService(
  c: AwsClients,
  opts: EcsServiceOptions = {}
): Promise<EcsServiceFixture> {
  const name = uniqueName('shop')
  const { vpcId, subnetIds } = await createVpc(c, 0)
  const securityGroups = opts.admitPorts
    ? [await loadBalancerGroup(c, vpcId, name, opts.admitPorts)]
    : undefined
  const lb = (
    await c.elbv2.send(
      new CreateLoadBalancerCommand({ Name: name, Subnets: subnetIds, SecurityGroups: securityGroups })
    )
  ).LoadBalancers![0]
  const tg = (
    await c.elbv2.send(
      new CreateTargetGroupCommand({
        Name: name,
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: vpcId,
        TargetType: 'ip',
        HealthCheckPath: opts.healthCheckPath ?? '/healthz',
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 3
      })
    )
  ).TargetGroups![0]
  await c.elbv2.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: tg.TargetGroupArn!,
      Attributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: String(opts.deregistrationDelaySeconds ?? 30) }
      ]
    })
  )
  const listener = (
    await c.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn!,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn! }]
      })
    )
  ).Listeners![0]

  await c.ecs.send(new CreateClusterCommand({ clusterName: name }))
  const td = await c.ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      containerDefinitions: opts.containers ?? DEFAULT_CONTAINERS
    })
  )
  const desiredCount = opts.desiredCount ?? 2
  await c.ecs.send(
    new CreateServiceCommand({
      cluster: name,
      serviceName: name,
      taskDefinition: td.taskDefinition!.taskDefinitionArn!,
      desiredCount,
      loadBalancers: [{ targetGroupArn: tg.TargetGroupArn!, containerName: 'app', containerPort: 8080 }]
    })
  )
  // moto's CreateService ignores deploymentConfiguration; UpdateService stores it.
  await c.ecs.send(
    new UpdateServiceCommand({
      cluster: name,
      service: name,
      ...(opts.blueGreen
        ? { loadBalancers: await blueGreenRouting(c, name, vpcId, tg.TargetGroupArn!, listener.ListenerArn!) }
        : {}),
      deploymentConfiguration: opts.deploymentConfiguration ?? {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true }
      },
      healthCheckGracePeriodSeconds: 30
    })
  )
  return {
    cluster: name,
    service: name,
    family: name,
    taskDefinitionArn: td.taskDefinition!.taskDefinitionArn!,
    targetGroupArn: tg.TargetGroupArn!,
    loadBalancerArn: lb.LoadBalancerArn!,
    listenerArn: listener.ListenerArn!,
    dnsName: lb.DNSName!
  }
}

/** The load balancer entry of an ECS blue/green service: green's target group and a weighted rule. */
async function blueGreenRouting(
  c: AwsClients,
  name: string,
  vpcId: string,
  blueArn: string,
  listenerArn: string
) {
  const green = (
    await c.elbv2.send(
      new CreateTargetGroupCommand({
        Name: `${name}-g`,
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: vpcId,
        TargetType: 'ip'
      })
    )
  ).TargetGroups![0]
  const rule = (
    await c.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: blueArn, Weight: 100 },
                { TargetGroupArn: green.TargetGroupArn!, Weight: 0 }
              ]
            }
          }
        ]
      })
    )
  ).Rules![0]
  return [
    {
      targetGroupArn: blueArn,
      containerName: 'app',
      containerPort: 8080,
      advancedConfiguration: {
        alternateTargetGroupArn: green.TargetGroupArn!,
        productionListenerRule: rule.RuleArn!,
        roleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRole'
      }
    }
  ]
}

/** What the service runs now: its task definition and that revision's images by container. */
export async function serviceRuns(
  c: AwsClients,
  f: EcsServiceFixture
): Promise<{ taskDefinitionArn: string; images: Record<string, string>; tags: Record<string, string> }> {
  const svc = (await c.ecs.send(new DescribeServicesCommand({ cluster: f.cluster, services: [f.service] })))
    .services![0]
  const td = await c.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: svc.taskDefinition!, include: ['TAGS'] })
  )
  return {
    taskDefinitionArn: svc.taskDefinition!,
    images: Object.fromEntries((td.taskDefinition!.containerDefinitions ?? []).map(x => [x.name!, x.image!])),
    tags: Object.fromEntries((td.tags ?? []).map(t => [t.key!, t.value!]))
  }
}

/** A security group admitting TCP 80 and `ranges` from anywhere: what a load balancer's clients reach. */
async function loadBalancerGroup(
  c: AwsClients,
  vpcId: string,
  name: string,
  ranges: Array<[number, number]>
): Promise<string> {
  const group = await c.ec2.send(
    new CreateSecurityGroupCommand({ GroupName: `${name}-lb`, Description: 'load balancer', VpcId: vpcId })
  )
  await c.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: group.GroupId!,
      IpPermissions: [[80, 80] as [number, number], ...ranges].map(([from, to]) => ({
        IpProtocol: 'tcp',
        FromPort: from,
        ToPort: to,
        IpRanges: [{ CidrIp: '0.0.0.0/0' }]
      }))
    })
  )
  return group.GroupId!
}
