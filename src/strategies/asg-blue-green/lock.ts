// The deploy lock: a zdt:lock tag on both groups, `<ISO time> run <run id> [attempt <n>] <owner/repo>`.
// A later run asks GitHub whether the run it names is still in progress (lock-run.ts); only when
// GitHub cannot be asked does age decide: a lock younger than wait-timeout means a deploy is in
// progress, an older one was left by a run that died. A long deploy refreshes its lock so it never
// looks abandoned while it is alive.
import type { AwsApi } from '../../aws/api.js'
import { describeAutoScalingGroups, tagGroup, untagGroup } from '../../aws/autoscaling.js'
import { Tags } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import { errorMessage } from '../../errors.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import { askAboutLockRuns, lockHeld } from './lock-run.js'
import { toGroupView } from './model.js'

/** The shortest wait before the lock is read back: above three throttled retries (3.5 s). */
const LOCK_SETTLE_MIN_MS = 4_000

export interface LockHolder {
  atMs: number
  runId: string
  /** GITHUB_RUN_ATTEMPT of the run that wrote it; undefined in a lock written without one. */
  attempt?: number
  repository: string
  raw: string
}

export function formatLock(atMs: number, runId: string, repository: string, attempt?: number): string {
  // Tag values allow letters, digits, spaces and _ . : / = + - @ only.
  const safe = (s: string) => s.replace(/[^\w.:/=+\-@]/g, '_')
  const run = `run ${safe(runId || 'local')}${attempt ? ` attempt ${attempt}` : ''}`
  return `${new Date(atMs).toISOString()} ${run}${repository ? ` ${safe(repository)}` : ''}`
}

export function parseLock(raw: string | undefined): LockHolder | undefined {
  if (!raw) return undefined
  const m = /^(\S+)\s+run\s+(\S+)(?:\s+attempt\s+(\d+))?(?:\s+(\S+))?/.exec(raw.trim())
  if (!m) return undefined
  const atMs = Date.parse(m[1])
  if (Number.isNaN(atMs)) return undefined
  return { atMs, runId: m[2], attempt: m[3] ? Number(m[3]) : undefined, repository: m[4] ?? '', raw }
}

export function lockAgeSeconds(lock: LockHolder, nowMs: number): number {
  return Math.max(0, (nowMs - lock.atMs) / 1000)
}

/** A lock younger than `maxAgeSeconds` belongs to a deploy that is still running. */
export function lockIsFresh(lock: LockHolder, nowMs: number, maxAgeSeconds: number): boolean {
  return lockAgeSeconds(lock, nowMs) < maxAgeSeconds
}

export function describeHolder(lock: LockHolder): string {
  const attempt = lock.attempt ? ` (attempt ${lock.attempt})` : ''
  return `run ${lock.runId}${attempt}${lock.repository ? ` of ${lock.repository}` : ''} since ${new Date(lock.atMs).toISOString()}`
}

export class DeployLock {
  private value: string | undefined
  private offCancel: (() => void) | undefined
  private writtenAtMs = 0

  constructor(
    private readonly ctx: DeployContext<AsgBlueGreenSettings>,
    /** The first one holds the authoritative copy. */
    private readonly groups: string[]
  ) {}

  /**
   * Takes the lock, or returns false when another run holds it or wins the race for it. The first
   * group ('blue-asg') holds the authoritative copy: this run writes it, waits, and reads it back;
   * two runs writing at once both read the later value, so exactly one goes on. The other group
   * gets a mirror, so either group shows who is deploying.
   */
  async acquire(): Promise<boolean> {
    const { ctx } = this
    const [primary, ...mirrors] = this.groups
    const value = formatLock(ctx.clock.now(), ctx.event.runId, ctx.event.repository, ctx.event.runAttempt)
    // A dry run plans the writes; it cannot read back a tag it did not write.
    const planned = ctx.aws.dryRun
    if (!planned && !(await this.free())) return false
    this.value = value
    await this.write([primary])
    if (!planned && !(await this.wonRace(primary, value))) return false
    await this.write(mirrors)
    ctx.log.info(`Lock taken: ${Tags.Lock}=${value} on ${this.groups.join(' and ')}`)
    return true
  }

  /** acquire(), and a lock written on one group only must not outlive this run if it fails. */
  async acquireOrRelease(): Promise<boolean> {
    try {
      return await this.acquire()
    } catch (e) {
      await this.release()
      throw e
    }
  }

  private async free(): Promise<boolean> {
    const holder = await this.foreignHolder()
    if (holder) this.ctx.log.info(`Lock: ${holder} took the lock meanwhile, letting it go first`)
    return holder === undefined
  }

