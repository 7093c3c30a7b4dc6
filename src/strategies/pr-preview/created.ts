// What this run created, so a failure halfway (a quota, a refused call) leaves nothing half-made:
// undo removes exactly these, newest first, and nothing that existed before the run.
import { deleteService, deregisterTaskDefinition } from '../../aws/ecs.js'
import { deleteListener, deleteRule, deleteTargetGroupWhenFree } from '../../aws/elbv2.js'
import { errorMessage } from '../../errors.js'
import type { RunState } from '../../run-state.js'
import type { PreviewContext } from './base.js'

type Kind = 'task definition' | 'target group' | 'rule' | 'listener' | 'service'

export class CreatedResources {
  readonly items: Array<{ kind: Kind; id: string }> = []

  constructor(private readonly state: RunState) {}

  /** Also recorded in the run's state, the one record of what the run did. */
  add(kind: Kind, id: string | undefined): void {
    if (!id) return
    this.items.push({ kind, id })
    this.state.record('created', kind, id)
  }

  get size(): number {
    return this.items.length
  }
}

/** Removes what this run created (newest first); a failure to undo is logged, not thrown over the cause. */
export async function undoCreated(
  ctx: PreviewContext,
  cluster: string,
  created: CreatedResources
): Promise<void> {
  const { aws, log } = ctx
  for (const { kind, id } of [...created.items].reverse()) {
    try {
      switch (kind) {
        case 'service':
          await deleteService(aws, cluster, id)
          break
        case 'rule':
          await deleteRule(aws, id)
          break
        case 'listener':
          await deleteListener(aws, id)
          break
        case 'target group':
          await deleteTargetGroupWhenFree(aws, id)
          break
        case 'task definition':
          await deregisterTaskDefinition(aws, id)
          break
      }
      log.info(`Undone: ${kind} ${id}`)
    } catch (e) {
      log.warning(
        `Could not remove the ${kind} ${id} this run created: ${errorMessage(e)}. Run the teardown (preview-action: destroy) to remove it.`
      )
    }
  }
}
