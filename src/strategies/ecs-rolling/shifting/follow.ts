// Step 4 for ECS's BLUE_GREEN, LINEAR and CANARY strategies: follow our service deployment every
// `poll-interval` until SUCCESSFUL. On the way: the gate at our PAUSE hook, our traffic probe from the
// first production traffic shift to the end of bake time, the smoke test once production runs on green.
// A failure of ours stops here with a ShiftFailure saying how ECS must roll back (shifting/rollback.ts).
import type { DeploymentLifecycleHookDetail, Service, ServiceDeployment, Task } from '@aws-sdk/client-ecs'
import { revisionName } from '../../../aws/arns.js'
import {
  describeServiceRevision,
  isUnavailable,
  listServiceDeployments
} from '../../../aws/ecs-service-deployments.js'
import { formatDuration } from '../../../clock.js'
import { Inputs } from '../../../constants.js'
import { DeployError } from '../../../errors.js'
import { pollUntil, inputTiming } from '../../../poll.js'
import {
  finishTrafficProbe,
  probeFailureMessage,
  startTrafficProbe,
  type TrafficProbe
} from '../../../probe.js'
import { runSmokeTest } from '../../../smoke.js'
import type { EcsContext, EcsRun, Step } from '../run.js'
import { runGate } from './gate.js'
import { gateHook } from './rules.js'
import { atOrAfter, carriesProductionTraffic, isFinal, isRollingBack } from './stages.js'
import { DeploymentView } from './view.js'

export type ShiftFailureKind = 'probe' | 'smoke' | 'gate' | 'timeout' | 'ecs-rollback' | 'replaced'

/**
 * How the service gets back to blue: `request` asks ECS (StopServiceDeployment ROLLBACK), `ecs` means
 * ECS is already on its way, `redeploy` (the deployment had completed) deploys the previous revision
 * again, `none`: another deployment is in charge now.
 */
export type ShiftRollback = 'request' | 'ecs' | 'redeploy' | 'none'

export class ShiftFailure extends DeployError {
  constructor(
    readonly kind: ShiftFailureKind,
    message: string,
    readonly rollback: ShiftRollback,
    readonly view: DeploymentView,
    hint?: string
  ) {
    super(message, hint)
    this.name = 'ShiftFailure'
  }

  get stoppedTasks(): Task[] {
    return this.view.stopped.tasks
  }
}

export const followDeployment: Step = async (ctx, run) => {
  const arn = run.rollout.serviceDeploymentArn
  if (!arn) throw new DeployError(`UpdateService started no service deployment that could be followed.`)
  const follower = new Follower(ctx, run, new DeploymentView(ctx, run, arn, 'deployment'))
  try {
    await follower.follow()
  } finally {
    await follower.stopProbe()
  }
  await follower.afterSuccess()
}

class Follower {
  private probe: TrafficProbe | undefined
  private probeDone = false
  private smokeDone = false
  private readonly answered = new Set<string>()
  private lateProbeFailure: string | undefined
  private readonly started: number

  constructor(
    private readonly ctx: EcsContext,
    private readonly run: EcsRun,
    private readonly view: DeploymentView
  ) {
    this.started = ctx.clock.now()
  }

  async follow(): Promise<void> {
    const { settings, log } = this.ctx
    log.info(
      `Following service deployment ${this.view.arn} every ${formatDuration(settings.pollIntervalSeconds)}, ` +
        `for up to ${formatDuration(settings.waitTimeoutSeconds)}`
    )
    await pollUntil(
      this.ctx,
      {
        key: `deployment:${this.view.arn}`,
        ...inputTiming(settings),
        timedOut: ({ sd }) =>
          this.fail(
            'timeout',
            `The deployment did not finish within '${Inputs.WaitTimeout}' ` +
              `${formatDuration(settings.waitTimeoutSeconds)} (at ${sd.lifecycleStage ?? 'no stage'})`,
            'request'
          )
      },
      async () => {
        const sd = await this.view.look()
        if (isFinal(sd.status)) return { done: this.finished(sd), sd }
        await this.steer(sd)
        return { done: false, sd }
      }
    )
  }

