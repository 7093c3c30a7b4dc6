// Realistic fixtures in one call: an ALB with a listener and a target group, an ECS service at steady
// state behind it. They build the world directly (no recorded calls) as if it had been there all along.
import type { DeploymentLifecycleHook } from '@aws-sdk/client-ecs'
import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AppBehavior } from './apps.js'
import { addGroup } from './autoscaling/groups.js'
import { addImage } from './ec2/images.js'
import { LOAD_BALANCER_GROUP, admitTcp } from './ec2/security-groups.js'
import { addLaunchTemplate } from './ec2/launch-templates.js'
import { addCluster } from './ecs/clusters.js'
import { seedSteadyService } from './ecs/services.js'
import { addTaskDefinition } from './ecs/task-definitions.js'
import { addListener } from './elbv2/listeners.js'
import { addLoadBalancer } from './elbv2/load-balancers.js'
import { addRule } from './elbv2/rules.js'
import { addTargetGroup as addTargetGroupRecord } from './elbv2/target-groups.js'
import type { World } from './world.js'

export interface HealthCheckOptions {
  /** Default /healthz. */
  path?: string
  /** Default 30 (AWS's default). */
  intervalSeconds?: number
  /** Default 5 (or interval - 1 when the interval is shorter). */
  timeoutSeconds?: number
  /** Default 5. */
  healthyThreshold?: number
  /** Default 2. */
  unhealthyThreshold?: number
  /** Default '200'. */
  matcher?: string
}

export interface TargetGroupOptions {
  name?: string
  /** `ip` (ECS awsvpc, the default) or `instance` (Auto Scaling). */
  targetType?: 'ip' | 'instance'
  /** Port targets listen on (default 8080 for ip, 80 for instance). */
  port?: number
  healthCheck?: HealthCheckOptions
  /** deregistration_delay.timeout_seconds (default 300). */
  deregistrationDelaySeconds?: number
  tags?: Record<string, string>
}

export interface AlbOptions {
  /** Load balancer name (default `shop-alb`). */
  name?: string
  /** Listener port (default 80). */
  port?: number
  /** The default target group. */
  targetGroup?: TargetGroupOptions
}

export interface TargetGroupFixture {
  targetGroupArn: string
  targetGroupName: string
}

export interface AlbFixture extends TargetGroupFixture {
  loadBalancerArn: string
  dnsName: string
  listenerArn: string
  port: number
  /** `http://<dns name>` (with the port when it is not 80). */
  url: string
}

let nameCounter = 0

function tags(record: Record<string, string> | undefined): Array<{ Key: string; Value: string }> {
  return Object.entries(record ?? {}).map(([Key, Value]) => ({ Key, Value }))
}

export function addTargetGroup(world: World, opts: TargetGroupOptions = {}): TargetGroupFixture {
  const hc = opts.healthCheck ?? {}
  const targetType = opts.targetType ?? 'ip'
  const tg = addTargetGroupRecord(world.elbv2, {
    name: opts.name ?? `tg-${++nameCounter}`,
    protocol: 'HTTP',
    port: opts.port ?? (targetType === 'ip' ? 8080 : 80),
    targetType,
    healthCheckPath: hc.path ?? '/healthz',
    healthCheckIntervalSeconds: hc.intervalSeconds,
    // AWS refuses a timeout that is not shorter than the interval; a short interval gets a shorter timeout.
    healthCheckTimeoutSeconds:
      hc.timeoutSeconds ??
      (hc.intervalSeconds !== undefined ? Math.min(5, hc.intervalSeconds - 1) : undefined),
    healthyThresholdCount: hc.healthyThreshold,
    unhealthyThresholdCount: hc.unhealthyThreshold,
    matcher: hc.matcher,
    deregistrationDelaySeconds: opts.deregistrationDelaySeconds,
    tags: tags(opts.tags)
  })
  return { targetGroupArn: tg.arn, targetGroupName: tg.name }
}

