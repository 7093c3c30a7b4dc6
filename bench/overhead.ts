// What the product adds to the time AWS itself needs, and how hard it reads AWS while it waits.
import { asgDeploy, ecsDeploy, healthySeconds, readCalls, TIMING, type Deploy } from './deploys.js'
import { table } from './table.js'

// AWS's own critical path. ecs-rolling (min 100 / max 200: every new task starts at once): a task
// starts, passes its first health check, and each old task drains for the deregistration delay
// before it stops. asg-blue-green: instances launch, pass a first check in the synthetic target group
// and again in the main one (each target group checks its targets itself), then the old fleet drains;
// the validation window runs during the drain, so the longer of the two counts.
const ECS_CRITICAL = TIMING.startSeconds + healthySeconds + TIMING.deregistrationSeconds
const ASG_CRITICAL =
  TIMING.startSeconds + 2 * healthySeconds + Math.max(TIMING.validationSeconds, TIMING.deregistrationSeconds)

function seconds(d: Deploy): number {
  d.sim.restore()
  if (!d.result.ok) throw new Error(`the bench deploy failed: ${d.result.failedMessage}`)
  return d.result.durationMs / 1000
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

export async function overhead(): Promise<string> {
  const rows: Array<Array<string | number>> = []
  for (const n of [2, 10, 50]) {
    const s = seconds(await ecsDeploy(n))
    rows.push([
      `ecs-rolling, ${plural(n, 'task')}`,
      `${s.toFixed(0)} s`,
      `${ECS_CRITICAL} s`,
      (s / ECS_CRITICAL).toFixed(3)
    ])
  }
  for (const n of [1, 3, 20]) {
    const s = seconds(await asgDeploy(n))
    rows.push([
      `asg-blue-green, ${plural(n, 'instance')}`,
      `${s.toFixed(0)} s`,
      `${ASG_CRITICAL} s`,
      (s / ASG_CRITICAL).toFixed(3)
    ])
  }
  return (
    `AWS's part: ecs-rolling ${TIMING.startSeconds} s task start + ${healthySeconds} s to the first passing health check (a new target needs one; checks every ${TIMING.intervalSeconds} s) + ${TIMING.deregistrationSeconds} s deregistration delay; ` +
    `asg-blue-green ${TIMING.startSeconds} s launch + 2 x ${healthySeconds} s first checks (synthetic, then main target group) + max(${TIMING.validationSeconds} s validation window, ${TIMING.deregistrationSeconds} s drain). Goal: at most 1.02.\n\n` +
    table(['deploy (simulation)', 'duration', "AWS's critical path", 'ratio'], rows)
  )
}

// Account-wide, per Region, shared by every caller of the account (other pipelines, the console):
// ECS: per-action token buckets, e.g. cluster reads burst 50
//   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html);
// ELBv2: Describe* burst 40, refill 10/s
//   (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html);
// EC2: non-mutating actions e.g. DescribeHosts burst 100, refill 20/s
//   (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html);
// Auto Scaling: one bucket shared by all its API calls, rates not published
//   (https://repost.aws/knowledge-center/autoscaling-api-calls-throttled).
const LIMITS =
  'ECS: per-action token buckets, e.g. cluster reads burst 50 ([ECS request throttling](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html)); ' +
  'ELBv2: Describe* burst 40, refill 10/s = 600/min ([ELB API throttling](https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html)); ' +
  'EC2: non-mutating e.g. DescribeHosts burst 100, refill 20/s ([EC2 API throttling](https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html)); ' +
  'Auto Scaling: one bucket for all its calls, rates unpublished ([re:Post](https://repost.aws/knowledge-center/autoscaling-api-calls-throttled)).'

export async function readRates(): Promise<string> {
  const rows: Array<Array<string | number>> = []
  const add = (label: string, d: Deploy) => {
    const minutes = d.result.durationMs / 60_000
    const byService = new Map<string, number>()
    for (const c of d.sim.calls.all)
      if (/^(Describe|List|Get)/.test(c.operation))
        byService.set(c.service, (byService.get(c.service) ?? 0) + 1)
    const per = [...byService].map(([s, n]) => `${s} ${(n / minutes).toFixed(1)}`).join(', ')
    rows.push([label, (readCalls(d) / minutes).toFixed(1), per])
    d.sim.restore()
  }
  for (const n of [1, 10, 100]) add(`ecs-rolling, ${plural(n, 'task')}`, await ecsDeploy(n))
  for (const n of [1, 10, 100]) add(`asg-blue-green, ${plural(n, 'instance')}`, await asgDeploy(n))
  return (
    `Reads over the whole deploy (it is waiting nearly all the time), per minute. The limits they share, account-wide per Region: ${LIMITS}\n\n` +
    table(['deploy (simulation)', 'reads/min', 'by service, per min'], rows)
  )
}
