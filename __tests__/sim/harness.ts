// The simulation in one object, and the action run inside it: `createSimulation()` builds a world on a
// virtual clock with SDK clients and an HTTP prober that answer from it; `runActionInSim()` calls
// run() from src/main.ts with every dependency pointed at the simulation, exactly as the bundled
// action would run, minus the network.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling'
import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs'
import { parse } from 'yaml'
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsClients } from '../../src/aws/clients.js'
import type { InputName } from '../../src/constants.js'
import type { StrategyResult } from '../../src/context.js'
import type { GitHubApi } from '../../src/github.js'
import type { HttpProber } from '../../src/http.js'
import { run, type RunResult } from '../../src/main.js'
import type { RunState } from '../../src/run-state.js'
import { MemorySink } from '../../testkit/memory-sink.js'
import { Backend, type AppBehavior, type CommandBehavior } from './apps.js'
import { groupByName, groupShape } from './autoscaling/groups.js'
import {
  addAlbWithTargetGroup,
  addAsgPair,
  addAutoScalingGroup,
  addEcsService,
  addShiftingService,
  type ShiftingFixture,
  type ShiftingServiceOptions,
  addListenerRule,
  addTargetGroup,
  type AlbFixture,
  type AlbOptions,
  type AsgFixture,
  type AsgOptions,
  type AsgPairFixture,
  type AsgPairOptions,
  type EcsFixture,
  type EcsServiceOptions,
  type RuleOptions,
  type TargetGroupFixture,
  type TargetGroupOptions
} from './builders.js'
import { CallLog } from './calls.js'
import { AwsDispatcher, simulatedClients } from './clients.js'
import { DEFAULT_START_MS, VirtualClock, type RunOptions } from './clock.js'
import { deepCopy } from './copy.js'
import { addImage } from './ec2/images.js'
import { clusterByRef } from './ecs/clusters.js'
import { findService, serviceShape } from './ecs/services.js'
import { describeTaskDefinition } from './ecs/task-definitions.js'
import { targetHealth } from './elbv2/targets.js'
import type { Faults } from './faults.js'
import { FakeGitHub } from './github.js'
import { Killer } from './kill.js'
import { SimHttp, type RequestLog, type Traffic, type TrafficOptions } from './http.js'
import { deriveSeed, seededRandom } from './random.js'
import { World, type HealthModel, type Limits, type Timing } from './world.js'

export interface SimulationOptions {
  /** Seeds ids, throttling, weighted routing and the action's jitter (default 1). */
  seed?: number
  /** Virtual epoch milliseconds the world starts at (default 2025-01-06T09:00:00Z). */
  startMs?: number
  region?: string
  accountId?: string
  timing?: Partial<Timing>
  limits?: Partial<Limits>
  /** How targets turn healthy: 'documented' (default, one passing check after registration) or 'threshold'. */
  healthModel?: HealthModel
}

export class Simulation {
  readonly seed: number
  readonly clock: VirtualClock
  readonly world: World
  /** Every AWS call the code under test made. */
  readonly calls = new CallLog()
  readonly http: SimHttp
  readonly dispatcher: AwsDispatcher
  /** AwsClients (src/aws/clients.ts) whose every command the world answers. */
  readonly clients: AwsClients
  /** The HttpProber to hand the code under test (its requests are recorded as source `action`). */
  readonly prober: HttpProber
  private readonly restoreClients: () => void

  constructor(opts: SimulationOptions = {}) {
    this.seed = opts.seed ?? 1
    this.clock = new VirtualClock(opts.startMs ?? DEFAULT_START_MS)
    this.world = new World({
      seed: this.seed,
      startMs: this.clock.now(),
      region: opts.region,
      accountId: opts.accountId,
      timing: opts.timing,
      limits: opts.limits,
      healthModel: opts.healthModel
    })
    this.clock.onAdvance(ms => this.world.advanceTo(ms))
    this.http = new SimHttp(this.world, this.clock)
    this.dispatcher = new AwsDispatcher(this.world, this.clock, this.calls)
    const { clients, restore } = simulatedClients(this.dispatcher, this.world.region)
    this.clients = clients
    this.restoreClients = restore
    this.prober = this.http.prober('action')
  }

  get faults(): Faults {
    return this.world.faults
  }

