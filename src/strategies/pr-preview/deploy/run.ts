// The state of one preview deploy, handed to every step: what the reads found (the shared ALB, the base
// service, the PR's existing resources) and what the steps made so far. What the run created is recorded
// in ctx.state, the one record undo reads.
import type { TaskDefinition } from '@aws-sdk/client-ecs'
import type { TagMap } from '../../../aws/tags.js'
import type { BaseService, PreviewContext, SharedAlb } from '../base.js'
import type { PreviewResources } from '../find.js'
import type { PreviewNames } from '../naming.js'

/** How requests reach the preview: a host rule on the shared listener, or a listener of its own. */
export interface Route {
  kind: 'host' | 'port'
  arn: string
  /** The listener port requests arrive on (the shared listener's in host mode). */
  port: number
  priority?: number
  host?: string
  created: boolean
}

/** What the steps made, in the order they run. */
export interface Made {
  taskDefinition: TaskDefinition
  targetGroupArn: string
  route: Route
}

export interface PreviewRun {
  ctx: PreviewContext
  pr: number
  names: PreviewNames
  alb: SharedAlb
  base: BaseService
  existing: PreviewResources
  /** The tags of every resource this run creates or refreshes. */
  tags: TagMap
  made: Partial<Made>
}

/** A step of the deploy: one signature, the run's state in, its results written into `run.made`. */
export type Step = (run: PreviewRun) => Promise<void>

/** A result of an earlier step; asking before that step ran is a bug in the step order. */
export function made<K extends keyof Made>(run: PreviewRun, key: K): Made[K] {
  const value = run.made[key]
  if (value === undefined) throw new Error(`pr-preview: step order: ${key} is not made yet`)
  return value as Made[K]
}

export type CreatedKind = 'task definition' | 'target group' | 'rule' | 'listener' | 'service'

/** Records a resource this run created: undo removes it. A dry run creates nothing, so it records nothing. */
export function recordCreated(run: PreviewRun, kind: CreatedKind, id: string | undefined): void {
  if (!id || run.ctx.aws.dryRun) return
  run.ctx.state.record('created', kind, id)
}

/** What this run created, newest first: what undo removes. */
export function createdByRun(run: PreviewRun): Array<{ kind: string; id: string }> {
  return run.ctx.state.done.filter(d => d.change === 'created').reverse()
}