  /** Reads the primary copy back: two runs writing at once both see the later value. */
  private async wonRace(primary: string, value: string): Promise<boolean> {
    const { ctx } = this
    // Two polls (6 s by default): long enough for a concurrent writer that read the groups as free to
    // land its tag first, even after three throttled retries (api.ts: up to 0.5 + 1 + 2 s), with room
    // for the tag to become visible. Auto Scaling documents no read-after-write consistency for tags,
    // and EC2's API says a write "might not be immediately visible to all subsequent commands"
    // (https://docs.aws.amazon.com/ec2/latest/devguide/eventual-consistency.html): a shorter wait
    // would let two runs both read back their own value and both go on. Never under 4 s, so the
    // smallest poll-interval (1 s) still outlasts those retries.
    await ctx.clock.sleep(Math.max(LOCK_SETTLE_MIN_MS, 2 * ctx.settings.pollIntervalSeconds * 1000))
    const [g] = (await describeAutoScalingGroups(ctx.aws, [primary])).map(toGroupView)
    if (g?.tags[Tags.Lock] === value) return true
    ctx.log.info(
      `Lock: ${primary} now carries ${Tags.Lock}=${g?.tags[Tags.Lock] ?? '(none)'}; another deploy started at the ` +
        `same moment, letting it go first`
    )
    this.value = undefined
    return false
  }

  /** Another live run's lock on any group, described; undefined when there is none. */
  private async foreignHolder(): Promise<string | undefined> {
    const { ctx } = this
    const groups = (await describeAutoScalingGroups(ctx.aws, this.groups)).map(toGroupView)
    const runs = await askAboutLockRuns(ctx, groups)
    for (const g of groups) {
      const lock = parseLock(g.tags[Tags.Lock])
      if (lock && lockHeld(lock, runs.get(lock.raw), ctx.clock.now(), ctx.settings.waitTimeoutSeconds))
        return describeHolder(lock)
    }
    return undefined
  }

  /** Rewrites the lock's time when it is getting old, so a long deploy keeps its lock fresh. */
  async refreshIfDue(): Promise<void> {
    const { ctx } = this
    if (!this.value) return
    const everyMs = Math.min(300, ctx.settings.waitTimeoutSeconds / 3) * 1000
    if (ctx.clock.now() - this.writtenAtMs < everyMs) return
    this.value = formatLock(ctx.clock.now(), ctx.event.runId, ctx.event.repository, ctx.event.runAttempt)
    await this.write(this.groups)
    ctx.log.debug(`Lock refreshed: ${this.value}`)
  }

  /** Removes the lock from the groups that still carry ours; never fails the run. */
  async release(): Promise<void> {
    // A cancelled run writes nothing more: its safe state (registered in write()) releases the lock.
    if (this.ctx.signal.aborted) return
    await this.releaseThrough(this.ctx.aws)
  }

  /** release() through `aws` (the run's, or a cancelled run's safe state's); says what it did. */
  private async releaseThrough(aws: AwsApi): Promise<string[]> {
    const { ctx } = this
    if (!this.value) return []
    try {
      if (aws.dryRun) {
        for (const g of this.groups) await untagGroup(aws, g, [Tags.Lock])
        return []
      }
      const groups = (await describeAutoScalingGroups(aws, this.groups)).map(toGroupView)
      for (const g of groups) {
        if (g.tags[Tags.Lock] === this.value) await untagGroup(aws, g.name, [Tags.Lock])
        else
          ctx.log.warning(
            `Lock: ${g.name} carries ${Tags.Lock}=${g.tags[Tags.Lock] ?? '(none)'}, not this run's lock: left as it is.`
          )
      }
      const done = `Lock released on ${this.groups.join(' and ')}`
      ctx.log.info(done)
      this.value = undefined
      this.offCancel?.()
      this.offCancel = undefined
      return [`${done}.`]
    } catch (e) {
      const left =
        `Could not release the deploy lock (${errorMessage(e)}): remove the ${Tags.Lock} tag from ` +
        `${this.groups.join(' and ')}, or the next deploy waits until it is older than wait-timeout.`
      ctx.log.warning(left)
      return [left]
    }
  }

  private async write(groups: string[]): Promise<void> {
    // From the first write on, a cancellation releases the lock too: it must not outlive the run.
    this.offCancel ??= this.ctx.state.onCancel('lock', safe => this.releaseThrough(safe.aws))
    for (const g of groups) await tagGroup(this.ctx.aws, g, { [Tags.Lock]: this.value ?? '' })
    this.writtenAtMs = this.ctx.clock.now()
  }
}
