// The fault proxy answers in each protocol's own shape: the SDK clients the action uses read its
// throttles as ECS's ThrottlingException, ELBv2's and Auto Scaling's Throttling and EC2's
// RequestLimitExceeded, and its drops as a lost connection.
import { afterEach, describe, expect, it } from '@jest/globals'
import { DescribeAutoScalingGroupsCommand, AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import { DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2'
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs'
import {
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { isRetryable, isThrottling } from '../../src/aws/api.js'
import { startFaultProxy, type FaultKind, type FaultProxy } from '../../testkit/fault-proxy.js'
import { REGION, motoEndpoint } from '../../testkit/moto.js'

let proxy: FaultProxy | undefined
afterEach(() => proxy?.close())

async function clientsThrough(only: FaultKind) {
  proxy = await startFaultProxy({ target: motoEndpoint(), seed: 1, rate: 1, only })
  const config = {
    region: REGION,
    endpoint: proxy.url,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1
  }
  return {
    ecs: () => new ECSClient(config).send(new ListClustersCommand({})),
    elbv2: () => new ElasticLoadBalancingV2Client(config).send(new DescribeLoadBalancersCommand({})),
    autoscaling: () => new AutoScalingClient(config).send(new DescribeAutoScalingGroupsCommand({})),
    ec2: () => new EC2Client(config).send(new DescribeLaunchTemplatesCommand({}))
  }
}

const failure = (call: () => Promise<unknown>) =>
  call().then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } }
  )

describe('fault proxy', () => {
  it("throttles in each service's own shape, and AwsApi takes every one as throttling", async () => {
    const c = await clientsThrough('throttled')
    const seen = {
      ecs: await failure(c.ecs),
      elbv2: await failure(c.elbv2),
      autoscaling: await failure(c.autoscaling),
      ec2: await failure(c.ec2)
    }
    expect(
      Object.fromEntries(Object.entries(seen).map(([k, e]) => [k, [e?.name, e?.$metadata?.httpStatusCode]]))
    ).toEqual({
      ecs: ['ThrottlingException', 400],
      elbv2: ['Throttling', 400],
      autoscaling: ['Throttling', 400],
      ec2: ['RequestLimitExceeded', 503]
    })
    for (const e of Object.values(seen)) expect(isThrottling(e)).toBe(true)
    expect(proxy?.faults.map(f => `${f.service}:${f.operation}`)).toEqual([
      'ecs:ListClusters',
      'elasticloadbalancing:DescribeLoadBalancers',
      'autoscaling:DescribeAutoScalingGroups',
      'ec2:DescribeLaunchTemplates'
    ])
  })

  it('answers 503s and drops connections, both retryable', async () => {
    const unavailable = await clientsThrough('unavailable')
    const e503 = await failure(unavailable.elbv2)
    expect(e503?.$metadata?.httpStatusCode).toBe(503)
    expect(isRetryable(e503)).toBe(true)
    await proxy?.close()
    const dropped = await clientsThrough('dropped')
    const lost = await failure(dropped.ecs)
    expect(lost).toBeInstanceOf(Error)
    expect(isRetryable(lost)).toBe(true)
  })

  it('goes through after maxConsecutive faults of one call', async () => {
    const c = await clientsThrough('throttled')
    expect(await failure(c.ecs)).toBeDefined()
    expect(await failure(c.ecs)).toBeDefined()
    await expect(c.ecs()).resolves.toMatchObject({ clusterArns: expect.any(Array) })
  })
})
