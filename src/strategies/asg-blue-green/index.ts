// The asg-blue-green strategy: two Auto Scaling groups behind one target group; the standby one gets
// the new version, is checked through a synthetic target group, takes the traffic, and the old
// fleet waits in Standby through a validation window, then scales to zero. The roles swap each deploy.
//
// Its life: pre-flight (reads and refusals), the lock, then named steps over one run state. A step
// that fails before traffic moved is undone (`undo`); after, the old fleet is put back (`rollBack`).
import { isCancellation } from '../../cancellation.js'
import { Outputs } from '../../constants.js'
import type { DeployContext, StrategyResult } from '../../context.js'
import { DeployError } from '../../errors.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import { finishTrafficProbe, startTrafficProbe } from '../../probe.js'
import { reportPlan } from '../../summary.js'
import { cutover } from './deploy/cutover.js'
import { finish } from './deploy/finish.js'
import { prepareStandby } from './deploy/prepare.js'
import { syntheticChecks } from './deploy/synthetic.js'
import { validationWindow } from './deploy/validate.js'
import { describeTemplatePlan } from './launch.js'
import { DeployLock } from './lock.js'
import { preflight } from './preflight/index.js'
import { newRun, trafficMoved, type AsgRun, type Ctx, type Step } from './state.js'
import { failAfterUndo } from './undo/failure.js'

// A lock lost to a deploy that started at the same instant: wait for it, then look again.
const LOCK_ATTEMPTS = 3

interface NamedStep {
  /** The log group and the summary's phase. */
  phase?: string
  step: Step
  skip?: (run: AsgRun) => boolean
}

// Until the cutover's old instances leave the target group, traffic never depended on the new fleet.
const UNTIL_CUTOVER: NamedStep[] = [
  { phase: 'Prepare standby', step: prepareStandby },
  { phase: 'Synthetic checks', step: syntheticChecks, skip: run => run.synthetic === undefined },
  { step: startProbe },
  { phase: 'Cutover', step: cutover }
]
const VALIDATION: NamedStep[] = [{ phase: 'Validation window', step: validationWindow }]
const FINISH: NamedStep[] = [{ phase: 'Finish', step: finish }]

export async function asgBlueGreen(ctx: DeployContext<AsgBlueGreenSettings>): Promise<StrategyResult> {
  // Known from the start, like ecs-rolling's: a run that fails in the pre-flight rolled nothing back.
  ctx.state.setRolledBack(false)
  const run = await preflightAndLock(ctx)
  try {
    await deploy(run)
  } finally {
    await stopProbe(run)
    await run.lock?.release()
  }
  if (ctx.aws.dryRun) reportPlan(ctx.log, ctx.aws.mutations)
  return result(run)
}

async function deploy(run: AsgRun): Promise<void> {
  try {
    await runSteps(run, UNTIL_CUTOVER)
  } catch (e) {
    // A cancelled run takes nothing back itself: its safe state (cancelled.ts) does what is quick.
    if (isCancellation(e)) throw e
    if (!trafficMoved(run)) await failAfterUndo(run, e, 'undo')
    await failAfterUndo(run, e, 'rollBack')
  }
  try {
    await runSteps(run, VALIDATION)
  } catch (e) {
    if (isCancellation(e)) throw e
    await failAfterUndo(run, e, 'rollBack')
  }
  await runSteps(run, FINISH)
  run.offSafeState?.()
}

async function runSteps(run: AsgRun, steps: NamedStep[]): Promise<void> {
  for (const { phase, step, skip } of steps) {
    if (skip?.(run)) continue
    if (phase) await run.ctx.log.phase(phase, () => step(run))
    else await step(run)
  }
}

function result(run: AsgRun): StrategyResult {
  const { active, standby, template } = run
  const plan = describeTemplatePlan(template)
  if (run.ctx.aws.dryRun)
    return {
      outcome: 'planned',
      message: `Dry run: ${standby.name} would get ${plan} and take the traffic from ${active.name}; nothing was changed.`
    }
  return {
    outcome: 'deployed',
    message: `Deployed: ${standby.name} serves traffic with ${plan}; ${active.name} is scaled to zero.`
  }
}

async function preflightAndLock(ctx: Ctx): Promise<AsgRun> {
  for (let attempt = 1; ; attempt++) {
    const run = newRun(ctx, await ctx.log.phase('Pre-flight', () => preflight(ctx)))
    if (run.url) ctx.outputs.set(Outputs.Url, run.url)
    ctx.outputs.set(Outputs.PreviousAsg, run.active.name)
    ctx.outputs.set(Outputs.ActiveAsg, run.active.name)
    const lock = new DeployLock(ctx, [ctx.settings.blueAsg, ctx.settings.greenAsg])
    if (await ctx.log.phase('Lock', () => lock.acquireOrRelease())) {
      run.lock = lock
      return run
    }
    if (attempt >= LOCK_ATTEMPTS) {
      throw new DeployError(
        `Could not take the deploy lock: other deploys of ${run.active.name} and ${run.standby.name} kept ` +
          `starting at the same time.`,
        `serialise deploys of this environment with a workflow 'concurrency:' group.`
      )
    }
  }
}

// The traffic probe runs from the cutover through the validation window and any rollback: steady
// requests to the production URL, every failure reported. Without a reachable URL there is none.
async function startProbe(run: AsgRun): Promise<void> {
  run.probe = await startTrafficProbe(run.ctx, run.reachableUrl)
}

async function stopProbe(run: AsgRun): Promise<void> {
  const probe = run.probe
  run.probe = undefined
  await finishTrafficProbe(run.ctx, probe)
}
