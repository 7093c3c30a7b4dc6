// The IAM policy documents in iam/: well-formed, every create and delete of pr-preview fenced by the
// zdt:managed-by tag, asg-blue-green's changes limited to tagged groups, roles passed only to the
// service that needs them, placeholders explained. Which actions they grant is checked against the
// code by __tests__/sim/iam-policy.test.ts.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { MANAGED_BY_VALUE, STRATEGIES, Tags, type StrategyName } from '../../src/constants.js'

type Condition = Record<string, Record<string, string | string[]>>

interface Statement {
  Sid: string
  Effect: string
  Action: string[]
  Resource: string | string[]
  Condition?: Condition
  NotAction?: unknown
  NotResource?: unknown
  Principal?: unknown
}

interface PolicyDocument {
  Version: string
  Statement: Statement[]
}

/** Every statement passes `fence`; one that does not is named by its Sid. */
function expectFenced(statements: Statement[], fence: (s: Statement) => boolean): void {
  for (const s of statements) expect({ sid: s.Sid, fenced: fence(s) }).toEqual({ sid: s.Sid, fenced: true })
}

const policy = (strategy: StrategyName): PolicyDocument =>
  JSON.parse(readFileSync(`iam/${strategy}.json`, 'utf8')) as PolicyDocument

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat())

/** The condition's values for `key` under `operator`, or undefined. */
const conditionValues = (s: Statement, operator: string, key: string): string[] | undefined => {
  const v = s.Condition?.[operator]?.[key]
  return v === undefined ? undefined : list(v)
}

const MANAGED_BY_REQUEST_TAG = `aws:RequestTag/${Tags.ManagedBy}`
const MANAGED_BY_RESOURCE_TAG = `aws:ResourceTag/${Tags.ManagedBy}`

const requiresRequestTag = (s: Statement) =>
  conditionValues(s, 'StringEquals', MANAGED_BY_REQUEST_TAG)?.join() === MANAGED_BY_VALUE
const requiresResourceTag = (s: Statement, key = MANAGED_BY_RESOURCE_TAG) =>
  conditionValues(s, 'StringEquals', key)?.join() === MANAGED_BY_VALUE
const onlyWhileCreating = (s: Statement) =>
  conditionValues(s, 'StringEquals', 'ecs:CreateAction') !== undefined ||
  conditionValues(s, 'StringEquals', 'elasticloadbalancing:CreateAction') !== undefined ||
  conditionValues(s, 'StringEquals', 'ec2:CreateAction') !== undefined
const onlyZdtTagKeys = (s: Statement) =>
  conditionValues(s, 'ForAllValues:StringLike', 'aws:TagKeys')?.join() === 'zdt:*'

const name = (action: string) => action.split(':')[1]
const isRead = (action: string) => /^(Describe|List|Get|Filter)/.test(name(action))
const isCreate = (action: string) => /^(Create|Register)/.test(name(action))
const isTagging = (action: string) =>
  /^(TagResource|AddTags|CreateOrUpdateTags|DeleteTags)$/.test(name(action))
const isChange = (action: string) =>
  !isRead(action) && !isCreate(action) && !isTagging(action) && action !== 'iam:PassRole'

describe.each([...STRATEGIES])('iam/%s.json', strategy => {
  const doc = policy(strategy)

  it('is an IAM policy document of explicit Allow statements', () => {
    expect(doc.Version).toBe('2012-10-17')
    expect(Object.keys(doc).sort()).toEqual(['Statement', 'Version'])
    expect(doc.Statement.length).toBeGreaterThan(0)
    const sids = doc.Statement.map(s => s.Sid)
    expect(new Set(sids).size).toBe(sids.length)
    for (const s of doc.Statement) {
      expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/) // what IAM accepts in a Sid
      expect(s.Effect).toBe('Allow')
      expect(s).not.toHaveProperty('NotAction')
      expect(s).not.toHaveProperty('NotResource')
      expect(s).not.toHaveProperty('Principal')
      expect(Array.isArray(s.Action) && s.Action.length).toBeTruthy()
      // Explicit action names: no wildcards, known services.
      for (const a of s.Action)
        expect(a).toMatch(/^(ecs|elasticloadbalancing|autoscaling|ec2|iam|logs):[A-Z][A-Za-z]+$/)
      expect(list(s.Resource).length).toBeGreaterThan(0)
      for (const r of list(s.Resource)) expect(r).toMatch(/^(\*|arn:aws:[a-z0-9-]+:[^:]*:[^:]*:.+)$/)
    }
  })

  it('grants each action once, so one statement says what it may do', () => {
    const actions = doc.Statement.flatMap(s => s.Action)
    const tagging = new Set(['ecs:TagResource', 'elasticloadbalancing:AddTags'])
    // Tagging is the exception: once while creating, once (narrower) on what is already ours.
    const repeated = actions.filter((a, i) => actions.indexOf(a) !== i && !tagging.has(a))
    expect(repeated).toEqual([])
  })

  it('passes roles only to the service that uses them', () => {
    for (const s of doc.Statement.filter(x => x.Action.includes('iam:PassRole'))) {
      expect(s.Action).toEqual(['iam:PassRole'])
      expect(conditionValues(s, 'StringEquals', 'iam:PassedToService')).toEqual([
        strategy === 'asg-blue-green' ? 'ec2.amazonaws.com' : 'ecs-tasks.amazonaws.com'
      ])
      for (const r of list(s.Resource)) expect(r).toMatch(/^arn:aws:iam::\*:role\/[A-Z_]+$/)
    }
  })

  it('explains every placeholder in iam/README.md', () => {
    const readme = readFileSync('iam/README.md', 'utf8')
    expect(readme).toContain(`[\`${strategy}.json\`](${strategy}.json)`)
    const placeholders = new Set(
      doc.Statement.flatMap(s => list(s.Resource)).flatMap(
        r => r.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? []
      )
    )
    for (const p of placeholders) expect(readme).toMatch(new RegExp(`\\| [^\\n]*\`${p}\``))
  })
})

