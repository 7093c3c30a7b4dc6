// Elastic Load Balancing v2 as the action sees it: load balancers, listeners, rules, target groups
// and target health that moves over time (initial -> healthy after the first passing check, unhealthy
// after UnhealthyThresholdCount failures, back to healthy after HealthyThresholdCount passes, draining
// for the deregistration delay).
// Shapes and error codes follow the real API.
import { commandHandlers, type Handler } from '../clients.js'
import { awsError } from '../errors.js'
import type { ModelArgs, World } from '../world.js'
import { register } from './health.js'
import { createListener, deleteListener, describeListeners, modifyListener } from './listeners.js'
import { createLoadBalancer, describeAccountLimits, describeLoadBalancers } from './load-balancers.js'
import type { ListenerRecord, LoadBalancerRecord, TargetGroupRecord, TargetRecord } from './records.js'
import { createRule, deleteRule, describeRules, modifyRule, setRulePriorities } from './rules.js'
import { addTags, describeTags, removeTags } from './tags.js'
import {
  createTargetGroup,
  deleteTargetGroup,
  describeTargetGroupAttributes,
  describeTargetGroups,
  modifyTargetGroup,
  modifyTargetGroupAttributes
} from './target-groups.js'
import { deregisterTargets, describeTargetHealth, registerTargets } from './targets.js'

/**
 * The model's state and its API handlers by command name, plus the few methods tests call on it. The
 * work is done by the functions in the resource files beside this one, which take the model first.
 */
export class ElbModel {
  readonly loadBalancers = new Map<string, LoadBalancerRecord>()
  readonly listeners = new Map<string, ListenerRecord>()
  readonly targetGroups = new Map<string, TargetGroupRecord>()

  constructor(readonly world: World) {}

  get handlers(): Record<string, Handler> {
    return commandHandlers(this, {
      DescribeAccountLimits: describeAccountLimits,
      DescribeLoadBalancers: describeLoadBalancers,
      CreateLoadBalancer: createLoadBalancer,
      DescribeListeners: describeListeners,
      CreateListener: createListener,
      ModifyListener: modifyListener,
      DeleteListener: deleteListener,
      DescribeRules: describeRules,
      CreateRule: createRule,
      ModifyRule: modifyRule,
      DeleteRule: deleteRule,
      SetRulePriorities: setRulePriorities,
      DescribeTargetGroups: describeTargetGroups,
      CreateTargetGroup: createTargetGroup,
      ModifyTargetGroup: modifyTargetGroup,
      DeleteTargetGroup: deleteTargetGroup,
      DescribeTargetGroupAttributes: describeTargetGroupAttributes,
      ModifyTargetGroupAttributes: modifyTargetGroupAttributes,
      RegisterTargets: registerTargets,
      DeregisterTargets: deregisterTargets,
      DescribeTargetHealth: describeTargetHealth,
      AddTags: addTags,
      RemoveTags: removeTags,
      DescribeTags: describeTags
    })
  }

  get now(): number {
    return this.world.now()
  }

  error(code: string, message: string): Error {
    return awsError('elbv2', code, message)
  }

  /** Registers a target: health checks start (or it waits as `unused` if no load balancer uses the group). */
  register(...args: ModelArgs<typeof register>): TargetRecord {
    return register(this, ...args)
  }
}
