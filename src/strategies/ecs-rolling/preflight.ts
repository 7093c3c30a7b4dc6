// Pre-flight, read-only: the service, its deployment settings and target groups, the URL; refuses
// settings that guarantee downtime or a stuck rollout before anything changes.
import type { Service } from '@aws-sdk/client-ecs'
import type { AwsApi } from '../../aws/api.js'
import { describeService, describeTaskDefinition, type TaskDefinitionWithTags } from '../../aws/ecs.js'
import { deregistrationDelaySeconds, describeTargetGroup } from '../../aws/elbv2.js'
import { Inputs, Outputs } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import { DeployError } from '../../errors.js'
import type { EcsRollingSettings } from '../../inputs.js'
import { readShiftFacts, serviceStrategy, type ShiftFacts } from './shifting/facts.js'
import { assessShift, estimateShift, shiftRows } from './shifting/rules.js'
import { isShifting } from './shifting/stages.js'
import {
  assessService,
  estimateMinimumDuration,
  preflightMarkdown,
  type DurationEstimate,
  type ServiceFacts,
  type TargetGroupFacts
} from './preflight-rules.js'
import { unreachableNotice, unreachableReason } from '../../smoke.js'
import { serviceLabel } from './rollout-state.js'
import { deriveUrl } from './url.js'

export interface Preflight {
  service: Service
  facts: ServiceFacts
  estimate: DurationEstimate
  /** The `url` input or the one derived from the load balancer; undefined: no smoke test, no probe. */
  url: string | undefined
  /** Service events that predate this deploy: the rollout log shows only newer ones. */
  seenEventIds: Set<string>
  /** ECS's BLUE_GREEN, LINEAR or CANARY settings; undefined for a rolling update. */
  shift: ShiftFacts | undefined
  /** The revision the service runs now, with its tags: the base of the next one. */
  current: TaskDefinitionWithTags
}

export async function preflight(ctx: DeployContext<EcsRollingSettings>): Promise<Preflight> {
  const { settings, aws, log } = ctx
  // With its tags: a re-run that changes nothing reads zdt:rolled-back-from from them.
  const service = await describeService(aws, settings.cluster, settings.service, { tags: true })
  if (service.status !== 'ACTIVE')
    throw new DeployError(
      `ECS service '${settings.service}' in cluster '${settings.cluster}' is ${service.status}, not ACTIVE.`,
      `deploy to an active service: check the 'service' and 'cluster' inputs, or recreate the service.`
    )
  const strategy = serviceStrategy(service)
  if (isShifting(strategy))
    log.info(
      `Strategy: the service deploys with ECS's own ${strategy} strategy (deploymentConfiguration.strategy): ` +
        `this run follows its stages and gates them; the rolling-update rules do not apply.`
    )
  const counts = `${service.desiredCount ?? 0} desired, ${service.runningCount ?? 0} running`
  log.info(
    `Service ${serviceLabel(settings.cluster, settings.service)}: ${counts}, task definition ${service.taskDefinition}`
  )

  // The current revision is read beside the target groups: the next step builds on it.
  const [targetGroups, current] = await Promise.all([
    readTargetGroups(aws, service),
    describeTaskDefinition(aws, service.taskDefinition ?? '')
  ])
  const url = await resolveUrl(ctx, targetGroups)
  if (url) await checkHealthPaths(ctx, url, targetGroups)

  const facts = serviceFacts(settings, service, targetGroups)
  const shift = await readShiftFacts(ctx, service)
  const findings = [
    ...assessService(facts),
    ...(shift ? assessShift(facts, shift, { ...settings, url }) : [])
  ]
  const estimate = shift ? estimateShift(facts, shift) : estimateMinimumDuration(facts)
  log.section('Pre-flight', preflightMarkdown(facts, findings, estimate, shift ? shiftRows(shift) : []))
  log.info(`Estimated minimum duration: ${estimate.arithmetic}`)
  for (const w of findings.filter(x => x.level === 'warn')) log.warning(`${w.message} Fix: ${w.hint}`)
  for (const a of findings.filter(x => x.level === 'advise'))
    log.info(`Recommendation: ${a.message} ${a.hint}`)
  const refused = findings.filter(x => x.level === 'refuse')
  if (refused.length > 0)
    throw new DeployError(
      `Refused before changing anything: ${refused.map(r => r.message).join(' ')}`,
      refused.map(r => r.hint).join(' ')
    )

  return {
    service,
    facts,
    estimate,
    url,
    seenEventIds: new Set((service.events ?? []).map(e => e.id ?? '')),
    shift,
    current
  }
}

