// What a step of the story promises, checked against what happened: each check names what it looked
// at, what the story expects and what was found.

export interface Check {
  what: string
  ok: boolean
  expected: string
  actual: string
}

const show = (v: unknown): string =>
  v === undefined ? '(unset)' : typeof v === 'string' ? v : JSON.stringify(v)

/** `actual` equals `expected` (deeply, as JSON). */
export function equals(what: string, actual: unknown, expected: unknown): Check {
  const ok = JSON.stringify(actual) === JSON.stringify(expected)
  return { what, ok, expected: show(expected), actual: show(actual) }
}

/** `actual` is a string matching `pattern`. */
export function matches(what: string, actual: string | undefined, pattern: RegExp): Check {
  return {
    what,
    ok: actual !== undefined && pattern.test(actual),
    expected: String(pattern),
    actual: show(actual)
  }
}

/** A condition with its own description of what was found. */
export function holds(what: string, ok: boolean, actual: string, expected = 'yes'): Check {
  return { what, ok, expected, actual }
}

/** The lines explaining failed checks (none when all passed). */
export function failures(checks: Check[]): string[] {
  return checks
    .filter(c => !c.ok)
    .flatMap(c => [`${c.what}:`, `    expected ${c.expected}`, `    found    ${c.actual}`])
}
