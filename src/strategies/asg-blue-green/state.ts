// The state of one asg-blue-green run: what the pre-flight found (read once, never changed), and
// what each step did so far. Undo, rollback, cancellation and crash recovery read `did`, one place.
import { Outputs } from '../../constants.js'
import type { DeployContext } from '../../context.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import type { TrafficProbe } from '../../probe.js'
import type { DeployLock } from './lock.js'
import type { Capacity, GroupView, HookView, TargetGroupInfo, TemplateSpec } from './model.js'
import type { TemplatePlan } from './launch.js'
import type { Roles } from './roles.js'

export type Ctx = DeployContext<AsgBlueGreenSettings>

export interface SyntheticSetup extends TargetGroupInfo {
  listenerArn: string
  /** Base URL of the listener the header rule lives on (the `url` input when set). */
  url: string
  /** False when that URL was derived and the runner cannot reach it: no synthetic smoke test then. */
  reachable: boolean
}

/** The launch template the new fleet starts from, resolved to an id during pre-flight. */
export interface LaunchTarget {
  templateId: string
  /** With 'ami-id': the version (a number) the new version is copied from. */
  sourceVersion?: string
  /** With 'ami-id': the image that version launches. */
  sourceImageId?: string
  /** Otherwise: the version the standby group gets as it is. */
  version?: string
}

/** What the pre-flight found: the roles, the new fleet's size and launch template, the target groups, the URLs. */
export interface Setup {
  roles: Roles
  /** The group serving today (or the one sized like today's fleet, on a first deploy). */
  active: GroupView
  /** The group that gets the new version. */
  standby: GroupView
  capacity: Capacity
  template: TemplatePlan
  launch: LaunchTarget
  main: TargetGroupInfo
  synthetic: SyntheticSetup | undefined
  /** Base URL of production traffic (the `url` output); undefined when none can be derived. */
  url: string | undefined
  /** `url` when the runner can reach it: the probe's and the validation smoke test's. */
  reachableUrl: string | undefined
  /** Each group's lifecycle hooks, by group name. */
  hooks: Record<string, HookView[]>
  /**
   * Set when the serving group launches from the template version this deploy creates a successor
   * of, through $Latest: it is pinned to the number $Latest means now before the new version exists.
   */
  pin: TemplateSpec | undefined
}

/** What the run did so far: each step records its change here before or as it makes it. */
export interface Did {
  /** The launch template version this run created for the new fleet ('ami-id'). */
  createdVersion?: string
  /** The serving group's launch template before this run pinned it (item: a shared $Latest). */
  pinnedFrom?: TemplateSpec
  /** Instances of the new fleet once it is up. */
  newIds: string[]
  /** Old instances this run moved to Standby. */
  oldIds: string[]
  /** The old group's MinSize before it was lowered for Standby; restored on rollback. */
  oldMinSize: number | undefined
  /** When the old instances entered Standby (their draining started): traffic has moved. */
  standbyAtMs: number | undefined
  /** The new group was attached to the main target group by this run. */
  attachedToMain: boolean
  attachedToSynthetic: boolean
  /** The synthetic header rule, when this run created it. */
  createdRuleArn?: string
}

export interface AsgRun extends Setup {
  ctx: Ctx
  did: Did
  lock: DeployLock | undefined
  probe: TrafficProbe | undefined
  /** Unregisters the fleets' current safe state (cancelled.ts) once the deploy is done with them. */
  offSafeState?: () => void
}

/** Every step of the strategy has this one signature: it reads and records the run's state. */
export type Step = (run: AsgRun) => Promise<void>

export function newRun(ctx: Ctx, setup: Setup): AsgRun {
  const did: Did = {
    newIds: [],
    oldIds: [],
    oldMinSize: undefined,
    standbyAtMs: undefined,
    attachedToMain: false,
    attachedToSynthetic: false
  }
  return { ...setup, ctx, did, lock: undefined, probe: undefined }
}

/** Traffic reached the new fleet's target group while the old one left it: only a rollback undoes that. */
export function trafficMoved(run: AsgRun): boolean {
  return run.did.standbyAtMs !== undefined
}

/**
 * The outputs say which group serves once traffic has moved to it. A dry run moved nothing: its
 * outputs stay what the pre-flight set (the group that serves today), and it returns false.
 */
export function servesNow(run: AsgRun, active: string, previous?: string): boolean {
  if (run.ctx.aws.dryRun) return false
  run.ctx.outputs.set(Outputs.ActiveAsg, active)
  if (previous !== undefined) run.ctx.outputs.set(Outputs.PreviousAsg, previous)
  return true
}
