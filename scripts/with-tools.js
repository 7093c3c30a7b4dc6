// `node scripts/with-tools.js <command...>`: runs the command with what the tests and the demo need,
// set up on the first run so a newcomer's `npm test` and `npm run demo` work on any Node from 20 on:
// - Node 24, the runtime the action ships for (action.yml: node24), from the npm registry package
//   node-<platform>-<arch>@24 into .tools/node24 (as .ci/node24.sh does) when this Node is older;
// - moto_server, into a virtual environment at .tools/moto when it is not on PATH and python3 is.
// Plain JavaScript that any Node from 20 on runs, since it starts before Node 24 is there.
import { spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TOOLS = path.join(ROOT, '.tools')
const MOTO_REQUIREMENT = 'moto[server]>=5,<6'

/** The executable `name` in one of `dirs` (PATH by default), or undefined. */
export function findExecutable(name, dirs = (process.env.PATH ?? '').split(path.delimiter)) {
  for (const dir of dirs) {
    if (!dir) continue
    const file = path.join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  return undefined
}

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env })
  if (r.error) throw r.error
  return r.status ?? 1
}

/** Where Node 24 for `platform` and `arch` lives once installed: its npm package and bin directory. */
export function node24Location(platform = process.platform, arch = process.arch) {
  const pkg = `node-${platform === 'win32' ? 'win' : platform}-${arch}`
  return { pkg, bin: path.join(TOOLS, 'node24', 'node_modules', pkg, 'bin') }
}

/** The bin directory of a Node 24 to put first on PATH, or undefined when this Node is 24 or newer. */
export function node24Bin(version = process.versions.node) {
  if (Number(version.split('.')[0]) >= 24) return undefined
  const { pkg, bin } = node24Location()
  if (!findExecutable('node', [bin])) {
    console.error(
      `Node ${version} is older than the action's runtime: installing ${pkg}@24 into .tools/node24`
    )
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const prefix = path.join(TOOLS, 'node24')
    const args = ['install', '--silent', '--no-save', '--no-package-lock', '--prefix', prefix, `${pkg}@24`]
    if (run(npm, args) !== 0 || !findExecutable('node', [bin]))
      throw new Error(
        `Could not install ${pkg}@24 from the npm registry: install Node 24 yourself and run again.`
      )
  }
  return bin
}

/**
 * The bin directory holding moto_server to add to PATH: none when it is already on PATH (nothing
 * changes then), else .tools/moto/bin, made with python3's venv the first time.
 */
export function motoBin(which = findExecutable) {
  if (which('moto_server')) return undefined
  const venv = path.join(TOOLS, 'moto')
  const bin = path.join(venv, 'bin')
  if (which('moto_server', [bin])) return bin
  const python = which('python3')
  if (!python)
    throw new Error(
      `moto_server (the local AWS the tests and the demo run against) is not installed, and there is no python3 to install it with.\n` +
        `Install Python 3 with its venv module (e.g. 'apt-get install python3 python3-venv', 'brew install python'), or moto itself: pip install "${MOTO_REQUIREMENT}"`
    )
  console.error(
    `moto_server is not on PATH: installing ${MOTO_REQUIREMENT} into .tools/moto (python3 -m venv)`
  )
  if (run(python, ['-m', 'venv', venv]) !== 0)
    throw new Error(
      `'python3 -m venv ${venv}' failed: install Python's venv module (e.g. apt-get install python3-venv).`
    )
  if (
    run(path.join(bin, 'pip'), ['install', '--quiet', MOTO_REQUIREMENT]) !== 0 ||
    !which('moto_server', [bin])
  )
    throw new Error(
      `Could not install ${MOTO_REQUIREMENT} into .tools/moto: install it yourself (pip install "${MOTO_REQUIREMENT}").`
    )
  return bin
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd, ...args] = process.argv.slice(2)
  if (!cmd) {
    console.error('usage: node scripts/with-tools.js <command> [args...]')
    process.exit(2)
  }
  let dirs
  try {
    dirs = [node24Bin(), motoBin()].filter(Boolean)
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e))
    process.exit(1)
  }
  // Child processes (npm, node, jest's moto_server) find the tools first on PATH.
  const env = dirs.length
    ? { ...process.env, PATH: [...dirs, process.env.PATH].join(path.delimiter) }
    : process.env
  process.exit(run(cmd, args, env))
}
