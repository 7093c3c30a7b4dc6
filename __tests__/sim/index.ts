// The simulation's public surface: import from here in scenario tests.
export {
  amiNotFound,
  Backend,
  cannotPullContainer,
  resourceInitializationError,
  type AppBehavior,
  type CommandBehavior
} from './apps.js'
export {
  DEFAULT_AMI,
  headerCondition,
  hostCondition,
  pathCondition,
  type AlbFixture,
  type AlbOptions,
  type AsgFixture,
  type AsgOptions,
  type AsgPairFixture,
  type AsgPairOptions,
  type EcsFixture,
  type EcsServiceOptions,
  type HealthCheckOptions,
  type RuleOptions,
  type ShiftingFixture,
  type ShiftingServiceOptions,
  type TargetGroupFixture,
  type TargetGroupOptions
} from './builders.js'
export { CallLog, type RecordedCall } from './calls.js'
export { DEFAULT_START_MS, SimClockError, VirtualClock, type RunOptions } from './clock.js'
export type { InjectedRefresh } from './autoscaling/activities.js'
export { circuitBreakerThreshold } from './ecs/deployments.js'
export { awsError, SimNotModelledError, throttlingError, type ServiceKey } from './errors.js'
export type { ConsistencyOptions, Faults, InjectedError, ThrottleOptions } from './faults.js'
export { FakeGitHub } from './github.js'
export {
  actionYmlDefaults,
  createSimulation,
  runActionInSim,
  runActionsInSim,
  Simulation,
  SIMULATED_GITHUB_TOKEN,
  type ActionInputs,
  type RunInSimOptions,
  type SimRunResult,
  type SimulationOptions
} from './harness.js'
export { isFailure, RequestLog, type RequestRecord, type Traffic, type TrafficReport } from './http.js'
export { DEFAULT_LIMITS, DEFAULT_TIMING, World, type HealthModel, type Limits, type Timing } from './world.js'
