// Every GitHub API call lives here, through @actions/github's Octokit (GITHUB_API_URL honoured).
import { getOctokit } from '@actions/github'

type Octokit = ReturnType<typeof getOctokit>

export interface IssueComment {
  id: number
  body: string
}

export interface DeploymentParams {
  ref: string
  environment: string
  description: string
  transient: boolean
  production: boolean
}

/** Where a workflow run stands (GET /repos/{owner}/{repo}/actions/runs/{run_id}). */
export interface WorkflowRunStatus {
  /** `queued`, `in_progress`, `waiting`, `completed`, ... */
  status: string
  conclusion: string | undefined
  /** The run's latest attempt: a re-run starts attempt n+1 once attempt n has ended. */
  attempt: number
}

export interface GitHubApi {
  readonly owner: string
  readonly repo: string
  /** Finds our comment carrying `marker` on the PR and edits it, or creates one. Returns its id. */
  upsertComment(prNumber: number, marker: string, body: string): Promise<number>
  /**
   * The comment carrying `marker` that the token's own identity wrote (see `tokenLogin`); a look-alike
   * anyone else wrote, marker and all, is not ours and is left alone.
   */
  findComment(prNumber: number, marker: string): Promise<IssueComment | undefined>
  updateComment(commentId: number, body: string): Promise<void>
  /** State of a pull request: `open` or `closed`; undefined when it does not exist. */
  pullRequestState(prNumber: number): Promise<'open' | 'closed' | undefined>
  createDeployment(params: DeploymentParams): Promise<number>
  createDeploymentStatus(
    deploymentId: number,
    state: 'in_progress' | 'success' | 'failure' | 'error' | 'inactive',
    params: { environmentUrl?: string; logUrl?: string; description?: string }
  ): Promise<void>
  /** Deployments of an environment, newest first. */
  listDeployments(environment: string): Promise<number[]>
  /** A deployment's newest status (its state and the run page it links); undefined if it has none. */
  latestDeploymentStatus(deploymentId: number): Promise<{ state: string; logUrl?: string } | undefined>
  /**
   * A workflow run of `repository` (this one by default); undefined when GitHub does not know it
   * (404). Needs `actions: read`; without it GitHub answers 403, which is thrown.
   */
  workflowRun(runId: string, repository?: string): Promise<WorkflowRunStatus | undefined>
}

/** `baseUrl` defaults to GITHUB_API_URL (read by @actions/github); in-process tests pass their server's. */
export function createGitHubApi(token: string, repository: string, baseUrl?: string): GitHubApi {
  const [owner, repo] = repository.split('/')
  const octokit: Octokit = getOctokit(token, baseUrl ? { baseUrl } : {})
  return new OctokitGitHubApi(octokit, owner, repo)
}

/**
 * The login the token writes comments as. A PAT, an OAuth token or a GitHub App user token answers
 * GET /user. An installation token (the workflow's GITHUB_TOKEN, or another app's, e.g. from
 * actions/create-github-app-token) gets 403 "Resource not accessible by integration" there, and GET /app
 * takes only the app's JWT; GraphQL's `viewer` answers for it with the app's bot user
 * (`github-actions[bot]` for GITHUB_TOKEN), the `user.login` of the comments it writes. Nothing is
 * assumed: when neither answers, the error stands and no comment is taken as ours.
 */
async function tokenLogin(octokit: Octokit): Promise<string> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login
  } catch (e) {
    if ((e as { status?: number }).status !== 403) throw e
  }
  const { viewer } = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }')
  // An installation token always acts as its app's bot user, whose REST login ends in `[bot]`.
  return viewer.login.endsWith('[bot]') ? viewer.login : `${viewer.login}[bot]`
}

class OctokitGitHubApi implements GitHubApi {
  private login: Promise<string> | undefined

  constructor(
    private readonly octokit: Octokit,
    readonly owner: string,
    readonly repo: string
  ) {}

