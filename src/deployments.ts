// GitHub Deployments: the repository's Environments page and the PR show the live URL and state.
// Optional by design: a token without `deployments: write` gets a warning, never a failed deploy.
import { errorMessage } from './errors.js'
import type { EventContext } from './event.js'
import type { GitHubApi } from './github.js'
import type { Reporter } from './report.js'
import { askAboutRun, runOfUrl, runUrl } from './workflow-runs.js'

export interface DeploymentTracker {
  finish(ok: boolean, environmentUrl: string | undefined, description: string): Promise<void>
  /**
   * A cancelled run's final status: `error` ("the deployment did not complete"), not `failure` (the
   * new version was judged and found bad) nor `inactive` (which would read as "superseded" and hide
   * that a deploy stopped half-way). The description starts with "Cancelled".
   */
  cancel(description: string): Promise<void>
}

const NOOP: DeploymentTracker = { finish: async () => {}, cancel: async () => {} }

function permissionHint(e: unknown): string {
  const status = (e as { status?: number }).status
  return status === 403 || status === 404
    ? `the token lacks the 'deployments: write' permission (add it under 'permissions:' in the workflow)`
    : errorMessage(e)
}

export async function startDeployment(
  github: GitHubApi | undefined,
  event: EventContext,
  environment: string,
  log: Reporter
): Promise<DeploymentTracker> {
  if (!github) return NOOP
  const ref = event.pullRequest?.headSha || event.tag || event.sha || event.ref
  if (!ref) return NOOP
  // The attempt is in the link: a later run tells from it whether the run that made this has ended.
  const logUrl = runUrl(event)
  let id: number
  try {
    id = await github.createDeployment({
      ref,
      environment,
      description: `zdt-deploy to ${environment}`,
      transient: environment.startsWith('pr-'),
      production: environment === 'production'
    })
    await github.createDeploymentStatus(id, 'in_progress', { logUrl, description: 'Deploying' })
  } catch (e) {
    log.warning(`GitHub deployment for '${environment}' not recorded: ${permissionHint(e)}.`)
    return NOOP
  }
  log.debug(`GitHub deployment ${id} for '${environment}' is in progress`)
  const final = async (
    state: 'success' | 'failure' | 'error',
    environmentUrl: string | undefined,
    description: string
  ) => {
    try {
      await github.createDeploymentStatus(id, state, { environmentUrl, logUrl, description })
    } catch (e) {
      log.warning(`GitHub deployment status for '${environment}' not recorded: ${permissionHint(e)}.`)
    }
  }
  return {
    finish: async (ok, environmentUrl, description) => {
      await final(ok ? 'success' : 'failure', environmentUrl, description)
      await closeAbandoned(github, event, environment, id, log)
    },
    cancel: description => final('error', undefined, description)
  }
}

/** How many of the environment's newest deployments a run looks at for abandoned ones. */
const ABANDONED_LOOKBACK = 5
const OPEN_STATES = new Set(['in_progress', 'queued', 'pending'])

/**
 * A run that was killed (SIGKILL, a lost runner) never gave its deployment a final status, and the
 * Environments page would show it deploying forever. Once GitHub says that run has ended, this run
 * closes it with `error`. One still live (another deploy under way) is left alone.
 */
async function closeAbandoned(
  github: GitHubApi,
  event: EventContext,
  environment: string,
  ownId: number,
  log: Reporter
): Promise<void> {
  try {
    const earlier = (await github.listDeployments(environment)).filter(id => id !== ownId)
    for (const id of earlier.slice(0, ABANDONED_LOOKBACK)) {
      const latest = await github.latestDeploymentStatus(id)
      const run = latest && OPEN_STATES.has(latest.state) ? runOfUrl(latest.logUrl) : undefined
      if (!run) continue
      const verdict = await askAboutRun({ event, github }, run)
      if (verdict.kind !== 'ended') continue
      // GitHub keeps at most 140 characters of a status description.
      const description = `Ended without a final status: ${verdict.why}`.slice(0, 140)
      await github.createDeploymentStatus(id, 'error', { logUrl: latest!.logUrl, description })
      log.info(
        `GitHub deployment ${id} of '${environment}' was left ${latest!.state} by a run that ended (${verdict.why}): marked error`
      )
    }
  } catch (e) {
    log.debug(`Earlier GitHub deployments of '${environment}' not checked: ${permissionHint(e)}`)
  }
}

/** A torn-down preview: its deployments become inactive, so the PR no longer links a dead URL. */
export async function markEnvironmentInactive(
  github: GitHubApi | undefined,
  environment: string,
  log: Reporter
): Promise<void> {
  if (!github) return
  try {
    for (const id of await github.listDeployments(environment)) {
      await github.createDeploymentStatus(id, 'inactive', { description: 'Preview torn down' })
    }
  } catch (e) {
    log.warning(`GitHub deployments of '${environment}' not marked inactive: ${permissionHint(e)}.`)
  }
}