  /** Every HTTP request sent through the simulated ALB. */
  get requests(): RequestLog {
    return this.http.requests
  }

  get region(): string {
    return this.world.region
  }

  // ---- building the world --------------------------------------------------------------------

  addAlbWithTargetGroup(opts: AlbOptions = {}): AlbFixture {
    return addAlbWithTargetGroup(this.world, opts)
  }

  addTargetGroup(opts: TargetGroupOptions = {}): TargetGroupFixture {
    return addTargetGroup(this.world, opts)
  }

  addListenerRule(listenerArn: string, opts: RuleOptions): string {
    return addListenerRule(this.world, listenerArn, opts)
  }

  addEcsService(opts: EcsServiceOptions = {}): EcsFixture {
    return addEcsService(this.world, opts)
  }

  /** A steady service on ECS's own BLUE_GREEN, LINEAR or CANARY strategy (see builders.ts). */
  addShiftingService(opts: ShiftingServiceOptions): ShiftingFixture {
    return addShiftingService(this.world, opts)
  }

  /** What a Lambda lifecycle hook answers, and after how many seconds (SUCCEEDED after 1 s otherwise). */
  setLambdaHookResult(functionArn: string, status: 'SUCCEEDED' | 'FAILED', seconds = 1): void {
    this.world.ecs.lambdaHooks.set(functionArn, { status, seconds })
  }

  /**
   * A stand-alone app answering at `address` (an IP for ip target groups, an instance id for
   * instance ones) from now on, for tests that register targets themselves.
   */
  addBackend(address: string, behavior: AppBehavior = {}): Backend {
    const backend = new Backend(
      address,
      address,
      behavior,
      this.clock.now() + (behavior.bootSeconds ?? 0) * 1000
    )
    this.world.endpoints.set(address, backend)
    return backend
  }

  /** What tasks running `image` do (exact string or pattern; the last setting that matches wins). */
  setImageBehavior(image: string | RegExp, behavior: AppBehavior): void {
    this.world.apps.setImage(image, behavior)
  }

  /** What a one-off task (RunTask with a command override) does, by its command line (words joined by spaces). */
  setCommandBehavior(command: string | RegExp, behavior: CommandBehavior): void {
    this.world.apps.setCommand(command, behavior)
  }

  /** What instances launched from `ami` do; a named AMI also becomes an existing image. */
  setAmiBehavior(ami: string | RegExp, behavior: AppBehavior): void {
    if (typeof ami === 'string') addImage(this.world.ec2, ami)
    this.world.apps.setAmi(ami, behavior)
  }

  /** An AMI that exists (launching from an AMI that does not exist fails, as on AWS). */
  addAmi(ami: string, behavior?: AppBehavior): void {
    addImage(this.world.ec2, ami)
    if (behavior) this.world.apps.setAmi(ami, behavior)
  }

  addAutoScalingGroup(opts: AsgOptions): AsgFixture {
    return addAutoScalingGroup(this.world, opts)
  }

  addAsgPair(opts: AsgPairOptions = {}): AsgPairFixture {
    return addAsgPair(this.world, opts)
  }

  // ---- time and traffic ----------------------------------------------------------------------

  /** Runs `fn` on the virtual clock to completion (see VirtualClock.run). */
  run<T>(fn: () => Promise<T>, opts?: RunOptions): Promise<T> {
    return this.clock.run(fn, opts)
  }

  /** Lets `ms` of virtual time pass: the world evolves, background traffic flows. */
  advance(ms: number): Promise<void> {
    return this.clock.advance(ms)
  }

  /** Background requests to `url`, `perSecond` a second, independent of the action. */
  startTraffic(url: string, perSecond: number, opts: TrafficOptions = {}): Traffic {
    return this.http.startTraffic(url, perSecond, opts)
  }

  // ---- looking at the world without API calls (not recorded) -------------------------------

  /** The service as DescribeServices would return it. */
  service(cluster: string, name: string): Service {
    const c = clusterByRef(this.world.ecs, cluster)
    const s = findService(this.world.ecs, c, name)
    if (!s) throw new Error(`sim: no service ${name} in cluster ${cluster}`)
    return serviceShape(this.world.ecs, s, true)
  }

  /** A task definition revision (ARN or `family:revision`) as DescribeTaskDefinition would return it. */
  taskDefinition(ref: string): TaskDefinition {
    return deepCopy(describeTaskDefinition(this.world.ecs, { taskDefinition: ref }).taskDefinition!)
  }

