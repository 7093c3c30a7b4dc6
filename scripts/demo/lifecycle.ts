// Everything the demo starts is stopped when it ends: normally, on failure, on Ctrl-C, on SIGTERM, or
// when it overruns its deadline.
import { readdirSync, readFileSync } from 'node:fs'

type Stopper = () => Promise<void>

/** Stoppers run once, last started first; one failing does not keep the others from running. */
export class Cleanup {
  private stoppers: Array<{ name: string; stop: Stopper }> = []

  add(name: string, stop: Stopper): void {
    this.stoppers.push({ name, stop })
  }

  /** Names of what was stopped, and what could not be (with why). */
  async run(): Promise<{ stopped: string[]; problems: string[] }> {
    const stopped: string[] = []
    const problems: string[] = []
    const todo = this.stoppers.reverse()
    this.stoppers = []
    for (const { name, stop } of todo) {
      try {
        await stop()
        stopped.push(name)
      } catch (e) {
        problems.push(`${name}: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
    return { stopped, problems }
  }
}

/** Direct children of `pid` (Linux /proc; elsewhere none, and Ctrl-C reaches them through the terminal). */
export function childPids(pid: number): number[] {
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter(e => /^\d+$/.test(e))
  } catch {
    return []
  }
  const children: number[] = []
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8')
      // Fields after the command name, which is in parentheses and may contain spaces: state ppid ...
      const [, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(ppid) === pid) children.push(Number(e))
    } catch {
      // gone meanwhile
    }
  }
  return children
}

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
}

export interface Interrupts {
  /** True once an interrupt began stopping everything: the demo's own output should end there. */
  stopping(): boolean
  disarm(): void
}

/**
 * Stops everything and exits on SIGINT/SIGTERM/SIGHUP and when `deadlineMs` passes: the running action
 * (a child process) first, then what `cleanup` holds.
 */
export function stopOnInterrupt(
  cleanup: Cleanup,
  deadlineMs: number,
  say: (line: string) => void
): Interrupts {
  let stopping = false
  const stop = async (why: string, code: number) => {
    if (stopping) return
    stopping = true
    say(`\n${why}: stopping what the demo started...`)
    for (const pid of childPids(process.pid)) {
      try {
        process.kill(pid, 'SIGTERM')
      } catch {
        // already gone
      }
    }
    const { stopped, problems } = await cleanup.run()
    if (stopped.length > 0) say(`Stopped ${stopped.join(', ')}.`)
    for (const problem of problems) say(`Could not stop ${problem}`)
    process.exit(code)
  }
  const handlers: Array<[NodeJS.Signals, number]> = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129]
  ]
  const listeners = handlers.map(([sig, code]) => {
    const listener = () => void stop(`Interrupted (${sig})`, code)
    process.on(sig, listener)
    return [sig, listener] as const
  })
  const timer = setTimeout(
    () => void stop(`The demo did not finish within ${Math.round(deadlineMs / 1000)}s`, 1),
    deadlineMs
  )
  return {
    stopping: () => stopping,
    disarm() {
      clearTimeout(timer)
      for (const [sig, listener] of listeners) process.off(sig, listener)
    }
  }
}