/** An internet-facing ALB, a listener forwarding to a fresh target group by default. */
export function addAlbWithTargetGroup(world: World, opts: AlbOptions = {}): AlbFixture {
  const tg = addTargetGroup(world, {
    ...opts.targetGroup,
    name: opts.targetGroup?.name ?? `${opts.name ?? 'shop'}-tg`
  })
  const lb = addLoadBalancer(world.elbv2, { name: opts.name ?? 'shop-alb' })
  const port = opts.port ?? 80
  const listener = addListener(world.elbv2, {
    loadBalancerArn: lb.arn,
    port,
    protocol: 'HTTP',
    defaultActions: [{ Type: 'forward', TargetGroupArn: tg.targetGroupArn }]
  })
  // As an account sets one up: the load balancer's security group admits its listener's port.
  admitTcp(world.ec2, LOAD_BALANCER_GROUP, port)
  return {
    ...tg,
    loadBalancerArn: lb.arn,
    dnsName: lb.dnsName,
    listenerArn: listener.arn,
    port,
    url: `http://${lb.dnsName}${port === 80 ? '' : `:${port}`}`
  }
}

export interface RuleOptions {
  priority: number
  conditions: RuleCondition[]
  /** Forward here, or give `actions`. */
  targetGroupArn?: string
  actions?: Action[]
}

/** A listener rule, e.g. the synthetic header rule: `headerCondition('Synthetic', 'True')`. */
export function addListenerRule(world: World, listenerArn: string, opts: RuleOptions): string {
  const actions = opts.actions ?? [{ Type: 'forward', TargetGroupArn: opts.targetGroupArn }]
  return addRule(world.elbv2, { listenerArn, priority: opts.priority, conditions: opts.conditions, actions })
    .arn
}

export const headerCondition = (name: string, ...values: string[]): RuleCondition => ({
  Field: 'http-header',
  HttpHeaderConfig: { HttpHeaderName: name, Values: values }
})

export const hostCondition = (...hosts: string[]): RuleCondition => ({
  Field: 'host-header',
  HostHeaderConfig: { Values: hosts }
})

export const pathCondition = (...paths: string[]): RuleCondition => ({
  Field: 'path-pattern',
  PathPatternConfig: { Values: paths }
})

export interface EcsServiceOptions {
  /** Cluster name (default `main`; made if missing). */
  cluster?: string
  /** Service name (default `web`). */
  service?: string
  /** Task definition family (default: the service name). */
  family?: string
  /** Image the running tasks use (default `123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1`). */
  image?: string
  /** What that image does (default: a healthy app). */
  behavior?: AppBehavior
  containerName?: string
  containerPort?: number
  desiredCount?: number
  minHealthyPercent?: number
  maxPercent?: number
  /** `true` = enable with rollback (default: off, like the API's default). */
  circuitBreaker?: boolean | { enable: boolean; rollback: boolean }
  healthCheckGracePeriodSeconds?: number
  /** The target group's health check. */
  healthCheck?: HealthCheckOptions
  deregistrationDelaySeconds?: number
  /** Put the service behind this existing ALB's default target group instead of a new ALB. */
  alb?: AlbFixture
  /** No load balancer at all. */
  withoutLoadBalancer?: boolean
  launchType?: 'FARGATE' | 'EC2'
  tags?: Record<string, string>
  /** Extra task definition fields (environment, secrets, ...), merged into the first container. */
  containerOverrides?: Record<string, unknown>
  /** The container logs with the awslogs driver to this group (created), stream prefix `ecs` by default. */
  awslogs?: { group: string; prefix?: string }
}

export interface EcsFixture {
  clusterName: string
  clusterArn: string
  serviceName: string
  serviceArn: string
  family: string
  taskDefinitionArn: string
  image: string
  containerName: string
  containerPort: number
  alb?: AlbFixture
  /** The ALB URL that reaches the service (undefined without a load balancer). */
  url?: string
}