  /** The service's tasks (all states), as DescribeTasks would return them, oldest first. */
  tasks(cluster: string, service: string): Task[] {
    const c = clusterByRef(this.world.ecs, cluster)
    return [...this.world.ecs.tasks.values()]
      .filter(t => t.clusterArn === c.arn && t.serviceName === service)
      .map(t => ({
        taskArn: t.arn,
        taskDefinitionArn: t.taskDefinitionArn,
        lastStatus: t.lastStatus,
        desiredStatus: t.desiredStatus,
        startedBy: t.deploymentId,
        stoppedReason: t.stoppedReason,
        stopCode: t.stopCode,
        containers: deepCopy(t.containers)
      }))
  }

  /** The group as DescribeAutoScalingGroups would return it. */
  autoScalingGroup(name: string): AutoScalingGroup {
    return groupShape(this.world.autoscaling, groupByName(this.world.autoscaling, name))
  }

  targetHealth(targetGroupArn: string): TargetHealthDescription[] {
    return targetHealth(this.world.elbv2, targetGroupArn)
  }

  /** Puts the SDK clients' real `send` back. */
  restore(): void {
    this.restoreClients()
  }
}

export function createSimulation(opts: SimulationOptions = {}): Simulation {
  return new Simulation(opts)
}

// ---- running the action ----------------------------------------------------------------------

export type ActionInputs = Partial<Record<InputName, string | number | boolean>>

/** The token the runner would put in `github-token` (action.yml's `${{ github.token }}` default). */
export const SIMULATED_GITHUB_TOKEN = 'ghs_simulatedtoken0000000000000000000000'

let actionDefaults: Record<string, string> | undefined

/**
 * action.yml's input defaults: the runner passes them as INPUT_* when a workflow leaves an input
 * out, so a run in the simulation sees exactly what a real run sees.
 */
export function actionYmlDefaults(): Record<string, string> {
  if (!actionDefaults) {
    const action = parse(readFileSync('action.yml', 'utf8')) as {
      inputs: Record<string, { default?: unknown }>
    }
    actionDefaults = Object.fromEntries(
      Object.entries(action.inputs).map(([name, spec]) => {
        const value = spec.default === undefined ? '' : String(spec.default)
        return [name, value.includes('github.token') ? SIMULATED_GITHUB_TOKEN : value]
      })
    )
  }
  return actionDefaults
}

export interface RunInSimOptions {
  /** GITHUB_EVENT_NAME (default `workflow_dispatch`). */
  eventName?: string
  /** The event payload, written to a file GITHUB_EVENT_PATH points at. */
  event?: Record<string, unknown>
  /** Extra or overriding environment variables (GITHUB_REF, GITHUB_REPOSITORY, ...). */
  env?: Record<string, string>
  /** Files written into a fresh GITHUB_WORKSPACE (objects are written as JSON). */
  files?: Record<string, string | object>
  /** The GitHub API the action gets (default: a new FakeGitHub for GITHUB_REPOSITORY). */
  github?: GitHubApi
  /** Virtual time the run may take (default 6 h). */
  limitMs?: number
  /** Sends SIGINT this many virtual milliseconds into the run, as GitHub cancelling the step does. */
  sigintAfterMs?: number
  /** Handed the run's state (run()'s onState): a test cancels the run through it. */
  onState?: (state: RunState) => void
  /**
   * Kills the run as SIGKILL would, once its n-th AWS call that changes something (not Describe*,
   * List*, Get*; counted as `sim.calls.mutating()` counts them) has reached AWS: no answer, no
   * cleanup, no summary; the run's GitHub and HTTP go quiet too. The result says `killed`.
   */
  killAfterMutatingCalls?: number
}

export interface SimRunResult {
  ok: boolean
  outputs: Record<string, string>
  /** The log as the runner would show it (`::group::`, `::warning::` lines included). */
  lines: string[]
  /** Job summary markdown. */
  summary: string
  /** What setFailed was called with (the failure line and its `Fix:` hint). */
  failedMessage?: string
  /** Virtual milliseconds the run took. */
  durationMs: number
  result?: StrategyResult
  error?: unknown
  /** The GitHub the action talked to (the FakeGitHub unless one was given). */
  github: GitHubApi
  /** The run was killed (`killAfterMutatingCalls`): `run` is undefined, nothing else it reported counts. */
  killed?: boolean
  run: RunResult
}

