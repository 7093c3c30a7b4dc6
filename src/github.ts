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

export interface GitHubApi {
  readonly owner: string
  readonly repo: string
  /** Finds the comment carrying `marker` on the PR and edits it, or creates one. Returns its id. */
  upsertComment(prNumber: number, marker: string, body: string): Promise<number>
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
}

/** `baseUrl` defaults to GITHUB_API_URL (read by @actions/github); in-process tests pass their server's. */
export function createGitHubApi(token: string, repository: string, baseUrl?: string): GitHubApi {
  const [owner, repo] = repository.split('/')
  const octokit: Octokit = getOctokit(token, baseUrl ? { baseUrl } : {})
  return new OctokitGitHubApi(octokit, owner, repo)
}

class OctokitGitHubApi implements GitHubApi {
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
    const found = comments.find(c => (c.body ?? '').includes(marker))
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
