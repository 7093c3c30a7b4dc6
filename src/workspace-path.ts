// Path inputs stay inside the workspace (SPEC: the task-definition file is "in the workspace"): `..`,
// an absolute path elsewhere or a symlink pointing out would read a file the workflow did not check out.
import { realpathSync } from 'node:fs'
import path from 'node:path'
import type { Parsed } from './parse.js'

/** The job's workspace: GITHUB_WORKSPACE on a runner, the current directory elsewhere. */
export function workspaceDir(env: NodeJS.ProcessEnv): string {
  return env.GITHUB_WORKSPACE ?? process.cwd()
}

/**
 * Where `file` (relative to `base`) really is: symlinks resolved as far as the path exists, the rest
 * (a file not there yet) appended as written. A dangling symlink stays unresolved: reading it fails later.
 */
function realLocation(base: string, file: string): string {
  let existing = path.resolve(base, file)
  const rest: string[] = []
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest)
    } catch {
      const parent = path.dirname(existing)
      if (parent === existing) return path.resolve(base, file)
      rest.unshift(path.basename(existing))
      existing = parent
    }
  }
}

/**
 * A path that resolves inside `workspace`. Only what is read as a file goes through here; a relative
 * string without `..` (such as `web:3` or an ECS ARN) always resolves inside, so it is never refused.
 */
export function parseWorkspacePath(raw: string, workspace: string): Parsed<string> {
  const root = realLocation(workspace, '.')
  const real = realLocation(workspace, raw)
  const rel = path.relative(root, real)
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)
  return outside
    ? { ok: false, expected: `a file inside the workspace ${root} (it resolves to ${real})` }
    : { ok: true, value: raw }
}
