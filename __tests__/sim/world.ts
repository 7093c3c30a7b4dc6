// The simulated AWS account: one timeline, one set of ids, the apps that run in it, and a model per
// service. Every model reads the time from the timeline, which the virtual clock advances.
import { AppCatalog, type Backend } from './apps.js'
import { AutoScalingModel } from './autoscaling/index.js'
import { Ec2Model } from './ec2/index.js'
import { EcsModel } from './ecs/index.js'
import { ElbModel } from './elbv2/index.js'
import { LogsModel } from './logs/index.js'
import { Faults } from './faults.js'
import { deriveSeed, IdGenerator, seededRandom } from './random.js'
import { Timeline } from './timeline.js'

export interface Timing {
  /**
   * Seconds the ALB keeps sending new requests to a target after its deregistration began. AWS
   * documents none ("the load balancer stops sending requests to targets that are deregistering"), so
   * the default is 0; a stricter world sets a few seconds for the change to reach every ALB node, and a
   * backend that stops within them produces 502s.
   */
  albRoutingGraceSeconds: number
  /** How often the ECS service scheduler looks at each service. */
  ecsSchedulerSeconds: number
  /** Seconds a stopping ECS task gets between SIGTERM and SIGKILL (stopTimeout). */
  ecsStopTimeoutSeconds: number
  /** How often an Auto Scaling group reconciles its capacity. */
  asgReconcileSeconds: number
  /** Seconds an instance takes from ExitStandby to InService. */
  asgExitStandbySeconds: number
  /** Seconds a detached target group attachment stays Removing at least, even with nothing to drain. */
  asgDetachSeconds: number
  /** ALB idle timeout: a backend that never answers gets a 504 after this. */
  albIdleTimeoutSeconds: number
}

export interface Limits {
  /** Rules per load balancer, default rules not counted (AWS: 100). With one listener: per listener. */
  rulesPerLoadBalancer: number
  listenersPerLoadBalancer: number
  /** Target groups per account and region (AWS: 3000); lower it to provoke TooManyTargetGroups. */
  targetGroups: number
  targetGroupsPerForwardAction: number
  /** Distinct target groups one load balancer forwards to (AWS: 100). */
  targetGroupsPerLoadBalancer: number
}

/**
 * How many passing checks turn a target healthy. `documented` (the default), as AWS documents it: a
 * newly registered target after its first passing check, one that was unhealthy after
 * HealthyThresholdCount consecutive passes. `threshold`: HealthyThresholdCount passes from
 * registration too, the stricter reading, for a test that wants the slower world.
 */
export type HealthModel = 'documented' | 'threshold'

export const DEFAULT_TIMING: Timing = {
  albRoutingGraceSeconds: 0,
  ecsSchedulerSeconds: 5,
  ecsStopTimeoutSeconds: 30,
  asgReconcileSeconds: 10,
  asgExitStandbySeconds: 5,
  asgDetachSeconds: 10,
  albIdleTimeoutSeconds: 60
}

export const DEFAULT_LIMITS: Limits = {
  rulesPerLoadBalancer: 100,
  listenersPerLoadBalancer: 50,
  targetGroups: 3000,
  targetGroupsPerForwardAction: 5,
  targetGroupsPerLoadBalancer: 100
}

/** The arguments of a model function after the model itself: what the model's method of that name takes. */
export type ModelArgs<F> = F extends (model: never, ...args: infer A) => unknown ? A : never

export interface WorldOptions {
  seed: number
  startMs: number
  region?: string
  accountId?: string
  timing?: Partial<Timing>
  limits?: Partial<Limits>
  healthModel?: HealthModel
}

export class World {
  readonly region: string
  readonly accountId: string
  readonly seed: number
  readonly timing: Timing
  readonly limits: Limits
  readonly healthModel: HealthModel
  readonly timeline: Timeline
  readonly ids: IdGenerator
  readonly apps = new AppCatalog()
  readonly faults: Faults
  /** Apps answering at a private address or instance id: what target groups reach. */
  readonly endpoints = new Map<string, Backend>()
  readonly elbv2: ElbModel
  /** Picks between weighted target groups; its own stream so traffic does not disturb other draws. */
  readonly routingRandom: () => number
  readonly ecs: EcsModel
  readonly ec2: Ec2Model
  readonly autoscaling: AutoScalingModel
  readonly logs: LogsModel

  constructor(opts: WorldOptions) {
    this.seed = opts.seed
    this.region = opts.region ?? 'us-east-1'
    this.accountId = opts.accountId ?? '123456789012'
    this.timing = { ...DEFAULT_TIMING, ...opts.timing }
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits }
    this.healthModel = opts.healthModel ?? 'documented'
    this.timeline = new Timeline(opts.startMs)
    this.ids = new IdGenerator(opts.seed)
    this.faults = new Faults(opts.seed)
    this.routingRandom = seededRandom(deriveSeed(opts.seed, 'routing'))
    this.elbv2 = new ElbModel(this)
    this.ecs = new EcsModel(this)
    this.ec2 = new Ec2Model(this)
    this.autoscaling = new AutoScalingModel(this)
    this.logs = new LogsModel(this)
  }

  now(): number {
    return this.timeline.now
  }

  /** The world moves forward to `ms`, processing every event due on the way. */
  advanceTo(ms: number): void {
    this.timeline.advanceTo(ms)
  }

  arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`
  }

  /** Availability zones the world spreads tasks and instances over. */
  get zones(): string[] {
    return [`${this.region}a`, `${this.region}b`]
  }
}