/** An ECS service at steady state: its tasks RUNNING, registered and healthy, one COMPLETED deployment. */
export function addEcsService(world: World, opts: EcsServiceOptions = {}): EcsFixture {
  const serviceName = opts.service ?? 'web'
  const family = opts.family ?? serviceName
  const image = opts.image ?? `${world.accountId}.dkr.ecr.${world.region}.amazonaws.com/${serviceName}:v1`
  const containerName = opts.containerName ?? serviceName
  const containerPort = opts.containerPort ?? 8080
  if (opts.behavior) world.apps.setImage(image, opts.behavior)
  const cluster = addCluster(world.ecs, opts.cluster ?? 'main')
  if (opts.awslogs) world.logs.addGroup(opts.awslogs.group)
  const alb = opts.withoutLoadBalancer
    ? undefined
    : (opts.alb ??
      addAlbWithTargetGroup(world, {
        name: `${serviceName}-alb`,
        targetGroup: {
          name: `${serviceName}-tg`,
          targetType: 'ip',
          port: containerPort,
          healthCheck: opts.healthCheck,
          deregistrationDelaySeconds: opts.deregistrationDelaySeconds
        }
      }))
  const launchType = opts.launchType ?? 'FARGATE'
  const td = addTaskDefinition(world.ecs, {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: [launchType],
    cpu: '256',
    memory: '512',
    executionRoleArn: `arn:aws:iam::${world.accountId}:role/ecsTaskExecutionRole`,
    containerDefinitions: [
      {
        name: containerName,
        image,
        essential: true,
        portMappings: [{ containerPort, hostPort: containerPort, protocol: 'tcp' }],
        ...(opts.awslogs
          ? {
              logConfiguration: {
                logDriver: 'awslogs',
                options: {
                  'awslogs-group': opts.awslogs.group,
                  'awslogs-region': world.region,
                  'awslogs-stream-prefix': opts.awslogs.prefix ?? 'ecs'
                }
              }
            }
          : {}),
        ...opts.containerOverrides
      }
    ]
  })
  const breaker =
    typeof opts.circuitBreaker === 'boolean'
      ? { enable: opts.circuitBreaker, rollback: opts.circuitBreaker }
      : (opts.circuitBreaker ?? { enable: false, rollback: false })
  const service = seedSteadyService(world.ecs, {
    cluster: cluster.name,
    serviceName,
    taskDefinition: td.arn,
    desiredCount: opts.desiredCount ?? 2,
    launchType,
    deploymentConfiguration: {
      minimumHealthyPercent: opts.minHealthyPercent ?? 100,
      maximumPercent: opts.maxPercent ?? 200,
      deploymentCircuitBreaker: breaker
    },
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: ['subnet-0sim000000000001', 'subnet-0sim000000000002'],
        securityGroups: ['sg-0sim0000000000002'],
        assignPublicIp: 'DISABLED'
      }
    },
    ...(alb
      ? {
          loadBalancers: [{ targetGroupArn: alb.targetGroupArn, containerName, containerPort }],
          healthCheckGracePeriodSeconds: opts.healthCheckGracePeriodSeconds ?? 0
        }
      : {}),
    tags: Object.entries(opts.tags ?? {}).map(([key, value]) => ({ key, value }))
  })
  return {
    clusterName: cluster.name,
    clusterArn: cluster.arn,
    serviceName,
    serviceArn: service.arn,
    family,
    taskDefinitionArn: td.arn,
    image,
    containerName,
    containerPort,
    alb,
    url: alb?.url
  }
}

export interface AsgOptions {
  name: string
  /** AMI of the group's launch template (registered as an existing image). */
  ami?: string
  /** What instances from that AMI do (default: a healthy app). */
  behavior?: AppBehavior
  desiredCapacity?: number
  minSize?: number
  maxSize?: number
  /** Attached target groups; the instances start registered and healthy in them. */
  targetGroupArns?: string[]
  /** Use this existing template instead of making `<name>-lt`. */
  launchTemplate?: { id?: string; name?: string; version?: string }
  instanceType?: string
  healthCheckType?: 'EC2' | 'ELB'
  healthCheckGracePeriod?: number
  /** Group tags (not propagated to instances). */
  tags?: Record<string, string>
  /** Launch through a mixed instances policy on the template, or from a launch configuration. */
  mixedInstancesPolicy?: boolean
  launchConfigurationName?: string
}

export interface AsgFixture {
  name: string
  arn: string
  launchTemplateId: string
  launchTemplateName: string
  /** The version the group uses, as it names it (`1`, `$Latest`). */
  launchTemplateVersion: string
  ami: string
  instanceIds: string[]
}

export const DEFAULT_AMI = 'ami-0a1b2c3d4e5f60001'

