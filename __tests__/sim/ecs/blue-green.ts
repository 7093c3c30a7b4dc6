// ECS's own BLUE_GREEN, LINEAR and CANARY deployments over time: green scaled up beside blue in the
// alternate target group, weights moved on the production and test listener rules, canary and linear
// steps, bake time, lifecycle hooks (Lambda as a stand-in result, PAUSE waiting for
// ContinueServiceDeployment until its timeout), and the rollback to blue, which still runs.
// What AWS documents, and this follows:
// - stages and what runs at each: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html
//   (lifecycleStage) and https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
// - statuses (PENDING; IN_PROGRESS, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS; SUCCESSFUL, STOPPED,
//   ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED): https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html
// - canary (5%, 10 min by default) and linear (10% steps, 6 min, no wait after 100%):
//   API_CanaryConfiguration, API_LinearConfiguration
// - pause hooks (AWAITING_ACTION, expiresAt, timeoutAction): https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
// - Lambda hooks answer SUCCEEDED (go on) or FAILED (roll back): deployment-lifecycle-hooks.html
// - StopServiceDeployment ROLLBACK: IN_PROGRESS -> ROLLBACK_REQUESTED -> the rollback (stop-service-deployment.html)
import type { DeploymentLifecycleHook, ServiceDeploymentLifecycleStage } from '@aws-sdk/client-ecs'
import { refreshUsage } from '../elbv2/health.js'
import { findRule } from '../elbv2/rules.js'
import { circuitBreakerThreshold, startDeployment } from './deployments.js'
import type { EcsModel } from './index.js'
import type {
  DeploymentRecord,
  HookRunRecord,
  ServiceDeploymentRecord,
  ServiceRecord,
  ServiceRevisionRecord,
  TaskDefinitionRecord,
  TaskRecord
} from './records.js'
import { behaviorOf, event, healthy, scheduleTick } from './scheduler.js'
import { serviceTasks } from './services.js'
import { findTaskDefinition } from './task-definitions.js'
import { startTask, stopTask } from './task-lifecycle.js'

type Stage = ServiceDeploymentLifecycleStage

// Written from AWS's documentation, apart from src/strategies/ecs-rolling/shifting/stages.ts: the model
// is our belief about AWS, and the product is checked against it, not built from it.
export const STAGES: Stage[] = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP'
]

// Not documented as defaults here; a pause hook without a timeoutConfiguration waits this long and
// then rolls back (the action the documentation's example configures).
const PAUSE_DEFAULT_TIMEOUT_MINUTES = 60

export function isShifting(service: ServiceRecord): boolean {
  const s = service.deploymentConfiguration.strategy
  return s === 'BLUE_GREEN' || s === 'LINEAR' || s === 'CANARY'
}

export function currentShift(ecs: EcsModel, service: ServiceRecord): ServiceDeploymentRecord | undefined {
  return service.currentServiceDeployment
    ? ecs.serviceDeployments.get(service.currentServiceDeployment)
    : undefined
}

export function ongoing(sd: ServiceDeploymentRecord | undefined): sd is ServiceDeploymentRecord {
  return (
    sd !== undefined &&
    ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'].includes(sd.status)
  )
}

/** UpdateService on a shifting service: a new service deployment; one still ongoing is stopped. */
export function startShiftDeployment(ecs: EcsModel, service: ServiceRecord, taskDefinition: string): void {
  const previous = currentShift(ecs, service)
  const replaced = ongoing(previous)
  // Blue is what served before: the source of a deployment stopped midway, else the last completed.
  const blueId = replaced
    ? previous.source.deploymentId
    : (service.lastCompleted?.id ?? service.deployments[0].id)
  const blueTd = replaced
    ? previous.source.taskDefinition
    : (service.lastCompleted?.taskDefinition ?? service.taskDefinition)
  if (replaced) stopReplaced(ecs, service, previous)
  const green = startDeployment(ecs, service, taskDefinition)
  const arnId = ecs.world.ids.hex(20)
  const sd: ServiceDeploymentRecord = {
    arn: ecs.world.arn('ecs', `service-deployment/${clusterName(service)}/${service.name}/${arnId}`),
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    serviceName: service.name,
    createdAt: ecs.now,
    startedAt: ecs.now,
    updatedAt: ecs.now,
    status: 'PENDING',
    stage: 'PRE_SCALE_UP',
    stageStartedAt: ecs.now,
    source: revision(ecs, service, blueTd, blueId),
    target: revision(ecs, service, taskDefinition, green.id),
    hooks: [],
    productionPercent: 0,
    failureCount: 0,
    breakerTriggered: false,
    history: []
  }
  ecs.serviceDeployments.set(sd.arn, sd)
  service.currentServiceDeployment = sd.arn
  // "RECONCILE_SERVICE: only happens when you start a new service deployment with more than 1 service
  // revision in an ACTIVE state" (API_ServiceDeployment).
  enterStage(ecs, service, sd, replaced ? 'RECONCILE_SERVICE' : 'PRE_SCALE_UP')
}

