// The preview's target group: a copy of the base service's (protocol, port, health check, deregistration
// delay), created once per PR and reused by every later deploy.
import {
  createTargetGroup,
  deregistrationDelaySeconds,
  modifyTargetGroupAttributes,
  untilTargetGroupVisible
} from '../../../aws/elbv2.js'
import { DeployError, hasErrorCode } from '../../../errors.js'
import { recordCreated, type PreviewRun } from './run.js'

const AWS_DEFAULT_DEREGISTRATION_DELAY = 300

export async function ensureTargetGroup(run: PreviewRun): Promise<void> {
  const found = run.existing.targetGroups[0]
  if (found) {
    const arn = found.TargetGroupArn ?? ''
    run.ctx.log.info(`Target group ${found.TargetGroupName} exists.`)
    // A run killed between CreateTargetGroup and ModifyTargetGroupAttributes left the group on AWS's
    // 300 s: the re-run finishes it as a new group is made.
    await matchDeregistrationDelay(run, arn, await deregistrationDelaySeconds(run.ctx.aws, arn))
    run.made.targetGroupArn = arn
    return
  }
  run.made.targetGroupArn = await createPreviewTargetGroup(run).catch((e: unknown) => {
    throw hasErrorCode(e, 'DuplicateTargetGroupName') ? notOurs(run, e) : e
  })
}

async function createPreviewTargetGroup(run: PreviewRun): Promise<string> {
  const { ctx, base, names } = run
  const b = base.targetGroup
  const tg = await createTargetGroup(
    ctx.aws,
    {
      Name: names.targetGroup,
      Protocol: b.Protocol,
      ProtocolVersion: b.ProtocolVersion,
      Port: b.Port,
      VpcId: b.VpcId,
      TargetType: b.TargetType,
      IpAddressType: b.IpAddressType,
      HealthCheckProtocol: b.HealthCheckProtocol,
      HealthCheckPort: b.HealthCheckPort,
      HealthCheckPath: b.HealthCheckPath,
      HealthCheckEnabled: b.HealthCheckEnabled,
      HealthCheckIntervalSeconds: b.HealthCheckIntervalSeconds,
      HealthCheckTimeoutSeconds: b.HealthCheckTimeoutSeconds,
      HealthyThresholdCount: b.HealthyThresholdCount,
      UnhealthyThresholdCount: b.UnhealthyThresholdCount,
      Matcher: b.Matcher
    },
    run.tags
  )
  const arn = tg.TargetGroupArn ?? ''
  recordCreated(run, 'target group', arn)
  await untilTargetGroupVisible(ctx.aws, arn)
  await matchDeregistrationDelay(run, arn, AWS_DEFAULT_DEREGISTRATION_DELAY)
  ctx.log.info(
    `Target group ${names.targetGroup} created (${b.Protocol}:${b.Port}, ${b.TargetType}, ` +
      `health ${b.HealthCheckPath ?? '-'}, deregistration delay ${base.deregistrationDelaySeconds}s)`
  )
  return arn
}

/** The base's deregistration delay (often shorter than AWS's 300 s) keeps redeploys as quick as its own. */
async function matchDeregistrationDelay(run: PreviewRun, arn: string, current: number): Promise<void> {
  const delay = run.base.deregistrationDelaySeconds
  if (delay !== current)
    await modifyTargetGroupAttributes(run.ctx.aws, arn, {
      'deregistration_delay.timeout_seconds': String(delay)
    })
}

function notOurs(run: PreviewRun, cause: unknown): DeployError {
  const { names } = run
  return new DeployError(
    `A target group named ${names.targetGroup} exists but is not tagged as the preview of PR #${names.pr} ` +
      `of ${run.ctx.event.repository}.`,
    `delete or rename that target group; zdt-deploy does not take over resources it did not create.`,
    { cause }
  )
}