/** An Auto Scaling group at steady state: its instances InService, registered and healthy. */
export function addAutoScalingGroup(world: World, opts: AsgOptions): AsgFixture {
  const ami = opts.ami ?? DEFAULT_AMI
  addImage(world.ec2, ami)
  if (opts.behavior) world.apps.setAmi(ami, opts.behavior)
  const template = opts.launchTemplate
    ? world.ec2.template({ id: opts.launchTemplate.id, name: opts.launchTemplate.name })
    : addLaunchTemplate(world.ec2, {
        name: `${opts.name}-lt`,
        data: {
          ImageId: ami,
          InstanceType: (opts.instanceType ?? 't3.micro') as 't3.micro',
          SecurityGroupIds: ['sg-0sim0000000000003']
        }
      })
  const version = opts.launchTemplate?.version ?? '1'
  const desired = opts.desiredCapacity ?? 2
  const group = addGroup(world.autoscaling, {
    name: opts.name,
    launchTemplate: { id: template.id, version },
    minSize: opts.minSize ?? desired,
    maxSize: opts.maxSize ?? Math.max(4, desired * 2),
    desiredCapacity: desired,
    targetGroupArns: opts.targetGroupArns,
    healthCheckType: opts.healthCheckType,
    healthCheckGracePeriod: opts.healthCheckGracePeriod,
    tags: Object.entries(opts.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    steady: true,
    mixedInstancesPolicy: opts.mixedInstancesPolicy,
    launchConfigurationName: opts.launchConfigurationName
  })
  return {
    name: group.name,
    arn: group.arn,
    launchTemplateId: template.id,
    launchTemplateName: template.name,
    launchTemplateVersion: version,
    ami: world.ec2.findVersion(template, version)?.data.ImageId ?? ami,
    instanceIds: group.instances.map(i => i.id)
  }
}

export interface AsgPairOptions {
  /** Group names (default `shop-blue`, `shop-green`). */
  blue?: string
  green?: string
  /** The AMI both templates start with; blue runs it (default DEFAULT_AMI). */
  ami?: string
  behavior?: AppBehavior
  /** Instances of the serving (blue) group (default 2); the standby (green) group is at 0. */
  activeCount?: number
  /** MaxSize of both groups (default max(4, 2 x activeCount)). */
  maxSize?: number
  /** The ALB, listener and main target group (instance targets). */
  alb?: AlbOptions
  /**
   * A synthetic target group reached through a header rule on the listener (default on,
   * `Synthetic: True`, priority 10); `false` for none; `rule: false` for the target group alone,
   * so the deploy creates the header rule itself.
   */
  synthetic?: boolean | { header?: [string, string]; priority?: number; rule?: boolean }
  /** Both groups use one launch template (default: one each). */
  sharedLaunchTemplate?: boolean
  healthCheckType?: 'EC2' | 'ELB'
  blueTags?: Record<string, string>
  greenTags?: Record<string, string>
}

export interface AsgPairFixture {
  blue: AsgFixture
  green: AsgFixture
  alb: AlbFixture
  /** The main (production) target group. */
  targetGroupArn: string
  syntheticTargetGroupArn?: string
  syntheticRuleArn?: string
  listenerArn: string
  url: string
  ami: string
}

/**
 * Blue/green fixture: an ALB whose listener forwards to the main target group, the blue group
 * serving in it, the green group scaled to 0 and attached to nothing, and (by default) a synthetic
 * target group behind a `Synthetic: True` header rule.
 */
export function addAsgPair(world: World, opts: AsgPairOptions = {}): AsgPairFixture {
  const ami = opts.ami ?? DEFAULT_AMI
  const alb = addAlbWithTargetGroup(world, {
    name: 'shop-alb',
    ...opts.alb,
    targetGroup: { name: 'shop-main', ...opts.alb?.targetGroup, targetType: 'instance' }
  })
  let syntheticTargetGroupArn: string | undefined
  let syntheticRuleArn: string | undefined
  if (opts.synthetic !== false) {
    const s = typeof opts.synthetic === 'object' ? opts.synthetic : {}
    const [header, value] = s.header ?? ['Synthetic', 'True']
    syntheticTargetGroupArn = addTargetGroup(world, {
      ...opts.alb?.targetGroup,
      name: 'shop-synthetic',
      targetType: 'instance'
    }).targetGroupArn
    if (s.rule !== false)
      syntheticRuleArn = addListenerRule(world, alb.listenerArn, {
        priority: s.priority ?? 10,
        conditions: [headerCondition(header, value)],
        targetGroupArn: syntheticTargetGroupArn
      })
  }
  const active = opts.activeCount ?? 2
  const maxSize = opts.maxSize ?? Math.max(4, active * 2)
  const blue = addAutoScalingGroup(world, {
    name: opts.blue ?? 'shop-blue',
    ami,
    behavior: opts.behavior,
    desiredCapacity: active,
    minSize: active,
    maxSize,
    targetGroupArns: [alb.targetGroupArn],
    healthCheckType: opts.healthCheckType,
    tags: opts.blueTags
  })
  const green = addAutoScalingGroup(world, {
    name: opts.green ?? 'shop-green',
    ami,
    desiredCapacity: 0,
    minSize: 0,
    maxSize,
    launchTemplate: opts.sharedLaunchTemplate
      ? { id: blue.launchTemplateId, version: blue.launchTemplateVersion }
      : undefined,
    healthCheckType: opts.healthCheckType,
    tags: opts.greenTags
  })
  return {
    blue,
    green,
    alb,
    targetGroupArn: alb.targetGroupArn,
    syntheticTargetGroupArn,
    syntheticRuleArn,
    listenerArn: alb.listenerArn,
    url: alb.url,
    ami
  }
}

export interface ShiftingServiceOptions extends EcsServiceOptions {
  strategy: 'BLUE_GREEN' | 'LINEAR' | 'CANARY'
  /** deploymentConfiguration.bakeTimeInMinutes (default 2). */
  bakeTimeMinutes?: number
  canary?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number }
  linear?: { stepPercent?: number; stepBakeTimeInMinutes?: number }
  lifecycleHooks?: DeploymentLifecycleHook[]
  /** A test listener rule on header `X-Test: 1` (default true). */
  testRule?: boolean
}

