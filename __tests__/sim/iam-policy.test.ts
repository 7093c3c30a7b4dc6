// The documented IAM policies (iam/<strategy>.json) against what the code really sends: each strategy's
// representative scenarios run in the simulation, every AWS operation they send (from the call log, as
// IAM actions) plus the actions AWS authorises alongside it (tag-on-create, iam:PassRole, the launch
// permission of a launch template) must be allowed by the policy, and the policy must grant nothing
// that no scenario needs unless it is in the commented allow-list below. Conditions and resources are
// not evaluated here (iam-policy unit tests check their shape); actions are, with IAM's wildcards.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from '@jest/globals'
import type { ResponseLaunchTemplateData } from '@aws-sdk/client-ec2'
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ModifyListenerCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  createSimulation,
  runActionInSim,
  type ActionInputs,
  type EcsFixture,
  type EcsServiceOptions,
  type RecordedCall,
  type SimRunResult,
  type Simulation
} from './index.js'
import { prEvent } from '../../testkit/moto-preview.js'
import { releaseInputs } from './ecs-scenarios.js'
import { previewWorld as sharedPreviewWorld } from './preview-scenarios.js'

type Strategy = 'ecs-rolling' | 'asg-blue-green' | 'pr-preview'

interface Statement {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Action?: string | string[]
  NotAction?: string | string[]
}

const IAM_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../iam')

function policyOf(strategy: Strategy): { Statement: Statement[] } {
  return JSON.parse(readFileSync(path.join(IAM_DIR, `${strategy}.json`), 'utf8'))
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat())

