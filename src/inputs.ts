// The one place inputs are read: every input is parsed and validated into a typed settings object,
// discriminated by strategy, before any AWS call (actions/checkout's input-helper).
import {
  DEFAULTS,
  Inputs,
  STRATEGIES,
  type DefaultedInput,
  type InputName,
  type StrategyName
} from './constants.js'
import { InputError } from './errors.js'
import {
  parseArn,
  parseBoolean,
  parseDuration,
  parseHeader,
  parseCommand,
  parseInteger,
  isTaskDefinitionRevision,
  parsePortRange,
  parseStatusMatcher,
  parseTaskDefinitionRevision,
  parseUrl,
  type Parsed,
  type StatusMatcher
} from './parse.js'
import { parseWorkspacePath, workspaceDir } from './workspace-path.js'

export interface CommonSettings {
  region: string
  /** `auto` or the literal environment name. */
  environment: string
  /** Base URL without trailing slash; undefined means "derive it". */
  url: string | undefined
  healthPath: string
  healthStatus: StatusMatcher
  healthTimeoutSeconds: number
  probe: boolean
  maxProbeErrors: number
  waitTimeoutSeconds: number
  pollIntervalSeconds: number
  rollback: boolean
  dryRun: boolean
  githubToken: string
}

export interface EcsRollingSettings extends CommonSettings {
  strategy: 'ecs-rolling'
  cluster: string
  service: string
  /** `task-definition` when it is a file to register. */
  taskDefinitionPath: string | undefined
  /** `task-definition` when it names a registered revision (ARN or `family:revision`), deployed as it is. */
  taskDefinitionRevision: string | undefined
  containerName: string | undefined
  image: string | undefined
  forceNewDeployment: boolean
  /** ECS blue/green, linear, canary: where the test route answers, when it cannot be derived. */
  testUrl: string | undefined
  /** The lifecycle stage whose PAUSE hook we gate, when the user names one (else POST_TEST_TRAFFIC_SHIFT). */
  gateStage: GateStage | undefined
  /** Run once from the new task definition before the service is updated; its exit code gates the deploy. */
  preDeployCommand: string[] | undefined
}

/** Stages a PAUSE hook can wait at (DeploymentLifecycleHookStage). */
export const GATE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT'
] as const
export type GateStage = (typeof GATE_STAGES)[number]

export interface AsgBlueGreenSettings extends CommonSettings {
  strategy: 'asg-blue-green'
  blueAsg: string
  greenAsg: string
  targetGroupArn: string
  syntheticTargetGroupArn: string | undefined
  listenerArn: string | undefined
  syntheticHeader: { name: string; value: string }
  amiId: string | undefined
  launchTemplateVersion: string | undefined
  validationWindowSeconds: number
}

export type PreviewAction = 'auto' | 'deploy' | 'destroy' | 'sweep'

export interface PrPreviewSettings extends CommonSettings {
  strategy: 'pr-preview'
  cluster: string
  service: string
  listenerArn: string
  previewDomain: string | undefined
  previewPorts: { from: number; to: number }
  image: string | undefined
  containerName: string | undefined
  /** Run once from the preview's task definition before its service is created or updated. */
  preDeployCommand: string[] | undefined
  previewDesiredCount: number
  previewAction: PreviewAction
  previewTtlSeconds: number
  allowForks: boolean
}

export type Settings = EcsRollingSettings | AsgBlueGreenSettings | PrPreviewSettings

export type GetInput = (name: InputName) => string

/** Reads inputs and collects every problem, so one run reports them all. */
class InputReader {
  readonly problems: string[] = []
  constructor(private readonly getInput: GetInput) {}

  raw(name: InputName): string {
    return this.getInput(name).trim()
  }

  /** The input as given, else its default (DEFAULTS, as in action.yml). */
  orDefault(name: DefaultedInput): string {
    return this.raw(name) || DEFAULTS[name]
  }

  optional(name: InputName): string | undefined {
    const v = this.raw(name)
    return v === '' ? undefined : v
  }

  required(name: InputName, strategy: string, form: string): string {
    const v = this.raw(name)
    if (v === '')
      this.problems.push(`Input '${name}' is required for strategy ${strategy}: expected ${form}.`)
    return v
  }

