// What every end-to-end suite gives the bundle: moto's AWS variables, the local GitHub API, a poll
// every second, a 60 s wait and a token; and the events that trigger a deploy (a tag push, a release).
import type { LocalServers } from './local-servers.js'
import { motoAwsEnv } from './moto.js'
import { runAction, type ActionRun, type RunActionOptions } from './run-action.js'

export type Trigger = Partial<RunActionOptions>

/** Runs the bundle with the suite's servers: `inputs` on top of the shared ones, then the trigger. */
export function bundleRunner(servers: LocalServers) {
  return (inputs: Record<string, string>, trigger: Trigger): Promise<ActionRun> =>
    runAction({
      inputs: { 'poll-interval': '1', 'wait-timeout': '60', 'github-token': 'test-token', ...inputs },
      env: { ...motoAwsEnv(), GITHUB_API_URL: servers.github.url },
      ...trigger
    })
}

/** A push of tag `tag` to acme/shop. */
export const pushTag = (tag: string): Trigger => ({
  eventName: 'push',
  ref: `refs/tags/${tag}`,
  event: { ref: `refs/tags/${tag}`, repository: { full_name: 'acme/shop' } }
})

/** A published (not pre-) release `tag` of acme/shop. */
export const release = (tag: string): Trigger => ({
  eventName: 'release',
  ref: `refs/tags/${tag}`,
  event: {
    action: 'published',
    release: { tag_name: tag, prerelease: false },
    repository: { full_name: 'acme/shop' }
  }
})