/** IAM action matching: case-insensitive; `*` matches any run of characters, `?` exactly one. */
function actionMatches(pattern: string, action: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${re}$`, 'i').test(action)
}

/** The action patterns the policy's Allow statements grant (conditions and resources ignored). */
function grantedPatterns(strategy: Strategy): string[] {
  return policyOf(strategy)
    .Statement.filter(s => s.Effect === 'Allow')
    .flatMap(s => list(s.Action))
}

/**
 * Actions AWS authorises besides the call's own, read from the call's input: tags given at creation
 * (ECS `ecs:TagResource`, ELB `elasticloadbalancing:AddTags`), roles handed to tasks (`iam:PassRole`),
 * and a launch template put on an Auto Scaling group (AWS checks the caller may run instances from it,
 * pass its instance profile's role and tag at launch).
 */
function impliedActions(call: RecordedCall, sim: Simulation): string[] {
  const input = call.input
  const some = (v: unknown) => Array.isArray(v) && v.length > 0
  switch (call.action) {
    case 'ecs:RegisterTaskDefinition':
      return [
        ...(some(input.tags) ? ['ecs:TagResource'] : []),
        ...(input.taskRoleArn || input.executionRoleArn ? ['iam:PassRole'] : [])
      ]
    case 'ecs:CreateService':
      return some(input.tags) ? ['ecs:TagResource'] : []
    case 'ecs:RunTask': {
      // The task runs with the task definition's roles: AWS checks the caller may pass them.
      const family = String(input.taskDefinition).split('/').pop() ?? ''
      const [name, revision] = family.split(':')
      const td = sim.world.ecs.taskDefinitions.get(name)?.find(r => r.revision === Number(revision))?.body
      return [
        ...(some(input.tags) ? ['ecs:TagResource'] : []),
        ...(td?.taskRoleArn || td?.executionRoleArn ? ['iam:PassRole'] : [])
      ]
    }
    case 'elasticloadbalancing:CreateTargetGroup':
    case 'elasticloadbalancing:CreateRule':
    case 'elasticloadbalancing:CreateListener':
      return some(input.Tags) ? ['elasticloadbalancing:AddTags'] : []
    case 'autoscaling:UpdateAutoScalingGroup': {
      const lt = input.LaunchTemplate as
        { LaunchTemplateId?: string; LaunchTemplateName?: string; Version?: string } | undefined
      if (!lt) return []
      const template = sim.world.ec2.template({ id: lt.LaunchTemplateId, name: lt.LaunchTemplateName })
      const data = sim.world.ec2.findVersion(template, lt.Version)?.data
      return [
        'ec2:RunInstances',
        ...(data?.IamInstanceProfile ? ['iam:PassRole'] : []),
        ...(some(data?.TagSpecifications) ? ['ec2:CreateTags'] : [])
      ]
    }
    default:
      return []
  }
}

/** Every IAM action the simulation's recorded calls needed. */
function neededActions(sim: Simulation): string[] {
  return [...new Set(sim.calls.all.flatMap(c => [c.action, ...impliedActions(c, sim)]))].sort()
}

/**
 * Granted actions no scenario below reaches, each with why the policy keeps it. Anything else a policy
 * grants and no scenario uses fails the test: remove it from the policy, or add a scenario.
 */
const RARE_PATH_ACTIONS: Record<Strategy, Record<string, string>> = {
  'ecs-rolling': {
    'ecs:DescribeServiceRevisions':
      "finds the service deployment an UpdateService started when ECS's answer names none " +
      '(currentServiceDeployment): by the task definition of its target revision'
  },
  'asg-blue-green': {},
  'pr-preview': {}
}

// ---- scenarios -----------------------------------------------------------------------------------

interface Scenario {
  name: string
  /** Runs the scenario (asserting it went the way it is meant to) and returns its simulation. */
  run: () => Promise<Simulation>
}

/** An ecs-rolling deploy of v2 to production on `web`. */
const ecsRollingV2 = (sim: Simulation, web: EcsFixture, inputs: ActionInputs = {}) =>
  runActionInSim(sim, {
    strategy: 'ecs-rolling',
    cluster: web.clusterName,
    service: web.serviceName,
    image: 'registry.example.com/web:v2',
    environment: 'production',
    ...inputs
  })

/** An ecs-rolling dry run of v2 to production on `web`. */
const ecsRollingDryRun = (sim: Simulation, web: EcsFixture) => ecsRollingV2(sim, web, { 'dry-run': true })

const sims: Simulation[] = []
afterAll(() => sims.forEach(s => s.restore()))

function world(seed: number): Simulation {
  const sim = createSimulation({ seed })
  sims.push(sim)
  return sim
}

/** A run that succeeded; on failure the assertion shows its log. */
function expectOk(r: SimRunResult): void {
  expect({ ok: r.ok, failed: r.failedMessage, log: r.ok ? [] : r.lines }).toEqual({
    ok: true,
    failed: undefined,
    log: []
  })
}

const QUICK_TARGETS = {
  healthCheck: { intervalSeconds: 10, healthyThreshold: 3 },
  deregistrationDelaySeconds: 30
}

const PAUSE_AFTER_TEST = {
  targetType: 'PAUSE' as const,
  lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const],
  timeoutConfiguration: { timeoutInMinutes: 10, action: 'ROLLBACK' as const }
}

const ecsRolling: Scenario[] = [
  {
    name: 'ECS blue/green deploy gated at its PAUSE hook (ContinueServiceDeployment)',
    run: async () => {
      const sim = world(15)
      const web = sim.addShiftingService({
        ...QUICK_TARGETS,
        strategy: 'BLUE_GREEN',
        lifecycleHooks: [PAUSE_AFTER_TEST]
      })
      const r = await ecsRollingV2(sim, web)
      expectOk(r)
      expect(sim.calls.count('ecs:ContinueServiceDeployment')).toBe(1)
      return sim
    }
  },
  {
    name: 'ECS canary deploy whose probe fails, stopped with ECS rollback (StopServiceDeployment)',
    run: async () => {
      const sim = world(16)
      const web = sim.addShiftingService({ ...QUICK_TARGETS, strategy: 'CANARY', bakeTimeMinutes: 10 })
      sim.setImageBehavior('registry.example.com/web:v2', { crashAfterSeconds: 150 })
      const r = await ecsRollingV2(sim, web)
      expect(r.ok).toBe(false)
      expect(r.outputs['rolled-back']).toBe('true')
      expect(sim.calls.count('ecs:StopServiceDeployment')).toBe(1)
      return sim
    }
  },
  {
    name: 'healthy deploy of a new image',
    run: async () => {
      const sim = world(11)
      const web = sim.addEcsService({ ...QUICK_TARGETS, circuitBreaker: true })
      const r = await ecsRollingV2(sim, web)
      expectOk(r)
      expect(r.result?.outcome).toBe('deployed')
      return sim
    }
  },
  {
    name: 'deploy whose tasks crash, rolled back by the action',
    run: async () => {
      const sim = world(12)
      const web = sim.addEcsService({ ...QUICK_TARGETS, circuitBreaker: { enable: true, rollback: false } })
      sim.setImageBehavior('registry.example.com/web:v2', { crashAfterSeconds: 5 })
      const r = await ecsRollingV2(sim, web)
      expect(r.ok).toBe(false)
      expect(r.outputs['rolled-back']).toBe('true')
      // The one TagResource of an existing resource, as its statement allows: the service, one key.
      expect(sim.calls.inputs('ecs:TagResource')).toEqual([
        {
          resourceArn: web.serviceArn,
          tags: [{ key: 'zdt:rolled-back-from', value: r.outputs['task-definition-arn'] }]
        }
      ])
      return sim
    }
  },
  {
    name: 'a migration before the update: its output streamed, then the rollout',
    run: async () => {
      const sim = world(15)
      const web = sim.addEcsService({ ...QUICK_TARGETS, awslogs: { group: '/ecs/web' } })
      sim.setCommandBehavior('npm run migrate', { runSeconds: 20, logLines: ['migrated'] })
      const r = await runActionInSim(sim, {
        strategy: 'ecs-rolling',
        cluster: web.clusterName,
        service: web.serviceName,
        image: 'registry.example.com/web:v2',
        environment: 'production',
        'pre-deploy-command': 'npm run migrate'
      })
      expectOk(r)
      expect(sim.calls.count('logs:FilterLogEvents')).toBeGreaterThan(0)
      return sim
    }
  },
  {
    name: 'a migration that exits 1 (its last lines read), and one stopped at wait-timeout',
    run: async () => {
      const sim = world(16)
      const web = sim.addEcsService({ ...QUICK_TARGETS, awslogs: { group: '/ecs/web' } })
      const inputs = releaseInputs(web)
      sim.setCommandBehavior('sh -c exit 1', { runSeconds: 5, exitCode: 1, logLines: ['failed'] })
      const failed = await runActionInSim(sim, { ...inputs, 'pre-deploy-command': 'exit 1' })
      expect(failed.failedMessage).toMatch(/exited with code 1/)
      sim.setCommandBehavior('sh -c sleep 3600', { runSeconds: 3600 })
      const slow = await runActionInSim(sim, {
        ...inputs,
        'pre-deploy-command': 'sleep 3600',
        'wait-timeout': 60
      })
      expect(slow.failedMessage).toMatch(/did not stop within 'wait-timeout'/)
      expect(sim.calls.count('ecs:StopTask')).toBe(1)
      expect(sim.calls.count('logs:GetLogEvents')).toBeGreaterThan(0)
      return sim
    }
  },
  {
    name: 'dry-run',
    run: async () => {
      const sim = world(13)
      const web = sim.addEcsService(QUICK_TARGETS)
      const r = await ecsRollingDryRun(sim, web)
      expectOk(r)
      expect(r.result?.outcome).toBe('planned')
      expect(sim.calls.mutating()).toEqual([])
      return sim
    }
  },
  {
    name: 'dry-run of a service behind a host rule of a shared ALB (the URL comes from the rule)',
    run: async () => {
      const sim = world(14)
      const web = sim.addEcsService(QUICK_TARGETS)
      const alb = web.alb!
      const elbv2 = sim.clients.elbv2
      await sim.run(async () => {
        const other = await elbv2.send(
          new CreateTargetGroupCommand({ Name: 'other-tg', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-0sim' })
        )
        await elbv2.send(
          new ModifyListenerCommand({
            ListenerArn: alb.listenerArn,
            DefaultActions: [{ Type: 'forward', TargetGroupArn: other.TargetGroups?.[0]?.TargetGroupArn }]
          })
        )
        await elbv2.send(
          new CreateRuleCommand({
            ListenerArn: alb.listenerArn,
            Priority: 10,
            Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['web.example.com'] } }],
            Actions: [{ Type: 'forward', TargetGroupArn: alb.targetGroupArn }]
          })
        )
      })
      sim.calls.clear() // the setup above is the account's, not the action's
      const r = await ecsRollingDryRun(sim, web)
      expectOk(r)
      expect(r.outputs.url).toBe('http://web.example.com')
      return sim
    }
  }
]

const NEW_AMI = 'ami-0b0b0b0b0b0b0b0b2'

/**
 * A blue/green pair whose launch templates give instances a role and tags at launch, as production
 * templates do, so the permissions Auto Scaling checks for them are exercised too.
 */
function asgWorld(seed: number, synthetic: boolean) {
  const sim = world(seed)
  const pair = sim.addAsgPair({ alb: { targetGroup: QUICK_TARGETS }, synthetic: false })
  for (const group of [pair.blue, pair.green]) {
    // The builders make plain templates; the fixture's template data is the world's to set.
    const data: ResponseLaunchTemplateData = sim.world.ec2.template({ id: group.launchTemplateId })
      .versions[0].data
    data.IamInstanceProfile = { Arn: `arn:aws:iam::${sim.world.accountId}:instance-profile/shop-web` }
    data.TagSpecifications = [{ ResourceType: 'instance', Tags: [{ Key: 'app', Value: 'shop' }] }]
  }
  // A synthetic target group without its header rule yet: the first deploy creates the rule.
  const syntheticGroup = synthetic
    ? sim.addTargetGroup({ name: 'shop-synthetic', targetType: 'instance', ...QUICK_TARGETS })
    : undefined
  sim.addAmi(NEW_AMI)
  const inputs: ActionInputs = {
    strategy: 'asg-blue-green',
    'blue-asg': pair.blue.name,
    'green-asg': pair.green.name,
    'target-group': pair.targetGroupArn,
    'ami-id': NEW_AMI,
    'validation-window': 60,
    environment: 'production',
    ...(syntheticGroup
      ? { 'synthetic-target-group': syntheticGroup.targetGroupArn, 'listener-arn': pair.listenerArn }
      : {})
  }
  return { sim, pair, inputs }
}

const asgBlueGreen: Scenario[] = [
  {
    name: 'healthy deploy of a new AMI through the synthetic target group',
    run: async () => {
      const { sim, inputs } = asgWorld(21, true)
      const r = await runActionInSim(sim, inputs)
      expectOk(r)
      expect(r.result?.outcome).toBe('deployed')
      expect(sim.calls.count('elasticloadbalancing:CreateRule')).toBe(1)
      return sim
    }
  },
  {
    name: 'rollback in the validation window',
    run: async () => {
      const { sim, pair, inputs } = asgWorld(22, false)
      // Healthy for the load balancer (/healthz), but the path the action checks fails on the new AMI.
      sim.setAmiBehavior(NEW_AMI, { paths: { '/ready': { status: 500 } } })
      const r = await runActionInSim(sim, { ...inputs, 'health-path': '/ready', 'health-timeout': 20 })
      expect(r.ok).toBe(false)
      expect(r.failedMessage).toMatch(/Validation failed/)
      expect(r.failedMessage).toMatch(/Rolled back/)
      expect(r.outputs['rolled-back']).toBe('true')
      expect(sim.autoScalingGroup(pair.green.name).DesiredCapacity).toBe(0)
      return sim
    }
  },
  {
    name: 'cancelled during the synthetic checks: the header rule it created is deleted',
    run: async () => {
      const whole = asgWorld(24, true)
      const checks = (await runActionInSim(whole.sim, whole.inputs)).run.log.phases.find(
        ph => ph.name === 'Synthetic checks'
      )!
      const signalAfterMs = (checks.startMs + checks.endMs) / 2 - whole.sim.clock.startMs
      whole.sim.restore()
      const { sim, inputs } = asgWorld(24, true)
      const r = await runActionInSim(sim, inputs, { sigintAfterMs: signalAfterMs })
      expect(r.run.cancelled?.by).toBe('SIGINT')
      expect(r.failedMessage).toContain('Deleted the synthetic header rule this run created.')
      expect(sim.calls.count('elasticloadbalancing:DeleteRule')).toBe(1)
      return sim
    }
  },
  {
    name: 'dry-run',
    run: async () => {
      const { sim, inputs } = asgWorld(23, true)
      const r = await runActionInSim(sim, { ...inputs, 'dry-run': true })
      expectOk(r)
      expect(r.result?.outcome).toBe('planned')
      expect(sim.calls.mutating()).toEqual([])
      return sim
    }
  }
]

/** A base service (deregistration delay 30 s, so previews copy it) and the preview inputs. */
function previewWorld(seed: number, mode: 'host' | 'port', base: EcsServiceOptions = {}) {
  const sim = world(seed)
  const { github, inputs } = sharedPreviewWorld(sim, mode, { ...QUICK_TARGETS, ...base })
  const onPr = (n: number, action: string, extra: ActionInputs = {}) =>
    runActionInSim(sim, inputs(extra), { eventName: 'pull_request', event: prEvent(n, { action }), github })
  return { sim, github, inputs, onPr }
}

const prPreview: Scenario[] = [
  {
    name: "a preview's migrations: streamed, one exiting 1 (its last lines read), one stopped at wait-timeout",
    run: async () => {
      const { sim, onPr } = previewWorld(33, 'host', { awslogs: { group: '/ecs/web' } })
      sim.setCommandBehavior('sh -c migrate', { runSeconds: 10, logLines: ['migrated'] })
      expectOk(await onPr(9, 'opened', { 'pre-deploy-command': 'migrate' }))
      sim.setCommandBehavior('sh -c exit 1', { runSeconds: 5, exitCode: 1, logLines: ['failed'] })
      const failed = await onPr(9, 'synchronize', {
        image: 'registry.example.com/web:pr-b',
        'pre-deploy-command': 'exit 1'
      })
      expect(failed.failedMessage).toMatch(/exited with code 1/)
      sim.setCommandBehavior('sh -c sleep 3600', { runSeconds: 3600 })
      const slow = await onPr(9, 'synchronize', {
        image: 'registry.example.com/web:pr-c',
        'pre-deploy-command': 'sleep 3600',
        'wait-timeout': 60
      })
      expect(slow.failedMessage).toMatch(/did not stop within 'wait-timeout'/)
      expect(sim.calls.count('ecs:StopTask')).toBe(1)
      expect(sim.calls.count('logs:GetLogEvents')).toBeGreaterThan(0)
      expect(sim.calls.count('logs:FilterLogEvents')).toBeGreaterThan(0)
      return sim
    }
  },
  {
    name: "a preview whose tasks crash: its stopped tasks' last lines read",
    run: async () => {
      const { sim, onPr } = previewWorld(34, 'host', { awslogs: { group: '/ecs/web' } })
      sim.setImageBehavior('registry.example.com/web:crashy', { crashAfterSeconds: 5, logLines: ['boom'] })
      const failed = await onPr(9, 'opened', {
        image: 'registry.example.com/web:crashy',
        'wait-timeout': 120
      })
      expect(failed.failedMessage).toContain('  | boom')
      expect(sim.calls.count('ecs:ListTasks')).toBeGreaterThan(0)
      return sim
    }
  },
  {
    name: 'host mode: deploy, redeploy in place, teardown',
    run: async () => {
      const { sim, onPr } = previewWorld(31, 'host')
      const deployed = await onPr(7, 'opened')
      expectOk(deployed)
      expect(deployed.result?.outcome).toBe('deployed')
      const redeployed = await onPr(7, 'synchronize', { image: 'registry.example.com/web:pr-b' })
      expectOk(redeployed)
      expect(redeployed.result?.outcome).toBe('deployed')
      const down = await onPr(7, 'closed')
      expectOk(down)
      expect(down.result?.outcome).toBe('torn-down')
      return sim
    }
  },
  {
    name: 'port mode: deploy, then a sweep removes the closed PR',
    run: async () => {
      const { sim, github, inputs, onPr } = previewWorld(32, 'port')
      const deployed = await onPr(8, 'opened')
      expectOk(deployed)
      expect(deployed.result?.outcome).toBe('deployed')
      github.setPullRequest(8, 'closed')
      const swept = await runActionInSim(sim, inputs(), {
        eventName: 'schedule',
        event: { schedule: '17 3 * * *' },
        github
      })
      expectOk(swept)
      expect(swept.result?.outcome).toBe('swept')
      expect(sim.calls.count('elasticloadbalancing:DeleteListener')).toBe(1)
      return sim
    }
  }
]

const SCENARIOS: Record<Strategy, Scenario[]> = {
  'ecs-rolling': ecsRolling,
  'asg-blue-green': asgBlueGreen,
  'pr-preview': prPreview
}

// ---- the checks ----------------------------------------------------------------------------------

describe.each(Object.keys(SCENARIOS) as Strategy[])('iam/%s.json', strategy => {
  const needed = new Map<string, string[]>()

  it.each(SCENARIOS[strategy].map(s => [s.name, s] as const))(
    'allows every action the code sends: %s',
    async (_name, scenario) => {
      const sim = await scenario.run()
      const actions = neededActions(sim)
      needed.set(scenario.name, actions)
      const granted = grantedPatterns(strategy)
      const denied = actions.filter(a => !granted.some(p => actionMatches(p, a)))
      expect(denied).toEqual([])
    }
  )

  it('grants nothing the scenarios do not use, beyond its commented rare-path actions', () => {
    // Only meaningful once every scenario above has run.
    expect([...needed.keys()].sort()).toEqual(SCENARIOS[strategy].map(s => s.name).sort())
    const used = [...new Set([...needed.values()].flat())]
    const rare = Object.keys(RARE_PATH_ACTIONS[strategy])
    const unused = grantedPatterns(strategy).filter(
      p => !used.some(a => actionMatches(p, a)) && !rare.some(a => actionMatches(p, a))
    )
    expect(unused).toEqual([])
    // A rare-path entry the scenarios do reach, or the policy no longer grants, is stale.
    const stale = rare.filter(
      a => used.includes(a) || !grantedPatterns(strategy).some(p => actionMatches(p, a))
    )
    expect(stale).toEqual([])
  })
})

describe('IAM action matching', () => {
  it.each([
    ['ecs:Describe*', 'ecs:DescribeServices', true],
    ['ecs:Describe*', 'ecs:UpdateService', false],
    ['ECS:describeservices', 'ecs:DescribeServices', true],
    ['elasticloadbalancing:*Rule', 'elasticloadbalancing:DeleteRule', true],
    ['elasticloadbalancing:*Rule', 'elasticloadbalancing:DeleteRules', false],
    ['ec2:?unInstances', 'ec2:RunInstances', true],
    ['ecs:UpdateService', 'ecs:UpdateServicePrimaryTaskSet', false],
    ['ecs:*', 'elasticloadbalancing:DescribeRules', false],
    ['*', 'autoscaling:EnterStandby', true]
  ])('%s matches %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected)
  })
})