  /** An input with a default, parsed; a bad value is a problem, and the default stands in meanwhile. */
  value<T>(name: DefaultedInput, parser: (raw: string) => Parsed<T>): T {
    const fallback = parser(DEFAULTS[name])
    if (!fallback.ok) throw new Error(`The default of '${name}' does not parse: ${DEFAULTS[name]}`)
    return this.parse(name, this.orDefault(name), parser, fallback.value)
  }

  /** `raw` (the input's value) parsed; `placeholder` stands in when it is bad. */
  parse<T>(name: InputName, raw: string, parser: (raw: string) => Parsed<T>, placeholder: T): T {
    const r = parser(raw)
    if (r.ok) return r.value
    this.problems.push(`Input '${name}' has an invalid value '${raw}': expected ${r.expected}.`)
    return placeholder
  }

  /** An optional input that must match a form when present. */
  parseOptional<T>(name: InputName, parser: (raw: string) => Parsed<T>): T | undefined {
    const raw = this.raw(name)
    if (raw === '') return undefined
    return this.parse(name, raw, parser, undefined as T)
  }

  check(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem)
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/
const nameForm =
  (what: string) =>
  (raw: string): Parsed<string> =>
    NAME.test(raw) && raw.length <= 1600 ? { ok: true, value: raw } : { ok: false, expected: what }

const PREVIEW_ACTIONS: readonly string[] = ['auto', 'deploy', 'destroy', 'sweep']

export function getSettings(getInput: GetInput, env: NodeJS.ProcessEnv = process.env): Settings {
  const r = new InputReader(getInput)
  const strategy = readStrategy(r)
  const common = commonSettings(r, env)
  const settings =
    strategy === 'ecs-rolling'
      ? ecsRollingSettings(r, common, env)
      : strategy === 'asg-blue-green'
        ? asgBlueGreenSettings(r, common)
        : prPreviewSettings(r, common)
  if (r.problems.length > 0) throw new InputError(r.problems)
  return settings
}

function readStrategy(r: InputReader): StrategyName {
  const raw = r.raw(Inputs.Strategy)
  if ((STRATEGIES as readonly string[]).includes(raw)) return raw as StrategyName
  throw new InputError([
    raw === ''
      ? `Input '${Inputs.Strategy}' is required: expected one of ${STRATEGIES.join(', ')}.`
      : `Input '${Inputs.Strategy}' has an invalid value '${raw}': expected one of ${STRATEGIES.join(', ')}.`
  ])
}

function readRegion(r: InputReader, env: NodeJS.ProcessEnv): string {
  const region = r.raw(Inputs.AwsRegion) || env.AWS_REGION || env.AWS_DEFAULT_REGION || ''
  r.check(
    region !== '',
    `Input '${Inputs.AwsRegion}' is required when neither AWS_REGION nor AWS_DEFAULT_REGION is set: expected a region such as us-east-1.`
  )
  if (region !== '')
    r.check(
      /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region),
      `Input '${Inputs.AwsRegion}' has an invalid value '${region}': expected a region such as us-east-1.`
    )
  return region
}

function commonSettings(r: InputReader, env: NodeJS.ProcessEnv): CommonSettings {
  const region = readRegion(r, env)
  const healthPath = r.orDefault(Inputs.HealthPath)
  r.check(
    healthPath.startsWith('/'),
    `Input '${Inputs.HealthPath}' has an invalid value '${healthPath}': expected a path starting with '/', e.g. /healthz.`
  )
  return {
    region,
    environment: r.orDefault(Inputs.Environment),
    url: r.parseOptional(Inputs.Url, parseUrl),
    healthPath,
    healthStatus: r.value(Inputs.HealthStatus, parseStatusMatcher),
    healthTimeoutSeconds: r.value(Inputs.HealthTimeout, raw => parseDuration(raw, 1)),
    probe: r.value(Inputs.Probe, parseBoolean),
    maxProbeErrors: r.value(Inputs.MaxProbeErrors, raw => parseInteger(raw, 0)),
    waitTimeoutSeconds: r.value(Inputs.WaitTimeout, raw => parseDuration(raw, 1)),
    pollIntervalSeconds: r.value(Inputs.PollInterval, raw => parseDuration(raw, 1)),
    rollback: r.value(Inputs.Rollback, parseBoolean),
    dryRun: r.value(Inputs.DryRun, parseBoolean),
    // No default here: the runner substitutes action.yml's `${{ github.token }}`.
    githubToken: r.raw(Inputs.GithubToken)
  }
}