  /** SUCCESSFUL ends the watch; any other final status is a failure named by its cause. */
  private finished(sd: ServiceDeployment): boolean {
    if (sd.status === 'SUCCESSFUL') {
      this.ctx.log.info(`Service deployment ${this.view.arn} SUCCESSFUL after ${this.elapsed()}`)
      return true
    }
    if (sd.status === 'STOPPED') throw this.replacedOrStopped(sd)
    throw this.fail('ecs-rollback', `ECS rolled the deployment back: ${rollbackCause(sd, this.view)}`, 'ecs')
  }

  /** While ongoing: ECS's own rollback, the gate, the probe and the smoke test. */
  private async steer(sd: ServiceDeployment): Promise<void> {
    if (isRollingBack(sd.status))
      throw this.fail(
        'ecs-rollback',
        `ECS is rolling the deployment back: ${rollbackCause(sd, this.view)}`,
        'ecs'
      )
    for (const hook of awaiting(sd)) await this.answer(sd, hook)
    await this.watchTraffic(sd)
    if (!this.smokeDone && atOrAfter(sd.lifecycleStage, 'POST_PRODUCTION_TRAFFIC_SHIFT'))
      await this.smoke('request')
  }

  /** Our PAUSE hook gets the gate; one at a stage we do not gate is reported once, with how to go on. */
  private async answer(sd: ServiceDeployment, hook: DeploymentLifecycleHookDetail): Promise<void> {
    const id = hook.hookId!
    if (this.answered.has(id)) return
    this.answered.add(id)
    const shift = this.run.pre.shift!
    if (sd.lifecycleStage === shift.gateStage && gateHook(shift)) {
      const failure = await runGate(this.ctx, this.run, this.view.arn, hook)
      if (failure) throw this.fail('gate', failure, 'ecs')
      return
    }
    const expires = hook.expiresAt
      ? `, until ${hook.expiresAt.toISOString()} (then ${hook.timeoutAction})`
      : ''
    this.ctx.log.warning(
      `The deployment waits at ${sd.lifecycleStage} for its PAUSE hook ${id}${expires}, which this run does not ` +
        `answer. Continue it with: aws ecs continue-service-deployment --service-deployment-arn ${this.view.arn} ` +
        `--hook-id ${id} --action CONTINUE`
    )
  }

  /** The probe runs from the first production traffic shift to the end of bake time. */
  private async watchTraffic(sd: ServiceDeployment): Promise<void> {
    const stage = sd.lifecycleStage
    if (!this.probe && !this.probeDone && carriesProductionTraffic(stage)) {
      this.probe = await startTrafficProbe(this.ctx, this.run.pre.url)
      this.probeDone = this.probe === undefined
      if (this.probe) this.ctx.log.info(`Traffic probe started at ${stage}: production traffic reaches green`)
    }
    if (this.probe && atOrAfter(stage, 'CLEAN_UP')) await this.stopProbe()
    const max = this.ctx.settings.maxProbeErrors
    if (this.probe && this.probe.errors > max)
      throw this.fail('probe', probeFailureMessage(this.probe.report(), 'traffic shift', max), 'request')
  }

  async stopProbe(): Promise<void> {
    if (!this.probe) return
    const probe = this.probe
    this.probe = undefined
    this.probeDone = true
    const report = await finishTrafficProbe(this.ctx, probe)
    const max = this.ctx.settings.maxProbeErrors
    this.lateProbeFailure =
      report && report.errors > max ? probeFailureMessage(report, 'traffic shift', max) : undefined
  }

  /** After SUCCESSFUL: a probe failure seen at the very end, or a smoke test not yet run. */
  async afterSuccess(): Promise<void> {
    if (this.lateProbeFailure) throw this.fail('probe', this.lateProbeFailure, 'redeploy')
    if (!this.smokeDone) await this.smoke('redeploy')
  }

  private async smoke(rollback: ShiftRollback): Promise<void> {
    this.smokeDone = true
    try {
      await runSmokeTest(this.ctx, this.run.pre.url)
    } catch (e) {
      if (!(e instanceof DeployError)) throw e
      throw this.fail('smoke', e.message, rollback, e.hint)
    }
  }

