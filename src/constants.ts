// Every name users write into workflows, in one place (actions/cache style).

export const ACTION_NAME = 'zdt-deploy'
// Kept in step with package.json by a unit test; bundled, so it cannot be read from disk at run time.
export const ACTION_VERSION = '1.0.0'

export const Inputs = {
  Strategy: 'strategy',
  AwsRegion: 'aws-region',
  Environment: 'environment',
  Url: 'url',
  HealthPath: 'health-path',
  HealthStatus: 'health-status',
  HealthTimeout: 'health-timeout',
  Probe: 'probe',
  MaxProbeErrors: 'max-probe-errors',
  WaitTimeout: 'wait-timeout',
  PollInterval: 'poll-interval',
  Rollback: 'rollback',
  DryRun: 'dry-run',
  GithubToken: 'github-token',
  Cluster: 'cluster',
  Service: 'service',
  TaskDefinition: 'task-definition',
  ContainerName: 'container-name',
  Image: 'image',
  ForceNewDeployment: 'force-new-deployment',
  TestUrl: 'test-url',
  GateStage: 'gate-stage',
  PreDeployCommand: 'pre-deploy-command',
  BlueAsg: 'blue-asg',
  GreenAsg: 'green-asg',
  TargetGroup: 'target-group',
  SyntheticTargetGroup: 'synthetic-target-group',
  ListenerArn: 'listener-arn',
  SyntheticHeader: 'synthetic-header',
  AmiId: 'ami-id',
  LaunchTemplateVersion: 'launch-template-version',
  ValidationWindow: 'validation-window',
  PreviewDomain: 'preview-domain',
  PreviewPorts: 'preview-ports',
  PreviewDesiredCount: 'preview-desired-count',
  PreviewAction: 'preview-action',
  PreviewTtl: 'preview-ttl',
  AllowForks: 'allow-forks'
} as const
export type InputName = (typeof Inputs)[keyof typeof Inputs]

/**
 * Every default of action.yml, the one place the code reads them from (a unit test keeps action.yml
 * in step). Inputs not listed default to empty. The runner fills in github-token's itself.
 */
export const DEFAULTS = {
  [Inputs.Environment]: 'auto',
  [Inputs.HealthPath]: '/healthz',
  [Inputs.HealthStatus]: '200',
  [Inputs.HealthTimeout]: '120',
  [Inputs.Probe]: 'true',
  [Inputs.MaxProbeErrors]: '0',
  [Inputs.WaitTimeout]: '1800',
  [Inputs.PollInterval]: '3',
  [Inputs.Rollback]: 'true',
  [Inputs.DryRun]: 'false',
  [Inputs.GithubToken]: '${{ github.token }}',
  [Inputs.ForceNewDeployment]: 'false',
  [Inputs.SyntheticHeader]: 'Synthetic: True',
  [Inputs.ValidationWindow]: '300',
  [Inputs.PreviewPorts]: '8000-8999',
  [Inputs.PreviewDesiredCount]: '1',
  [Inputs.PreviewAction]: 'auto',
  [Inputs.PreviewTtl]: '7d',
  [Inputs.AllowForks]: 'false'
} as const satisfies Partial<Record<InputName, string>>
export type DefaultedInput = keyof typeof DEFAULTS

export const Outputs = {
  Url: 'url',
  Environment: 'environment',
  TaskDefinitionArn: 'task-definition-arn',
  PreviousTaskDefinitionArn: 'previous-task-definition-arn',
  ActiveAsg: 'active-asg',
  PreviousAsg: 'previous-asg',
  RolledBack: 'rolled-back',
  ProbeRequests: 'probe-requests',
  ProbeErrors: 'probe-errors',
  Duration: 'duration'
} as const
export type OutputName = (typeof Outputs)[keyof typeof Outputs]

export const STRATEGIES = ['ecs-rolling', 'asg-blue-green', 'pr-preview'] as const
export type StrategyName = (typeof STRATEGIES)[number]

// Tags are how a re-run, a teardown and a sweep find what is theirs (SPEC: "Tags, not memory").
export const Tags = {
  ManagedBy: 'zdt:managed-by',
  Repo: 'zdt:repo',
  Pr: 'zdt:pr',
  Role: 'zdt:role',
  Lock: 'zdt:lock',
  // pr-preview: last deploy time (ISO 8601), what a sweep measures idleness from.
  DeployedAt: 'zdt:deployed-at',
  // ecs-rolling, on the service: the task definition ARN a rollback started from, written before the
  // rollback, so a run stopped mid-rollback still says which revision failed.
  RolledBackFrom: 'zdt:rolled-back-from',
  // asg-blue-green, on the old group: its MinSize before the cutover lowered it to 0 for Standby,
  // written first, so a run killed before it put the MinSize back leaves the number for the next run.
  MinSize: 'zdt:min-size'
} as const
export const MANAGED_BY_VALUE = ACTION_NAME
