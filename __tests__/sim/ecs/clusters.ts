// Clusters: CreateCluster, DescribeClusters and the builder.
import type {
  Cluster,
  CreateClusterCommandInput,
  DescribeClustersCommandInput,
  Tag
} from '@aws-sdk/client-ecs'
import type { EcsModel } from './index.js'
import { type ClusterRecord, PENDING_STATES } from './records.js'

export function addCluster(ecs: EcsModel, name: string, tags: Tag[] = []): ClusterRecord {
  const existing = [...ecs.clusters.values()].find(c => c.name === name)
  if (existing) return existing
  const cluster: ClusterRecord = {
    arn: ecs.world.arn('ecs', `cluster/${name}`),
    name,
    status: 'ACTIVE',
    tags
  }
  ecs.clusters.set(cluster.arn, cluster)
  return cluster
}

export function createCluster(ecs: EcsModel, input: CreateClusterCommandInput) {
  return { cluster: clusterShape(ecs, addCluster(ecs, input.clusterName ?? 'default', input.tags ?? [])) }
}

export function clusterShape(ecs: EcsModel, c: ClusterRecord): Cluster {
  const tasks = [...ecs.tasks.values()].filter(t => t.clusterArn === c.arn)
  return {
    clusterArn: c.arn,
    clusterName: c.name,
    status: c.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter(t => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter(t => PENDING_STATES.has(t.lastStatus)).length,
    activeServicesCount: [...ecs.services.values()].filter(
      s => s.clusterArn === c.arn && s.status === 'ACTIVE'
    ).length,
    statistics: [],
    tags: [],
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: []
  }
}

export function clusterByRef(ecs: EcsModel, ref: string | undefined): ClusterRecord {
  const r = ref ?? 'default'
  const c = ecs.clusters.get(r) ?? [...ecs.clusters.values()].find(x => x.name === r)
  if (!c || c.status !== 'ACTIVE') throw ecs.error('ClusterNotFoundException', 'Cluster not found.')
  return c
}

export function describeClusters(ecs: EcsModel, input: DescribeClustersCommandInput) {
  const found: Cluster[] = []
  const failures: Array<{ arn: string; reason: string }> = []
  for (const ref of input.clusters?.length ? input.clusters : ['default']) {
    const c = ecs.clusters.get(ref) ?? [...ecs.clusters.values()].find(x => x.name === ref)
    if (c)
      found.push({
        ...clusterShape(ecs, c),
        ...(input.include?.includes('TAGS') ? { tags: [...c.tags] } : {})
      })
    else
      failures.push({
        arn: ref.startsWith('arn:') ? ref : ecs.world.arn('ecs', `cluster/${ref}`),
        reason: 'MISSING'
      })
  }
  return { clusters: found, failures }
}
