// Elastic Load Balancing v2 as the action sees it: load balancers, listeners, rules, target groups
// and target health that moves over time (initial -> healthy after HealthyThresholdCount passing
// checks, unhealthy after UnhealthyThresholdCount failures, draining for the deregistration delay).
// Shapes and error codes follow the real API.
import type {
  AddTagsCommandInput,
  CreateListenerCommandInput,
  CreateLoadBalancerCommandInput,
  CreateRuleCommandInput,
  CreateTargetGroupCommandInput,
  DeleteListenerCommandInput,
  DeleteRuleCommandInput,
  DeleteTargetGroupCommandInput,
  DeregisterTargetsCommandInput,
  DescribeAccountLimitsCommandInput,
  DescribeListenersCommandInput,
  DescribeLoadBalancersCommandInput,
  DescribeRulesCommandInput,
  DescribeTagsCommandInput,
  DescribeTargetGroupAttributesCommandInput,
  DescribeTargetGroupsCommandInput,
  DescribeTargetHealthCommandInput,
  ModifyListenerCommandInput,
  ModifyRuleCommandInput,
  ModifyTargetGroupAttributesCommandInput,
  ModifyTargetGroupCommandInput,
  RegisterTargetsCommandInput,
  RemoveTagsCommandInput,
  SetRulePrioritiesCommandInput,
  TargetHealthDescription
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { Handler } from '../clients.js'
import { awsError } from '../errors.js'
import type { ModelArgs, World } from '../world.js'
import { deregister, register } from './health.js'
import {
  addListener,
  createListener,
  deleteListener,
  describeListeners,
  modifyListener
} from './listeners.js'
import {
  addLoadBalancer,
  createLoadBalancer,
  describeAccountLimits,
  describeLoadBalancers
} from './load-balancers.js'
import type {
  ListenerRecord,
  LoadBalancerRecord,
  RouteDecision,
  RuleRecord,
  TargetGroupRecord,
  TargetRecord
} from './records.js'
import { pickTarget, route } from './routing.js'
import { addRule, createRule, deleteRule, describeRules, modifyRule, setRulePriorities } from './rules.js'
import { addTags, describeTags, removeTags } from './tags.js'
import {
  addTargetGroup,
  createTargetGroup,
  deleteTargetGroup,
  deregistrationDelaySeconds,
  describeTargetGroupAttributes,
  describeTargetGroups,
  loadBalancersUsing,
  modifyTargetGroup,
  modifyTargetGroupAttributes,
  targetGroupByArn
} from './target-groups.js'
import { deregisterTargets, describeTargetHealth, registerTargets, targetHealth } from './targets.js'

/**
 * The model's state, its API handlers by command name, and the methods the world's builders and
 * other models call. The work is done in the resource files beside this one.
 */
export class ElbModel {
  readonly loadBalancers = new Map<string, LoadBalancerRecord>()
  readonly listeners = new Map<string, ListenerRecord>()
  readonly targetGroups = new Map<string, TargetGroupRecord>()

  constructor(readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return {
      DescribeAccountLimits: i => describeAccountLimits(this, i as DescribeAccountLimitsCommandInput),
      DescribeLoadBalancers: i => describeLoadBalancers(this, i as DescribeLoadBalancersCommandInput),
      CreateLoadBalancer: i => createLoadBalancer(this, i as CreateLoadBalancerCommandInput),
      DescribeListeners: i => describeListeners(this, i as DescribeListenersCommandInput),
      CreateListener: i => createListener(this, i as CreateListenerCommandInput),
      ModifyListener: i => modifyListener(this, i as ModifyListenerCommandInput),
      DeleteListener: i => deleteListener(this, i as DeleteListenerCommandInput),
      DescribeRules: i => describeRules(this, i as DescribeRulesCommandInput),
      CreateRule: i => createRule(this, i as CreateRuleCommandInput),
      ModifyRule: i => modifyRule(this, i as ModifyRuleCommandInput),
      DeleteRule: i => deleteRule(this, i as DeleteRuleCommandInput),
      SetRulePriorities: i => setRulePriorities(this, i as SetRulePrioritiesCommandInput),
      DescribeTargetGroups: i => describeTargetGroups(this, i as DescribeTargetGroupsCommandInput),
      CreateTargetGroup: i => createTargetGroup(this, i as CreateTargetGroupCommandInput),
      ModifyTargetGroup: i => modifyTargetGroup(this, i as ModifyTargetGroupCommandInput),
      DeleteTargetGroup: i => deleteTargetGroup(this, i as DeleteTargetGroupCommandInput),
      DescribeTargetGroupAttributes: i =>
        describeTargetGroupAttributes(this, i as DescribeTargetGroupAttributesCommandInput),
      ModifyTargetGroupAttributes: i =>
        modifyTargetGroupAttributes(this, i as ModifyTargetGroupAttributesCommandInput),
      RegisterTargets: i => registerTargets(this, i as RegisterTargetsCommandInput),
      DeregisterTargets: i => deregisterTargets(this, i as DeregisterTargetsCommandInput),
      DescribeTargetHealth: i => describeTargetHealth(this, i as DescribeTargetHealthCommandInput),
      AddTags: i => addTags(this, i as AddTagsCommandInput),
      RemoveTags: i => removeTags(this, i as RemoveTagsCommandInput),
      DescribeTags: i => describeTags(this, i as DescribeTagsCommandInput)
    }
  }

  get now(): number {
    return this.world.now()
  }

  error(code: string, message: string): Error {
    return awsError('elbv2', code, message)
  }

  /** Creates an internet-facing application load balancer (world builders and CreateLoadBalancer). */
  addLoadBalancer(...args: ModelArgs<typeof addLoadBalancer>): LoadBalancerRecord {
    return addLoadBalancer(this, ...args)
  }

  /** Creates a listener (world builders and CreateListener). */
  addListener(...args: ModelArgs<typeof addListener>): ListenerRecord {
    return addListener(this, ...args)
  }

  /** Creates a rule (world builders and CreateRule). */
  addRule(...args: ModelArgs<typeof addRule>): RuleRecord {
    return addRule(this, ...args)
  }

  targetGroup(...args: ModelArgs<typeof targetGroupByArn>): TargetGroupRecord {
    return targetGroupByArn(this, ...args)
  }

  /** Load balancers whose listeners or rules forward to `tg`. */
  loadBalancersUsing(...args: ModelArgs<typeof loadBalancersUsing>): Set<string> {
    return loadBalancersUsing(this, ...args)
  }

  /** Creates a target group (world builders and CreateTargetGroup); defaults are AWS's. */
  addTargetGroup(...args: ModelArgs<typeof addTargetGroup>): TargetGroupRecord {
    return addTargetGroup(this, ...args)
  }

  /** Seconds a deregistered target drains for. */
  deregistrationDelaySeconds(...args: Parameters<typeof deregistrationDelaySeconds>): number {
    return deregistrationDelaySeconds(...args)
  }

  /** Target health as DescribeTargetHealth reports it, without going through the API (for assertions). */
  targetHealth(...args: ModelArgs<typeof targetHealth>): TargetHealthDescription[] {
    return targetHealth(this, ...args)
  }

  /** Registers a target: health checks start (or it waits as `unused` if no load balancer uses the group). */
  register(...args: ModelArgs<typeof register>): TargetRecord {
    return register(this, ...args)
  }

  /**
   * Starts draining a target: no new requests once the change has reached the ALB
   * (albRoutingGraceSeconds), gone after the deregistration delay. `onDrained` runs when it is gone.
   */
  deregister(...args: ModelArgs<typeof deregister>): void {
    return deregister(this, ...args)
  }

  /** Which listener rule answers a request to `host:port path` with `headers`. */
  route(...args: ModelArgs<typeof route>): RouteDecision {
    return route(this, ...args)
  }

  /**
   * The target the ALB sends the next request to: round robin over healthy targets (plus targets
   * whose deregistration has not reached the ALB yet); when none is healthy it fails open to every
   * registered target. Undefined when the group has nothing registered (the ALB answers 503).
   */
  pickTarget(...args: ModelArgs<typeof pickTarget>): TargetRecord | undefined {
    return pickTarget(this, ...args)
  }
}
