// Every AWS client is made here: region, retries suited to throttling, a user agent naming the action.
// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured by the SDK itself, which is how the
// tests and the demo point it at moto.
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import type { EC2Client } from '@aws-sdk/client-ec2'
import type { ECSClient } from '@aws-sdk/client-ecs'
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { ACTION_NAME, ACTION_VERSION, type StrategyName } from '../constants.js'

export interface AwsClients {
  ecs: ECSClient
  elbv2: ElasticLoadBalancingV2Client
  autoscaling: AutoScalingClient
  ec2: EC2Client
  /** CloudWatch Logs in a region (a container's awslogs-region may differ from the deploy's). */
  logs: LogsClients
}

/** The package loads on the first call: a deploy that reads no log (nothing failed, no pre-deploy task) never pays for it. */
export type LogsClients = (region: string) => Promise<CloudWatchLogsClient>

/** One client per region, made on first use. */
export function logsClients(make: (region: string) => Promise<CloudWatchLogsClient>): LogsClients {
  const made = new Map<string, Promise<CloudWatchLogsClient>>()
  return region => {
    let client = made.get(region)
    if (!client) made.set(region, (client = make(region)))
    return client
  }
}

export type AwsService = keyof AwsClients
export const AWS_SERVICES: readonly AwsService[] = ['ecs', 'elbv2', 'autoscaling', 'ec2', 'logs']

/** The clients each strategy's layer modules (src/aws/*.ts) call; no others are loaded for it. */
export const STRATEGY_CLIENTS: Record<StrategyName, readonly AwsService[]> = {
  'ecs-rolling': ['ecs', 'elbv2', 'logs'],
  'asg-blue-green': ['autoscaling', 'elbv2', 'ec2'],
  'pr-preview': ['ecs', 'elbv2', 'logs']
}

/** What every client gets; each service's config type accepts it. */
interface ClientConfig {
  region: string
  retryMode: string
  maxAttempts: number
  customUserAgent: [string, string][]
}

// Each SDK package carries the schemas of every operation of its service (EC2's alone is 2 MB), so a
// package is loaded only when a run needs its client: ecs-rolling never pays for EC2.
const load: { [S in AwsService]: (config: ClientConfig) => Promise<AwsClients[S]> } = {
  ecs: async config => new (await import('@aws-sdk/client-ecs')).ECSClient(config),
  elbv2: async config =>
    new (await import('@aws-sdk/client-elastic-load-balancing-v2')).ElasticLoadBalancingV2Client(config),
  autoscaling: async config => new (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient(config),
  ec2: async config => new (await import('@aws-sdk/client-ec2')).EC2Client(config),
  logs: async config =>
    logsClients(
      async region =>
        new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient({ ...config, region })
    )
}

/** The clients of `services`; reaching for any other one is a bug, named as such. */
export async function createAwsClients(
  region: string,
  services: readonly AwsService[] = AWS_SERVICES
): Promise<AwsClients> {
  const config: ClientConfig = {
    region,
    // The SDK's adaptive mode rate-limits itself after throttling; AwsApi retries on top of it with
    // the injected clock, so a long throttling spell does not fail a deploy halfway.
    retryMode: 'adaptive',
    maxAttempts: 4,
    customUserAgent: [[ACTION_NAME, ACTION_VERSION]]
  }
  const made = await Promise.all(services.map(async s => [s, await load[s](config)] as const))
  const clients = Object.fromEntries(made) as Partial<AwsClients>
  const all = {} as AwsClients
  for (const s of AWS_SERVICES) {
    Object.defineProperty(all, s, {
      enumerable: true,
      get: () => {
        const client = clients[s]
        if (!client) throw new Error(`Bug: the ${s} client was not loaded for this strategy`)
        return client
      }
    })
  }
  return all
}
