// Pure pre-flight rules: which service settings guarantee downtime or a stuck rollout (refused
// before anything changes), which only make one likely (warned), and how long a rollout must take.
import { formatDuration } from '../../clock.js'
import { escapeMd } from '../../summary.js'
import {
  LONG_DEREGISTRATION_DELAY_SECONDS,
  firstCheckSeconds,
  healthyAfterText,
  recoverySeconds,
  slowHealthChecks,
  type Finding,
  type FindingLevel
} from '../../preflight.js'

export interface TargetGroupFacts {
  arn: string
  name: string
  healthCheckPath: string | undefined
  intervalSeconds: number
  healthyThreshold: number
  /** The target group's matcher, e.g. `200` or `200-399`. */
  matcher: string
  deregistrationDelaySeconds: number
  loadBalancerArns: string[]
  /** One GET of the health-check path through the URL, when a URL is known. */
  healthCheckAnswer?: { url: string; status?: number; location?: string }
}

export interface ServiceFacts {
  cluster: string
  service: string
  desiredCount: number
  maximumPercent: number
  minimumHealthyPercent: number
  /** False when the service reports no deploymentConfiguration (the ECS defaults apply). */
  configured: boolean
  circuitBreaker: { enable: boolean; rollback: boolean }
  gracePeriodSeconds: number
  deploymentController: string
  /** deploymentConfiguration.strategy: ROLLING (the default), BLUE_GREEN, LINEAR or CANARY. */
  strategy: string
  /** Deployments already running when we start (1 when the service is steady). */
  deployments: number
  /** Load balancers, service discovery or Service Connect: tasks answer requests, so running none is downtime. */
  servesTraffic: boolean
  targetGroups: TargetGroupFacts[]
}

// Typical time from RunTask to a container listening (image pull + start); a rough, stated guess.
export const TASK_START_SECONDS = 30

// ECS rounds the maximum down and the minimum up: "the minimum number of healthy tasks during a
// deployment is the desiredCount multiplied by the minimumHealthyPercent/100, rounded up to the nearest
// integer value"; the maximum "rounded down to the nearest integer value".
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html

/** Tasks ECS may run at once during a deployment (rounded down, as ECS does). */
export function maxTasks(f: ServiceFacts): number {
  return Math.floor((f.desiredCount * f.maximumPercent) / 100)
}

/** Tasks ECS must keep healthy during a deployment (rounded up, as ECS does). */
export function minHealthyTasks(f: ServiceFacts): number {
  return Math.ceil((f.desiredCount * f.minimumHealthyPercent) / 100)
}

export function assessService(f: ServiceFacts): Finding[] {
  const findings: Finding[] = []
  const add = (level: FindingLevel) => (message: string, hint: string) =>
    findings.push({ level, message, hint })
  const rules = { refuse: add('refuse'), warn: add('warn'), advise: add('advise') }
  if (!deployableRules(f, rules)) return findings
  // The percentages drive rolling updates only: ECS scales green up beside blue in the other strategies.
  if (f.strategy === 'ROLLING') capacityRules(f, rules)
  serviceRules(f, rules)
  for (const tg of f.targetGroups) targetGroupRules(tg, rules)
  return findings
}

type Say = (message: string, hint: string) => void
interface Rules {
  refuse: Say
  warn: Say
  advise: Say
}

function where(f: ServiceFacts): string {
  return `service '${f.service}' in cluster '${f.cluster}'`
}

/** The deployment controller and the desired count; false: nothing else to check. */
function deployableRules(f: ServiceFacts, { refuse }: Rules): boolean {
  if (f.deploymentController !== 'ECS') {
    refuse(
      `The ${where(f)} uses the ${f.deploymentController} deployment controller; ` +
        `ecs-rolling drives rolling updates (ECS) only.`,
      `deploy this service with its own controller (CodeDeploy for blue/green), ` +
        `or switch it to the ECS deployment controller.`
    )
    return false
  }
  if (f.desiredCount === 0) {
    refuse(
      `The ${where(f)} has desiredCount 0: a rollout would start no task, so nothing could be verified.`,
      `scale the service to at least 2 tasks before deploying.`
    )
    return false
  }
  return true
}

/**
 * Refused only what guarantees downtime or a deadlock: no task that must stay on a service that serves
 * traffic, or no room to start a task while the minimum must stay. One task at 50% / 200% keeps its
 * task (1 x 50% rounds up to 1) and has room for a second: safe.
 */
