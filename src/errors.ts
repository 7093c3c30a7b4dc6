/** Text of anything thrown, Error or not (configure-aws-credentials' errorMessage). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  if (typeof e === 'string') return e
  try {
    return JSON.stringify(e)
  } catch {
    return String(e)
  }
}

/** A deploy failure users can act on: what happened, and what to change. */
export class DeployError extends Error {
  readonly hint: string | undefined
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DeployError'
    this.hint = hint
  }
}

/** One or more bad inputs; raised before any AWS call. Each problem names its input. */
export class InputError extends Error {
  readonly problems: string[]
  constructor(problems: string[]) {
    super(
      problems.length === 1 ? problems[0] : `${problems.length} invalid inputs:\n  ${problems.join('\n  ')}`
    )
    this.name = 'InputError'
    this.problems = problems
  }
}

/** The AWS error code of an SDK exception (`name` in SDK v3, `Code` in some XML protocols), for log lines. */
export function awsErrorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined
  const o = e as { name?: unknown; Code?: unknown; code?: unknown }
  for (const v of [o.Code, o.code, o.name]) if (typeof v === 'string' && v !== 'Error') return v
  return undefined
}

const normalise = (code: string) => code.replace(/Exception$/, '')

/**
 * Whether an error carries one of `codes`, compared the same whether it came off the wire
 * (`Code: 'PriorityInUse'`) or was built from the SDK's exception class (`name: 'PriorityInUseException'`).
 * Every decision on an AWS error code goes through here.
 */
export function hasErrorCode(e: unknown, ...codes: string[]): boolean {
  const o = e as { Code?: unknown; code?: unknown; name?: unknown } | null
  const found = [awsErrorCode(e), o?.Code, o?.code, o?.name]
    .filter((c): c is string => typeof c === 'string')
    .map(normalise)
  return codes.some(c => found.includes(normalise(c)))
}
