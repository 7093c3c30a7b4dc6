// Pre-flight reads for a service on ECS's BLUE_GREEN, LINEAR or CANARY strategy: its bake time and
// traffic steps, lifecycle hooks, the alternate target group, the production and test listener rules
// (and from the test rule, the route a gate can reach green by), and whether the service-deployment
// APIs answer at all.
import type { DeploymentLifecycleHook, Service, ServiceDeploymentBrief } from '@aws-sdk/client-ecs'
import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsApi } from '../../../aws/api.js'
import { isUnavailable, listServiceDeployments } from '../../../aws/ecs-service-deployments.js'
import {
  describeListener,
  describeLoadBalancer,
  describeRulesByArn,
  listenerUrl
} from '../../../aws/elbv2.js'
import { requiredHeader, ruleHosts } from '../../../aws/rules.js'
import { hasErrorCode } from '../../../errors.js'
import type { GateStage } from '../../../inputs.js'
import type { EcsContext } from '../run.js'
import { isShifting, type ShiftingStrategy, type Stage } from './stages.js'

export interface HookFacts {
  targetType: 'AWS_LAMBDA' | 'PAUSE'
  stages: Stage[]
  /** A Lambda hook's function; undefined for a PAUSE hook. */
  target: string | undefined
  timeoutMinutes: number | undefined
  timeoutAction: 'CONTINUE' | 'ROLLBACK' | undefined
}

/** One load balancer entry of the service with its blue/green routing. */
export interface RouteFacts {
  /** Blue's target group at the start: ECS swaps the two after each successful deployment. */
  targetGroupArn: string
  alternateTargetGroupArn: string | undefined
  productionRuleArn: string | undefined
  testRuleArn: string | undefined
  productionRule: Rule | undefined
  testRule: Rule | undefined
}

/** Where green answers test traffic: the test rule's listener, with its host and header. */
export interface TestRoute {
  url: string
  headers: Record<string, string>
  /** `test listener rule (port 8080, header X-Test: 1)` or `input 'test-url'` */
  via: string
}

export interface ShiftFacts {
  strategy: ShiftingStrategy
  bakeTimeMinutes: number
  canary: { percent: number; bakeMinutes: number } | undefined
  linear: { stepPercent: number; stepBakeMinutes: number } | undefined
  hooks: HookFacts[]
  routes: RouteFacts[]
  /** The stage whose PAUSE hook we answer, and whether the user named it (then it must exist). */
  gateStage: GateStage
  gateNamed: boolean
  testRoute: TestRoute | undefined
  /** Why the service-deployment APIs cannot be used here; undefined when they answer. */
  apisUnavailable: string | undefined
  /** Deployments of the service that were ongoing before ours (someone else's). */
  ongoing: ServiceDeploymentBrief[]
}

// ECS's documented defaults when the service reports none: canary 5% for 10 min, linear 10% steps
// every 6 min (API_CanaryConfiguration, API_LinearConfiguration).
const CANARY_DEFAULT = { percent: 5, bakeMinutes: 10 }
const LINEAR_DEFAULT = { stepPercent: 10, stepBakeMinutes: 6 }

export function serviceStrategy(service: Service): string {
  return service.deploymentConfiguration?.strategy ?? 'ROLLING'
}

export async function readShiftFacts(ctx: EcsContext, service: Service): Promise<ShiftFacts | undefined> {
  const config = service.deploymentConfiguration
  const strategy = config?.strategy
  if (!isShifting(strategy)) return undefined
  const { settings } = ctx
  const routes = await readRoutes(ctx.aws, service)
  const listed = await listOngoing(ctx.aws, settings.cluster, settings.service)
  return {
    strategy,
    bakeTimeMinutes: config?.bakeTimeInMinutes ?? 0,
    canary: strategy === 'CANARY' ? canaryOf(config?.canaryConfiguration) : undefined,
    linear: strategy === 'LINEAR' ? linearOf(config?.linearConfiguration) : undefined,
    hooks: (config?.lifecycleHooks ?? []).map(hookFacts),
    routes,
    gateStage: settings.gateStage ?? 'POST_TEST_TRAFFIC_SHIFT',
    gateNamed: settings.gateStage !== undefined,
    testRoute: settings.testUrl
      ? { url: settings.testUrl, headers: {}, via: `input 'test-url'` }
      : await deriveTestRoute(ctx.aws, routes),
    apisUnavailable: isUnavailable(listed) ? listed.unavailable : undefined,
    ongoing: isUnavailable(listed) ? [] : listed
  }
}

