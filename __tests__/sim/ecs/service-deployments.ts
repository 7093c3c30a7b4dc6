// The service-deployment APIs: ListServiceDeployments, DescribeServiceDeployments,
// DescribeServiceRevisions, ContinueServiceDeployment, StopServiceDeployment, answered from the
// deployments blue-green.ts moves along.
// ContinueServiceDeployment: "The pause hook must be in AWAITING_ACTION status ... The deployment must be
// in the IN_PROGRESS state"; the default action is CONTINUE (API_ContinueServiceDeployment,
// continue-service-deployment.html). StopServiceDeployment ROLLBACK works from PENDING and IN_PROGRESS
// (to ROLLBACK_REQUESTED) and goes on for a deployment already rolling back (stop-service-deployment.html).
import type {
  ContinueServiceDeploymentCommandInput,
  DescribeServiceDeploymentsCommandInput,
  DescribeServiceRevisionsCommandInput,
  ListServiceDeploymentsCommandInput,
  ServiceDeployment,
  StopServiceDeploymentCommandInput
} from '@aws-sdk/client-ecs'
import { answerHook, requestRollback } from './blue-green.js'
import type { EcsModel } from './index.js'
import type { ServiceDeploymentRecord, ServiceRecord } from './records.js'
import { serviceByRef } from './services.js'

export function listServiceDeployments(ecs: EcsModel, input: ListServiceDeploymentsCommandInput) {
  const service = serviceByRef(ecs, input.cluster, input.service)
  const found = [...ecs.serviceDeployments.values()]
    .filter(d => d.serviceArn === service.arn && (!input.status?.length || input.status.includes(d.status)))
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, input.maxResults ?? 20)
  return {
    serviceDeployments: found.map(d => ({
      serviceDeploymentArn: d.arn,
      serviceArn: d.serviceArn,
      clusterArn: d.clusterArn,
      createdAt: new Date(d.createdAt),
      startedAt: new Date(d.startedAt),
      ...(d.finishedAt !== undefined ? { finishedAt: new Date(d.finishedAt) } : {}),
      targetServiceRevisionArn: d.target.arn,
      status: d.status,
      ...(d.statusReason ? { statusReason: d.statusReason } : {})
    }))
  }
}

export function describeServiceDeployments(ecs: EcsModel, input: DescribeServiceDeploymentsCommandInput) {
  const serviceDeployments: ServiceDeployment[] = []
  const failures: Array<{ arn: string; reason: string }> = []
  for (const arn of input.serviceDeploymentArns ?? []) {
    const d = ecs.serviceDeployments.get(arn)
    if (d) serviceDeployments.push(deploymentShape(ecs, d))
    else failures.push({ arn, reason: 'MISSING' })
  }
  return { serviceDeployments, failures }
}

