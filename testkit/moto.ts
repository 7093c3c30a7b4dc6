// Test helpers for moto: the endpoint the global setup started, and SDK clients pointed at it.
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2'
import { ECSClient } from '@aws-sdk/client-ecs'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { logsClients, type AwsClients } from '../src/aws/clients.js'

export const REGION = 'us-east-1'

export function motoEndpoint(): string {
  const endpoint = process.env.ZDT_MOTO_ENDPOINT
  if (!endpoint) throw new Error('ZDT_MOTO_ENDPOINT is not set: the jest global setup starts moto_server')
  return endpoint
}

/** The variables the action needs to talk to moto, as a workflow would set them. */
export function motoAwsEnv(): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: motoEndpoint(),
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true'
  }
}

export function motoClients(): AwsClients {
  const config = {
    region: REGION,
    endpoint: motoEndpoint(),
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }
  }
  return {
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    autoscaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    logs: logsClients(async region => new CloudWatchLogsClient({ ...config, region }))
  }
}

/** A name no other test in this moto uses (tests share one server and run in parallel). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.slice(0, 32)
}

/** A VPC with one subnet in each of two zones (an ALB needs two), on the `10.<octet>.0.0/16` block. */
export async function createVpc(
  c: AwsClients,
  octet: number
): Promise<{ vpcId: string; subnetIds: string[] }> {
  const vpc = await c.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${octet}.0.0/16` }))
  const vpcId = vpc.Vpc!.VpcId!
  const subnets = await Promise.all(
    ['a', 'b'].map((az, i) =>
      c.ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: `10.${octet}.${i + 1}.0/24`,
          AvailabilityZone: `us-east-1${az}`
        })
      )
    )
  )
  return { vpcId, subnetIds: subnets.map(s => s.Subnet!.SubnetId!) }
}
