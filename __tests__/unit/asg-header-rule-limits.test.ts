// The synthetic header against ALB's limits on an http-header rule condition: what CreateRule would
// refuse is refused in the pre-flight instead, with the fix.
import { describe, expect, it } from '@jest/globals'
import {
  headerRuleProblem,
  headerValueHasWildcards
} from '../../src/strategies/asg-blue-green/header-rule.js'

describe('headerRuleProblem', () => {
  it('accepts a custom header within the limits (40-character name, 128-character value)', () => {
    expect(headerRuleProblem({ name: 'Synthetic', value: 'True' })).toBeUndefined()
    expect(headerRuleProblem({ name: 'X'.repeat(40), value: 'v'.repeat(128) })).toBeUndefined()
  })

  it('refuses the Host header, whatever its case', () => {
    expect(headerRuleProblem({ name: 'host', value: 'canary.example.com' })?.message).toMatch(/Host header/)
  })

  it('refuses a name longer than 40 characters', () => {
    expect(headerRuleProblem({ name: 'X'.repeat(41), value: 'v' })?.message).toMatch(
      /41 characters.*at most 40/
    )
  })

  it('refuses a value longer than 128 characters', () => {
    expect(headerRuleProblem({ name: 'Synthetic', value: 'v'.repeat(129) })?.message).toMatch(
      /129 characters.*at most 128/
    )
  })
})

describe('headerValueHasWildcards', () => {
  it('flags * and ?, which ALB reads as wildcards', () => {
    expect(headerValueHasWildcards({ value: 'tr*e' })).toBe(true)
    expect(headerValueHasWildcards({ value: 'tru?' })).toBe(true)
    expect(headerValueHasWildcards({ value: 'True' })).toBe(false)
  })
})