describe('iam/pr-preview.json fences previews with the zdt:managed-by tag', () => {
  const doc = policy('pr-preview')
  // AWS offers neither a resource ARN nor a tag condition for it; the action deregisters only
  // revisions of the preview families whose zdt tags it has read.
  const NO_RESOURCE_LEVEL_PERMISSION = ['ecs:DeregisterTaskDefinition']

  it('creates only what carries the tag in the request', () => {
    const creates = doc.Statement.filter(s => s.Action.some(isCreate))
    expect(creates.flatMap(s => s.Action).sort()).toEqual([
      'ecs:CreateService',
      'ecs:RegisterTaskDefinition',
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:CreateRule',
      'elasticloadbalancing:CreateTargetGroup'
    ])
    expectFenced(creates, requiresRequestTag)
  })

  it('tags while creating, or re-tags with zdt: keys what already carries the tag', () => {
    const tagging = doc.Statement.filter(s => s.Action.some(isTagging))
    expect(tagging.length).toBeGreaterThan(0)
    for (const s of tagging) {
      expect(s.Action.every(isTagging)).toBe(true)
      const fenced = onlyWhileCreating(s) || (requiresResourceTag(s) && onlyZdtTagKeys(s))
      expect({ sid: s.Sid, fenced }).toEqual({ sid: s.Sid, fenced: true })
    }
    const whileCreating = doc.Statement.find(
      s => s.Action.includes('elasticloadbalancing:AddTags') && onlyWhileCreating(s)
    )
    expect(
      conditionValues(whileCreating!, 'StringEquals', 'elasticloadbalancing:CreateAction')?.sort()
    ).toEqual(['CreateListener', 'CreateRule', 'CreateTargetGroup'])
  })

  it('updates and deletes only what carries the tag', () => {
    const changes = doc.Statement.filter(s => s.Action.some(isChange))
    const fenced = changes.filter(s => !s.Action.every(a => NO_RESOURCE_LEVEL_PERMISSION.includes(a)))
    expect(fenced.flatMap(s => s.Action).sort()).toEqual([
      'ecs:DeleteService',
      'ecs:RunTask',
      'ecs:StopTask',
      'ecs:UpdateService',
      'elasticloadbalancing:DeleteListener',
      'elasticloadbalancing:DeleteRule',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes'
    ])
    expectFenced(fenced, requiresResourceTag)
  })

  it('leaves unconditioned only reads and the action AWS cannot scope', () => {
    const open = doc.Statement.filter(s => s.Condition === undefined)
    for (const s of open) {
      const writes = s.Action.filter(a => !isRead(a))
      expect(writes.every(a => NO_RESOURCE_LEVEL_PERMISSION.includes(a))).toBe(true)
    }
    // The exception stands alone, so nothing else rides on its "*".
    const exception = doc.Statement.filter(s => s.Action.some(a => NO_RESOURCE_LEVEL_PERMISSION.includes(a)))
    expect(exception.map(s => s.Action)).toEqual([NO_RESOURCE_LEVEL_PERMISSION])
  })
})