export interface ShiftingFixture extends EcsFixture {
  alternateTargetGroupArn: string
  productionRuleArn: string
  testRuleArn: string | undefined
}

/**
 * A steady ECS service on ECS's own BLUE_GREEN, LINEAR or CANARY strategy: its target group and an
 * alternate one (green's), a production rule forwarding 100/0 between them, a test rule on
 * `X-Test: 1`, as alb-resources-for-blue-green.html sets them up.
 */
export function addShiftingService(world: World, opts: ShiftingServiceOptions): ShiftingFixture {
  const fixture = addEcsService(world, opts)
  const alb = fixture.alb!
  const blue = alb.targetGroupArn
  const green = addTargetGroup(world, {
    name: `${fixture.serviceName}-tg-green`,
    port: fixture.containerPort,
    healthCheck: opts.healthCheck,
    deregistrationDelaySeconds: opts.deregistrationDelaySeconds
  }).targetGroupArn
  const weighted = (): Action[] => [
    {
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: blue, Weight: 100 },
          { TargetGroupArn: green, Weight: 0 }
        ]
      }
    }
  ]
  const productionRuleArn = addListenerRule(world, alb.listenerArn, {
    priority: 10,
    conditions: [pathCondition('/*')],
    actions: weighted()
  })
  const testRuleArn =
    opts.testRule === false
      ? undefined
      : addListenerRule(world, alb.listenerArn, {
          priority: 5,
          conditions: [headerCondition('X-Test', '1')],
          actions: weighted()
        })
  const service = world.ecs.services.get(`${fixture.clusterArn}/${fixture.serviceName}`)!
  service.loadBalancers[0].advancedConfiguration = {
    alternateTargetGroupArn: green,
    productionListenerRule: productionRuleArn,
    ...(testRuleArn ? { testListenerRule: testRuleArn } : {}),
    roleArn: `arn:aws:iam::${world.accountId}:role/ecsInfrastructureRoleForLoadBalancers`
  }
  Object.assign(service.deploymentConfiguration, {
    strategy: opts.strategy,
    bakeTimeInMinutes: opts.bakeTimeMinutes ?? 2,
    ...(opts.canary ? { canaryConfiguration: opts.canary } : {}),
    ...(opts.linear ? { linearConfiguration: opts.linear } : {}),
    ...(opts.lifecycleHooks ? { lifecycleHooks: opts.lifecycleHooks } : {})
  })
  return { ...fixture, alternateTargetGroupArn: green, productionRuleArn, testRuleArn }
}
