// Whose comment is ours: only one the token's own identity wrote, whatever else carries the marker.
// Octokit (src/github.ts) against the local GitHub server, which answers GET /user with 403 for an
// installation token as GitHub does, and GraphQL's viewer for every token.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createGitHubApi } from '../../src/github.js'
import { startGitHubServer, WORKFLOW_BOT, type GitHubServer } from '../../testkit/github-server.js'

const MARKER = '<!-- zdt-deploy:preview:main/web -->'
const MALLORY = { login: 'mallory', type: 'User' } as const

describe('findComment and upsertComment take only our own comment', () => {
  let github: GitHubServer
  beforeAll(async () => {
    github = await startGitHubServer()
    github.identities.set('ghp_personal', { login: 'Deploy-Bot', type: 'User' })
    github.identities.set('ghs_app', { login: 'shop-deployer[bot]', type: 'Bot' })
  })
  afterAll(() => github.close())

  const api = (token: string) => createGitHubApi(token, 'acme/shop', github.url)
  const paths = (method: string) => github.requests.filter(q => q.method === method).map(q => q.path)

  it("with the workflow's token: a look-alike by another user is ignored and left alone", async () => {
    const lookAlike = github.addComment(7, `${MARKER}\nclick here`, MALLORY)
    const ours = api('ghs_workflow')
    expect(await ours.findComment(7, MARKER)).toBeUndefined()
    // GET /user refuses the installation token; GraphQL's viewer names its bot user.
    expect(github.requests.map(q => `${q.method} ${q.path}`)).toEqual(
      expect.arrayContaining(['GET /user', 'POST /graphql'])
    )

    const id = await ours.upsertComment(7, MARKER, `${MARKER}\npreview deployed`)
    expect(id).not.toBe(lookAlike.id)
    expect(github.comments.find(c => c.id === id)?.user).toEqual(WORKFLOW_BOT)
    // The next run finds and edits ours, never hers.
    expect(await ours.upsertComment(7, MARKER, `${MARKER}\npreview updated`)).toBe(id)
    expect(paths('PATCH')).toEqual([`/repos/acme/shop/issues/comments/${id}`])
    expect(github.comments.find(c => c.id === lookAlike.id)?.body).toBe(`${MARKER}\nclick here`)
    expect(await ours.findComment(7, MARKER)).toEqual({ id, body: `${MARKER}\npreview updated` })
  })

  it("with a personal token: the comments it wrote (GET /user's login, any case), not github-actions[bot]'s", async () => {
    github.addComment(8, MARKER, WORKFLOW_BOT)
    const mine = github.addComment(8, `${MARKER}\nmine`, { login: 'deploy-bot', type: 'User' })
    expect(await api('ghp_personal').findComment(8, MARKER)).toEqual({ id: mine.id, body: mine.body })
  })

  it("with another app's installation token: its own bot user's comments only", async () => {
    github.addComment(9, MARKER, WORKFLOW_BOT)
    github.addComment(9, MARKER, { login: 'shop-deployer', type: 'User' })
    const app = api('ghs_app')
    expect(await app.findComment(9, MARKER)).toBeUndefined()
    const id = await app.upsertComment(9, MARKER, MARKER)
    expect(github.comments.find(c => c.id === id)?.user.login).toBe('shop-deployer[bot]')
    expect((await app.findComment(9, MARKER))?.id).toBe(id)
  })

  it('asks who the token is once, and only when some comment carries the marker', async () => {
    const before = github.requests.length
    const ours = api('ghs_workflow')
    expect(await ours.findComment(10, MARKER)).toBeUndefined()
    github.addComment(10, MARKER, MALLORY)
    await ours.findComment(10, MARKER)
    await ours.findComment(10, MARKER)
    const asked = github.requests.slice(before).filter(q => q.path === '/user' || q.path === '/graphql')
    expect(asked.map(q => q.path)).toEqual(['/user', '/graphql'])
  })
})