  private replacedOrStopped(sd: ServiceDeployment): ShiftFailure {
    const current = this.view.service?.currentServiceDeployment
    if (current && current !== this.view.arn)
      return this.fail(
        'replaced',
        `The deployment was replaced after ${this.elapsed()} by service deployment ${current}, ` +
          `which this run did not start (another deploy, or someone updating the service)`,
        'none'
      )
    return this.fail(
      'replaced',
      `The deployment was stopped after ${this.elapsed()}: ${sd.statusReason ?? 'no reason given'}`,
      'none'
    )
  }

  private fail(
    kind: ShiftFailureKind,
    message: string,
    rollback: ShiftRollback,
    hint?: string
  ): ShiftFailure {
    return new ShiftFailure(kind, message, rollback, this.view, hint)
  }

  private elapsed(): string {
    return this.ctx.log.elapsed(this.started)
  }
}

function awaiting(sd: ServiceDeployment): DeploymentLifecycleHookDetail[] {
  return (sd.lifecycleHookDetails ?? []).filter(
    h => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION' && h.hookId
  )
}

/**
 * Why ECS rolled back, in its own terms: a hook that timed out or failed, the circuit breaker, an alarm;
 * else the rollback's reason or the status reason. Never "the circuit breaker" unless it was.
 */
export function rollbackCause(sd: ServiceDeployment, view: DeploymentView): string {
  const at = (h: DeploymentLifecycleHookDetail) => view.hookStages.get(h.hookId ?? '') ?? sd.lifecycleStage
  const hooks = sd.lifecycleHookDetails ?? []
  const timedOut = hooks.find(h => h.status === 'TIMED_OUT')
  if (timedOut) {
    const kind = timedOut.targetType === 'PAUSE' ? 'PAUSE' : 'Lambda'
    return `the ${kind} hook at ${at(timedOut)} timed out (timeout action ${timedOut.timeoutAction ?? 'ROLLBACK'})`
  }
  const failed = hooks.find(h => h.status === 'FAILED')
  if (failed) return `the Lambda hook ${failed.targetArn ?? failed.hookId} at ${at(failed)} answered FAILED`
  const breaker = sd.deploymentCircuitBreaker
  if (breaker?.status === 'TRIGGERED') {
    const counts = `${breaker.failureCount ?? 0} failed tasks, threshold ${breaker.threshold ?? '?'}`
    return `the deployment circuit breaker (${counts})`
  }
  if (sd.alarms?.status === 'TRIGGERED')
    return `CloudWatch alarm(s) ${(sd.alarms.triggeredAlarmNames ?? []).join(', ')}`
  const reason = sd.rollback?.reason ?? sd.statusReason
  return reason ? `${reason} (not started by this run)` : 'a rollback this run did not start'
}

/**
 * The service deployment an UpdateService started: the service's currentServiceDeployment, else the
 * newest ongoing one whose target revision runs our task definition.
 */
export async function startedServiceDeployment(
  ctx: EcsContext,
  service: Service,
  taskDefinitionArn: string
): Promise<string> {
  if (service.currentServiceDeployment) return service.currentServiceDeployment
  const { settings } = ctx
  const listed = await listServiceDeployments(ctx.aws, settings.cluster, settings.service, [
    'PENDING',
    'IN_PROGRESS'
  ])
  if (isUnavailable(listed))
    throw new DeployError(`${listed.unavailable}: the deployment cannot be followed.`)
  for (const d of listed) {
    const revision = d.targetServiceRevisionArn
      ? await describeServiceRevision(ctx.aws, d.targetServiceRevisionArn)
      : undefined
    if (
      revision &&
      !isUnavailable(revision) &&
      revision.taskDefinition === taskDefinitionArn &&
      d.serviceDeploymentArn
    )
      return d.serviceDeploymentArn
  }
  throw new DeployError(
    `UpdateService started no service deployment of ${revisionName(taskDefinitionArn)} that ECS lists.`,
    `check the service's events: another deploy may have changed it at the same time.`
  )
}
