// What one run did, in one place: the resources it created or changed, whether it rolled back, the
// revision it replaced. Undo, cancellation and crash recovery read it; the outputs follow from it,
// set as soon as each value is known, so a failed run still reports what it did.
import { Outputs as OutputNames, type OutputName } from './constants.js'
import type { DeployContext, StrategyResult } from './context.js'
import type { Settings } from './inputs.js'

export type OutputSetter = (name: OutputName, value: string) => void

export class Outputs {
  readonly values = new Map<OutputName, string>()
  constructor(private readonly setter: OutputSetter) {}

  set(name: OutputName, value: string | number | boolean): void {
    const text = String(value)
    this.values.set(name, text)
    this.setter(name, text)
  }

  get(name: OutputName): string | undefined {
    return this.values.get(name)
  }
}

/** One thing the run did to AWS: what undo takes back, newest first. */
export interface Done {
  change: 'created' | 'changed'
  /** `task definition`, `service`, `target group`, `rule`, `listener`, ... */
  kind: string
  id: string
}

/**
 * Brings what its strategy started to a safe state after a cancellation, and says what it left (one
 * line each). It gets the run's context with an AwsApi, a clock and a signal of the grace budget's
 * own: the run's are cancelled by then. It must be quick: the whole budget is CANCEL_BUDGET_MS.
 */
export type SafeState<S extends Settings = Settings> = (ctx: DeployContext<S>) => Promise<string[] | void>

/** How a cancelled run ended: the signal, and what it left, line by line. */
export interface Cancelled {
  by: string
  left: string[]
}

export class RunState {
  /** In the order they happened. */
  readonly done: Done[] = []
  private rolledBackValue: boolean | undefined
  private previous: string | undefined
  private readonly safeStateHandlers = new Map<string, SafeState>()
  private cancelledValue: Cancelled | undefined

  constructor(private readonly outputs: Outputs) {}

  record(change: Done['change'], kind: string, id: string): void {
    this.done.push({ change, kind, id })
  }

  /** True once the service or fleet is back on what ran before; undefined while nothing decided it. */
  get rolledBack(): boolean | undefined {
    return this.rolledBackValue
  }

  setRolledBack(value: boolean): void {
    this.rolledBackValue = value
    this.outputs.set(OutputNames.RolledBack, value)
  }

  /** The task definition the deploy replaces: what a rollback goes back to. */
  get previousTaskDefinitionArn(): string | undefined {
    return this.previous
  }

  setPreviousTaskDefinitionArn(arn: string): void {
    this.previous = arn
    this.outputs.set(OutputNames.PreviousTaskDefinitionArn, arn)
  }

  /**
   * What a cancellation runs for the part of the deploy named `name` (`lock`, `cutover`, ...). The
   * same name again replaces the handler: a strategy moves its safe state along as it goes. Returns
   * the unregister, for when that part is over (it removes only this handler).
   */
  onCancel<S extends Settings>(name: string, handler: SafeState<S>): () => void {
    const stored = handler as SafeState
    this.safeStateHandlers.delete(name)
    this.safeStateHandlers.set(name, stored)
    return () => {
      if (this.safeStateHandlers.get(name) === stored) this.safeStateHandlers.delete(name)
    }
  }

  /** The registered safe states, newest first: the last thing started is the first made safe. */
  safeStates(): [string, SafeState][] {
    return [...this.safeStateHandlers].reverse()
  }

  get cancelled(): Cancelled | undefined {
    return this.cancelledValue
  }

  setCancelled(value: Cancelled): void {
    this.cancelledValue = value
  }
}

/** The outcome the job summary shows: the strategy's, or how the run failed. */
export function runOutcome(state: RunState, failed: boolean, result: StrategyResult | undefined): string {
  if (state.cancelled) return 'cancelled'
  if (failed) return state.rolledBack ? 'failed, rolled back' : 'failed'
  return result?.outcome ?? 'done'
}
