// The run: read inputs once, work out the environment, hand a strategy its context, then report.
import { AwsApi } from './aws/api.js'
import { createAwsClients, STRATEGY_CLIENTS, type AwsClients, type AwsService } from './aws/clients.js'
import {
  REPORT_BUDGET_MS,
  RunCancellation,
  cancellableClock,
  processSignals,
  withinMs,
  type SignalSource
} from './cancellation.js'
import { systemClock, type Clock } from './clock.js'
import {
  ACTION_NAME,
  Inputs,
  Outputs as OutputNames,
  STRATEGIES,
  type InputName,
  type OutputName
} from './constants.js'
import type { DeployContext, StrategyResult } from './context.js'
import { deriveEnvironment, detectEnvironment } from './environment.js'
import { startDeployment, type DeploymentTracker } from './deployments.js'
import { DeployError, InputError, errorMessage } from './errors.js'
import { readEventContext } from './event.js'
import { explainAwsText } from './explain.js'
import type { GitHubApi } from './github.js'
import { nodeHttpProber, type HttpProber } from './http.js'
import { getSettings, type Settings } from './inputs.js'
import { Outputs, RunState, runOutcome, type Cancelled } from './run-state.js'
import { reachSafeState } from './safe-state.js'
import { workspaceDir } from './workspace-path.js'
import { Reporter, type LogSink } from './report.js'
import { appendSummary, getInput, setFailed, setOutput, stdoutSink } from './runner.js'
import { runStrategy } from './strategies/index.js'
import { buildSummary, escapeMd, type SummaryInput } from './summary.js'

/** Everything the run touches outside itself; tests replace any of it. */
export interface RunDeps {
  getInput: (name: InputName) => string
  setOutput: (name: OutputName, value: string) => void
  setFailed: (message: string) => void
  writeSummary: (markdown: string) => Promise<void>
  sink: LogSink
  clock: Clock
  http: HttpProber
  env: NodeJS.ProcessEnv
  createClients: (region: string, services: readonly AwsService[]) => AwsClients | Promise<AwsClients>
  createGitHub: (token: string, repository: string) => GitHubApi | Promise<GitHubApi>
  random: () => number
  /** SIGINT and SIGTERM: what cancels the run. */
  signals: SignalSource
  /** Handed the run's state at the start: what a cancellation stops (RunState.stopRunning) is there. */
  onState?: (state: RunState) => void
}

export const defaultRunDeps = (): RunDeps => ({
  getInput: name => getInput(name),
  setOutput: (name, value) => setOutput(name, value),
  setFailed,
  writeSummary: markdown => appendSummary(markdown),
  sink: stdoutSink,
  clock: systemClock,
  http: nodeHttpProber,
  env: process.env,
  createClients: createAwsClients,
  // Octokit is loaded only when a run has a token and a repository to use it with.
  createGitHub: async (token, repository) => (await import('./github.js')).createGitHubApi(token, repository),
  random: Math.random,
  signals: processSignals
})

export interface RunResult {
  ok: boolean
  result?: StrategyResult
  error?: unknown
  outputs: Map<OutputName, string>
  log: Reporter
  aws?: AwsApi
  /** Set when a signal cancelled the run: the process should exit now (non-zero), whatever is still pending. */
  cancelled?: Cancelled
}

