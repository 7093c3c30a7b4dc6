// When a deploy fails. Before the preview stands, `undo` removes what this run created (newest first,
// nothing that existed before), so a failure halfway (a quota, a refused call) leaves nothing half-made.
// After it stands, `rollBack` puts back the revision an existing preview ran before, so the PR keeps a
// working preview; a first deploy has nothing to go back to: it stays up, marked failed, to debug.
import { revisionName } from '../../../aws/arns.js'
import { deleteService, deregisterTaskDefinition, updateService } from '../../../aws/ecs.js'
import { deleteListener, deleteRule, deleteTargetGroupWhenFree } from '../../../aws/elbv2.js'
import { Inputs } from '../../../constants.js'
import { DeployError, errorMessage } from '../../../errors.js'
import { createdByRun, made, type PreviewRun } from './run.js'
import { waitForStable } from './wait.js'

/** Removes what this run created; a failure to remove one is logged, not thrown over the cause. */
export async function undo(run: PreviewRun): Promise<void> {
  const created = createdByRun(run)
  if (created.length === 0) return
  await run.ctx.log.phase('Undo what this run created', async () => {
    for (const { kind, id } of created) await undoOne(run, kind, id)
  })
}

async function undoOne(run: PreviewRun, kind: string, id: string): Promise<void> {
  const { aws, log, settings } = run.ctx
  try {
    if (kind === 'service') await deleteService(aws, settings.cluster, id)
    else if (kind === 'rule') await deleteRule(aws, id)
    else if (kind === 'listener') await deleteListener(aws, id)
    else if (kind === 'target group') await deleteTargetGroupWhenFree(aws, id)
    else if (kind === 'task definition') await deregisterTaskDefinition(aws, id)
    log.info(`Undone: ${kind} ${id}`)
  } catch (e) {
    log.warning(
      `Could not remove the ${kind} ${id} this run created: ${errorMessage(e)}. ` +
        'Run the teardown (preview-action: destroy) to remove it.'
    )
  }
}

/** What happened to the preview (for the error message), or undefined when there was no earlier revision. */
export async function rollBack(run: PreviewRun, failure: unknown): Promise<string | undefined> {
  const { settings, log } = run.ctx
  const deployed = made(run, 'taskDefinition').taskDefinitionArn ?? ''
  const previous = run.ctx.state.previousTaskDefinitionArn
  if (!previous || previous === deployed) return undefined
  if (!settings.rollback) {
    const summary = `the preview is left on ${revisionName(deployed)} ('${Inputs.Rollback}' is false)`
    log.info(`Not rolling back: ${summary}`)
    return summary
  }
  return log.phase('Roll the preview back', async () => {
    await restore(run, previous).catch((e: unknown) => {
      throw rollbackFailed(run, failure, previous, e)
    })
    run.ctx.state.setRolledBack(true)
    return `rolled back to ${revisionName(previous)}`
  })
}

async function restore(run: PreviewRun, previous: string): Promise<void> {
  const { ctx } = run
  const { cluster } = ctx.settings
  const service = run.names.service
  await updateService(
    ctx.aws,
    { cluster, service, taskDefinition: previous },
    { serviceName: service, taskDefinition: previous }
  )
  ctx.log.info(`Service ${service} rolled back to ${previous}.`)
  await waitForStable(ctx, cluster, service, previous)
}

function rollbackFailed(run: PreviewRun, failure: unknown, previous: string, e: unknown): DeployError {
  const service = run.names.service
  return new DeployError(
    `${errorMessage(failure)}; the rollback to ${revisionName(previous)} failed too: ${errorMessage(e)}`,
    `check the preview service ${service} in the ECS console and update it to a working revision (${previous}) ` +
      'by hand, or push a fix.'
  )
}