function capacityRules(f: ServiceFacts, { refuse, warn }: Rules): void {
  const pct = `maximumPercent ${f.maximumPercent}, minimumHealthyPercent ${f.minimumHealthyPercent}`
  const counts = `${maxTasks(f)} may run, ${minHealthyTasks(f)} must stay healthy`
  if (maxTasks(f) <= minHealthyTasks(f)) {
    refuse(
      `The ${where(f)} can neither start nor stop a task during a deployment ` +
        `(${pct}, desiredCount ${f.desiredCount}: ${counts}): the rollout would never progress.`,
      `set maximumPercent to 200 (room to start new tasks before old ones stop) ` +
        `and keep minimumHealthyPercent at 100.`
    )
  } else if (minHealthyTasks(f) === 0 && f.servesTraffic) {
    refuse(
      `The ${where(f)} serves traffic, but minimumHealthyPercent ${f.minimumHealthyPercent} keeps ` +
        `0 of ${f.desiredCount} tasks running: ECS may stop every task at once.`,
      `raise minimumHealthyPercent (100 keeps full capacity) and give maximumPercent room above 100.`
    )
  } else if (f.maximumPercent <= 100) {
    warn(
      `The ${where(f)} has maximumPercent ${f.maximumPercent}: ECS must stop old tasks before starting ` +
        `new ones, so capacity drops to ${minHealthyTasks(f)} of ${f.desiredCount} tasks during the deploy.`,
      `set maximumPercent to 200 to start new tasks before old ones stop.`
    )
  }
}

/** The circuit breaker, deployments already running, the grace period. */
function serviceRules(f: ServiceFacts, { warn, advise }: Rules): void {
  if (!f.circuitBreaker.enable) {
    warn(
      `The deployment circuit breaker of the ${where(f)} is off: ` +
        `tasks that keep failing are only noticed when 'wait-timeout' runs out.`,
      `enable deploymentCircuitBreaker (with rollback) on the service so ECS stops a failing rollout itself.`
    )
  }
  if (f.deployments > 1) {
    warn(
      `The ${where(f)} already has ${f.deployments} deployments in progress; this deploy replaces the newest one.`,
      `let the running deployment finish, or limit the workflow's concurrency so deploys do not overlap.`
    )
  }
  if (f.servesTraffic && f.gracePeriodSeconds === 0) {
    advise(
      `The ${where(f)} has a health-check grace period of 0s: a container that takes a while to start ` +
        `can fail its first load balancer checks and be replaced before it is ready.`,
      `set healthCheckGracePeriodSeconds to about the container's start time (e.g. 60s) if it starts slowly.`
    )
  }
}

/** Health checks that cannot pass or are slow, and long draining. */
export function targetGroupRules(tg: TargetGroupFacts, { warn, advise }: Omit<Rules, 'refuse'>): void {
  const answer = tg.healthCheckAnswer
  const redirects = answer?.status !== undefined && answer.status >= 300 && answer.status < 400
  if (answer && redirects && !matcherAccepts(tg.matcher, answer.status!)) {
    const redirect = answer.location ? ` (redirect to ${answer.location})` : ''
    warn(
      `Target group ${tg.name} checks '${tg.healthCheckPath}' and accepts ${tg.matcher}, but ${answer.url} ` +
        `answers ${answer.status}${redirect}: new tasks would never turn healthy.`,
      `point the target group's health check at an endpoint that answers ${tg.matcher} without a redirect ` +
        `(e.g. /healthz), or add ${answer.status} to its matcher.`
    )
  } else if (tg.healthCheckPath === '/') {
    warn(
      `Target group ${tg.name} health-checks '/': apps often redirect or render a full page there, ` +
        `which makes health checks slow or failing.`,
      `add a cheap /healthz endpoint and point the target group's health check at it.`
    )
  }
  if (slowHealthChecks(tg)) {
    advise(
      `Target group ${tg.name} checks every ${tg.intervalSeconds}s: a new task gets traffic after its first ` +
        `passing check (${formatDuration(firstCheckSeconds(tg))}), but after ${tg.healthyThreshold} in a row ` +
        `(${formatDuration(recoverySeconds(tg))}) once it turned unhealthy (e.g. while starting).`,
      `check every 10-15s and ask 2-3 passes (HealthCheckIntervalSeconds, HealthyThresholdCount): new tasks ` +
        `get traffic sooner, and one that recovers is back sooner.`
    )
  }
  if (tg.deregistrationDelaySeconds > LONG_DEREGISTRATION_DELAY_SECONDS) {
    warn(
      `Target group ${tg.name} has a deregistration delay of ${tg.deregistrationDelaySeconds}s: ` +
        `every rollout waits that long for old tasks to drain.`,
      `lower deregistration_delay.timeout_seconds to just above your slowest request (e.g. 30-120s).`
    )
  }
}

