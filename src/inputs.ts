// The one place inputs are read: every input is parsed and validated into a typed settings object,
// discriminated by strategy, before any AWS call (actions/checkout's input-helper).
import { Inputs, STRATEGIES, type InputName, type StrategyName } from './constants.js'
import { InputError } from './errors.js'
import {
  parseArn,
  parseBoolean,
  parseDuration,
  parseHeader,
  parseInteger,
  parsePortRange,
  parseStatusMatcher,
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
  taskDefinitionPath: string | undefined
  containerName: string | undefined
  image: string | undefined
  forceNewDeployment: boolean
}

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

  parse<T>(name: InputName, fallback: string, parser: (raw: string) => Parsed<T>, placeholder: T): T {
    const raw = this.raw(name) || fallback
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

export function getSettings(getInput: GetInput, env: NodeJS.ProcessEnv = process.env): Settings {
  const r = new InputReader(getInput)

  const strategyRaw = r.raw(Inputs.Strategy)
  if (!(STRATEGIES as readonly string[]).includes(strategyRaw)) {
    throw new InputError([
      strategyRaw === ''
        ? `Input '${Inputs.Strategy}' is required: expected one of ${STRATEGIES.join(', ')}.`
        : `Input '${Inputs.Strategy}' has an invalid value '${strategyRaw}': expected one of ${STRATEGIES.join(', ')}.`
    ])
  }
  const strategy = strategyRaw as StrategyName

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

  const healthPath = r.raw(Inputs.HealthPath) || '/healthz'
  r.check(
    healthPath.startsWith('/'),
    `Input '${Inputs.HealthPath}' has an invalid value '${healthPath}': expected a path starting with '/', e.g. /healthz.`
  )

  const common: CommonSettings = {
    region,
    environment: r.raw(Inputs.Environment) || 'auto',
    url: r.parseOptional(Inputs.Url, parseUrl),
    healthPath,
    healthStatus: r.parse(Inputs.HealthStatus, '200', parseStatusMatcher, {
      ranges: [[200, 200]],
      text: '200'
    }),
    healthTimeoutSeconds: r.parse(Inputs.HealthTimeout, '120', raw => parseDuration(raw, 1), 120),
    probe: r.parse(Inputs.Probe, 'true', parseBoolean, true),
    maxProbeErrors: r.parse(Inputs.MaxProbeErrors, '0', raw => parseInteger(raw, 0), 0),
    waitTimeoutSeconds: r.parse(Inputs.WaitTimeout, '1800', raw => parseDuration(raw, 1), 1800),
    pollIntervalSeconds: r.parse(Inputs.PollInterval, '3', raw => parseDuration(raw, 1), 3),
    rollback: r.parse(Inputs.Rollback, 'true', parseBoolean, true),
    dryRun: r.parse(Inputs.DryRun, 'false', parseBoolean, false),
    githubToken: r.raw(Inputs.GithubToken)
  }

  let settings: Settings
  switch (strategy) {
    case 'ecs-rolling':
      settings = {
        ...common,
        strategy,
        cluster: r.required(Inputs.Cluster, strategy, 'an ECS cluster name or ARN'),
        service: r.required(Inputs.Service, strategy, 'an ECS service name or ARN'),
        taskDefinitionPath: r.parseOptional(Inputs.TaskDefinition, raw =>
          parseWorkspacePath(raw, workspaceDir(env))
        ),
        containerName: r.optional(Inputs.ContainerName),
        image: r.optional(Inputs.Image),
        forceNewDeployment: r.parse(Inputs.ForceNewDeployment, 'false', parseBoolean, false)
      }
      checkNames(r, [
        [Inputs.Cluster, settings.cluster],
        [Inputs.Service, settings.service]
      ])
      break
    case 'asg-blue-green': {
      settings = {
        ...common,
        strategy,
        blueAsg: r.required(Inputs.BlueAsg, strategy, 'an Auto Scaling group name'),
        greenAsg: r.required(Inputs.GreenAsg, strategy, 'an Auto Scaling group name'),
        targetGroupArn: r.required(Inputs.TargetGroup, strategy, 'a target group ARN'),
        syntheticTargetGroupArn: r.parseOptional(Inputs.SyntheticTargetGroup, raw =>
          parseArn(raw, 'elasticloadbalancing', 'targetgroup')
        ),
        listenerArn: r.parseOptional(Inputs.ListenerArn, raw =>
          parseArn(raw, 'elasticloadbalancing', 'listener')
        ),
        syntheticHeader: r.parse(Inputs.SyntheticHeader, 'Synthetic: True', parseHeader, {
          name: 'Synthetic',
          value: 'True'
        }),
        amiId: r.parseOptional(Inputs.AmiId, raw =>
          /^ami-[0-9a-f]{8,17}$/.test(raw)
            ? { ok: true, value: raw }
            : { ok: false, expected: 'an AMI id like ami-0abc1234def567890' }
        ),
        launchTemplateVersion: r.parseOptional(Inputs.LaunchTemplateVersion, raw =>
          /^(\d+|\$Latest|\$Default)$/.test(raw)
            ? { ok: true, value: raw }
            : { ok: false, expected: 'a version number, `$Latest` or `$Default`' }
        ),
        validationWindowSeconds: r.parse(Inputs.ValidationWindow, '300', raw => parseDuration(raw, 0), 300)
      }
      if (settings.targetGroupArn !== '')
        settings.targetGroupArn = r.parse(
          Inputs.TargetGroup,
          '',
          raw => parseArn(raw, 'elasticloadbalancing', 'targetgroup'),
          ''
        )
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
        `Input '${Inputs.ListenerArn}' is required with '${Inputs.SyntheticTargetGroup}': expected the ALB listener ARN that gets the '${r.raw(Inputs.SyntheticHeader) || 'Synthetic: True'}' header rule.`
      )
      break
    }
    case 'pr-preview': {
      const action = r.raw(Inputs.PreviewAction) || 'auto'
      settings = {
        ...common,
        strategy,
        cluster: r.required(Inputs.Cluster, strategy, 'the ECS cluster name or ARN of the base service'),
        service: r.required(Inputs.Service, strategy, 'the ECS service name or ARN previews copy'),
        listenerArn: r.required(Inputs.ListenerArn, strategy, 'the ARN of the shared ALB listener'),
        previewDomain: r.parseOptional(Inputs.PreviewDomain, raw =>
          /^(?=.{1,240}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(raw)
            ? { ok: true, value: raw.toLowerCase() }
            : { ok: false, expected: 'a DNS domain such as preview.example.com' }
        ),
        previewPorts: r.parse(Inputs.PreviewPorts, '8000-8999', parsePortRange, { from: 8000, to: 8999 }),
        image: r.optional(Inputs.Image),
        containerName: r.optional(Inputs.ContainerName),
        previewDesiredCount: r.parse(Inputs.PreviewDesiredCount, '1', raw => parseInteger(raw, 0, 100), 1),
        previewAction: (['auto', 'deploy', 'destroy', 'sweep'].includes(action)
          ? action
          : 'auto') as PreviewAction,
        // Any positive age: a short one (`30m`, or seconds to try the sweep out) is the user's call.
        previewTtlSeconds: r.parse(Inputs.PreviewTtl, '7d', raw => parseDuration(raw, 1), 7 * 86400),
        allowForks: r.parse(Inputs.AllowForks, 'false', parseBoolean, false)
      }
      r.check(
        ['auto', 'deploy', 'destroy', 'sweep'].includes(action),
        `Input '${Inputs.PreviewAction}' has an invalid value '${action}': expected one of auto, deploy, destroy, sweep.`
      )
      if (settings.listenerArn !== '')
        settings.listenerArn = r.parse(
          Inputs.ListenerArn,
          '',
          raw => parseArn(raw, 'elasticloadbalancing', 'listener'),
          ''
        )
      checkNames(r, [
        [Inputs.Cluster, settings.cluster],
        [Inputs.Service, settings.service]
      ])
      break
    }
  }

  if (r.problems.length > 0) throw new InputError(r.problems)
  return settings
}

function checkNames(r: InputReader, pairs: Array<[InputName, string]>): void {
  for (const [name, value] of pairs) {
    if (value === '') continue
    r.parse(name, value, nameForm('a name or ARN (letters, digits, and - _ . : /)'), '')
  }
}
