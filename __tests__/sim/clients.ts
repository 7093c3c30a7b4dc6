// Real SDK client instances whose `send` is replaced (aws-sdk-client-mock, per instance, so parallel
// test files never share a mock) by the world's handlers: faults first, then the model, every call
// recorded. Outputs are deep copies, so the code under test cannot reach into the world's state.
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { EC2Client } from '@aws-sdk/client-ec2'
import { ECSClient } from '@aws-sdk/client-ecs'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { mockClient } from 'aws-sdk-client-mock'
import type { AwsClients } from '../../src/aws/clients.js'
import { awsErrorCode } from '../../src/errors.js'
import type { CallLog } from './calls.js'
import type { VirtualClock } from './clock.js'
import { IAM_PREFIX, SimNotModelledError, type ServiceKey } from './errors.js'
import { deepCopy } from './copy.js'
import type { World } from './world.js'

/** A command's input as sent; handlers validate what AWS validates. */
export type Handler = (input: object) => unknown

/** A model's command functions (model, input) as the handlers the dispatcher calls with an input. */
export function commandHandlers<M>(
  model: M,
  commands: Record<string, (model: M, input: never) => unknown>
): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(commands).map(([name, command]) => [
      name,
      (input: object) => command(model, input as never)
    ])
  )
}

let responseCounter = 0

export class AwsDispatcher {
  private readonly handlers: Partial<Record<ServiceKey, Record<string, Handler>>>

  constructor(
    private readonly world: World,
    private readonly clock: VirtualClock,
    private readonly calls: CallLog
  ) {
    this.handlers = {
      elbv2: world.elbv2.handlers,
      ecs: world.ecs.handlers,
      autoscaling: world.autoscaling.handlers,
      ec2: world.ec2.handlers,
      logs: world.logs.handlers
    }
  }

  /** Adds (or replaces) the handlers of a service. */
  register(service: ServiceKey, handlers: Record<string, Handler>): void {
    this.handlers[service] = { ...this.handlers[service], ...handlers }
  }

  /** Whether `service:operation` is modelled. */
  models(service: ServiceKey, operation: string): boolean {
    return this.handlers[service]?.[operation] !== undefined
  }

  async send(service: ServiceKey, operation: string, input: object): Promise<unknown> {
    this.world.advanceTo(this.clock.now())
    const call = {
      atMs: this.clock.now(),
      service,
      operation,
      action: `${IAM_PREFIX[service]}:${operation}`,
      input: deepCopy(input) as Record<string, unknown>,
      error: undefined as string | undefined
    }
    this.calls.record(call)
    const handler = this.handlers[service]?.[operation]
    try {
      if (!handler) throw new SimNotModelledError(service, operation)
      const injected = this.world.faults.beforeCall(service, operation)
      if (injected) throw injected
      const output = handler(deepCopy(input)) as Record<string, unknown>
      return {
        ...deepCopy(output),
        $metadata: {
          httpStatusCode: 200,
          requestId: `sim-ok-${(++responseCounter).toString(16).padStart(8, '0')}`,
          attempts: 1,
          totalRetryDelay: 0
        }
      }
    } catch (e) {
      call.error = e instanceof SimNotModelledError ? 'SimNotModelled' : (awsErrorCode(e) ?? 'Error')
      throw e
    }
  }
}

interface SimCommand {
  constructor: { name: string }
  input: object
}

/** The part of aws-sdk-client-mock's stub used here: its sinon `send` sees the whole command. */
interface Stubbed {
  send: { callsFake(fn: (command: SimCommand) => Promise<unknown>): unknown }
  restore(): void
}

/** The SDK clients of src/aws/clients.ts, answered by the simulation. */
export function simulatedClients(
  dispatcher: AwsDispatcher,
  region: string
): { clients: AwsClients; restore(): void } {
  const config = { region, credentials: { accessKeyId: 'SIMULATED', secretAccessKey: 'SIMULATED' } }
  // One CloudWatch Logs client answers every region: the world is one region.
  const logs = new CloudWatchLogsClient(config)
  const clients: AwsClients = {
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    autoscaling: new AutoScalingClient(config),
    ec2: new EC2Client(config),
    logs: async () => logs
  }
  const stubs: Array<[ServiceKey, Stubbed]> = [
    ['logs', mockClient(logs) as unknown as Stubbed],
    ['ecs', mockClient(clients.ecs) as unknown as Stubbed],
    ['elbv2', mockClient(clients.elbv2) as unknown as Stubbed],
    ['autoscaling', mockClient(clients.autoscaling) as unknown as Stubbed],
    ['ec2', mockClient(clients.ec2) as unknown as Stubbed]
  ]
  for (const [service, stub] of stubs) {
    // The operation is the command's class name (DescribeTargetHealthCommand -> DescribeTargetHealth).
    stub.send.callsFake(command =>
      dispatcher.send(service, command.constructor.name.replace(/Command$/, ''), command.input)
    )
  }
  return { clients, restore: () => stubs.forEach(([, stub]) => stub.restore()) }
}
