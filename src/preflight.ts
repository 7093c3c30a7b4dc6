// What every strategy's pre-flight shares: a finding (refuse, warn, advise) and the thresholds above
// which a health check or a deregistration delay costs a deploy enough time to say so.

/** refuse: stop before any change; warn: a risk; advise: a setting that costs time, said once. */
export type FindingLevel = 'refuse' | 'warn' | 'advise'

export interface Finding {
  level: FindingLevel
  message: string
  hint: string
}

// Checks that take longer than this to admit a new target are worth a recommendation.
export const SLOW_HEALTHY_SECONDS = 90
// Above this a deploy spends minutes just draining (the ALB default is 300 s).
export const LONG_DEREGISTRATION_DELAY_SECONDS = 120

/** What a rule says is wrong and how to fix it, before it is given a level. */
export type Problem = Pick<Finding, 'message' | 'hint'>

export function refusal(problem: Problem): Finding {
  return { level: 'refuse', message: problem.message, hint: problem.hint }
}

export function warning(message: string, hint = ''): Finding {
  return { level: 'warn', message, hint }
}
