// ecs-rolling's safe state after a cancellation: once UpdateService was sent, ECS carries on with the
// deployment by itself, so the run neither rolls back nor writes anything more; it says what ECS goes
// on with, what decides how it ends, and where to watch it (or, once the rollout completed, what the
// service runs and how a re-run proves it).
import { revisionName } from '../../aws/arns.js'
import { serviceLabel } from './rollout-state.js'
import type { EcsContext, EcsRun } from './run.js'

/** Registers the safe state of the deployment `run` started; returns its unregister. */
export function carriesOnAfterCancel(ctx: EcsContext, run: EcsRun): () => void {
  return ctx.state.onCancel<EcsContext['settings']>('ecs deployment', async () => carriesOnLines(ctx, run))
}

/** What ECS goes on with after the run stopped watching, and how to follow it. */
export function carriesOnLines(ctx: EcsContext, run: EcsRun): string[] {
  const { cluster, service } = ctx.settings
  const { rollout, pre } = run
  const revision = revisionName(rollout.taskDefinitionArn)
  const watch =
    `Watch it in the service's events and deployments: aws ecs describe-services --cluster ${cluster} ` +
    `--services ${service} --query 'services[0].[deployments,events[:10]]'.`
  const shift = pre.shift
  if (shift) {
    const deployment = rollout.serviceDeploymentArn ?? rollout.deploymentId
    const pause = shift.hooks.find(h => h.targetType === 'PAUSE' && h.stages.includes(shift.gateStage))
    const decides = pause
      ? `the ${shift.gateStage} PAUSE hook's timeout action decides how it ends: ` +
        `${pause.timeoutAction ?? 'ECS default'} after ${pause.timeoutMinutes ?? '?'} min unless someone ` +
        `continues it (aws ecs continue-service-deployment --service-deployment-arn ${deployment})`
      : `its lifecycle hooks' timeout actions and alarms decide how it ends`
    return [
      `ECS carries on with ${shift.strategy} service deployment ${deployment} of ${revision} on ` +
        `${serviceLabel(cluster, service)}: this run did not roll it back; ${decides}.`,
      `${watch} Stages: aws ecs describe-service-deployments --service-deployment-arns ${deployment}.`
    ]
  }
  if (run.rolledOut)
    return [
      `ECS had completed deployment ${rollout.deploymentId}: ${serviceLabel(cluster, service)} runs ${revision}. ` +
        `The run stopped before its smoke test and check of the running revision finished, and rolled nothing back; ` +
        `re-run the deploy to prove it (it finds the service on ${revision} and smoke-tests it).`,
      watch
    ]
  const { enable, rollback } = pre.facts.circuitBreaker
  const breaker = enable
    ? `the deployment circuit breaker stops it if tasks keep failing${rollback ? ' and rolls back to the previous revision' : ' (without rollback: the service stays where it stopped)'}`
    : 'no circuit breaker is enabled, so a failing rollout keeps retrying until someone stops it'
  return [
    `ECS carries on with deployment ${rollout.deploymentId} of ${revision} on ${serviceLabel(cluster, service)}: ` +
      `this run did not roll it back; ${breaker}.`,
    watch
  ]
}
