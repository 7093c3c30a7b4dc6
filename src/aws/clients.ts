// Every AWS client is made here: region, retries suited to throttling, a user agent naming the action.
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured by the SDK itself, which is how the
// tests and the demo point it at moto.
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { EC2Client } from '@aws-sdk/client-ec2'
import { ECSClient } from '@aws-sdk/client-ecs'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { ACTION_NAME, ACTION_VERSION } from '../constants.js'

export interface AwsClients {
  ecs: ECSClient
  elbv2: ElasticLoadBalancingV2Client
  autoscaling: AutoScalingClient
  ec2: EC2Client
  /** CloudWatch Logs in a region: a container's awslogs-region may differ from the deploy's. */
  logs: LogsClients
}

export type LogsClients = (region: string) => CloudWatchLogsClient

/** One client per region, made on first use. */
export function logsClients(make: (region: string) => CloudWatchLogsClient): LogsClients {
  const made = new Map<string, CloudWatchLogsClient>()
  return region => {
    let client = made.get(region)
    if (!client) made.set(region, (client = make(region)))
    return client
  }
}

export function createAwsClients(region: string): AwsClients {
  const config = {
    region,
    // The SDK's adaptive mode rate-limits itself after throttling; AwsApi retries on top of it with
    // the injected clock, so a long throttling spell does not fail a deploy halfway.
    retryMode: 'adaptive',
    maxAttempts: 4,
    customUserAgent: [[ACTION_NAME, ACTION_VERSION]] as [string, string][]
  }
  return {
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    autoscaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    logs: logsClients(logsRegion => new CloudWatchLogsClient({ ...config, region: logsRegion }))
  }
}
