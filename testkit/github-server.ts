// A local stand-in for the GitHub REST API (GITHUB_API_URL points here): keeps comments,
// deployments and pull request states in memory and records every request. Tokens act as someone:
// one registered in `identities`, else the workflow's GITHUB_TOKEN (`github-actions[bot]`); comments
// carry their author as GitHub's do (`user.login`, `user.type`).
import http from 'node:http'
import { listenOnLoopback } from './loopback.js'

export interface GitHubRequest {
  method: string
  path: string
  body: unknown
}

export interface GitHubUser {
  login: string
  /** `Bot` for an installation token (an app's bot user), `User` for a PAT or a user token. */
  type: 'User' | 'Bot'
}

/** Who the workflow's GITHUB_TOKEN acts as. */
export const WORKFLOW_BOT: GitHubUser = { login: 'github-actions[bot]', type: 'Bot' }

export interface StoredComment {
  id: number
  issue: number
  body: string
  user: GitHubUser
}

export interface StoredDeployment {
  id: number
  environment: string
  ref: string
  statuses: Array<{ state: string; environment_url?: string; description?: string }>
}

export interface StoredRun {
  status: string
  conclusion: string | null
  run_attempt: number
}

export interface GitHubServer {
  url: string
  requests: GitHubRequest[]
  comments: StoredComment[]
  deployments: StoredDeployment[]
  /** PR number -> state; unknown PRs answer 404. */
  pulls: Map<number, 'open' | 'closed'>
  /** Answer 403 to deployment calls, as a token without `deployments: write` does. */
  denyDeployments: boolean
  /** Answer 403 to comment writes, as a read-only token (a fork PR's) does. */
  denyComments: boolean
  /** Token -> who it acts as; a token not listed here acts as the workflow's GITHUB_TOKEN. */
  identities: Map<string, GitHubUser>
  /** Workflow runs by id (`status`, `conclusion`, `run_attempt`); an unknown run answers 404. */
  runs: Map<string, StoredRun>
  /** Answer 403 to the Actions runs API, as a token without `actions: read` does. */
  denyActions: boolean
  /** A comment written by someone else (anyone who can comment on the PR). */
  addComment(issue: number, body: string, user: GitHubUser): StoredComment
  close(): Promise<void>
}

export async function startGitHubServer(): Promise<GitHubServer> {
  let nextId = 1000
  const state: Omit<GitHubServer, 'url' | 'close'> = {
    requests: [],
    comments: [],
    deployments: [],
    pulls: new Map(),
    denyDeployments: false,
    denyComments: false,
    identities: new Map(),
    runs: new Map(),
    denyActions: false,
    addComment: (issue, body, user) => {
      const c = { id: nextId++, issue, body, user }
      state.comments.push(c)
      return c
    }
  }
  // Octokit sends `authorization: token <token>`.
  const caller = (req: http.IncomingMessage): GitHubUser => {
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? ''
    return state.identities.get(token) ?? WORKFLOW_BOT
  }
  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', c => (raw += c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const path = url.pathname
      const body = raw ? JSON.parse(raw) : undefined
      state.requests.push({ method: req.method ?? 'GET', path, body })
      let m: RegExpExecArray | null
      if (state.denyComments && /\/comments/.test(path) && req.method !== 'GET') {
        return send(res, 403, { message: 'Resource not accessible by integration' })
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path))) {
        const issue = Number(m[1])
        if (req.method === 'GET')
          return send(
            res,
            200,
            state.comments.filter(c => c.issue === issue)
          )
        if (req.method === 'POST')
          return send(res, 201, state.addComment(issue, String(body?.body ?? ''), caller(req)))
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path)) && req.method === 'PATCH') {
        const c = state.comments.find(x => x.id === Number(m![1]))
        if (!c) return send(res, 404, { message: 'Not Found' })
        c.body = String(body?.body ?? '')
        return send(res, 200, c)
      }
      // GET /user answers for a user's token only; an installation token (GITHUB_TOKEN) gets a 403.
      // https://docs.github.com/en/rest/users/users#get-the-authenticated-user
      if (path === '/user' && req.method === 'GET') {
        const who = caller(req)
        return who.type === 'Bot'
          ? send(res, 403, { message: 'Resource not accessible by integration', status: '403' })
          : send(res, 200, { login: who.login, type: who.type })
      }
      // GraphQL's viewer answers for every token, an installation token with its app's bot user.
      if (path === '/graphql' && req.method === 'POST') {
        if (!/\bviewer\s*\{\s*login\s*\}/.test(String(body?.query)))
          return send(res, 200, { errors: [{ message: 'stub answers only { viewer { login } }' }] })
        return send(res, 200, { data: { viewer: { login: caller(req).login } } })
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)$/.exec(path)) && req.method === 'GET') {
        const s = state.pulls.get(Number(m[1]))
        return s
          ? send(res, 200, { number: Number(m[1]), state: s })
          : send(res, 404, { message: 'Not Found' })
      }
      // https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run
      if ((m = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)$/.exec(path)) && req.method === 'GET') {
        if (state.denyActions) return send(res, 403, { message: 'Resource not accessible by integration' })
        const run = state.runs.get(m[1])
        return run ? send(res, 200, { id: Number(m[1]), ...run }) : send(res, 404, { message: 'Not Found' })
      }
      if (/^\/repos\/[^/]+\/[^/]+\/deployments/.test(path) && state.denyDeployments) {
        return send(res, 403, { message: 'Resource not accessible by integration' })
      }
      if (/^\/repos\/[^/]+\/[^/]+\/deployments$/.test(path)) {
        if (req.method === 'POST') {
          const d = {
            id: nextId++,
            environment: String(body?.environment),
            ref: String(body?.ref),
            statuses: []
          }
          state.deployments.push(d)
          return send(res, 201, d)
        }
        const env = url.searchParams.get('environment')
        return send(res, 200, state.deployments.filter(d => !env || d.environment === env).reverse())
      }
      if ((m = /^\/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/.exec(path))) {
        const d = state.deployments.find(x => x.id === Number(m![1]))
        if (!d) return send(res, 404, { message: 'Not Found' })
        // https://docs.github.com/en/rest/deployments/statuses: listed newest first.
        if (req.method === 'GET') return send(res, 200, [...d.statuses].reverse())
        d.statuses.push(body)
        return send(res, 201, { id: nextId++, ...body })
      }
      send(res, 404, { message: `stub has no route for ${req.method} ${path}` })
    })
  })
  const { url, close } = await listenOnLoopback(server)
  return Object.assign(state, { url, close })
}
