// GitHub Deployments: the repository's Environments page and the PR show the live URL and state.
// Optional by design: a token without `deployments: write` gets a warning, never a failed deploy.
import { errorMessage } from './errors.js'
import type { EventContext } from './event.js'
import type { GitHubApi } from './github.js'
import type { Reporter } from './report.js'

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
  const logUrl =
    event.runId && event.repository
      ? `${event.serverUrl}/${event.repository}/actions/runs/${event.runId}`
      : undefined
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
    finish: (ok, environmentUrl, description) =>
      final(ok ? 'success' : 'failure', environmentUrl, description),
    cancel: description => final('error', undefined, description)
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
