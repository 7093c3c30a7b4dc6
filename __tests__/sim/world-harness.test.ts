// runActionInSim drives run() from src/main.ts with every dependency pointed at the simulation. The
// strategy dispatch is replaced by a small probe strategy here, so this proves the harness (inputs,
// event, clock, AWS, HTTP, outputs, summary, failure line) whatever state the real strategies are in.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import type { DeployContext, StrategyResult } from '../../src/context.js'

let behaviour: (ctx: DeployContext) => Promise<StrategyResult>
jest.unstable_mockModule('../../src/strategies/index.js', () => ({
  runStrategy: (ctx: DeployContext) => behaviour(ctx)
}))

const { createSimulation, runActionInSim, FakeGitHub, SIMULATED_GITHUB_TOKEN } = await import('./index.js')
const { describeTargetHealth, targetHealthCounts } = await import('../../src/aws/elbv2.js')
const { smokeTest } = await import('../../src/smoke.js')
const { DeployError } = await import('../../src/errors.js')

let sim: ReturnType<typeof createSimulation>
afterEach(() => sim?.restore())

describe('runActionInSim', () => {
  it('runs the action on the virtual clock against the world and captures what a runner shows', async () => {
    sim = createSimulation()
    const f = sim.addEcsService({ healthCheck: { intervalSeconds: 10, healthyThreshold: 2 } })
    let seen: { token?: string; github?: unknown; healthPath?: string } = {}
    behaviour = async ctx => {
      seen = { token: ctx.settings.githubToken, github: ctx.github, healthPath: ctx.settings.healthPath }
      const counts = await ctx.log.phase('Watch targets', async () => {
        await ctx.clock.sleep(90_000)
        return targetHealthCounts(await describeTargetHealth(ctx.aws, f.alb!.targetGroupArn))
      })
      ctx.outputs.set('url', f.url!)
      await ctx.log.phase('Smoke test', () =>
        smokeTest(ctx, {
          url: `${f.url}${ctx.settings.healthPath}`,
          accept: ctx.settings.healthStatus,
          timeoutSeconds: 30
        })
      )
      return { outcome: 'deployed', message: `Deployed; targets: ${counts}` }
    }
    const result = await runActionInSim(
      sim,
      { strategy: 'ecs-rolling', cluster: f.clusterName, service: f.serviceName },
      {
        eventName: 'release',
        event: { action: 'published', release: { tag_name: 'v1.4.0-rc.2', prerelease: true } }
      }
    )
    expect(result.failedMessage).toBeUndefined()
    expect(result.ok).toBe(true)
    expect(result.outputs).toEqual({ environment: 'staging', url: f.url, duration: '90' })
    expect(result.durationMs).toBe(90_000)
    expect(result.lines).toContain('::group::Watch targets')
    expect(result.lines).toContain('Deployed; targets: healthy 2')
    expect(result.summary).toContain('zdt-deploy ecs-rolling')
    expect(sim.calls.sequence()).toEqual(['elbv2:DescribeTargetHealth'])
    expect(sim.requests.list('action').map(r => r.status)).toEqual([200])
    // action.yml's defaults reach the action as the runner would pass them, the token included.
    expect(seen).toEqual({ token: SIMULATED_GITHUB_TOKEN, github: result.github, healthPath: '/healthz' })
    expect(result.github).toBeInstanceOf(FakeGitHub)
  })

  it('reports a DeployError as the failure line with its fix', async () => {
    sim = createSimulation()
    behaviour = async ctx => {
      await ctx.clock.sleep(5000)
      throw new DeployError('The new tasks never became healthy.', 'check the health check path.')
    }
    const result = await runActionInSim(sim, {
      strategy: 'ecs-rolling',
      cluster: 'main',
      service: 'web',
      environment: 'production'
    })
    expect(result.ok).toBe(false)
    expect(result.failedMessage).toBe(
      'The new tasks never became healthy.\nFix: check the health check path.'
    )
    expect(result.outputs.duration).toBe('5')
    expect(result.summary).toContain('The new tasks never became healthy.')
  })

  it('fails on bad inputs before any AWS call', async () => {
    sim = createSimulation()
    behaviour = async () => {
      throw new Error('the strategy must not run')
    }
    const result = await runActionInSim(sim, { strategy: 'ecs-rolling', environment: 'production' })
    expect(result.ok).toBe(false)
    expect(result.failedMessage).toMatch(/Input 'cluster' is required/)
    expect(sim.calls.all).toEqual([])
  })

  it('writes workspace files and reads the event payload, like the runner', async () => {
    sim = createSimulation()
    let seen: { pr?: number; workspace?: string } = {}
    behaviour = async ctx => {
      seen = { pr: ctx.event.pullRequest?.number, workspace: ctx.workspace }
      const { readFile } = await import('node:fs/promises')
      const td = JSON.parse(await readFile(`${ctx.workspace}/deploy/taskdef.json`, 'utf8')) as {
        family: string
      }
      return { outcome: 'deployed', message: `family ${td.family}` }
    }
    const github = new FakeGitHub('acme/shop').setPullRequest(12, 'open')
    const result = await runActionInSim(
      sim,
      {
        strategy: 'pr-preview',
        cluster: 'main',
        service: 'web',
        'listener-arn': 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/x/1/2'
      },
      {
        eventName: 'pull_request',
        event: {
          action: 'opened',
          number: 12,
          pull_request: { number: 12, state: 'open', head: { sha: 'abc', ref: 'feature' } }
        },
        files: { 'deploy/taskdef.json': { family: 'web' } },
        github
      }
    )
    expect(result.failedMessage).toBeUndefined()
    expect(result.outputs.environment).toBe('pr-12')
    expect(seen.pr).toBe(12)
    expect(result.lines).toContain('family web')
    expect(result.github).toBe(github)
  })
})
