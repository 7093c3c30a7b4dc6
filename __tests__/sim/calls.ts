// Every AWS operation the code under test sent, in order, with its input: what the IAM-policy drift
// test compares against the documented policies, and what scenario tests assert call order on.
import { IAM_PREFIX, type ServiceKey } from './errors.js'

export interface RecordedCall {
  atMs: number
  service: ServiceKey
  /** `UpdateService` */
  operation: string
  /** `ecs:UpdateService`, `elasticloadbalancing:CreateRule`: the IAM action the call needs. */
  action: string
  input: Record<string, unknown>
  /** Error code the call failed with (`Throttling`, `PriorityInUse`, ...), if it failed. */
  error?: string
}

/** Operations that only read: Describe*, List*, Get*, and CloudWatch Logs' FilterLogEvents. */
export const READ_ONLY = /^(Describe|List|Get|Filter)/

/** `elbv2:CreateRule`, `elasticloadbalancing:CreateRule` and `CreateRule` all name the same calls. */
export function matchesOperation(
  call: Pick<RecordedCall, 'service' | 'operation' | 'action'>,
  name: string
): boolean {
  if (!name.includes(':')) return call.operation === name
  const [prefix, operation] = name.split(':', 2)
  return operation === call.operation && (prefix === call.service || prefix === IAM_PREFIX[call.service])
}

export class CallLog {
  readonly all: RecordedCall[] = []

  record(call: RecordedCall): void {
    this.all.push(call)
  }

  /** Calls of one service (`ecs`, `elbv2`, `autoscaling`, `ec2`, or an IAM prefix), or all of them. */
  list(service?: ServiceKey | string): RecordedCall[] {
    if (!service) return [...this.all]
    return this.all.filter(c => c.service === service || IAM_PREFIX[c.service] === service)
  }

  /** Calls of one operation (`ecs:UpdateService`, `elasticloadbalancing:CreateRule`, `CreateRule`). */
  of(operation: string): RecordedCall[] {
    return this.all.filter(c => matchesOperation(c, operation))
  }

  count(operation: string): number {
    return this.of(operation).length
  }

  /** Inputs of one operation's calls, in order. */
  inputs<T = Record<string, unknown>>(operation: string): T[] {
    return this.of(operation).map(c => c.input as T)
  }

  /** The distinct IAM actions used, sorted: what a least-privilege policy must allow. */
  actions(service?: ServiceKey | string): string[] {
    return [...new Set(this.list(service).map(c => c.action))].sort()
  }

  /** Calls that change something (not READ_ONLY ones). */
  mutating(): RecordedCall[] {
    return this.all.filter(c => !READ_ONLY.test(c.operation))
  }

  /** `ecs:UpdateService` lines in order, handy in failure messages. */
  sequence(service?: ServiceKey | string): string[] {
    return this.list(service).map(c => `${c.service}:${c.operation}${c.error ? ` -> ${c.error}` : ''}`)
  }

  clear(): void {
    this.all.length = 0
  }
}