function ecsRollingSettings(
  r: InputReader,
  common: CommonSettings,
  env: NodeJS.ProcessEnv
): EcsRollingSettings {
  const strategy = 'ecs-rolling'
  // A registered revision, a malformed ARN (refused as such), or else a file in the workspace.
  const taskDefinition = r.raw(Inputs.TaskDefinition)
  const revision = isTaskDefinitionRevision(taskDefinition) || taskDefinition.startsWith('arn:')
  const settings: EcsRollingSettings = {
    ...common,
    strategy,
    cluster: r.required(Inputs.Cluster, strategy, 'an ECS cluster name or ARN'),
    service: r.required(Inputs.Service, strategy, 'an ECS service name or ARN'),
    taskDefinitionPath: revision
      ? undefined
      : r.parseOptional(Inputs.TaskDefinition, raw => parseWorkspacePath(raw, workspaceDir(env))),
    taskDefinitionRevision: revision
      ? r.parseOptional(Inputs.TaskDefinition, parseTaskDefinitionRevision)
      : undefined,
    containerName: r.optional(Inputs.ContainerName),
    image: r.optional(Inputs.Image),
    forceNewDeployment: r.value(Inputs.ForceNewDeployment, parseBoolean),
    testUrl: r.parseOptional(Inputs.TestUrl, parseUrl),
    gateStage: r.parseOptional(Inputs.GateStage, gateStage),
    preDeployCommand: r.parseOptional(Inputs.PreDeployCommand, parseCommand)
  }
  // A registered revision is deployed exactly as it is: another image would need a new registration.
  r.check(
    !(settings.taskDefinitionRevision && settings.image),
    `Inputs '${Inputs.TaskDefinition}' (the registered revision ${settings.taskDefinitionRevision}) and '${Inputs.Image}' are both set: expected at most one of them (a revision is deployed exactly as it is; to change its image, give a file or only '${Inputs.Image}').`
  )
  checkNames(r, [
    [Inputs.Cluster, settings.cluster],
    [Inputs.Service, settings.service]
  ])
  return settings
}

const gateStage = (raw: string): Parsed<GateStage> => {
  const stage = raw.toUpperCase().replace(/-/g, '_')
  return (GATE_STAGES as readonly string[]).includes(stage)
    ? { ok: true, value: stage as GateStage }
    : { ok: false, expected: `one of ${GATE_STAGES.join(', ')}` }
}

const amiId = (raw: string): Parsed<string> =>
  /^ami-[0-9a-f]{8,17}$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, expected: 'an AMI id like ami-0abc1234def567890' }

const launchTemplateVersion = (raw: string): Parsed<string> =>
  /^(\d+|\$Latest|\$Default)$/.test(raw)
    ? { ok: true, value: raw }
    : { ok: false, expected: 'a version number, `$Latest` or `$Default`' }

