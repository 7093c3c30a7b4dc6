// The local app (as `url`) and the local GitHub API every end-to-end suite runs against, started
// before the suite's tests and stopped after them.
import { afterAll, beforeAll } from '@jest/globals'
import { startAppServer, type AppServer } from './app-server.js'
import { startGitHubServer, type GitHubServer } from './github-server.js'

export interface LocalServers {
  readonly app: AppServer
  readonly github: GitHubServer
}

/** Call at the top of a `describe`: the servers are there from `beforeAll` to `afterAll`. */
export function useLocalServers(): LocalServers {
  let app: AppServer | undefined
  let github: GitHubServer | undefined
  beforeAll(async () => {
    app = await startAppServer()
    github = await startGitHubServer()
  })
  afterAll(async () => {
    await app?.close()
    await github?.close()
  })
  const started = <T>(s: T | undefined): T => {
    if (!s) throw new Error('local servers are only available inside tests')
    return s
  }
  return {
    get app() {
      return started(app)
    },
    get github() {
      return started(github)
    }
  }
}
