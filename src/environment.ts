// The environment a run deploys to (SPEC "Events and what they do").
import { Inputs } from './constants.js'
import { InputError } from './errors.js'
import type { EventContext } from './event.js'

// SemVer 2.0 with an optional leading `v`; group 4 is the prerelease.
const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/

export interface DetectedEnvironment {
  name: string
  /** Why: shown in the log so a surprising environment can be traced to its cause. */
  reason: string
}

/** Returns undefined when `auto` cannot be derived and the caller may go without one (sweeps). */
export function deriveEnvironment(input: string, event: EventContext): DetectedEnvironment | undefined {
  if (input !== 'auto') return { name: input, reason: `input '${Inputs.Environment}'` }
  if (event.pullRequest) {
    return { name: `pr-${event.pullRequest.number}`, reason: `pull request #${event.pullRequest.number}` }
  }
  if (event.tag !== undefined) {
    const m = SEMVER.exec(event.tag)
    if (m) {
      return m[4] !== undefined
        ? { name: 'staging', reason: `prerelease tag ${event.tag}` }
        : { name: 'production', reason: `release tag ${event.tag}` }
    }
  }
  return undefined
}

export function detectEnvironment(input: string, event: EventContext): DetectedEnvironment {
  const env = deriveEnvironment(input, event)
  if (env) return env
  const what =
    event.tag !== undefined
      ? `tag '${event.tag}', which is not a semver version like v1.2.3 or v1.2.3-rc.1`
      : `event '${event.eventName || 'unknown'}'${event.ref ? ` on ${event.ref}` : ''}`
  throw new InputError([
    `Input '${Inputs.Environment}' is 'auto' but no environment can be derived from ${what}: expected a semver release tag, a pull request, or an explicit environment name such as 'staging'.`
  ])
}

export function isSemverTag(tag: string): boolean {
  return SEMVER.test(tag)
}
