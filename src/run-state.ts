// What one run did, in one place: the resources it created or changed, whether it rolled back, the
// revision it replaced. Undo, cancellation and crash recovery read it; the outputs follow from it,
// set as soon as each value is known, so a failed run still reports what it did.
import { Outputs as OutputNames, type OutputName } from './constants.js'
import type { StrategyResult } from './context.js'

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

export class RunState {
  /** In the order they happened. */
  readonly done: Done[] = []
  private rolledBackValue: boolean | undefined
  private previous: string | undefined
  /** A dry run plans its writes (AwsApi records them) and does nothing, so nothing is recorded here. */
  planOnly = false
  /** What runs only while the run waits for it (a one-off task), by label, with how to stop it. */
  private readonly running = new Map<string, () => Promise<void>>()

  constructor(private readonly outputs: Outputs) {}

  /** Records a change the run made; false, recording nothing, in a dry run where it was only planned. */
  record(change: Done['change'], kind: string, id: string): boolean {
    if (this.planOnly) return false
    this.done.push({ change, kind, id })
    return true
  }

  /**
   * Registers something the run started and waits for, which a cancelled run must stop (a pre-deploy
   * task); returns the function that unregisters it once it has ended.
   */
  whileRunning(label: string, stop: () => Promise<void>): () => void {
    this.running.set(label, stop)
    return () => this.running.delete(label)
  }

  /** Stops everything still registered as running (cancellation's first step); their labels. */
  async stopRunning(): Promise<string[]> {
    const labels = [...this.running.keys()]
    for (const [label, stop] of [...this.running]) {
      await stop()
      this.running.delete(label)
    }
    return labels
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
}

/** The outcome the job summary shows: the strategy's, or how the run failed. */
export function runOutcome(state: RunState, failed: boolean, result: StrategyResult | undefined): string {
  if (failed) return state.rolledBack ? 'failed, rolled back' : 'failed'
  return result?.outcome ?? 'done'
}