function deploymentShape(ecs: EcsModel, d: ServiceDeploymentRecord): ServiceDeployment {
  const service = serviceOfDeployment(ecs, d)
  const config = service?.deploymentConfiguration
  const running = (deploymentId: string) =>
    [...ecs.tasks.values()].filter(t => t.deploymentId === deploymentId && t.lastStatus === 'RUNNING').length
  return {
    serviceDeploymentArn: d.arn,
    serviceArn: d.serviceArn,
    clusterArn: d.clusterArn,
    createdAt: new Date(d.createdAt),
    startedAt: new Date(d.startedAt),
    updatedAt: new Date(d.updatedAt),
    ...(d.finishedAt !== undefined ? { finishedAt: new Date(d.finishedAt) } : {}),
    sourceServiceRevisions: [
      {
        arn: d.source.arn,
        requestedTaskCount: service?.desiredCount,
        runningTaskCount: running(d.source.deploymentId)
      }
    ],
    targetServiceRevision: {
      arn: d.target.arn,
      requestedTaskCount: service?.desiredCount,
      runningTaskCount: running(d.target.deploymentId),
      requestedProductionTrafficWeight: d.productionPercent
    },
    status: d.status,
    ...(d.statusReason ? { statusReason: d.statusReason } : {}),
    lifecycleStage: d.stage,
    lifecycleHookDetails: d.hooks.map(h => ({
      hookId: h.hookId,
      targetType: h.targetType,
      ...(h.targetArn ? { targetArn: h.targetArn } : {}),
      status: h.status,
      ...(h.expiresAt !== undefined
        ? { expiresAt: new Date(h.expiresAt), timeoutAction: h.timeoutAction }
        : {})
    })),
    ...(config
      ? {
          deploymentConfiguration: { strategy: config.strategy, bakeTimeInMinutes: config.bakeTimeInMinutes }
        }
      : {}),
    ...(d.rollback
      ? {
          rollback: {
            reason: d.rollback.reason,
            startedAt: new Date(d.rollback.startedAt),
            serviceRevisionArn: d.rollback.serviceRevisionArn
          }
        }
      : {}),
    deploymentCircuitBreaker: {
      status: !config?.deploymentCircuitBreaker.enable
        ? 'DISABLED'
        : d.breakerTriggered
          ? 'TRIGGERED'
          : 'MONITORING',
      failureCount: d.failureCount,
      threshold: Math.min(200, Math.max(3, Math.ceil(0.5 * (service?.desiredCount ?? 0))))
    }
  }
}

export function describeServiceRevisions(ecs: EcsModel, input: DescribeServiceRevisionsCommandInput) {
  const found = (input.serviceRevisionArns ?? []).flatMap(arn => {
    const r = ecs.serviceRevisions.get(arn)
    return r ? [{ ...r, createdAt: new Date(r.createdAt) }] : []
  })
  return {
    serviceRevisions: found.map(r => ({
      serviceRevisionArn: r.arn,
      serviceArn: r.serviceArn,
      clusterArn: r.clusterArn,
      taskDefinition: r.taskDefinition,
      createdAt: r.createdAt
    })),
    failures: []
  }
}

export function continueServiceDeployment(ecs: EcsModel, input: ContinueServiceDeploymentCommandInput) {
  const d = deploymentByArn(ecs, input.serviceDeploymentArn)
  const hook = d.hooks.find(h => h.hookId === input.hookId)
  if (!hook) throw ecs.error('InvalidParameterException', `The hook ${input.hookId} was not found.`)
  if (d.status !== 'IN_PROGRESS' || hook.status !== 'AWAITING_ACTION')
    throw ecs.error('InvalidParameterException', 'The hook is not awaiting an action.')
  const action = input.action ?? 'CONTINUE'
  answerHook(ecs, serviceOfDeployment(ecs, d)!, d, hook, action, 'ContinueServiceDeployment ROLLBACK.')
  return { serviceDeploymentArn: d.arn }
}

export function stopServiceDeployment(ecs: EcsModel, input: StopServiceDeploymentCommandInput) {
  const d = deploymentByArn(ecs, input.serviceDeploymentArn)
  if (!['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'].includes(d.status))
    throw ecs.error('ConflictException', `The service deployment is ${d.status} and cannot be stopped.`)
  if (input.stopType !== 'ROLLBACK')
    throw ecs.error('InvalidParameterException', 'Only stopType ROLLBACK is modelled.')
  requestRollback(ecs, serviceOfDeployment(ecs, d)!, d, 'StopServiceDeployment ROLLBACK.')
  return { serviceDeploymentArn: d.arn }
}

function deploymentByArn(ecs: EcsModel, arn: string | undefined): ServiceDeploymentRecord {
  const d = ecs.serviceDeployments.get(arn ?? '')
  if (!d) throw ecs.error('ServiceDeploymentNotFoundException', 'The service deployment does not exist.')
  return d
}

function serviceOfDeployment(ecs: EcsModel, d: ServiceDeploymentRecord): ServiceRecord | undefined {
  return [...ecs.services.values()].find(s => s.arn === d.serviceArn)
}
