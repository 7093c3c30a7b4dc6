// What runs inside a task or an instance: chosen per container image (ECS) or per AMI (Auto Scaling),
// so a test says "v2 answers 500 on /healthz" or "this AMI never launches" and the world plays it out.

export interface PathAnswer {
  status: number
  /** Location header of a 3xx. */
  location?: string
}

export interface AppBehavior {
  /** ECS: seconds from launch to RUNNING. Auto Scaling: seconds from launch to InService. */
  startSeconds?: number
  /** Seconds after RUNNING / InService before the app accepts connections (refused until then). */
  bootSeconds?: number
  /** Status every path answers (default 200). */
  status?: number
  /** Location header when `status` is a redirect. */
  location?: string
  /** Per-path answers, e.g. { '/healthz': { status: 302, location: '/login' } }. */
  paths?: Record<string, PathAnswer>
  /** Accepts connections and never answers: health checks time out, the ALB answers 504. */
  hang?: boolean
  /** Response time reported for each request (default 12 ms). */
  latencyMs?: number
  /** The essential container exits this many seconds after RUNNING (ECS), or the app dies (EC2). */
  crashAfterSeconds?: number
  /** Exit code of that crash (default 1). */
  exitCode?: number
  /** ECS: the task never starts; this is its stoppedReason (see cannotPullContainer()). */
  failToStart?: string
  /** ECS: no task can be placed (a service event says so; no task is created). */
  unplaceable?: boolean
  /** Auto Scaling: launching an instance fails with this status message (a scaling activity). */
  launchFailure?: string
  /** With launchFailure: only the first this many launches fail (a passing shortage); all when unset. */
  launchFailures?: number
  /**
   * Seconds the app keeps answering after it is told to stop (SIGTERM on ECS, termination on EC2).
   * 0 (the default) is an immediate shutdown: any request the ALB still sends it gets a 502.
   */
  shutdownSeconds?: number
  /**
   * ECS: lines the app's container writes to its awslogs stream once RUNNING, one every
   * `logEverySeconds` (1); a crash cuts them short.
   */
  logLines?: string[]
  logEverySeconds?: number
}

/** What a one-off task's command does (RunTask with a command override), matched by the command line. */
export interface CommandBehavior {
  /** Seconds it runs once the task is RUNNING (10). */
  runSeconds?: number
  /** Its exit code (0). */
  exitCode?: number
  /** Lines it writes, spread evenly over its run. */
  logLines?: string[]
}

export const DEFAULT_BEHAVIOR: Required<
  Pick<AppBehavior, 'startSeconds' | 'bootSeconds' | 'status' | 'latencyMs' | 'exitCode' | 'shutdownSeconds'>
> = {
  startSeconds: 20,
  bootSeconds: 0,
  status: 200,
  latencyMs: 12,
  exitCode: 1,
  shutdownSeconds: 0
}

/** The stoppedReason of a task whose image cannot be pulled, worded as ECS words it. */
export function cannotPullContainer(image: string): string {
  const ref = image.includes('/') ? image : `docker.io/library/${image}`
  return `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${ref}: ${ref}: not found`
}

/** The stoppedReason of a task that cannot fetch its secrets or registry credentials. */
export function resourceInitializationError(region = 'us-east-1'): string {
  return `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.${region}.amazonaws.com/": dial tcp 10.0.0.1:443: i/o timeout. Please check your task network configuration.`
}

/** The scaling-activity status message of an instance launched from an AMI that does not exist. */
export function amiNotFound(ami: string): string {
  return `The image id '[${ami}]' does not exist. Launching EC2 instance failed.`
}

type Matcher = string | RegExp

/** Behaviours by image and by AMI; the last matching entry wins, unknown ones are healthy apps. */
export class AppCatalog {
  private readonly images: Array<{ match: Matcher; behavior: AppBehavior }> = []
  private readonly amis: Array<{ match: Matcher; behavior: AppBehavior }> = []
  private readonly commands: Array<{ match: Matcher; behavior: CommandBehavior }> = []
  /** Applied under every image's and AMI's own behaviour. */
  defaults: AppBehavior = {}

  setCommand(match: Matcher, behavior: CommandBehavior): void {
    this.commands.push({ match, behavior })
  }

  /** The last matching entry for `command` (its words joined by spaces); unknown ones exit 0. */
  forCommand(command: string[]): CommandBehavior {
    const line = command.join(' ')
    for (let i = this.commands.length - 1; i >= 0; i--) {
      const { match, behavior } = this.commands[i]
      if (typeof match === 'string' ? match === line : match.test(line)) return behavior
    }
    return {}
  }

  setImage(match: Matcher, behavior: AppBehavior): void {
    this.images.push({ match, behavior })
  }

  setAmi(match: Matcher, behavior: AppBehavior): void {
    this.amis.push({ match, behavior })
  }

  forImage(image: string): AppBehavior {
    return { ...this.defaults, ...lastMatch(this.images, image) }
  }

  forAmi(ami: string): AppBehavior {
    return { ...this.defaults, ...lastMatch(this.amis, ami) }
  }

  /** AMIs named exactly, for DescribeImages. */
  namedAmis(): string[] {
    return [...new Set(this.amis.map(a => a.match).filter((m): m is string => typeof m === 'string'))]
  }
}

function lastMatch(entries: Array<{ match: Matcher; behavior: AppBehavior }>, key: string): AppBehavior {
  for (let i = entries.length - 1; i >= 0; i--) {
    const { match, behavior } = entries[i]
    if (typeof match === 'string' ? match === key : match.test(key)) return behavior
  }
  return {}
}

export type AppAnswer =
  | { status: number; location?: string; latencyMs: number }
  | { error: 'refused' | 'timeout'; latencyMs: number }

/** One running copy of an app (a task's container, an instance's server) at a private address. */
export class Backend {
  private stopAtMs: number | undefined

  constructor(
    /** What a target group registers: the task's IP or the instance id. */
    readonly targetId: string,
    /** The task ARN or instance id, for request records. */
    readonly owner: string,
    readonly behavior: AppBehavior,
    /** When the app starts accepting connections. */
    readonly servingFromMs: number
  ) {}

  /** The app stops answering at `atMs` (a crash, a kill, the end of its shutdown). */
  stop(atMs: number): void {
    this.stopAtMs = this.stopAtMs === undefined ? atMs : Math.min(this.stopAtMs, atMs)
  }

  get stoppedAtMs(): number | undefined {
    return this.stopAtMs
  }

  serving(nowMs: number): boolean {
    return nowMs >= this.servingFromMs && (this.stopAtMs === undefined || nowMs < this.stopAtMs)
  }

  answer(path: string, nowMs: number): AppAnswer {
    const latencyMs = this.behavior.latencyMs ?? DEFAULT_BEHAVIOR.latencyMs
    if (!this.serving(nowMs)) return { error: 'refused', latencyMs: 1 }
    if (this.behavior.hang) return { error: 'timeout', latencyMs }
    const bare = path.split('?')[0] || '/'
    const specific = this.behavior.paths?.[bare]
    if (specific) return { status: specific.status, location: specific.location, latencyMs }
    return {
      status: this.behavior.status ?? DEFAULT_BEHAVIOR.status,
      location: this.behavior.location,
      latencyMs
    }
  }
}