const ONGOING = [
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS'
] as const

/** Ongoing deployments; a role without the read permission counts as "unavailable", with its cause. */
async function listOngoing(aws: AwsApi, cluster: string, service: string) {
  try {
    return await listServiceDeployments(aws, cluster, service, [...ONGOING])
  } catch (e) {
    if (!hasErrorCode(e, 'AccessDenied')) throw e
    return { unavailable: `ecs:ListServiceDeployments is not allowed for this role (AccessDenied)` }
  }
}

function canaryOf(c: { canaryPercent?: number; canaryBakeTimeInMinutes?: number } | undefined) {
  return {
    percent: c?.canaryPercent ?? CANARY_DEFAULT.percent,
    bakeMinutes: c?.canaryBakeTimeInMinutes ?? CANARY_DEFAULT.bakeMinutes
  }
}

function linearOf(c: { stepPercent?: number; stepBakeTimeInMinutes?: number } | undefined) {
  return {
    stepPercent: c?.stepPercent ?? LINEAR_DEFAULT.stepPercent,
    stepBakeMinutes: c?.stepBakeTimeInMinutes ?? LINEAR_DEFAULT.stepBakeMinutes
  }
}

function hookFacts(h: DeploymentLifecycleHook): HookFacts {
  return {
    targetType: h.targetType === 'PAUSE' ? 'PAUSE' : 'AWS_LAMBDA',
    stages: (h.lifecycleStages ?? []) as Stage[],
    target: h.hookTargetArn,
    timeoutMinutes: h.timeoutConfiguration?.timeoutInMinutes,
    timeoutAction: h.timeoutConfiguration?.action
  }
}

async function readRoutes(aws: AwsApi, service: Service): Promise<RouteFacts[]> {
  const routes: RouteFacts[] = []
  for (const lb of service.loadBalancers ?? []) {
    const advanced = lb.advancedConfiguration
    const ruleArns = [advanced?.productionListenerRule, advanced?.testListenerRule].flatMap(a => a ?? [])
    const rules = await readRules(aws, ruleArns)
    routes.push({
      targetGroupArn: lb.targetGroupArn ?? '',
      alternateTargetGroupArn: advanced?.alternateTargetGroupArn,
      productionRuleArn: advanced?.productionListenerRule,
      testRuleArn: advanced?.testListenerRule,
      productionRule: rules.find(r => r.RuleArn === advanced?.productionListenerRule),
      testRule: rules.find(r => r.RuleArn === advanced?.testListenerRule)
    })
  }
  return routes
}

/** The rules by ARN; a rule that does not exist is left out (the pre-flight names it). */
async function readRules(aws: AwsApi, arns: string[]): Promise<Rule[]> {
  try {
    return await describeRulesByArn(aws, arns)
  } catch (e) {
    if (hasErrorCode(e, 'RuleNotFound')) return []
    throw e
  }
}

/** `...:listener-rule/app/lb/1/abc/def` -> `...:listener/app/lb/1/abc` */
export function listenerArnOfRule(ruleArn: string): string {
  return ruleArn.replace(':listener-rule/', ':listener/').replace(/\/[^/]+$/, '')
}

/** The test rule's listener URL with its literal host, and the header it requires. */
async function deriveTestRoute(aws: AwsApi, routes: RouteFacts[]): Promise<TestRoute | undefined> {
  const rule = routes.find(r => r.testRule)?.testRule
  if (!rule?.RuleArn) return undefined
  // Only a host and a header can be put on a request to every path; a path or query rule cannot.
  const fields = (rule.Conditions ?? []).map(c => c.Field)
  if (fields.some(f => f !== 'host-header' && f !== 'http-header')) return undefined
  const listener = await describeListener(aws, listenerArnOfRule(rule.RuleArn))
  const lb = await describeLoadBalancer(aws, listener.LoadBalancerArn ?? '')
  const url = new URL(listenerUrl(lb, listener))
  const host = ruleHosts(rule).find(h => !/[*?]/.test(h))
  if (host) url.hostname = host
  const header = requiredHeader(rule)
  const headers: Record<string, string> = header ? { [header.name]: header.value } : {}
  const with_ = header ? `, header ${header.name}: ${header.value}` : ''
  return {
    url: url.toString().replace(/\/+$/, ''),
    headers,
    via: `the test listener rule (port ${listener.Port}${with_})`
  }
}
