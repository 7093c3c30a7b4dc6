// What one ecs-rolling deploy knows as it goes, handed from step to step: the pre-flight's facts, the
// revision it deploys, the deployment it started, the probe watching traffic and, after a failure, the
// failure the rollback answers. What the run did to AWS is in ctx.state (src/run-state.ts).
import type { Service } from '@aws-sdk/client-ecs'
import type { DeployContext } from '../../context.js'
import type { EcsRollingSettings } from '../../inputs.js'
import type { TrafficProbe } from '../../probe.js'
import type { Preflight } from './preflight.js'
import type { NextTaskDefinition } from './register.js'
import type { TaskDefinitionSource } from './task-definition.js'

export type EcsContext = DeployContext<EcsRollingSettings>

/** The deployment an UpdateService started. */
export interface StartedRollout {
  deploymentId: string
  taskDefinitionArn: string
  /** ECS BLUE_GREEN, LINEAR, CANARY: the service deployment followed stage by stage. */
  serviceDeploymentArn?: string
  /** The service as UpdateService answered (a rolling update): the watch's first look. */
  started?: Service
}

export class EcsRun {
  private nextValue: NextTaskDefinition | undefined
  private rolloutValue: StartedRollout | undefined
  /** Watches the URL from the update until the old tasks are gone; undefined without a URL. */
  probe: TrafficProbe | undefined
  /** The deployment is one an earlier run started and did not see through: this run follows it. */
  resumed = false
  /** ECS completed the rolling deployment (every task replaced, the probe satisfied). */
  rolledOut = false

  constructor(
    readonly pre: Preflight,
    /** The `task-definition` file, read before any AWS call. */
    readonly file: TaskDefinitionSource | undefined
  ) {}

  /** The revision to deploy, set by the task-definition step. */
  get next(): NextTaskDefinition {
    return required(this.nextValue, 'the task definition')
  }

  set next(value: NextTaskDefinition) {
    this.nextValue = value
  }

  /** The deployment our UpdateService started, set by the update step. */
  get rollout(): StartedRollout {
    return required(this.rolloutValue, 'the started deployment')
  }

  set rollout(value: StartedRollout) {
    this.rolloutValue = value
  }
}

/** Every step of the strategy has this shape: it reads and extends the run. */
export type Step<T = void> = (ctx: EcsContext, run: EcsRun) => Promise<T>

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`ecs-rolling: ${what} is read before the step that sets it ran`)
  return value
}
