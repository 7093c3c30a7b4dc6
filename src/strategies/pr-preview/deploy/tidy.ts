// After a redeploy: the reused resources get a new deployed-at (the sweep's idleness clock), routes of the
// other routing mode (the input changed) go, and earlier task definition revisions are deregistered.
import { deregisterTaskDefinition } from '../../../aws/ecs.js'
import { addTags, deleteListener, deleteRule } from '../../../aws/elbv2.js'
import { Tags } from '../../../constants.js'
import { errorMessage } from '../../../errors.js'
import { made, type PreviewRun } from './run.js'

/** The step (on a preview that existed): new deployed-at on the reused resources; stale routes removed. */
export async function retagAndTidy(run: PreviewRun): Promise<void> {
  const { ctx, existing } = run
  const { aws, log } = ctx
  const route = made(run, 'route')
  const targetGroupArn = made(run, 'targetGroupArn')
  const reused = [
    ...existing.targetGroups.map(t => t.TargetGroupArn ?? '').filter(a => a === targetGroupArn),
    ...(route.created ? [] : [route.arn])
  ]
  if (reused.length > 0) await addTags(aws, reused, { [Tags.DeployedAt]: run.tags[Tags.DeployedAt] })
  for (const rule of existing.rules)
    if (rule.RuleArn && rule.RuleArn !== route.arn) {
      await deleteRule(aws, rule.RuleArn)
      log.info(`Removed the preview's old rule ${rule.Priority}.`)
    }
  for (const listener of existing.listeners)
    if (listener.ListenerArn && listener.ListenerArn !== route.arn) {
      await deleteListener(aws, listener.ListenerArn)
      log.info(`Removed the preview's old listener :${listener.Port}.`)
    }
}

/** Earlier revisions of the preview's family: the service no longer runs them. */
export async function deregisterOld(run: PreviewRun): Promise<void> {
  const { log, aws } = run.ctx
  const current = made(run, 'taskDefinition').taskDefinitionArn ?? ''
  const old = run.existing.taskDefinitionArns.filter(a => a !== current)
  for (const arn of old) {
    try {
      await deregisterTaskDefinition(aws, arn)
    } catch (e) {
      log.warning(`Could not deregister the old preview revision ${arn}: ${errorMessage(e)}`)
    }
  }
  if (old.length > 0) log.info(`Deregistered ${old.length} earlier preview revision(s).`)
}
