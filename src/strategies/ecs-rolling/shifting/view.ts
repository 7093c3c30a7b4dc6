// One look at an ECS BLUE_GREEN, LINEAR or CANARY deployment, logged a line per change: the lifecycle
// stage as it starts (with how long the previous one took), the production and test rules' weights as
// traffic shifts, bake time remaining, target health in both target groups, service events, stopped
// tasks. The deployment watch and the rollback watch both look through it.
import type { DeploymentLifecycleHookDetail, Service, ServiceDeployment } from '@aws-sdk/client-ecs'
import { describeService } from '../../../aws/ecs.js'
import { describeServiceDeployment, isUnavailable } from '../../../aws/ecs-service-deployments.js'
import { describeRulesByArn, describeTargetHealth, targetHealthCounts } from '../../../aws/elbv2.js'
import { forwardShares } from '../../../aws/rules.js'
import { formatDuration } from '../../../clock.js'
import { DeployError } from '../../../errors.js'
import type { MomentTable } from '../../../report.js'
import { StoppedTasks } from '../rollout.js'
import { eventLine, takeNewEvents } from '../rollout-state.js'
import type { EcsContext, EcsRun } from '../run.js'
import type { ShiftFacts } from './facts.js'
import { stageLine, stageMeaning, type Stage } from './stages.js'

export class DeploymentView {
  readonly events: string[] = []
  readonly stopped: StoppedTasks
  /** The stage each hook was seen at: a hook's details do not name their stage. */
  readonly hookStages = new Map<string, Stage>()
  service: Service | undefined
  private stage: Stage | undefined
  private stageStarted: number
  private failedTasks = 0
  private readonly moments: MomentTable
  private readonly started: number

  constructor(
    private readonly ctx: EcsContext,
    private readonly run: EcsRun,
    readonly arn: string,
    readonly label: string
  ) {
    this.started = ctx.clock.now()
    this.stageStarted = this.started
    this.stopped = new StoppedTasks(ctx, { deploymentId: arn, taskDefinitionArn: run.next.arn })
    this.moments = ctx.log.table(`${capitalize(label)} stages`, ['at', 'stage', 'traffic', 'target health'])
  }

  private get shift(): ShiftFacts {
    return this.run.pre.shift!
  }

  /** Reads the deployment and everything around it, logging what changed; returns the deployment. */
  async look(): Promise<ServiceDeployment> {
    const sd = await this.describe()
    const stageChanged = this.noteStage(sd)
    const traffic = await this.noteTraffic()
    const health = await this.noteHealth()
    await this.noteService()
    if (stageChanged)
      this.moments.add([`+${this.ctx.log.elapsed(this.started)}`, stageLine(sd), traffic, health])
    this.noteBake(sd)
    for (const h of sd.lifecycleHookDetails ?? []) this.noteHook(sd, h)
    const failed = sd.deploymentCircuitBreaker?.failureCount ?? 0
    if (failed > this.failedTasks) {
      this.failedTasks = failed
      await this.stopped.collect()
    }
    return sd
  }

  /** Since the current stage started, in ms. */
  get inStageMs(): number {
    return this.ctx.clock.now() - this.stageStarted
  }

  private async describe(): Promise<ServiceDeployment> {
    const sd = await describeServiceDeployment(this.ctx.aws, this.arn)
    if (isUnavailable(sd))
      throw new DeployError(
        `${sd.unavailable}: the ${this.label} of ${this.arn} cannot be followed.`,
        `allow ecs:DescribeServiceDeployments for this role (iam/ecs-rolling.json), and deploy against ECS itself.`
      )
    if (!sd) throw new DeployError(`Service deployment ${this.arn} was not found.`)
    return sd
  }

  private noteStage(sd: ServiceDeployment): boolean {
    const stage = sd.lifecycleStage as Stage | undefined
    const { log, clock } = this.ctx
    const changed = log.change(`stage:${this.arn}`, `${capitalize(this.label)}: ${stageLine(sd)}`)
    if (stage === this.stage) return changed
    const took = this.stage
      ? ` (${this.stage} took ${formatDuration((clock.now() - this.stageStarted) / 1000)})`
      : ''
    if (stage) log.info(`Stage ${stage} started${took}: ${stageMeaning(stage)}`)
    this.stage = stage
    this.stageStarted = clock.now()
    return true
  }

  /** The production and test rules' weights, e.g. `production: web-blue 90%, web-green 10%`. */
  private async noteTraffic(): Promise<string> {
    const routes = this.shift.routes
    const arns = routes.flatMap(r => [r.productionRuleArn, r.testRuleArn].flatMap(a => a ?? []))
    const rules = await describeRulesByArn(this.ctx.aws, arns)
    const lines: string[] = []
    for (const rule of rules) {
      const which = routes.some(r => r.testRuleArn === rule.RuleArn) ? 'test' : 'production'
      const shares = [...forwardShares(rule.Actions).entries()].map(
        ([tg, pct]) => `${this.tgName(tg)} ${round(pct)}%`
      )
      lines.push(`${which}: ${shares.join(', ')}`)
      this.ctx.log.change(`weights:${rule.RuleArn}`, `Traffic ${lines.at(-1)}`)
    }
    return lines.join('\n')
  }

  private async noteHealth(): Promise<string> {
    const lines: string[] = []
    for (const tg of this.run.pre.facts.targetGroups) {
      const targets = (await describeTargetHealth(this.ctx.aws, tg.arn)).sort((a, b) =>
        (a.TargetHealth?.State ?? '').localeCompare(b.TargetHealth?.State ?? '')
      )
      lines.push(`${tg.name}: ${targetHealthCounts(targets)}`)
      this.ctx.log.change(`target-health:${tg.arn}`, `Target group ${lines.at(-1)}`)
    }
    return lines.join('\n')
  }

  private async noteService(): Promise<void> {
    const { settings, log } = this.ctx
    this.service = await describeService(this.ctx.aws, settings.cluster, settings.service)
    for (const e of takeNewEvents(this.service.events ?? [], this.run.pre.seenEventIds)) {
      this.events.push(e.message ?? '')
      log.info(eventLine(e))
    }
  }

  /** Bake time left, a line a minute. */
  private noteBake(sd: ServiceDeployment): void {
    if (sd.lifecycleStage !== 'BAKE_TIME') return
    const left = this.shift.bakeTimeMinutes * 60 - this.inStageMs / 1000
    if (left > 0) this.ctx.log.change(`bake:${this.arn}`, `Bake time: ${Math.ceil(left / 60)} min left`)
  }

  private noteHook(sd: ServiceDeployment, h: DeploymentLifecycleHookDetail): void {
    if (!h.hookId) return
    if (!this.hookStages.has(h.hookId) && sd.lifecycleStage) this.hookStages.set(h.hookId, sd.lifecycleStage)
    const what = h.targetType === 'PAUSE' ? 'PAUSE hook' : `Lambda hook ${h.targetArn ?? ''}`.trimEnd()
    this.ctx.log.change(`hook:${h.hookId}`, `${what} at ${this.hookStages.get(h.hookId)}: ${h.status}`)
  }

  private tgName(arn: string): string {
    return this.run.pre.facts.targetGroups.find(t => t.arn === arn)?.name ?? arn
  }
}

function round(pct: number): string {
  return Number.isInteger(pct) ? String(pct) : pct.toFixed(1)
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
