// What a strategy is handed: its settings and every dependency, injected so the simulation and
// the end-to-end tests can drive time, traffic, AWS and GitHub.
import type { AwsApi } from './aws/api.js'
import type { Clock } from './clock.js'
import type { EventContext } from './event.js'
import type { GitHubApi } from './github.js'
import type { HttpProber } from './http.js'
import type { Settings } from './inputs.js'
import type { Outputs, RunState } from './run-state.js'
import type { Reporter } from './report.js'

export interface Deps {
  aws: AwsApi
  clock: Clock
  http: HttpProber
  log: Reporter
  event: EventContext
  /** Undefined when no token is available: GitHub surfaces are skipped with a warning. */
  github: GitHubApi | undefined
  /** Where `task-definition` paths are resolved (GITHUB_WORKSPACE). */
  workspace: string
}

export interface DeployContext<S extends Settings = Settings> extends Deps {
  settings: S
  /** Derived or given; undefined only for runs that deploy nothing (a sweep). */
  environment: string | undefined
  outputs: Outputs
  /** What this run did: undo reads it, `rolled-back` and the summary's outcome follow from it. */
  state: RunState
}

export type Outcome = 'deployed' | 'unchanged' | 'planned' | 'torn-down' | 'swept' | 'skipped'

export interface StrategyResult {
  outcome: Outcome
  /** One line for the log and the summary. */
  message: string
}

export type Strategy<S extends Settings> = (ctx: DeployContext<S>) => Promise<StrategyResult>
