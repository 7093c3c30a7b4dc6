// What triggered the run, read from the runner's variables (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, ...).
import { readFileSync } from 'node:fs'

export interface PullRequestInfo {
  number: number
  action: string
  state: string
  headSha: string
  headRef: string
  headRepo: string | undefined
  baseRepo: string | undefined
  title: string
  merged: boolean
}

export interface EventContext {
  eventName: string
  ref: string
  sha: string
  /** owner/repo */
  repository: string
  apiUrl: string
  serverUrl: string
  runId: string
  /** GITHUB_RUN_ATTEMPT: a re-run of the same run id counts up from 1. */
  runAttempt?: number
  payload: Record<string, unknown>
  /** The release or pushed tag, when the event carries one. */
  tag: string | undefined
  pullRequest: PullRequestInfo | undefined
}

export function readEventContext(env: NodeJS.ProcessEnv = process.env): EventContext {
  let payload: Record<string, unknown> = {}
  const path = env.GITHUB_EVENT_PATH
  if (path) {
    try {
      payload = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
    } catch {
      payload = {}
    }
  }
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const ref = env.GITHUB_REF ?? ''
  const repository =
    env.GITHUB_REPOSITORY ?? (get(payload, 'repository', 'full_name') as string | undefined) ?? ''
  return {
    eventName,
    ref,
    sha: env.GITHUB_SHA ?? '',
    repository,
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ? Number(env.GITHUB_RUN_ATTEMPT) || undefined : undefined,
    payload,
    tag: tagOf(eventName, ref, payload),
    pullRequest: pullRequestOf(payload)
  }
}

function get(o: unknown, ...keys: string[]): unknown {
  let cur = o
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null) return undefined
    cur = (cur as Record<string, unknown>)[k]
  }
  return cur
}

function tagOf(eventName: string, ref: string, payload: Record<string, unknown>): string | undefined {
  const releaseTag = get(payload, 'release', 'tag_name')
  if (eventName === 'release' && typeof releaseTag === 'string') return releaseTag
  if (ref.startsWith('refs/tags/')) return ref.slice('refs/tags/'.length)
  return undefined
}

function pullRequestOf(payload: Record<string, unknown>): PullRequestInfo | undefined {
  const pr = get(payload, 'pull_request')
  const number = get(pr, 'number') ?? get(payload, 'number')
  if (typeof pr !== 'object' || pr === null || typeof number !== 'number') return undefined
  return {
    number,
    action: String(get(payload, 'action') ?? ''),
    state: String(get(pr, 'state') ?? ''),
    headSha: String(get(pr, 'head', 'sha') ?? ''),
    headRef: String(get(pr, 'head', 'ref') ?? ''),
    headRepo: get(pr, 'head', 'repo', 'full_name') as string | undefined,
    baseRepo: get(pr, 'base', 'repo', 'full_name') as string | undefined,
    title: String(get(pr, 'title') ?? ''),
    merged: get(pr, 'merged') === true
  }
}
