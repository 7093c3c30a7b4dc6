// The PR comment: what it says per status, and PR-supplied text rendered inert.
import { describe, expect, it } from '@jest/globals'
import {
  commentTime,
  inert,
  renderComment,
  type CommentModel
} from '../../src/strategies/pr-preview/comment.js'

const HOSTILE = 'x`$(id)`;)[a](b)@team<img>'
const AT = Date.UTC(2024, 4, 1, 12, 30)

const model = (over: Partial<CommentModel> = {}): CommentModel => ({
  marker: '<!-- zdt-deploy:preview:main/web -->',
  pr: 7,
  status: 'deployed',
  url: 'http://pr-7.preview.example.com',
  sha: '0123456789abcdef0123456789abcdef01234567',
  branch: 'feature/login',
  title: 'Add login',
  at: AT,
  detail: 'smoke test /healthz answered 200',
  ...over
})

describe('inert', () => {
  it('leaves no markup in a hostile branch name', () => {
    const out = inert(HOSTILE)
    for (const raw of ['`', '[', ']', '(', ')', '<', '>', '@team']) expect(out).not.toContain(raw)
    expect(out).toContain('@&#8203;team')
    expect(out).toContain('&lt;img&gt;')
  })

  it('decodes back to the original text (what readers see)', () => {
    const decoded = inert(HOSTILE)
      .replace(/&#8203;/g, '')
      .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
    expect(decoded).toBe(HOSTILE)
  })

  it('keeps text on one line and bounded', () => {
    expect(inert('a\nb\r\nc')).toBe('a b c')
    expect(inert('x'.repeat(500)).length).toBeLessThanOrEqual(200)
  })

  it('escapes entities a PR author writes, so they cannot smuggle markup either', () => {
    expect(inert('&lt;img&gt;')).toBe('&amp;lt;img&amp;gt;')
  })
})

describe('renderComment', () => {
  it('starts with the marker and shows URL, commit, branch, status and time', () => {
    const body = renderComment(model())
    expect(body.split('\n')[0]).toBe('<!-- zdt-deploy:preview:main/web -->')
    expect(body).toContain('✅ Preview is ready')
    expect(body).toContain('http://pr-7.preview.example.com')
    expect(body).toContain('`0123456789abcdef0123456789abcdef01234567`')
    expect(body).toContain('feature/login')
    expect(body).toContain('deployed: smoke test /healthz answered 200')
    expect(body).toContain(commentTime(AT))
    expect(commentTime(AT)).toBe('2024-05-01 12:30 UTC')
  })

  it('renders hostile branch names and titles inert', () => {
    const body = renderComment(model({ branch: HOSTILE, title: `${HOSTILE} <script>alert(1)</script>` }))
    expect(body).not.toContain('[a](b)')
    expect(body).not.toContain('<img>')
    expect(body).not.toContain('<script>')
    expect(body).not.toMatch(/@team/)
    expect(body).not.toContain('`$(id)`')
  })

  it('does not trust a SHA or URL that is not one', () => {
    const body = renderComment(model({ sha: '`x`[y](z)', url: 'javascript:alert(1)//<b>' }))
    expect(body).not.toContain('[y](z)')
    expect(body).not.toContain('<b>')
  })

  it('drops the URL once the preview is gone', () => {
    const torn = renderComment(model({ status: 'torn-down', detail: 'pull request #7 closed' }))
    expect(torn).toContain('🧹 Preview torn down')
    expect(torn).toContain('torn down (pull request #7 closed)')
    // A manual destroy does not claim the PR closed.
    const manual = renderComment(model({ status: 'torn-down', detail: undefined }))
    expect(manual).toContain('**Status:** torn down\n')
    expect(manual).not.toContain('closed)')
    expect(torn).not.toContain('http://pr-7')
    const removed = renderComment(model({ status: 'removed', detail: 'idle for 8d' }))
    expect(removed).toContain('removed by the sweep: idle for 8d')
  })

  it('says when a deploy failed, with the reason made inert', () => {
    const body = renderComment(model({ status: 'failed', detail: 'Smoke test failed: GET <x> answered 502' }))
    expect(body).toContain('❌ Preview failed')
    expect(body).toContain('&lt;x&gt;')
  })
})
