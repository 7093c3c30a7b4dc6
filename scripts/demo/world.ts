// The demo world in moto, built from the fixtures the tests use: an ECS service behind an ALB (with a
// second, shared listener that PR previews hang off) and two Auto Scaling groups behind another ALB
// with main and synthetic target groups.
import { CreateListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsClients } from '../../src/aws/clients.js'
import { FIRST_AMI, createAsgFixture, type AsgFixture } from '../../testkit/moto-asg.js'
import { DEFAULT_CONTAINERS, createEcsService, type EcsServiceFixture } from '../../testkit/moto-ecs.js'

export const PREVIEW_DOMAIN = 'preview.demo.local'
export const PREVIEW_PORT = 8080

export interface DemoWorld {
  ecs: EcsServiceFixture
  /** The shared listener of the ECS service's ALB that previews add host rules to. */
  previewListenerArn: string
  asg: AsgFixture
  image: string
  ami: string
}

export async function buildWorld(c: AwsClients): Promise<DemoWorld> {
  // The load balancer's security group admits the production port and the previews' listener port.
  const ecs = await createEcsService(c, { admitPorts: [[PREVIEW_PORT, PREVIEW_PORT]] })
  const asg = await createAsgFixture(c)
  // Requests for a host no preview claims get a plain 404, not the production service.
  const previews = await c.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: ecs.loadBalancerArn,
      Protocol: 'HTTP',
      Port: PREVIEW_PORT,
      DefaultActions: [
        {
          Type: 'fixed-response',
          FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no preview' }
        }
      ]
    })
  )
  return {
    ecs,
    previewListenerArn: previews.Listeners![0].ListenerArn!,
    asg,
    image: DEFAULT_CONTAINERS[0].image!,
    ami: FIRST_AMI
  }
}

export const WORLD_OUTPUTS = [
  'cluster',
  'service',
  'task-definition-arn',
  'ecs-listener-arn',
  'preview-listener-arn',
  'blue-asg',
  'green-asg',
  'target-group',
  'synthetic-target-group',
  'asg-listener-arn',
  'launch-template-id'
] as const

/** The names and ARNs a workflow passes to the action (world-cli.ts prints them as GITHUB_OUTPUT lines). */
export function worldOutputs(w: DemoWorld): Record<(typeof WORLD_OUTPUTS)[number], string> {
  return {
    cluster: w.ecs.cluster,
    service: w.ecs.service,
    'task-definition-arn': w.ecs.taskDefinitionArn,
    'ecs-listener-arn': w.ecs.listenerArn,
    'preview-listener-arn': w.previewListenerArn,
    'blue-asg': w.asg.blue,
    'green-asg': w.asg.green,
    'target-group': w.asg.targetGroupArn,
    'synthetic-target-group': w.asg.syntheticTargetGroupArn,
    'asg-listener-arn': w.asg.listenerArn,
    'launch-template-id': w.asg.templateId
  }
}

/** What was built, for a reader. */
export function describeWorld(w: DemoWorld): string[] {
  return [
    `ECS cluster ${w.ecs.cluster}, service ${w.ecs.service}: 2 tasks of ${w.image}, behind ALB ${w.ecs.dnsName}`,
    `  listener :80 -> target group ${w.ecs.service} (health check /healthz); circuit breaker on`,
    `  listener :${PREVIEW_PORT} shared by PR previews (host rules pr-<n>.${PREVIEW_DOMAIN}; 404 otherwise)`,
    `Auto Scaling groups ${w.asg.blue} (serving, 2 instances) and ${w.asg.green} (standby, 0)`,
    `  launch template ${w.asg.templateId} on ${w.ami}; ALB listener :80 -> main target group,`,
    `  plus a synthetic target group reached only with the header 'Synthetic: True'`
  ]
}
