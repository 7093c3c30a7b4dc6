// The runner's protocol as GitHub's runner reads it back: outputs as delimited blocks in the
// GITHUB_OUTPUT file, commands with their data escaped, the summary appended, the exit code.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { appendSummary, escapeData, getInput, setFailed, setOutput, stdoutSink } from '../../src/runner.js'

const dirs: string[] = []
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'zdt-runner-'))
  dirs.push(dir)
  const file = join(dir, 'file')
  writeFileSync(file, '')
  return file
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  process.exitCode = undefined
  jest.restoreAllMocks()
})

function stdout(fn: () => void): string {
  const written: string[] = []
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    written.push(String(chunk))
    return true
  })
  fn()
  return written.join('')
}

describe('the runner protocol', () => {
  it('reads INPUT_<NAME> with spaces as underscores, upper-cased and trimmed', () => {
    const env = { 'INPUT_BLUE-ASG': '  shop-blue \n', INPUT_MY_INPUT: 'x' }
    expect(getInput('blue-asg', env)).toBe('shop-blue')
    expect(getInput('my input', env)).toBe('x')
    expect(getInput('missing', env)).toBe('')
  })

  it('writes each output as a delimited block the runner parses back, multi-line values included', () => {
    const file = tempFile()
    setOutput('url', 'http://a.example.com', { GITHUB_OUTPUT: file })
    setOutput('notes', 'line 1\nline 2', { GITHUB_OUTPUT: file })
    const text = readFileSync(file, 'utf8')
    const blocks = [...text.matchAll(/^(\S+)<<(ghadelimiter_[0-9a-f-]{36})\n([\s\S]*?)\n\2\n/gm)]
    expect(blocks.map(b => [b[1], b[3]])).toEqual([
      ['url', 'http://a.example.com'],
      ['notes', 'line 1\nline 2']
    ])
    expect(blocks[0][2]).not.toBe(blocks[1][2])
  })

  it('falls back to the ::set-output command without a GITHUB_OUTPUT file', () => {
    expect(stdout(() => setOutput('url', 'a\nb', {}))).toBe('\n::set-output name=url::a%0Ab\n')
  })

  it('escapes command data, so a multi-line failure stays one annotation, and fails the step', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext')
    expect(stdout(() => setFailed('Refused.\nFix: raise it'))).toBe('::error::Refused.%0AFix: raise it\n')
    expect(process.exitCode).toBe(1)
  })

  it('groups, warns and logs on stdout as workflow commands', () => {
    const out = stdout(() => {
      stdoutSink.startGroup('Pre-flight')
      stdoutSink.info('plain line')
      stdoutSink.warning('slow health checks')
      stdoutSink.debug('detail')
      stdoutSink.endGroup()
    })
    expect(out.split('\n')).toEqual([
      '::group::Pre-flight',
      'plain line',
      '::warning::slow health checks',
      '::debug::detail',
      '::endgroup::',
      ''
    ])
  })

  it('appends the job summary to GITHUB_STEP_SUMMARY, and writes nothing without one', async () => {
    const file = tempFile()
    writeFileSync(file, 'earlier step\n')
    await appendSummary('## zdt-deploy', { GITHUB_STEP_SUMMARY: file })
    expect(readFileSync(file, 'utf8')).toBe('earlier step\n## zdt-deploy\n')
    await expect(appendSummary('## zdt-deploy', {})).resolves.toBeUndefined()
  })
})