function clusterName(service: ServiceRecord): string {
  return service.clusterArn.split('/').pop() ?? ''
}

function revision(ecs: EcsModel, service: ServiceRecord, taskDefinition: string, deploymentId: string) {
  const r: ServiceRevisionRecord = {
    arn: ecs.world.arn(
      'ecs',
      `service-revision/${clusterName(service)}/${service.name}/${ecs.world.ids.digits(19)}`
    ),
    serviceArn: service.arn,
    clusterArn: service.clusterArn,
    taskDefinition,
    deploymentId,
    createdAt: ecs.now
  }
  ecs.serviceRevisions.set(r.arn, r)
  return r
}

/** A newer deployment stops this one: its green leaves the traffic and its tasks stop. */
function stopReplaced(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): void {
  for (const h of sd.hooks) h.timer?.cancel()
  setWeights(ecs, service, 0, true)
  for (const t of greenTasks(ecs, service, sd))
    stopTask(ecs, t, 'Service deployment stopped', 'ServiceSchedulerInitiated', false)
  finish(ecs, sd, 'STOPPED', 'Stopped: a new service deployment of the service started.')
}

/** Which target group a task registers in: green's (the alternate) while its deployment shifts. */
export function targetGroupFor(
  ecs: EcsModel,
  service: ServiceRecord,
  lbIndex: number,
  t: TaskRecord
): string {
  const lb = service.loadBalancers[lbIndex]
  const sd = currentShift(ecs, service)
  const alternate = lb.advancedConfiguration?.alternateTargetGroupArn
  if (alternate && ongoing(sd) && t.deploymentId === sd.target.deploymentId) return alternate
  return lb.targetGroupArn ?? ''
}

/** One pass of the scheduler for a shifting service; false when no deployment of ours is ongoing. */
export function reconcileShift(ecs: EcsModel, service: ServiceRecord): boolean {
  const sd = currentShift(ecs, service)
  if (!ongoing(sd)) return false
  if (sd.status === 'PENDING') setStatus(ecs, sd, 'IN_PROGRESS')
  if (sd.status === 'ROLLBACK_REQUESTED') beginRollback(ecs, service, sd)
  if (sd.status === 'ROLLBACK_IN_PROGRESS') {
    // Done once green's tasks have drained and stopped.
    const left = serviceTasks(ecs, service).filter(
      t => t.deploymentId === sd.target.deploymentId && t.lastStatus !== 'STOPPED'
    )
    if (left.length === 0) rolledBack(ecs, service, sd)
    return true
  }
  if (sd.stage === 'SCALE_UP') launchGreen(ecs, service, sd)
  if (sd.stage === 'CLEAN_UP') stopBlue(ecs, service, sd)
  // A stage lasts at least one scheduler pass: ECS moves a deployment on at its scheduler's pace.
  const passed = ecs.now - sd.stageStartedAt >= ecs.world.timing.ecsSchedulerSeconds * 1000
  if (passed && stageDone(ecs, service, sd) && sd.hooks.every(h => h.status === 'SUCCEEDED'))
    advance(ecs, service, sd)
  return true
}

function stageDone(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): boolean {
  switch (sd.stage) {
    case 'SCALE_UP':
      return greenTasks(ecs, service, sd).filter(t => healthy(ecs, service, t)).length >= service.desiredCount
    case 'PRODUCTION_TRAFFIC_SHIFT':
      return sd.productionPercent >= 100
    case 'BAKE_TIME':
      return ecs.now - sd.stageStartedAt >= (service.deploymentConfiguration.bakeTimeInMinutes ?? 0) * 60_000
    case 'CLEAN_UP':
      return blueTasks(ecs, service, sd).length === 0
    default:
      return true
  }
}