describe('iam/asg-blue-green.json changes only groups and templates tagged for zdt-deploy', () => {
  const doc = policy('asg-blue-green')

  it('conditions every change of a group on its tag, and writes only zdt: tags', () => {
    const groupChanges = doc.Statement.filter(s =>
      s.Action.some(a => a.startsWith('autoscaling:') && !isRead(a))
    )
    expect(groupChanges.length).toBeGreaterThan(0)
    for (const s of groupChanges) {
      expect(requiresResourceTag(s, `autoscaling:ResourceTag/${Tags.ManagedBy}`)).toBe(true)
      expect(list(s.Resource)).toEqual(['arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*'])
      if (s.Action.some(isTagging)) {
        expect(s.Action.every(isTagging)).toBe(true)
        expect(onlyZdtTagKeys(s)).toBe(true)
      }
    }
  })

  it('creates launch template versions only of tagged templates, launches only from templates', () => {
    const versions = doc.Statement.filter(s => s.Action.includes('ec2:CreateLaunchTemplateVersion'))
    expect(versions).toHaveLength(1)
    expect(requiresResourceTag(versions[0])).toBe(true)
    const run = doc.Statement.filter(s => s.Action.includes('ec2:RunInstances'))
    expect(run).toHaveLength(1)
    expect(conditionValues(run[0], 'ArnLike', 'ec2:LaunchTemplate')).toEqual([
      'arn:aws:ec2:*:*:launch-template/*'
    ])
    for (const s of doc.Statement.filter(x => x.Action.includes('ec2:CreateTags')))
      expect(conditionValues(s, 'StringEquals', 'ec2:CreateAction')).toEqual(['RunInstances'])
  })

  it('creates load balancer rules only tagged, tags them only while creating, deletes only tagged ones', () => {
    for (const s of doc.Statement.filter(x =>
      x.Action.some(a => a.startsWith('elasticloadbalancing:') && !isRead(a))
    )) {
      const deletes = s.Action.every(a => a.startsWith('elasticloadbalancing:Delete'))
      const fenced = s.Action.some(isTagging)
        ? onlyWhileCreating(s)
        : deletes
          ? requiresResourceTag(s)
          : requiresRequestTag(s)
      expect({ sid: s.Sid, fenced }).toEqual({ sid: s.Sid, fenced: true })
    }
  })
})

describe('iam/ecs-rolling.json', () => {
  const doc = policy('ecs-rolling')

  it('updates one named service, tags new revisions only while registering, and the service with one key', () => {
    const SERVICE = 'arn:aws:ecs:*:*:service/CLUSTER_NAME/SERVICE_NAME'
    const update = doc.Statement.filter(s => s.Action.includes('ecs:UpdateService'))
    expect(update).toHaveLength(1)
    expect(list(update[0].Resource)).toEqual([SERVICE])
    const tag = doc.Statement.filter(s => s.Action.includes('ecs:TagResource'))
    expect(tag).toHaveLength(2)
    const [onRegister, onService] = tag
    expect(conditionValues(onRegister, 'StringEquals', 'ecs:CreateAction')).toEqual([
      'RegisterTaskDefinition',
      'RunTask'
    ])
    // The rollback's mark: on the deployed service only, and no tag key but zdt:rolled-back-from.
    expect(onService.Action).toEqual(['ecs:TagResource'])
    expect(list(onService.Resource)).toEqual([SERVICE])
    expect(conditionValues(onService, 'ForAllValues:StringEquals', 'aws:TagKeys')).toEqual([
      Tags.RolledBackFrom
    ])
  })

  it("steers only the deployed service's own service deployments", () => {
    const steer = doc.Statement.filter(s => s.Action.includes('ecs:StopServiceDeployment'))
    expect(steer).toHaveLength(1)
    expect(steer[0].Action).toEqual(['ecs:ContinueServiceDeployment', 'ecs:StopServiceDeployment'])
    expect(list(steer[0].Resource)).toEqual([
      'arn:aws:ecs:*:*:service-deployment/CLUSTER_NAME/SERVICE_NAME/*'
    ])
  })

  it('changes nothing but the service, its new revision and the pre-deploy task', () => {
    const writes = doc.Statement.flatMap(s => s.Action).filter(a => !isRead(a))
    expect(writes.sort()).toEqual([
      'ecs:ContinueServiceDeployment', // the gate's answer to the service's PAUSE hook
      'ecs:RegisterTaskDefinition',
      'ecs:RunTask',
      'ecs:StopServiceDeployment', // ECS's own rollback of a blue/green, linear or canary deployment
      'ecs:StopTask',
      'ecs:TagResource', // while registering or starting the pre-deploy task
      'ecs:TagResource', // the service, zdt:rolled-back-from only
      'ecs:UpdateService',
      'iam:PassRole'
    ])
  })

  it('runs the pre-deploy task only from the family in the cluster, and stops only tasks it tagged', () => {
    const run = doc.Statement.filter(s => s.Action.includes('ecs:RunTask'))
    expect(run).toHaveLength(1)
    expect(list(run[0].Resource)).toEqual(['arn:aws:ecs:*:*:task-definition/FAMILY_NAME:*'])
    expect(conditionValues(run[0], 'ArnEquals', 'ecs:cluster')).toEqual([
      'arn:aws:ecs:*:*:cluster/CLUSTER_NAME'
    ])
    const stop = doc.Statement.filter(s => s.Action.includes('ecs:StopTask'))
    expect(stop).toHaveLength(1)
    expect(list(stop[0].Resource)).toEqual(['arn:aws:ecs:*:*:task/CLUSTER_NAME/*'])
    expect(requiresResourceTag(stop[0])).toBe(true)
  })

  it('reads logs of one log group only', () => {
    const logs = doc.Statement.filter(s => s.Action.some(a => a.startsWith('logs:')))
    expect(logs.map(s => [s.Action, s.Resource])).toEqual([
      [['logs:FilterLogEvents', 'logs:GetLogEvents'], 'arn:aws:logs:*:*:log-group:LOG_GROUP_NAME:*']
    ])
  })
})
