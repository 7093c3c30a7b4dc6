// pr-preview's safe state after a cancellation: nothing is undone (the run writes nothing more to
// AWS). Everything the run made carries the PR's tags (zdt:pr), so a re-run of the PR finds it and
// completes it in place, and a teardown finds and removes it. The handler says what exists, and gives
// the PR's GitHub deployment its final status: `error`, "Cancelled" (not `failure`: nothing was judged).
import { Tags } from '../../../constants.js'
import { startDeployment, type DeploymentTracker } from '../../../deployments.js'
import type { PreviewContext } from '../base.js'
import { isEmpty } from '../find.js'
import { createdByRun, type PreviewRun } from './run.js'

/** Registers (or moves along) the preview's safe state; `tracker` once the GitHub deployment exists. */
export function previewSafeState(run: PreviewRun, tracker?: DeploymentTracker): () => void {
  return run.ctx.state.onCancel<PreviewContext['settings']>('preview', async safe => {
    const lines = whatExists(run)
    // A deployment the run had not started yet is started to carry the cancel: the PR shows it.
    const deployment =
      tracker ?? (await startDeployment(safe.github, safe.event, run.names.environment, safe.log))
    await deployment.cancel(`Cancelled: ${lines[0]}`)
    return lines
  })
}

function whatExists(run: PreviewRun): string[] {
  const created = createdByRun(run)
    .reverse()
    .map(d => `${d.kind} ${d.id}`)
  const before = isEmpty(run.existing) ? '' : ' beside what the PR had before'
  const made =
    created.length > 0
      ? `The preview of PR #${run.pr} stands part-made: this run created ${created.join(', ')}${before}.`
      : `The preview of PR #${run.pr} is as the run found it: nothing was created.`
  return [
    made,
    `Every part is tagged ${Tags.Pr}=${run.pr}: a re-run of the PR completes it in place; a teardown ` +
      `(preview-action: destroy) removes it.`
  ]
}
