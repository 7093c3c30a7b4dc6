// The asg-blue-green strategy: two Auto Scaling groups behind one target group; the standby one gets
// the new version, is checked through a synthetic target group, takes the traffic, and the old
// fleet waits in Standby through a validation window, then scales to zero. The roles swap each deploy.
import { Outputs } from '../../constants.js'
import type { DeployContext, StrategyResult } from '../../context.js'
import { DeployError, errorMessage } from '../../errors.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import { finishTrafficProbe, startTrafficProbe } from '../../probe.js'
import { reportPlan } from '../../summary.js'
import { cutover } from './cutover.js'
import { finish } from './finish.js'
import type { Flow } from './flow.js'
import { DeployLock } from './lock.js'
import { describeTemplatePlan } from './plan.js'
import { preflight } from './preflight.js'
import { prepareStandby } from './prepare.js'
import { syntheticChecks } from './synthetic.js'
import { writeRoleTags } from './roles.js'
import { abort, rollback } from './undo.js'
import { validationWindow } from './validate.js'

// A lock lost to a deploy that started at the same instant: wait for it, then look again.
const LOCK_ATTEMPTS = 3

export async function asgBlueGreen(ctx: DeployContext<AsgBlueGreenSettings>): Promise<StrategyResult> {
  // Known from the start, like ecs-rolling's: a run that fails in the pre-flight rolled nothing back.
  ctx.state.setRolledBack(false)
  const flow = await preflightAndLock(ctx)
  try {
    await deploy(flow)
  } finally {
    await stopProbe(flow)
    await flow.lock?.release()
  }
  const { active, standby } = flow
  if (ctx.aws.dryRun) reportPlan(ctx.log, ctx.aws.mutations)
  return ctx.aws.dryRun
    ? {
        outcome: 'planned',
        message: `Dry run: ${standby.name} would get ${describeTemplatePlan(flow.template)} and take the traffic from ${active.name}; nothing was changed.`
      }
    : {
        outcome: 'deployed',
        message: `Deployed: ${standby.name} serves traffic with ${describeTemplatePlan(flow.template)}; ${active.name} is scaled to zero.`
      }
}

async function preflightAndLock(ctx: DeployContext<AsgBlueGreenSettings>): Promise<Flow> {
  for (let attempt = 1; ; attempt++) {
    const flow = await ctx.log.phase('Pre-flight', () => preflight(ctx))
    if (flow.url) ctx.outputs.set(Outputs.Url, flow.url)
    ctx.outputs.set(Outputs.PreviousAsg, flow.active.name)
    ctx.outputs.set(Outputs.ActiveAsg, flow.active.name)
    const lock = new DeployLock(ctx, [ctx.settings.blueAsg, ctx.settings.greenAsg])
    const acquired = await ctx.log.phase('Lock', async () => {
      try {
        return await lock.acquire()
      } catch (e) {
        // A lock written on one group only must not outlive this run.
        await lock.release()
        throw e
      }
    })
    if (acquired) {
      flow.lock = lock
      return flow
    }
    if (attempt >= LOCK_ATTEMPTS) {
      throw new DeployError(
        `Could not take the deploy lock: other deploys of ${flow.active.name} and ${flow.standby.name} kept starting at the same time.`,
        `serialise deploys of this environment with a workflow 'concurrency:' group.`
      )
    }
  }
}

async function deploy(flow: Flow): Promise<void> {
  const { log } = flow.ctx
  try {
    await log.phase('Prepare standby', () => prepareStandby(flow))
    const synthetic = flow.synthetic
    if (synthetic) await log.phase('Synthetic checks', () => syntheticChecks(flow, synthetic))
    await startProbe(flow)
    await log.phase('Cutover', () => cutover(flow))
  } catch (e) {
    // Until the old instances leave the target group, traffic never depended on the new fleet.
    if (flow.standbyAtMs === undefined) await undo(flow, e, 'abort')
    await undo(flow, e, 'rollback')
  }
  try {
    await log.phase('Validation window', () => validationWindow(flow))
  } catch (e) {
    await undo(flow, e, 'rollback')
  }
  await log.phase('Finish', () => finish(flow))
}

// The traffic probe runs from the cutover through the validation window and any rollback: steady
// requests to the production URL, every failure reported. Without a reachable URL there is none.
async function startProbe(flow: Flow): Promise<void> {
  flow.probe = await startTrafficProbe(flow.ctx, flow.reachableUrl)
}

async function stopProbe(flow: Flow): Promise<void> {
  const probe = flow.probe
  flow.probe = undefined
  await finishTrafficProbe(flow.ctx, probe)
}

/** Runs the abort or the rollback, then fails with the original cause and what was done about it. */
async function undo(flow: Flow, cause: unknown, how: 'abort' | 'rollback'): Promise<never> {
  const { ctx, active, standby } = flow
  const message = errorMessage(cause).replace(/\.?$/, '.')
  const hint = cause instanceof DeployError ? cause.hint : undefined
  if (how === 'rollback' && !ctx.settings.rollback) {
    // The new fleet serves: the role tags say so, for the next run and for people reading them.
    await writeRoleTags(ctx, standby.name, active.name)
    throw new DeployError(
      `${message} Not rolled back ('rollback: false'): ${standby.name} serves traffic, ${active.name}'s instances ${flow.oldIds.join(', ')} wait in Standby.`,
      `to roll back by hand, exit Standby for those instances, wait until they are healthy, then detach ${standby.name} from the target group; to keep the new version, run the deploy again (it retires the old fleet).${hint ? ` Then: ${hint}` : ''}`,
      { cause }
    )
  }
  try {
    await ctx.log.phase(how === 'abort' ? 'Abort' : 'Rollback', () =>
      how === 'abort' ? abort(flow) : rollback(flow)
    )
  } catch (e) {
    throw new DeployError(
      `${message} The ${how} failed too: ${errorMessage(e)}`,
      e instanceof DeployError && e.hint
        ? e.hint
        : `check ${active.name} and ${standby.name} by hand: which one is attached to the target group, and with how many instances.`,
      { cause }
    )
  }
  const what =
    how === 'abort'
      ? `Aborted before any traffic moved: ${active.name} still serves, ${standby.name} is back to zero.`
      : flow.oldIds.length > 0
        ? `Rolled back: ${active.name} serves traffic again, ${standby.name} is back to zero.`
        : `Rolled back: ${standby.name} is out of the target group and back to zero, as before the deploy.`
  throw new DeployError(`${message} ${what}`, hint, { cause })
}