export async function run(overrides: Partial<RunDeps> = {}): Promise<RunResult> {
  const deps = { ...defaultRunDeps(), ...overrides }
  const started = deps.clock.now()
  const log = new Reporter(deps.sink, deps.clock)
  const outputs = new Outputs(deps.setOutput)
  const state = new RunState(outputs)
  deps.onState?.(state)

  // Inputs and environment first: a bad input fails here, before any AWS call.
  let settings: Settings
  let environment: string | undefined
  const event = readEventContext(deps.env)
  try {
    settings = getSettings(deps.getInput, deps.env)
    environment =
      settings.strategy === 'pr-preview'
        ? // A sweep spans every preview: no one environment (the output stays unset).
          settings.previewAction === 'sweep'
          ? undefined
          : deriveEnvironment(settings.environment, event)?.name
        : detectEnvironment(settings.environment, event).name
  } catch (e) {
    const message = e instanceof InputError ? e.message : `Reading inputs failed: ${errorMessage(e)}`
    deps.setFailed(message)
    // The job summary says why too: it is where a reader of the run looks first.
    const strategy = deps.getInput(Inputs.Strategy).trim()
    await writeJobSummary(deps, {
      title: (STRATEGIES as readonly string[]).includes(strategy)
        ? `${ACTION_NAME} ${strategy}`
        : ACTION_NAME,
      outcome: 'failed',
      ok: false,
      environment: undefined,
      url: undefined,
      durationSeconds: Math.round((deps.clock.now() - started) / 1000),
      error: { message },
      outputs: outputs.values,
      report: log
    })
    return { ok: false, error: e, outputs: outputs.values, log }
  }

  state.planOnly = settings.dryRun
  if (environment) {
    outputs.set(OutputNames.Environment, environment)
    log.info(
      `${ACTION_NAME}: ${settings.strategy} to environment '${environment}'${settings.dryRun ? ' (dry run)' : ''}`
    )
  } else {
    log.info(`${ACTION_NAME}: ${settings.strategy}${settings.dryRun ? ' (dry run)' : ''}`)
  }

  let result: StrategyResult | undefined
  let failure: unknown
  let aws: AwsApi | undefined
  let ctx: DeployContext | undefined
  let tracker: DeploymentTracker | undefined
  // From here a signal cancels the run: every wait of the run's clock ends, no new write starts.
  const cancellation = new RunCancellation(deps.clock, log)
  const unsubscribe = deps.signals(name => cancellation.receive(name))
  const work = (async () => {
    const clock = cancellableClock(deps.clock, cancellation.signal)
    aws = new AwsApi(await deps.createClients(settings.region, STRATEGY_CLIENTS[settings.strategy]), {
      clock,
      log,
      dryRun: settings.dryRun,
      random: deps.random,
      signal: cancellation.signal
    })
    const github =
      settings.githubToken && event.repository
        ? await deps.createGitHub(settings.githubToken, event.repository)
        : undefined
    ctx = {
      settings,
      environment,
      outputs,
      state,
      aws,
      clock,
      http: deps.http,
      log,
      event,
      github,
      workspace: workspaceDir(deps.env),
      signal: cancellation.signal
    }
    // pr-preview decides inside the strategy whether it deploys, tears down or sweeps.
    if (settings.strategy !== 'pr-preview' && environment && !settings.dryRun) {
      tracker = await startDeployment(github, event, environment, log)
    }
    return await runStrategy(ctx)
  })()
  const settled = work.then(
    r => void (result = r),
    (e: unknown) => void (failure = e)
  )
  let cancelled: Cancelled | undefined
  try {
    await Promise.race([settled, cancellation.requested])
    if (cancellation.by) cancelled = await cancel(deps, ctx, cancellation, settled, () => result)
  } finally {
    unsubscribe()
  }
  const durationSeconds = Math.round((deps.clock.now() - started) / 1000)
  outputs.set(OutputNames.Duration, durationSeconds)

  if (cancelled) {
    state.setCancelled(cancelled)
    // Bounded: the process must be gone before GitHub's SIGTERM, whatever GitHub's API does.
    const description = cancelled.left.slice(0, 2).join(' ')
    if (tracker) await withinMs(deps.clock, REPORT_BUDGET_MS, tracker.cancel(description))
    deps.setFailed(cancelled.left.join('\n'))
    log.section('What the cancellation left', cancelled.left.map(l => `- ${escapeMd(l)}`).join('\n'))
    await writeJobSummary(deps, {
      title: `${ACTION_NAME} ${settings.strategy}`,
      outcome: runOutcome(state, true, result),
      ok: false,
      environment,
      url: outputs.get(OutputNames.Url) ?? settings.url,
      durationSeconds,
      outputs: outputs.values,
      report: log
    })
    return { ok: false, result, error: failure, outputs: outputs.values, log, aws, cancelled }
  }

  const error = failure === undefined ? undefined : explain(failure)
  await tracker?.finish(!error, outputs.get(OutputNames.Url), error?.message ?? result?.message ?? '')
  if (error) {
    // The last error line names the cause and the fix.
    const line = error.hint ? `${error.message}\nFix: ${error.hint}` : error.message
    deps.setFailed(line)
  } else if (result) {
    log.info(result.message)
  }

  await writeJobSummary(deps, {
    title: `${ACTION_NAME} ${settings.strategy}`,
    outcome: runOutcome(state, error !== undefined, result),
    ok: !error,
    environment,
    url: outputs.get(OutputNames.Url) ?? settings.url,
    durationSeconds,
    error,
    outputs: outputs.values,
    report: log
  })

  return { ok: !error, result, error: failure, outputs: outputs.values, log, aws }
}

/** The safe state of a cancelled run; a signal before the context existed left nothing to make safe. */
async function cancel(
  deps: RunDeps,
  ctx: DeployContext | undefined,
  cancellation: RunCancellation,
  settled: Promise<void>,
  result: () => StrategyResult | undefined
): Promise<Cancelled> {
  if (!ctx)
    return {
      by: cancellation.by ?? 'a signal',
      left: [`Cancelled by ${cancellation.by} before the deploy started.`]
    }
  const reached = await reachSafeState(ctx, deps.clock, cancellation, settled)
  // The signal came as the deploy was ending: it did finish, and says so.
  const finished = result()
  if (finished) reached.left.splice(1, 0, `The deploy had finished before it stopped: ${finished.message}`)
  return reached
}

async function writeJobSummary(deps: RunDeps, input: SummaryInput): Promise<void> {
  try {
    await deps.writeSummary(buildSummary(input))
  } catch (e) {
    deps.sink.warning(`Could not write the job summary: ${errorMessage(e)}`)
  }
}

function explain(e: unknown): { message: string; hint?: string } {
  if (e instanceof InputError) return { message: e.message }
  // What AWS said decides the fix when the strategy did not name one.
  const known = explainAwsText(errorMessage(e))
  if (e instanceof DeployError) return { message: e.message, hint: e.hint ?? known?.fix }
  if (known) return { message: `${errorMessage(e)}: ${known.cause}`, hint: known.fix }
  const name = (e as { name?: string })?.name
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(errorMessage(e))) {
    return {
      message: `AWS credentials are missing: ${errorMessage(e)}`,
      hint: `run aws-actions/configure-aws-credentials before this step (with 'id-token: write' for OIDC), or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.`
    }
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || name === 'UnauthorizedOperation') {
    return {
      message: `AWS denied a call: ${errorMessage(e)}`,
      hint: `grant the deploy role the permission named above; the least-privilege policies are in the repository's iam/ folder.`
    }
  }
  return {
    message: `Unexpected error: ${errorMessage(e)}`,
    hint: `this may be a bug in ${ACTION_NAME}; please report it with the log above.`
  }
}