/**
 * Runs the action (run() from src/main.ts) inside the simulation: inputs from `inputs` (as
 * `INPUT_*` would give them), the event from `opts`, AWS from the world, time from the virtual
 * clock, HTTP through the simulated ALB. Resolves when the run ends, however it ends.
 */
export async function runActionInSim(
  sim: Simulation,
  inputs: ActionInputs,
  opts: RunInSimOptions = {}
): Promise<SimRunResult> {
  return sim.clock.run(() => actionInSim(sim, inputs, opts), { limitMs: opts.limitMs })
}

/**
 * Several runs of the action at the same moment on the one clock (two PRs deploying at once, say):
 * their AWS calls interleave as the runs wait. Resolves with each run's result, in order.
 */
export async function runActionsInSim(
  sim: Simulation,
  runs: Array<{ inputs: ActionInputs; opts?: RunInSimOptions }>,
  limitMs?: number
): Promise<SimRunResult[]> {
  return sim.clock.run(() => Promise.all(runs.map(r => actionInSim(sim, r.inputs, r.opts ?? {}))), {
    limitMs
  })
}

async function actionInSim(
  sim: Simulation,
  inputs: ActionInputs,
  opts: RunInSimOptions
): Promise<SimRunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'zdt-sim-'))
  try {
    const workspace = join(dir, 'workspace')
    mkdirSync(workspace)
    for (const [path, content] of Object.entries(opts.files ?? {})) {
      const full = join(workspace, path)
      mkdirSync(dirname(full), { recursive: true })
      writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
    }
    const env: NodeJS.ProcessEnv = {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_EVENT_NAME: opts.eventName ?? 'workflow_dispatch',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'c0ffee0000000000000000000000000000000000',
      GITHUB_RUN_ID: '4242',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      GITHUB_WORKSPACE: workspace,
      AWS_REGION: sim.region,
      ...opts.env
    }
    if (opts.event) {
      env.GITHUB_EVENT_PATH = join(dir, 'event.json')
      writeFileSync(env.GITHUB_EVENT_PATH, JSON.stringify(opts.event))
    }
    const github = opts.github ?? new FakeGitHub(env.GITHUB_REPOSITORY)
    const sink = new MemorySink()
    const outputs: Record<string, string> = {}
    let failedMessage: string | undefined
    let summary = ''
    const started = sim.clock.now()
    const random = seededRandom(deriveSeed(sim.seed, 'action'))
    const defaults = actionYmlDefaults()
    const killer =
      opts.killAfterMutatingCalls === undefined ? undefined : new Killer(opts.killAfterMutatingCalls)
    const running = run({
      getInput: name => (inputs[name] === undefined ? (defaults[name] ?? '') : String(inputs[name])),
      setOutput: (name, value) => {
        outputs[name] = String(value)
      },
      setFailed: message => {
        failedMessage = message
      },
      writeSummary: async markdown => {
        summary = markdown
      },
      sink,
      clock: sim.clock,
      http: killer ? killer.http(sim.prober) : sim.prober,
      env,
      createClients: () => (killer ? killer.clients(sim.clients) : sim.clients),
      createGitHub: () => (killer ? killer.github(github) : github),
      random,
      onState: opts.onState,
      // The simulation's signals are virtual: the test process's own never reach the run.
      signals: onSignal => {
        if (opts.sigintAfterMs !== undefined)
          void sim.clock.sleep(opts.sigintAfterMs).then(() => onSignal('SIGINT'))
        return () => {}
      }
    })
    const result = killer ? await Promise.race([running, killer.died.then(() => undefined)]) : await running
    if (!result) {
      // Killed: what the dead run wrote (log, outputs, summary) is what a killed step leaves, nothing more.
      return {
        ok: false,
        outputs,
        lines: sink.lines,
        summary,
        failedMessage,
        durationMs: sim.clock.now() - started,
        github,
        killed: true,
        run: undefined as unknown as RunResult
      }
    }
    return {
      ok: result.ok,
      outputs,
      lines: sink.lines,
      summary,
      failedMessage,
      durationMs: sim.clock.now() - started,
      result: result.result,
      error: result.error,
      github,
      run: result
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