  async findComment(prNumber: number, marker: string): Promise<IssueComment | undefined> {
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      owner: this.owner,
      repo: this.repo,
      issue_number: prNumber,
      per_page: 100
    })
    const marked = comments.filter(c => (c.body ?? '').includes(marker))
    if (marked.length === 0) return undefined
    // Looked up once, and only when a comment carries the marker. Logins are case-insensitive.
    const ours = (await (this.login ??= tokenLogin(this.octokit))).toLowerCase()
    const found = marked.find(c => c.user?.login.toLowerCase() === ours)
    return found ? { id: found.id, body: found.body ?? '' } : undefined
  }

  async upsertComment(prNumber: number, marker: string, body: string): Promise<number> {
    const existing = await this.findComment(prNumber, marker)
    if (existing) {
      await this.updateComment(existing.id, body)
      return existing.id
    }
    const { data } = await this.octokit.rest.issues.createComment({
      owner: this.owner,
      repo: this.repo,
      issue_number: prNumber,
      body
    })
    return data.id
  }

  async updateComment(commentId: number, body: string): Promise<void> {
    await this.octokit.rest.issues.updateComment({
      owner: this.owner,
      repo: this.repo,
      comment_id: commentId,
      body
    })
  }

  async pullRequestState(prNumber: number): Promise<'open' | 'closed' | undefined> {
    try {
      const { data } = await this.octokit.rest.pulls.get({
        owner: this.owner,
        repo: this.repo,
        pull_number: prNumber
      })
      return data.state === 'open' ? 'open' : 'closed'
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined
      throw e
    }
  }

  async createDeployment(params: DeploymentParams): Promise<number> {
    const { data } = await this.octokit.rest.repos.createDeployment({
      owner: this.owner,
      repo: this.repo,
      ref: params.ref,
      environment: params.environment,
      description: params.description,
      transient_environment: params.transient,
      production_environment: params.production,
      auto_merge: false,
      required_contexts: []
    })
    if (!('id' in data))
      throw new Error(`GitHub did not create the deployment: ${data.message ?? 'no reason given'}`)
    return data.id
  }

  async createDeploymentStatus(
    deploymentId: number,
    state: 'in_progress' | 'success' | 'failure' | 'error' | 'inactive',
    params: { environmentUrl?: string; logUrl?: string; description?: string }
  ): Promise<void> {
    await this.octokit.rest.repos.createDeploymentStatus({
      owner: this.owner,
      repo: this.repo,
      deployment_id: deploymentId,
      state,
      environment_url: params.environmentUrl,
      log_url: params.logUrl,
      description: params.description?.slice(0, 140)
    })
  }

  async workflowRun(runId: string, repository?: string): Promise<WorkflowRunStatus | undefined> {
    const [owner, repo] = repository ? repository.split('/') : [this.owner, this.repo]
    try {
      const { data } = await this.octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: Number(runId) })
      return {
        status: data.status ?? 'unknown',
        conclusion: data.conclusion ?? undefined,
        attempt: data.run_attempt ?? 1
      }
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined
      throw e
    }
  }

  async latestDeploymentStatus(
    deploymentId: number
  ): Promise<{ state: string; logUrl?: string } | undefined> {
    // Statuses come newest first (https://docs.github.com/en/rest/deployments/statuses).
    const { data } = await this.octokit.rest.repos.listDeploymentStatuses({
      owner: this.owner,
      repo: this.repo,
      deployment_id: deploymentId,
      per_page: 1
    })
    const latest = data[0]
    return latest ? { state: latest.state, logUrl: latest.log_url || undefined } : undefined
  }

  async listDeployments(environment: string): Promise<number[]> {
    const { data } = await this.octokit.rest.repos.listDeployments({
      owner: this.owner,
      repo: this.repo,
      environment,
      per_page: 100
    })
    return data.map(d => d.id)
  }
}
