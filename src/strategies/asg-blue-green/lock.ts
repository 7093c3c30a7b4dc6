// The deploy lock: a zdt:lock tag on both groups, `<ISO time> run <run id> <owner/repo>`. A lock
// younger than wait-timeout means a deploy is in progress; an older one was left by a run that died.
// A long deploy refreshes its lock so it never looks abandoned while it is alive.
import { describeAutoScalingGroups, tagGroup, untagGroup } from '../../aws/autoscaling.js'
import { Tags } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import { errorMessage } from '../../errors.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import { toGroupView } from './model.js'

export interface LockHolder {
  atMs: number
  runId: string
  repository: string
  raw: string
}

export function formatLock(atMs: number, runId: string, repository: string): string {
  // Tag values allow letters, digits, spaces and _ . : / = + - @ only.
  const safe = (s: string) => s.replace(/[^\w.:/=+\-@]/g, '_')
  return `${new Date(atMs).toISOString()} run ${safe(runId || 'local')}${repository ? ` ${safe(repository)}` : ''}`
}

export function parseLock(raw: string | undefined): LockHolder | undefined {
  if (!raw) return undefined
  const m = /^(\S+)\s+run\s+(\S+)(?:\s+(\S+))?/.exec(raw.trim())
  if (!m) return undefined
  const atMs = Date.parse(m[1])
  if (Number.isNaN(atMs)) return undefined
  return { atMs, runId: m[2], repository: m[3] ?? '', raw }
}

export function lockAgeSeconds(lock: LockHolder, nowMs: number): number {
  return Math.max(0, (nowMs - lock.atMs) / 1000)
}

/** A lock younger than `maxAgeSeconds` belongs to a deploy that is still running. */
export function lockIsFresh(lock: LockHolder, nowMs: number, maxAgeSeconds: number): boolean {
  return lockAgeSeconds(lock, nowMs) < maxAgeSeconds
}

export function describeHolder(lock: LockHolder): string {
  return `run ${lock.runId}${lock.repository ? ` of ${lock.repository}` : ''} since ${new Date(lock.atMs).toISOString()}`
}

export class DeployLock {
  private value: string | undefined
  private writtenAtMs = 0

  constructor(
    private readonly ctx: DeployContext<AsgBlueGreenSettings>,
    private readonly groups: string[]
  ) {}

  /** The tag value this run wrote, so a busy check can tell our lock from another run's. */
  get ours(): string | undefined {
    return this.value
  }

  /**
   * Writes the lock on every group, then reads it back one poll later: if another run wrote its
   * own meanwhile, the later writer wins and this run returns false (it waits and tries again).
   */
  async acquire(): Promise<boolean> {
    const { ctx } = this
    this.value = formatLock(ctx.clock.now(), ctx.event.runId, ctx.event.repository)
    await this.write()
    ctx.log.info(`Lock taken: ${Tags.Lock}=${this.value} on ${this.groups.join(' and ')}`)
    if (ctx.aws.dryRun) return true
    await ctx.clock.sleep(ctx.settings.pollIntervalSeconds * 1000)
    const groups = await describeAutoScalingGroups(ctx.aws, this.groups)
    const other = groups.map(toGroupView).find(g => g.tags[Tags.Lock] !== this.value)
    if (other) {
      ctx.log.info(
        `Lock: ${other.name} now carries ${Tags.Lock}=${other.tags[Tags.Lock] ?? '(none)'}; another deploy started at the same moment, letting it go first`
      )
      this.value = undefined
      return false
    }
    return true
  }

  /** Rewrites the lock's time when it is getting old, so a long deploy keeps its lock fresh. */
  async refreshIfDue(): Promise<void> {
    const { ctx } = this
    if (!this.value || ctx.aws.dryRun) return
    const everyMs = Math.min(300, ctx.settings.waitTimeoutSeconds / 3) * 1000
    if (ctx.clock.now() - this.writtenAtMs < everyMs) return
    this.value = formatLock(ctx.clock.now(), ctx.event.runId, ctx.event.repository)
    await this.write()
    ctx.log.debug(`Lock refreshed: ${this.value}`)
  }

  /** Removes the lock from the groups that still carry ours; never fails the run. */
  async release(): Promise<void> {
    const { ctx } = this
    if (!this.value) return
    try {
      if (ctx.aws.dryRun) {
        for (const g of this.groups) await untagGroup(ctx.aws, g, [Tags.Lock])
        return
      }
      const groups = (await describeAutoScalingGroups(ctx.aws, this.groups)).map(toGroupView)
      for (const g of groups) {
        if (g.tags[Tags.Lock] === this.value) await untagGroup(ctx.aws, g.name, [Tags.Lock])
        else
          ctx.log.warning(
            `Lock: ${g.name} carries ${Tags.Lock}=${g.tags[Tags.Lock] ?? '(none)'}, not this run's lock: left as it is.`
          )
      }
      ctx.log.info(`Lock released on ${this.groups.join(' and ')}`)
      this.value = undefined
    } catch (e) {
      ctx.log.warning(
        `Could not release the deploy lock (${errorMessage(e)}): remove the ${Tags.Lock} tag from ${this.groups.join(' and ')}, or the next deploy waits until it is older than wait-timeout.`
      )
    }
  }

  private async write(): Promise<void> {
    for (const g of this.groups) await tagGroup(this.ctx.aws, g, { [Tags.Lock]: this.value ?? '' })
    this.writtenAtMs = this.ctx.clock.now()
  }
}
