// An in-memory GitHub for runs in the simulation: PR comments, PR states and deployments, recorded so
// tests can assert what a user would see on the pull request. Implements src/github.ts's GitHubApi;
// a method added there needs its counterpart here. Comments carry their author: as on GitHub, only one
// the token's identity (`login`) wrote is found as ours.
import type { DeploymentParams, GitHubApi, IssueComment, WorkflowRunStatus } from '../../src/github.js'

export interface FakeComment extends IssueComment {
  author: string
}

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive'

export interface FakeDeployment {
  id: number
  ref: string
  environment: string
  description: string
  transient: boolean
  production: boolean
  statuses: Array<{ state: DeploymentState; environmentUrl?: string; logUrl?: string; description?: string }>
}

export class FakeGitHub implements GitHubApi {
  readonly owner: string
  readonly repo: string
  /** Who the token acts as: the workflow's GITHUB_TOKEN by default. */
  login = 'github-actions[bot]'
  /** Comments by pull request number, oldest first. */
  readonly comments = new Map<number, FakeComment[]>()
  readonly pullRequests = new Map<number, 'open' | 'closed'>()
  readonly deployments: FakeDeployment[] = []
  /** Workflow runs by `<owner/repo>#<run id>`; one not listed answers 404. */
  readonly runs = new Map<string, WorkflowRunStatus>()
  /** False: the token lacks `actions: read`, and the runs API answers 403. */
  actionsReadable = true
  /** Every call, in order: `upsertComment #12`, `createDeployment pr-12`, ... */
  readonly calls: string[] = []
  private nextId = 1000

  constructor(repository = 'acme/shop') {
    const [owner, repo] = repository.split('/')
    this.owner = owner
    this.repo = repo
  }

  /** Declares a pull request and its state (unknown ones answer 404, as GitHub does). */
  setPullRequest(number: number, state: 'open' | 'closed'): this {
    this.pullRequests.set(number, state)
    return this
  }

  /** The comments on a pull request, bodies only. */
  commentBodies(prNumber: number): string[] {
    return (this.comments.get(prNumber) ?? []).map(c => c.body)
  }

  /** A comment someone (`author`) wrote on the pull request. */
  addComment(prNumber: number, body: string, author: string): FakeComment {
    const list = this.comments.get(prNumber) ?? []
    const comment = { id: this.nextId++, body, author }
    list.push(comment)
    this.comments.set(prNumber, list)
    return comment
  }

  private ours(prNumber: number, marker: string): FakeComment | undefined {
    return (this.comments.get(prNumber) ?? []).find(c => c.body.includes(marker) && c.author === this.login)
  }

  async findComment(prNumber: number, marker: string): Promise<IssueComment | undefined> {
    this.calls.push(`findComment #${prNumber}`)
    const found = this.ours(prNumber, marker)
    return found ? { id: found.id, body: found.body } : undefined
  }

  async upsertComment(prNumber: number, marker: string, body: string): Promise<number> {
    this.calls.push(`upsertComment #${prNumber}`)
    const existing = this.ours(prNumber, marker)
    if (existing) {
      existing.body = body
      return existing.id
    }
    return this.addComment(prNumber, body, this.login).id
  }

  async updateComment(commentId: number, body: string): Promise<void> {
    this.calls.push(`updateComment ${commentId}`)
    for (const list of this.comments.values()) {
      const c = list.find(x => x.id === commentId)
      if (c) {
        c.body = body
        return
      }
    }
    throw Object.assign(new Error('Not Found'), { status: 404 })
  }

  async pullRequestState(prNumber: number): Promise<'open' | 'closed' | undefined> {
    this.calls.push(`pullRequestState #${prNumber}`)
    return this.pullRequests.get(prNumber)
  }

  async createDeployment(params: DeploymentParams): Promise<number> {
    this.calls.push(`createDeployment ${params.environment}`)
    const id = this.nextId++
    this.deployments.push({ id, ...params, statuses: [] })
    return id
  }

  async createDeploymentStatus(
    deploymentId: number,
    state: DeploymentState,
    params: { environmentUrl?: string; logUrl?: string; description?: string }
  ): Promise<void> {
    this.calls.push(`createDeploymentStatus ${deploymentId} ${state}`)
    const d = this.deployments.find(x => x.id === deploymentId)
    if (!d) throw Object.assign(new Error('Not Found'), { status: 404 })
    d.statuses.push({ state, ...params })
  }

  /** Declares a workflow run of `repository` (this one by default) and where it stands. */
  setRun(runId: string, run: Partial<WorkflowRunStatus> & { status: string }, repository?: string): this {
    this.runs.set(`${repository ?? `${this.owner}/${this.repo}`}#${runId}`, {
      conclusion: undefined,
      attempt: 1,
      ...run
    })
    return this
  }

  async workflowRun(runId: string, repository?: string): Promise<WorkflowRunStatus | undefined> {
    this.calls.push(`workflowRun ${runId}`)
    if (!this.actionsReadable)
      throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 })
    return this.runs.get(`${repository ?? `${this.owner}/${this.repo}`}#${runId}`)
  }

  async latestDeploymentStatus(
    deploymentId: number
  ): Promise<{ state: string; logUrl?: string } | undefined> {
    this.calls.push(`latestDeploymentStatus ${deploymentId}`)
    const latest = this.deployments.find(d => d.id === deploymentId)?.statuses.at(-1)
    return latest ? { state: latest.state, logUrl: latest.logUrl } : undefined
  }

  async listDeployments(environment: string): Promise<number[]> {
    this.calls.push(`listDeployments ${environment}`)
    return this.deployments
      .filter(d => d.environment === environment)
      .map(d => d.id)
      .reverse()
  }
}