/** Whether an ALB matcher (`200`, `200,302`, `200-399`) accepts a status. */
export function matcherAccepts(matcher: string, status: number): boolean {
  return matcher.split(',').some(part => {
    const [lo, hi] = part.trim().split('-').map(Number)
    return hi === undefined ? status === lo : status >= lo && status <= hi
  })
}

export interface DurationEstimate {
  seconds: number
  /** `start ~30s + first passing check 30s + 2m deregistration delay` */
  arithmetic: string
}

/** The least time a rollout can take with these settings, and how that number is made up. */
export function estimateMinimumDuration(f: ServiceFacts): DurationEstimate {
  // New tasks are newly registered targets: healthy after their first passing check.
  const tg = f.targetGroups.reduce<TargetGroupFacts | undefined>(
    (slowest, t) =>
      !slowest ||
      firstCheckSeconds(t) + t.deregistrationDelaySeconds >
        firstCheckSeconds(slowest) + slowest.deregistrationDelaySeconds
        ? t
        : slowest,
    undefined
  )
  const parts = [`start ~${formatDuration(TASK_START_SECONDS)}`]
  let batch = TASK_START_SECONDS
  if (tg) {
    batch += firstCheckSeconds(tg)
    parts.push(firstCheckTerm(tg))
  }
  const drain = tg?.deregistrationDelaySeconds ?? 0
  // Tasks replaced per batch: what maximumPercent lets start plus what minimumHealthyPercent lets stop.
  const step = Math.max(1, maxTasks(f) - minHealthyTasks(f))
  const batches = Math.max(1, Math.ceil(f.desiredCount / step))
  const drainText = drain > 0 ? ` + ${formatDuration(drain)} deregistration delay` : ''
  if (batches === 1) {
    return { seconds: batch + drain, arithmetic: `${parts.join(' + ')}${drainText}` }
  }
  // Batches after the first wait for the previous one's tasks to drain and stop.
  return {
    seconds: batches * (batch + drain),
    arithmetic: `${batches} batches x (${parts.join(' + ')}${drainText})`
  }
}

/** The pre-flight block of the job summary. */
export function preflightMarkdown(
  f: ServiceFacts,
  findings: Finding[],
  estimate: DurationEstimate,
  strategyRows: string[] = []
): string {
  const breaker = f.circuitBreaker.enable
    ? `on${f.circuitBreaker.rollback ? ', with rollback' : ', without rollback'}`
    : 'off'
  const defaults = f.configured ? '' : ' (ECS defaults)'
  const lines = [
    '| Setting | Value |',
    '| --- | --- |',
    `| Service | \`${f.cluster}/${f.service}\` |`,
    ...strategyRows,
    `| Desired tasks | ${f.desiredCount} |`,
    `| Maximum / minimum healthy percent | ${f.maximumPercent}% / ${f.minimumHealthyPercent}%${defaults} |`,
    `| Circuit breaker | ${breaker} |`,
    `| Health check grace period | ${f.gracePeriodSeconds}s |`
  ]
  for (const tg of f.targetGroups) lines.push(targetGroupRow(tg))
  lines.push(
    '',
    `**Estimated minimum duration:** at least ${formatDuration(estimate.seconds)}: ${estimate.arithmetic}`
  )
  if (findings.length > 0) lines.push('', ...findings.map(findingLine))
  return lines.join('\n')
}

/** The estimate's health-check term: `first passing check 30s`. */
export function firstCheckTerm(tg: TargetGroupFacts): string {
  return `first passing check ${formatDuration(firstCheckSeconds(tg))}`
}

export function targetGroupRow(tg: TargetGroupFacts): string {
  const check =
    `health check \`${tg.healthCheckPath ?? '(none)'}\` every ${tg.intervalSeconds}s, ` +
    `${healthyAfterText(tg)}, matcher ${tg.matcher}`
  return `| Target group ${escapeMd(tg.name)} | ${check}; deregistration delay ${tg.deregistrationDelaySeconds}s |`
}

const MARKS: Record<FindingLevel, string> = { refuse: '⛔ **Refused:**', warn: '⚠️', advise: '💡' }

export function findingLine(x: Finding): string {
  const label = x.level === 'advise' ? 'Recommendation' : 'Fix'
  return `- ${MARKS[x.level]} ${escapeMd(x.message)} ${label}: ${escapeMd(x.hint)}`
}
