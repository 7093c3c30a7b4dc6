// The state one deploy carries from step to step: what pre-flight found, and what each step did
// (so an abort or a rollback knows exactly what to undo).
import type { DeployContext } from '../../context.js'
import type { AsgBlueGreenSettings } from '../../inputs.js'
import type { TrafficProbe } from '../../probe.js'
import type { DeployLock } from './lock.js'
import type { Capacity, GroupView, TargetGroupInfo } from './model.js'
import type { TemplatePlan } from './plan.js'
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
  /** Otherwise: the version the standby group gets as it is. */
  version?: string
}

export interface Flow {
  ctx: Ctx
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
  lock: DeployLock | undefined

  // What the deploy did so far.
  /** Instances of the new fleet once it is up. */
  newIds: string[]
  /** Old instances this run moved to Standby. */
  oldIds: string[]
  /** The old group's MinSize before it was lowered for Standby; restored on rollback. */
  oldMinSize: number | undefined
  /** When the old instances entered Standby (their draining started). */
  standbyAtMs: number | undefined
  /** The new group was attached to the main target group by this run. */
  attachedToMain: boolean
  attachedToSynthetic: boolean
  probe: TrafficProbe | undefined
}
