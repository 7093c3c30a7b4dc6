// After a failed update of an existing preview: put back the revision it ran before, so the PR keeps a
// working preview. A first deploy has nothing to go back to: it stays up, marked failed, to debug.
import { revisionName } from '../../aws/arns.js'
import { updateService } from '../../aws/ecs.js'
import { Inputs } from '../../constants.js'
import { DeployError, errorMessage } from '../../errors.js'
import type { PreviewContext } from './base.js'
import { waitForStable } from './wait.js'

/** Returns what happened to the preview (for the error message), or undefined when there was no earlier revision. */
export async function rollBackPreview(
  ctx: PreviewContext,
  service: string,
  deployedArn: string,
  failure: unknown
): Promise<string | undefined> {
  const { settings, log, aws } = ctx
  const previous = ctx.state.previousTaskDefinitionArn
  if (!previous || previous === deployedArn) return undefined
  if (!settings.rollback) {
    const summary = `the preview is left on ${revisionName(deployedArn)} ('${Inputs.Rollback}' is false)`
    log.info(`Not rolling back: ${summary}`)
    return summary
  }
  return log.phase('Roll the preview back', async () => {
    try {
      await updateService(
        aws,
        { cluster: settings.cluster, service, taskDefinition: previous },
        { serviceName: service, taskDefinition: previous }
      )
      log.info(`Service ${service} rolled back to ${previous}.`)
      await waitForStable(ctx, settings.cluster, service, previous)
    } catch (e) {
      throw new DeployError(
        `${errorMessage(failure)}; the rollback to ${revisionName(previous)} failed too: ${errorMessage(e)}`,
        `check the preview service ${service} in the ECS console and update it to a working revision (${previous}) by hand, or push a fix.`
      )
    }
    ctx.state.setRolledBack(true)
    return `rolled back to ${revisionName(previous)}`
  })
}