function advance(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): void {
  if (sd.stage === 'CLEAN_UP') return succeeded(ecs, service, sd)
  enterStage(ecs, service, sd, STAGES[STAGES.indexOf(sd.stage) + 1])
}

function enterStage(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord, stage: Stage): void {
  sd.stage = stage
  sd.stageStartedAt = ecs.now
  sd.updatedAt = ecs.now
  sd.history.push({ atMs: ecs.now, stage, status: sd.status })
  // "TEST_TRAFFIC_SHIFT: the green service revision is migrating from 0% to 100% of test traffic."
  if (stage === 'TEST_TRAFFIC_SHIFT') setWeights(ecs, service, 100, false, 'test')
  if (stage === 'PRODUCTION_TRAFFIC_SHIFT') shiftProduction(ecs, service, sd)
  sd.hooks = hooksAt(service, stage).map(h => runHook(ecs, service, sd, h))
  scheduleTick(ecs, service, ecs.world.timing.ecsSchedulerSeconds * 1000)
}

/** BLUE_GREEN: all at once; CANARY: the canary percent, its bake, the rest; LINEAR: equal steps. */
function shiftProduction(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): void {
  const config = service.deploymentConfiguration
  const step = (percent: number) => {
    if (sd.status !== 'IN_PROGRESS' || sd.stage !== 'PRODUCTION_TRAFFIC_SHIFT') return
    sd.productionPercent = Math.min(100, percent)
    sd.updatedAt = ecs.now
    setWeights(ecs, service, sd.productionPercent, false, 'production')
    scheduleTick(ecs, service, 0)
  }
  if (config.strategy === 'CANARY') {
    const canary = config.canaryConfiguration ?? {}
    step(canary.canaryPercent ?? 5)
    ecs.world.timeline.after((canary.canaryBakeTimeInMinutes ?? 10) * 60_000, () => step(100))
  } else if (config.strategy === 'LINEAR') {
    const linear = config.linearConfiguration ?? {}
    const pct = linear.stepPercent ?? 10
    const waitMs = (linear.stepBakeTimeInMinutes ?? 6) * 60_000
    const steps = Math.ceil(100 / pct)
    for (let i = 0; i < steps; i++) ecs.world.timeline.after(i * waitMs, () => step((i + 1) * pct))
  } else {
    step(100)
  }
}

function hooksAt(service: ServiceRecord, stage: Stage): DeploymentLifecycleHook[] {
  return (service.deploymentConfiguration.lifecycleHooks ?? []).filter(h =>
    (h.lifecycleStages as string[] | undefined)?.includes(stage)
  )
}

function runHook(
  ecs: EcsModel,
  service: ServiceRecord,
  sd: ServiceDeploymentRecord,
  h: DeploymentLifecycleHook
): HookRunRecord {
  if (h.targetType === 'PAUSE') {
    const minutes = h.timeoutConfiguration?.timeoutInMinutes ?? PAUSE_DEFAULT_TIMEOUT_MINUTES
    const run: HookRunRecord = {
      hookId: `ecs-pause-${ecs.world.ids.hex(40)}`,
      targetType: 'PAUSE',
      status: 'AWAITING_ACTION',
      expiresAt: ecs.now + minutes * 60_000,
      timeoutAction: h.timeoutConfiguration?.action ?? 'ROLLBACK'
    }
    run.timer = ecs.world.timeline.after(minutes * 60_000, () => {
      if (run.status !== 'AWAITING_ACTION') return
      run.status = 'TIMED_OUT'
      answerHook(ecs, service, sd, run, run.timeoutAction ?? 'ROLLBACK', `The PAUSE hook timed out.`)
    })
    return run
  }
  // A Lambda hook's answer is the stand-in the test set for its function (SUCCEEDED by default).
  const answer = ecs.lambdaHooks.get(h.hookTargetArn ?? '') ?? { status: 'SUCCEEDED' as const, seconds: 1 }
  const run: HookRunRecord = {
    hookId: `ecs-hook-${ecs.world.ids.hex(40)}`,
    targetType: 'AWS_LAMBDA',
    targetArn: h.hookTargetArn,
    status: 'IN_PROGRESS'
  }
  run.timer = ecs.world.timeline.after(answer.seconds * 1000, () => {
    if (run.status !== 'IN_PROGRESS' || sd.status !== 'IN_PROGRESS') return
    run.status = answer.status
    if (answer.status === 'FAILED')
      requestRollback(ecs, service, sd, `Lifecycle hook ${h.hookTargetArn} returned FAILED.`)
    scheduleTick(ecs, service, 0)
  })
  return run
}

