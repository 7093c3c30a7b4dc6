// What ECS's BLUE_GREEN, LINEAR and CANARY deployments go through, in AWS's words: the lifecycle stages
// in order, the deployment statuses, and which of them carry production traffic to green. Pure.
// Stages: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html (lifecycleStage)
// and https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
// Statuses: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html
import type {
  ServiceDeployment,
  ServiceDeploymentLifecycleStage,
  ServiceDeploymentStatus
} from '@aws-sdk/client-ecs'

export type Stage = ServiceDeploymentLifecycleStage

/** Every stage a deployment can be at, in the order ECS goes through them. */
export const STAGES: readonly Stage[] = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP'
]

/** The strategies that shift traffic between two target groups instead of replacing tasks in place. */
export const SHIFTING_STRATEGIES = ['BLUE_GREEN', 'LINEAR', 'CANARY'] as const
export type ShiftingStrategy = (typeof SHIFTING_STRATEGIES)[number]

export function isShifting(strategy: string | undefined): strategy is ShiftingStrategy {
  return (SHIFTING_STRATEGIES as readonly string[]).includes(strategy ?? '')
}

/** `a` comes at or after `b` in a deployment. */
export function atOrAfter(a: Stage | undefined, b: Stage): boolean {
  return a !== undefined && STAGES.indexOf(a) >= STAGES.indexOf(b)
}

/** From the first production traffic shift to the end of bake time: when our probe runs. */
export function carriesProductionTraffic(stage: Stage | undefined): boolean {
  return atOrAfter(stage, 'PRODUCTION_TRAFFIC_SHIFT') && !atOrAfter(stage, 'CLEAN_UP')
}

// PENDING and the four ongoing statuses; the four others are final ("Completed").
const FINAL: readonly ServiceDeploymentStatus[] = [
  'SUCCESSFUL',
  'STOPPED',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED'
]

export function isFinal(status: ServiceDeploymentStatus | undefined): boolean {
  return FINAL.includes(status as ServiceDeploymentStatus)
}

/** ECS is on its way back to blue (on its own, or because we asked). */
export function isRollingBack(status: ServiceDeploymentStatus | undefined): boolean {
  return status === 'ROLLBACK_REQUESTED' || status === 'ROLLBACK_IN_PROGRESS'
}

/** `BAKE_TIME (IN_PROGRESS)` */
export function stageLine(d: ServiceDeployment): string {
  return `${d.lifecycleStage ?? 'no stage yet'} (${d.status ?? 'no status'})`
}

/** The hook stage names an input may use (DeploymentLifecycleHookStage), with their traffic. */
export function stageMeaning(stage: Stage): string {
  switch (stage) {
    case 'SCALE_UP':
    case 'POST_SCALE_UP':
      return 'green is starting or up, blue serves all production traffic'
    case 'TEST_TRAFFIC_SHIFT':
    case 'POST_TEST_TRAFFIC_SHIFT':
      return 'green gets the test traffic, blue serves all production traffic'
    case 'PRODUCTION_TRAFFIC_SHIFT':
    case 'POST_PRODUCTION_TRAFFIC_SHIFT':
      return 'production traffic moves to green'
    case 'BAKE_TIME':
      return 'green serves production, blue still runs'
    case 'CLEAN_UP':
      return 'blue is scaled down'
    default:
      return 'green has not started'
  }
}
