// What a pr-preview run does: the `preview-action` input, or with `auto` the event (SPEC "Events").
import { Inputs } from '../../constants.js'
import { DeployError } from '../../errors.js'
import type { EventContext } from '../../event.js'
import type { PreviewAction } from '../../inputs.js'

export type ResolvedAction =
  { kind: 'deploy' | 'destroy' | 'sweep'; why: string } | { kind: 'skip'; why: string }

const DEPLOY_ON = new Set(['opened', 'synchronize', 'reopened', 'labeled'])
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

export function selectAction(
  input: PreviewAction,
  event: EventContext,
  environmentInput = 'auto'
): ResolvedAction {
  if (input !== 'auto') return { kind: input, why: `input '${Inputs.PreviewAction}: ${input}'` }
  const name = event.eventName
  if (PULL_REQUEST_EVENTS.has(name)) {
    const action = event.pullRequest?.action ?? String(event.payload.action ?? '')
    if (DEPLOY_ON.has(action)) return { kind: 'deploy', why: `${name} ${action}` }
    if (action === 'closed') return { kind: 'destroy', why: `${name} closed` }
    return {
      kind: 'skip',
      why:
        `${name} '${action || 'unknown'}' does not change a preview (deploys on opened, synchronize, ` +
        `reopened, labeled; tears down on closed)`
    }
  }
  if (name === 'schedule' || name === 'workflow_dispatch') return { kind: 'sweep', why: name }
  // SPEC "anything else": deploy to the environment the input names (e.g. `pr-42` on a push).
  if (environmentInput !== 'auto')
    return {
      kind: 'deploy',
      why: `event '${name || 'unknown'}' with '${Inputs.Environment}: ${environmentInput}'`
    }
  throw new DeployError(
    `Inputs '${Inputs.PreviewAction}' and '${Inputs.Environment}' are 'auto' but event ` +
      `'${name || 'unknown'}' says neither deploy, tear down nor sweep, and names no pull request.`,
    `run pr-preview on pull_request (deploy/tear down) or schedule/workflow_dispatch (sweep), set ` +
      `'${Inputs.Environment}' to the PR's environment (e.g. 'pr-42') to deploy it, or set ` +
      `'${Inputs.PreviewAction}' to deploy, destroy or sweep.`
  )
}

/** The PR a deploy or teardown is about: the event's, else an `environment` input like `pr-42`. */
export function pullRequestNumber(event: EventContext, environmentInput: string): number | undefined {
  if (event.pullRequest) return event.pullRequest.number
  const m = /^pr-(\d+)$/.exec(environmentInput)
  return m ? Number(m[1]) : undefined
}

/** A pull request from another repository (a fork): its code must not get AWS credentials' reach. */
export function isForkPullRequest(event: EventContext): boolean {
  const pr = event.pullRequest
  if (!pr) return false
  // GitHub sends `head.repo: null` when the fork was deleted: its origin is unknown, so it is refused too.
  const head = (event.payload.pull_request as { head?: { repo?: unknown } } | undefined)?.head
  if (head && head.repo === null && pr.baseRepo) return true
  if (!pr.headRepo || !pr.baseRepo) return false
  return pr.headRepo.toLowerCase() !== pr.baseRepo.toLowerCase()
}