/** CONTINUE goes on to the next stage; ROLLBACK rolls back (ContinueServiceDeployment, or the timeout). */
export function answerHook(
  ecs: EcsModel,
  service: ServiceRecord,
  sd: ServiceDeploymentRecord,
  run: HookRunRecord,
  action: 'CONTINUE' | 'ROLLBACK',
  reason: string
): void {
  run.timer?.cancel()
  if (run.status === 'AWAITING_ACTION') run.status = action === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED'
  if (run.status === 'TIMED_OUT' && action === 'CONTINUE') run.status = 'SUCCEEDED'
  if (action === 'ROLLBACK') requestRollback(ecs, service, sd, reason)
  scheduleTick(ecs, service, 0)
}

export function requestRollback(
  ecs: EcsModel,
  service: ServiceRecord,
  sd: ServiceDeploymentRecord,
  reason: string
): void {
  if (!['PENDING', 'IN_PROGRESS'].includes(sd.status)) return
  setStatus(ecs, sd, 'ROLLBACK_REQUESTED')
  sd.rollback = { reason, startedAt: ecs.now, serviceRevisionArn: sd.source.arn }
  event(ecs, service, `(service-deployment ${sd.arn}) rollback requested: ${reason}`)
  scheduleTick(ecs, service, 0)
}

/** Blue still runs until CLEAN_UP: the rollback moves all traffic back and stops green. */
function beginRollback(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): void {
  setStatus(ecs, sd, 'ROLLBACK_IN_PROGRESS')
  for (const h of sd.hooks) h.timer?.cancel()
  sd.productionPercent = 0
  setWeights(ecs, service, 0, true)
  for (const t of greenTasks(ecs, service, sd))
    stopTask(
      ecs,
      t,
      `Scaling activity initiated by (service-deployment ${sd.arn}) rollback`,
      'ServiceSchedulerInitiated',
      false
    )
}

function rolledBack(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): void {
  const blue = deployment(service, sd.source.deploymentId)
  const green = deployment(service, sd.target.deploymentId)
  if (green) {
    green.status = 'ACTIVE'
    green.rolloutState = 'FAILED'
    green.rolloutStateReason = `Service deployment rolled back: ${sd.rollback?.reason ?? ''}`.trim()
    green.retireAfter = ecs.now
  }
  if (blue) {
    blue.status = 'PRIMARY'
    blue.rolloutState = 'COMPLETED'
    service.deployments = [blue, ...service.deployments.filter(d => d !== blue)]
  }
  service.taskDefinition = sd.source.taskDefinition
  finish(ecs, sd, 'ROLLBACK_SUCCESSFUL', `Rolled back to ${sd.source.arn}.`)
  event(ecs, service, `(service-deployment ${sd.arn}) rolled back to the previous service revision.`)
}

function succeeded(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): void {
  const green = deployment(service, sd.target.deploymentId)
  if (green) {
    green.rolloutState = 'COMPLETED'
    green.rolloutStateReason = `ECS deployment ${green.id} completed.`
    service.lastCompleted = { id: green.id, taskDefinition: green.taskDefinition }
  }
  // Green's target group serves production now: it is blue's for the next deployment.
  for (const lb of service.loadBalancers) {
    const alternate = lb.advancedConfiguration?.alternateTargetGroupArn
    if (!alternate || !lb.targetGroupArn || !lb.advancedConfiguration) continue
    lb.advancedConfiguration.alternateTargetGroupArn = lb.targetGroupArn
    lb.targetGroupArn = alternate
  }
  service.deployments = service.deployments.filter(d => d === green)
  finish(ecs, sd, 'SUCCESSFUL', 'Service deployment completed.')
  event(ecs, service, `(service-deployment ${sd.arn}) deployment completed.`)
  event(ecs, service, 'has reached a steady state.')
  service.steady = true
}

