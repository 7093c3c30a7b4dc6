// Whether a workflow run (one attempt of it) is still alive, asked of GitHub's Actions runs API (it
// needs `actions: read`). What a killed run left behind, its deploy lock or its GitHub deployment
// still `in_progress`, is taken over or closed only once GitHub says that run has ended.
import type { EventContext } from './event.js'
import { errorMessage } from './errors.js'
import type { GitHubApi } from './github.js'

/** What GitHub says of a run: `live`, `ended`, or `unknown` when it cannot be asked. */
export interface RunVerdict {
  kind: 'live' | 'ended' | 'unknown'
  /** Why, in words: GitHub's answer, or why it could not be asked. */
  why: string
}

/** A run as something it left names it: its id, the attempt, its repository when known. */
export interface RunRef {
  runId: string
  attempt?: number
  repository?: string
}

/** Asks GitHub about one run. Never throws: an unanswered question is `unknown`. */
export async function askAboutRun(
  ctx: { event: EventContext; github: GitHubApi | undefined },
  ref: RunRef
): Promise<RunVerdict> {
  const { event, github } = ctx
  const run = `run ${ref.runId}`
  // An earlier attempt of this very run has ended: this attempt only starts once it has.
  if (ref.runId === event.runId && ref.attempt && event.runAttempt && ref.attempt < event.runAttempt)
    return {
      kind: 'ended',
      why: `it is attempt ${ref.attempt} of this run, now at attempt ${event.runAttempt}`
    }
  if (!github) return { kind: 'unknown', why: 'no github-token to ask GitHub with' }
  if (ref.runId === 'local') return { kind: 'unknown', why: 'it names no workflow run' }
  if (ref.repository && ref.repository !== event.repository)
    return { kind: 'unknown', why: `${run} is a run of another repository (${ref.repository})` }
  let status
  try {
    status = await github.workflowRun(ref.runId)
  } catch (e) {
    if ((e as { status?: number }).status === 403)
      return {
        kind: 'unknown',
        why: "the github-token may not read workflow runs (403: it needs 'actions: read')"
      }
    return { kind: 'unknown', why: `GitHub did not answer about ${run} (${errorMessage(e)})` }
  }
  if (!status) return { kind: 'unknown', why: `GitHub does not know ${run}` }
  if (status.status === 'completed')
    return {
      kind: 'ended',
      why: `GitHub says ${run} has completed${status.conclusion ? ` (${status.conclusion})` : ''}`
    }
  if (ref.attempt && status.attempt > ref.attempt)
    return {
      kind: 'ended',
      why: `GitHub says ${run} is at attempt ${status.attempt}, so attempt ${ref.attempt} has ended`
    }
  return { kind: 'live', why: `GitHub says ${run} is ${status.status}` }
}

/** The run's page: `<server>/<owner/repo>/actions/runs/<id>[/attempts/<n>]`, as GitHub links it. */
export function runUrl(event: EventContext): string | undefined {
  if (!event.runId || !event.repository) return undefined
  const attempt = event.runAttempt ? `/attempts/${event.runAttempt}` : ''
  return `${event.serverUrl}/${event.repository}/actions/runs/${event.runId}${attempt}`
}

/** The run a `runUrl` names; undefined for any other address. */
export function runOfUrl(url: string | undefined): RunRef | undefined {
  const m = /\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)(?:\/attempts\/(\d+))?\/?$/.exec(url ?? '')
  return m ? { repository: m[1], runId: m[2], attempt: m[3] ? Number(m[3]) : undefined } : undefined
}