async function readTargetGroups(aws: AwsApi, service: Service): Promise<TargetGroupFacts[]> {
  // Blue/green services have an alternate target group beside each one: green's, during a deploy.
  const arns = [
    ...new Set(
      (service.loadBalancers ?? []).flatMap(lb => [
        ...(lb.targetGroupArn ? [lb.targetGroupArn] : []),
        ...(lb.advancedConfiguration?.alternateTargetGroupArn
          ? [lb.advancedConfiguration.alternateTargetGroupArn]
          : [])
      ])
    )
  ]
  // Every group and its attributes read side by side: the pre-flight costs round trips, not reads.
  return Promise.all(
    arns.map(async (arn): Promise<TargetGroupFacts> => {
      const [tg, deregistrationDelay] = await Promise.all([
        describeTargetGroup(aws, arn),
        deregistrationDelaySeconds(aws, arn)
      ])
      return {
        arn,
        name: tg.TargetGroupName ?? arn,
        healthCheckPath: tg.HealthCheckPath,
        intervalSeconds: tg.HealthCheckIntervalSeconds ?? 30,
        healthyThreshold: tg.HealthyThresholdCount ?? 5,
        matcher: tg.Matcher?.HttpCode ?? '200',
        deregistrationDelaySeconds: deregistrationDelay,
        loadBalancerArns: tg.LoadBalancerArns ?? []
      }
    })
  )
}

const SKIPPED = 'the smoke test and the traffic probe are skipped'

async function resolveUrl(
  ctx: DeployContext<EcsRollingSettings>,
  targetGroups: TargetGroupFacts[]
): Promise<string | undefined> {
  const { settings, log, outputs } = ctx
  let url = settings.url
  if (url) {
    log.info(`URL: ${url} (input '${Inputs.Url}')`)
  } else {
    const derived = await deriveUrl(ctx.aws, targetGroups)
    if (derived && derived.url === undefined) {
      log.info(
        `Notice: no '${Inputs.Url}' input and ${derived.via}: ${SKIPPED}. ` +
          `Set '${Inputs.Url}' to the service's address to have them.`
      )
    } else if (derived) {
      log.info(`URL: ${derived.url} (derived from ${derived.via})`)
      outputs.set(Outputs.Url, derived.url)
      const reason = await unreachableReason(ctx.http, derived.url)
      if (reason === undefined) url = derived.url
      else log.warning(unreachableNotice(derived.url, reason, Inputs.Url))
    } else {
      log.info(`Notice: no '${Inputs.Url}' input and the service has no load balancer listener: ${SKIPPED}.`)
    }
  }
  if (settings.url) outputs.set(Outputs.Url, settings.url)
  return url
}

/** One GET of each target group's health-check path through the URL: catches the classic 302. */
async function checkHealthPaths(
  ctx: DeployContext<EcsRollingSettings>,
  url: string,
  targetGroups: TargetGroupFacts[]
): Promise<void> {
  for (const tg of targetGroups) {
    if (!tg.healthCheckPath) continue
    const target = `${url}${tg.healthCheckPath}`
    const r = await ctx.http({ url: target, timeoutMs: 5000 })
    tg.healthCheckAnswer = { url: target, status: r.status, location: r.location }
  }
}

function serviceFacts(
  settings: EcsRollingSettings,
  service: Service,
  targetGroups: TargetGroupFacts[]
): ServiceFacts {
  const config = service.deploymentConfiguration
  return {
    cluster: settings.cluster,
    service: service.serviceName ?? settings.service,
    desiredCount: service.desiredCount ?? 0,
    // The ECS defaults for a REPLICA service when the service reports none.
    maximumPercent: config?.maximumPercent ?? 200,
    minimumHealthyPercent: config?.minimumHealthyPercent ?? 100,
    configured: config?.maximumPercent !== undefined || config?.minimumHealthyPercent !== undefined,
    circuitBreaker: {
      enable: config?.deploymentCircuitBreaker?.enable === true,
      rollback: config?.deploymentCircuitBreaker?.rollback === true
    },
    gracePeriodSeconds: service.healthCheckGracePeriodSeconds ?? 0,
    deploymentController: service.deploymentController?.type ?? 'ECS',
    strategy: serviceStrategy(service),
    deployments: (service.deployments ?? []).length,
    servesTraffic:
      (service.loadBalancers ?? []).length > 0 ||
      (service.serviceRegistries ?? []).length > 0 ||
      servesThroughServiceConnect(service),
    targetGroups
  }
}

/**
 * A Service Connect server: a deployment whose serviceConnectConfiguration is enabled and names
 * services (portName, client aliases) that other services call. A client-only configuration serves none.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectConfiguration.html
 */
function servesThroughServiceConnect(service: Service): boolean {
  return (service.deployments ?? []).some(
    d =>
      d.serviceConnectConfiguration?.enabled === true &&
      (d.serviceConnectConfiguration.services ?? []).length > 0
  )
}