function finish(
  ecs: EcsModel,
  sd: ServiceDeploymentRecord,
  status: ServiceDeploymentRecord['status'],
  reason: string
) {
  setStatus(ecs, sd, status)
  sd.statusReason = reason
  sd.finishedAt = ecs.now
}

function setStatus(
  ecs: EcsModel,
  sd: ServiceDeploymentRecord,
  status: ServiceDeploymentRecord['status']
): void {
  sd.status = status
  sd.updatedAt = ecs.now
  sd.history.push({ atMs: ecs.now, stage: sd.stage, status })
}

/** Green's counted failures; the circuit breaker rolls a shifting deployment back (API_ServiceDeployment). */
export function countShiftFailure(ecs: EcsModel, service: ServiceRecord, d: DeploymentRecord): void {
  const sd = currentShift(ecs, service)
  if (!ongoing(sd) || sd.target.deploymentId !== d.id) return
  sd.failureCount++
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker
  if (!breaker.enable || sd.failureCount < circuitBreakerThreshold(service.desiredCount)) return
  sd.breakerTriggered = true
  requestRollback(ecs, service, sd, 'ECS deployment circuit breaker: tasks failed to start.')
}

function launchGreen(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): void {
  const green = deployment(service, sd.target.deploymentId)
  if (!green || ecs.now < service.nextLaunchAt) return
  // "SCALE_UP: the green service revision scales up to 100%": maximumPercent does not cap it.
  const want = service.desiredCount - greenTasks(ecs, service, sd).length
  if (want <= 0) return
  const td = findTaskDefinition(ecs, green.taskDefinition) as TaskDefinitionRecord
  const behavior = behaviorOf(ecs, service, td)
  const started: TaskRecord[] = []
  for (let i = 0; i < want; i++) started.push(startTask(ecs, service, green, td, behavior))
  event(ecs, service, `has started ${started.length} tasks: ${started.map(t => `(task ${t.id})`).join(' ')}.`)
}

function stopBlue(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): void {
  for (const t of blueTasks(ecs, service, sd))
    stopTask(
      ecs,
      t,
      `Scaling activity initiated by (service-deployment ${sd.arn})`,
      'ServiceSchedulerInitiated',
      false
    )
}

function greenTasks(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): TaskRecord[] {
  return serviceTasks(ecs, service).filter(
    t => t.deploymentId === sd.target.deploymentId && t.desiredStatus === 'RUNNING'
  )
}

function blueTasks(ecs: EcsModel, service: ServiceRecord, sd: ServiceDeploymentRecord): TaskRecord[] {
  return serviceTasks(ecs, service).filter(
    t => t.deploymentId !== sd.target.deploymentId && t.desiredStatus === 'RUNNING'
  )
}

function deployment(service: ServiceRecord, id: string): DeploymentRecord | undefined {
  return service.deployments.find(d => d.id === id)
}

/**
 * Green's share on the production (or test) rules: the weighted forward between the service's
 * target group (blue) and the alternate (green). `both` moves the test rule too.
 */
function setWeights(
  ecs: EcsModel,
  service: ServiceRecord,
  greenPercent: number,
  both: boolean,
  which: 'production' | 'test' = 'production'
): void {
  for (const lb of service.loadBalancers) {
    const advanced = lb.advancedConfiguration
    if (!advanced?.alternateTargetGroupArn || !lb.targetGroupArn) continue
    const rules = both
      ? [advanced.productionListenerRule, advanced.testListenerRule]
      : [which === 'production' ? advanced.productionListenerRule : advanced.testListenerRule]
    for (const arn of rules) {
      const found = arn ? findRule(ecs.world.elbv2, arn) : undefined
      if (!found?.rule) continue
      found.rule.actions = [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: lb.targetGroupArn, Weight: 100 - greenPercent },
              { TargetGroupArn: advanced.alternateTargetGroupArn, Weight: greenPercent }
            ]
          }
        }
      ]
    }
  }
  refreshUsage(ecs.world.elbv2)
}