function asgBlueGreenSettings(r: InputReader, common: CommonSettings): AsgBlueGreenSettings {
  const strategy = 'asg-blue-green'
  const settings: AsgBlueGreenSettings = {
    ...common,
    strategy,
    blueAsg: r.required(Inputs.BlueAsg, strategy, 'an Auto Scaling group name'),
    greenAsg: r.required(Inputs.GreenAsg, strategy, 'an Auto Scaling group name'),
    targetGroupArn: r.required(Inputs.TargetGroup, strategy, 'a target group ARN'),
    syntheticTargetGroupArn: r.parseOptional(Inputs.SyntheticTargetGroup, targetGroupArn),
    listenerArn: r.parseOptional(Inputs.ListenerArn, listenerArn),
    syntheticHeader: r.value(Inputs.SyntheticHeader, parseHeader),
    amiId: r.parseOptional(Inputs.AmiId, amiId),
    launchTemplateVersion: r.parseOptional(Inputs.LaunchTemplateVersion, launchTemplateVersion),
    validationWindowSeconds: r.value(Inputs.ValidationWindow, raw => parseDuration(raw, 0))
  }
  if (settings.targetGroupArn !== '')
    settings.targetGroupArn = r.parse(Inputs.TargetGroup, settings.targetGroupArn, targetGroupArn, '')
  checkNames(r, [
    [Inputs.BlueAsg, settings.blueAsg],
    [Inputs.GreenAsg, settings.greenAsg]
  ])
  r.check(
    settings.blueAsg === '' || settings.blueAsg !== settings.greenAsg,
    `Inputs '${Inputs.BlueAsg}' and '${Inputs.GreenAsg}' name the same group '${settings.blueAsg}': expected two different Auto Scaling groups.`
  )
  r.check(
    !(settings.amiId && settings.launchTemplateVersion),
    `Inputs '${Inputs.AmiId}' and '${Inputs.LaunchTemplateVersion}' are both set: expected at most one of them (a new AMI, or an existing launch template version).`
  )
  r.check(
    !settings.syntheticTargetGroupArn || !!r.raw(Inputs.ListenerArn),
    `Input '${Inputs.ListenerArn}' is required with '${Inputs.SyntheticTargetGroup}': expected the ALB listener ARN that gets the '${r.orDefault(Inputs.SyntheticHeader)}' header rule.`
  )
  return settings
}

const previewDomain = (raw: string): Parsed<string> =>
  /^(?=.{1,240}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(raw)
    ? { ok: true, value: raw.toLowerCase() }
    : { ok: false, expected: 'a DNS domain such as preview.example.com' }

function prPreviewSettings(r: InputReader, common: CommonSettings): PrPreviewSettings {
  const strategy = 'pr-preview'
  const action = r.orDefault(Inputs.PreviewAction)
  const settings: PrPreviewSettings = {
    ...common,
    strategy,
    cluster: r.required(Inputs.Cluster, strategy, 'the ECS cluster name or ARN of the base service'),
    service: r.required(Inputs.Service, strategy, 'the ECS service name or ARN previews copy'),
    listenerArn: r.required(Inputs.ListenerArn, strategy, 'the ARN of the shared ALB listener'),
    previewDomain: r.parseOptional(Inputs.PreviewDomain, previewDomain),
    previewPorts: r.value(Inputs.PreviewPorts, parsePortRange),
    image: r.optional(Inputs.Image),
    containerName: r.optional(Inputs.ContainerName),
    preDeployCommand: r.parseOptional(Inputs.PreDeployCommand, parseCommand),
    previewDesiredCount: r.value(Inputs.PreviewDesiredCount, raw => parseInteger(raw, 0, 100)),
    previewAction: (PREVIEW_ACTIONS.includes(action)
      ? action
      : DEFAULTS[Inputs.PreviewAction]) as PreviewAction,
    // Any positive age: a short one (`30m`, or seconds to try the sweep out) is the user's call.
    previewTtlSeconds: r.value(Inputs.PreviewTtl, raw => parseDuration(raw, 1)),
    allowForks: r.value(Inputs.AllowForks, parseBoolean)
  }
  r.check(
    PREVIEW_ACTIONS.includes(action),
    `Input '${Inputs.PreviewAction}' has an invalid value '${action}': expected one of ${PREVIEW_ACTIONS.join(', ')}.`
  )
  if (settings.listenerArn !== '')
    settings.listenerArn = r.parse(Inputs.ListenerArn, settings.listenerArn, listenerArn, '')
  checkNames(r, [
    [Inputs.Cluster, settings.cluster],
    [Inputs.Service, settings.service]
  ])
  return settings
}

const targetGroupArn = (raw: string) => parseArn(raw, 'elasticloadbalancing', 'targetgroup')
const listenerArn = (raw: string) => parseArn(raw, 'elasticloadbalancing', 'listener')

function checkNames(r: InputReader, pairs: Array<[InputName, string]>): void {
  for (const [name, value] of pairs) {
    if (value === '') continue
    r.parse(name, value, nameForm('a name or ARN (letters, digits, and - _ . : /)'), '')
  }
}
