// AWS error codes compared the same whether an error came off the wire (`Code: 'PriorityInUse'`) or
// was built from the SDK's exception class (`name: 'PriorityInUseException'`).
import { awsErrorCode } from '../errors.js'

const normalise = (code: string) => code.replace(/Exception$/, '')

export function hasErrorCode(e: unknown, ...codes: string[]): boolean {
  const o = e as { Code?: unknown; code?: unknown; name?: unknown } | null
  const found = [awsErrorCode(e), o?.Code, o?.code, o?.name]
    .filter((c): c is string => typeof c === 'string')
    .map(normalise)
  return codes.some(c => found.includes(normalise(c)))
}
