// Outputs are set as soon as they are known, so a failed run still reports what it did.
import type { OutputName } from './constants.js'

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
