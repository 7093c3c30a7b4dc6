// A run killed as SIGKILL kills a process: no signal handler, no cleanup, no last word. The run's
// AWS clients, GitHub and HTTP go quiet at the moment it dies: the call that killed it has reached
// AWS (the model applied it) but its answer never arrives, and nothing the dead run tries later
// leaves it. What AWS was doing in the background (tasks starting, targets draining) carries on.
import type { AwsClients } from '../../src/aws/clients.js'
import type { GitHubApi } from '../../src/github.js'
import type { HttpProber } from '../../src/http.js'
import { READ_ONLY } from './calls.js'

/** A promise nobody resolves: what a dead process waits on. */
type Send = (...args: unknown[]) => Promise<unknown>

const never = <T>(): Promise<T> => new Promise<T>(() => {})

export class Killer {
  private mutating = 0
  private dead = false
  private onDeath: () => void = () => {}
  /** Settles when the run dies (never, if it finishes first). */
  readonly died: Promise<void>

  /** `afterMutatingCalls`: the run dies once its n-th call that changes something (not a READ_ONLY one, as CallLog.mutating() counts) has reached AWS. */
  constructor(private readonly afterMutatingCalls: number) {
    this.died = new Promise(resolve => (this.onDeath = resolve))
  }

  get killed(): boolean {
    return this.dead
  }

  /** The run's SDK clients, each `send` going quiet once the run is dead. */
  clients(clients: AwsClients): AwsClients {
    return {
      ecs: this.client(clients.ecs),
      elbv2: this.client(clients.elbv2),
      autoscaling: this.client(clients.autoscaling),
      ec2: this.client(clients.ec2),
      logs: async region => this.client(await clients.logs(region))
    }
  }

  /** The run's GitHub: every call after death waits forever. */
  github(github: GitHubApi): GitHubApi {
    return new Proxy(github, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target) as unknown
        if (typeof value !== 'function') return value
        return (...args: unknown[]) =>
          this.dead ? never() : (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    })
  }

  /** The run's HTTP: no request of a dead process leaves it. */
  http(http: HttpProber): HttpProber {
    return req => (this.dead ? never() : http(req))
  }

  private client<C extends object>(client: C): C {
    return new Proxy(client, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target) as unknown
        if (prop !== 'send' || typeof value !== 'function') return value
        return async (command: { constructor: { name: string } }, ...rest: unknown[]) => {
          if (this.dead) return never()
          const changes = !READ_ONLY.test(command.constructor.name.replace(/Command$/, ''))
          let answer: { ok: true; value: unknown } | { ok: false; error: unknown }
          try {
            answer = { ok: true, value: await (value as Send).call(target, command, ...rest) }
          } catch (error) {
            answer = { ok: false, error }
          }
          if (changes && ++this.mutating === this.afterMutatingCalls) this.die()
          // A dead run hears no answer, not even the one to the call it died after.
          if (this.dead) return never()
          if (!answer.ok) throw answer.error
          return answer.value
        }
      }
    })
  }

  private die(): void {
    this.dead = true
    this.onDeath()
  }
}
