// Where an ECS service's deployments stand, read from one DescribeServices answer: the PRIMARY
// deployment, the one an UpdateService started, whether a deployment is steady, failed or replaced.
// Pure; ecs-rolling watches its rollout with it, pr-preview waits for its service with it.
import type { Deployment, Service } from '@aws-sdk/client-ecs'
import { revisionName } from './arns.js'

export function primaryDeployment(service: Service): Deployment | undefined {
  return (service.deployments ?? []).find(d => d.status === 'PRIMARY')
}

/** What ECS says about a FAILED rollout (the circuit breaker's reason). */
function failureReason(d: Deployment | undefined): string {
  return d?.rolloutStateReason ?? 'rollout failed'
}

/**
 * The deployment an UpdateService started: the PRIMARY one running our task definition. Emulators
 * such as moto keep the PRIMARY deployment and its old task definition in the response while the
 * service itself points at ours; that PRIMARY deployment is then the one to watch.
 */
export function startedDeployment(service: Service, taskDefinitionArn: string): Deployment | undefined {
  const primary = primaryDeployment(service)
  if (!primary) return undefined
  if (primary.taskDefinition === taskDefinitionArn || service.taskDefinition === taskDefinitionArn)
    return primary
  return undefined
}

/**
 * A rolling deployment of `taskDefinitionArn` still moving (PRIMARY, IN_PROGRESS) and the revision it
 * replaces (the newest ACTIVE deployment's): what a run that died after its UpdateService left.
 */
export function deploymentInFlight(
  service: Service,
  taskDefinitionArn: string
): { deployment: Deployment; replacing: string } | undefined {
  const deployment = startedDeployment(service, taskDefinitionArn)
  if (deployment?.rolloutState !== 'IN_PROGRESS' || !deployment.id) return undefined
  const replacing = (service.deployments ?? [])
    .filter(d => d.status === 'ACTIVE' && d.taskDefinition && d.taskDefinition !== taskDefinitionArn)
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0]?.taskDefinition
  return replacing ? { deployment, replacing } : undefined
}

export type RolloutState =
  | { kind: 'in-progress' }
  /** Our deployment is COMPLETED and the old deployments are gone. */
  | { kind: 'completed' }
  /** ECS marked our deployment FAILED (circuit breaker). */
  | { kind: 'failed'; reason: string; primary: Deployment | undefined }
  /**
   * Our deployment is gone or no longer PRIMARY: something else (the circuit breaker's rollback,
   * another deploy) replaced it.
   */
  | { kind: 'replaced'; primary: Deployment | undefined }

function isSteady(d: Deployment): boolean {
  // Without rolloutState (deployments from before ECS reported it) steady means all tasks running.
  if (d.rolloutState !== undefined) return d.rolloutState === 'COMPLETED'
  return (d.runningCount ?? 0) === (d.desiredCount ?? 0) && (d.pendingCount ?? 0) === 0
}

/** Where the deployment with this id stands. */
export function rolloutState(service: Service, deploymentId: string): RolloutState {
  const deployments = service.deployments ?? []
  const ours = deployments.find(d => d.id === deploymentId)
  const primary = primaryDeployment(service)
  if (ours?.rolloutState === 'FAILED') return { kind: 'failed', reason: failureReason(ours), primary }
  if (!ours || ours.status !== 'PRIMARY') return { kind: 'replaced', primary }
  if (isSteady(ours) && deployments.length === 1) return { kind: 'completed' }
  return { kind: 'in-progress' }
}

/**
 * Why the service is not steady on `taskDefinitionArn`, or undefined when it is: its one deployment is
 * the PRIMARY one on that revision (see startedDeployment), COMPLETED, with every desired task running.
 */
export function notSteadyOn(service: Service, taskDefinitionArn: string): string | undefined {
  const deployments = service.deployments ?? []
  const primary = startedDeployment(service, taskDefinitionArn)
  if (!primary) return `no PRIMARY deployment runs ${revisionName(taskDefinitionArn)}`
  if (primary.rolloutState === 'FAILED')
    return `its deployment ${primary.id} FAILED: ${primary.rolloutStateReason ?? 'no reason given'}`
  if (!isSteady(primary))
    return `its deployment ${primary.id} is ${primary.rolloutState ?? 'not steady'}, not COMPLETED`
  const others = deployments.filter(d => d !== primary)
  if (others.length > 0)
    return `another deployment is still in the service (${others.map(deploymentName).join(', ')})`
  const desired = service.desiredCount ?? 0
  const running = service.runningCount ?? 0
  if (running !== desired) return `${running} of ${desired} desired tasks are running`
  return undefined
}

/** `ACTIVE web:41` */
function deploymentName(d: Deployment): string {
  return `${d.status} ${revisionName(d.taskDefinition)}`
}

export type Stability = { stable: true } | { stable: false; failed?: string; line: string }

/**
 * Is the service steady on `taskDefinitionArn`, still moving, or failed? Without the revision a
 * describe that still shows the state before UpdateService (eventual consistency) would pass as
 * stable on the old one. Read by deployment revision, not id: a preview's wait knows no id.
 */
export function serviceStability(s: Service | undefined, taskDefinitionArn?: string): Stability {
  // Just created, a service can be MISSING to the first describes (eventual consistency).
  if (!s) return { stable: false, line: 'preview service: not visible yet' }
  if (s.status !== 'ACTIVE') return { stable: false, line: `preview service: ${s.status}` }
  const deployments = s.deployments ?? []
  const primary = primaryDeployment(s) ?? deployments[0]
  if (
    taskDefinitionArn &&
    s.taskDefinition !== taskDefinitionArn &&
    primary?.taskDefinition !== taskDefinitionArn
  ) {
    // The circuit breaker's rollback leaves ours FAILED behind a new PRIMARY of the old revision.
    const ours = deployments.find(d => d.taskDefinition === taskDefinitionArn && d.rolloutState === 'FAILED')
    const line = `preview service: ${revisionName(taskDefinitionArn)} not deployed yet`
    return ours ? { stable: false, failed: failureReason(ours), line } : { stable: false, line }
  }
  const desired = s.desiredCount ?? 0
  const running = primary?.runningCount ?? s.runningCount ?? 0
  const rollout = primary?.rolloutState
  const rolloutText = rollout ? `, rollout ${rollout}` : ''
  const line = `preview service: ${running}/${desired} running, ${deployments.length} deployment(s)${rolloutText}`
  if (rollout === 'FAILED') return { stable: false, failed: failureReason(primary), line }
  const stable =
    deployments.length <= 1 && running >= desired && (rollout === undefined || rollout === 'COMPLETED')
  return stable ? { stable: true } : { stable: false, line }
}
