// Realistic AWS text in, the explanation users read out. The strings are AWS's own wording.
import { describe, expect, it } from '@jest/globals'
import { explainAwsText } from '../../src/explain.js'

describe('explainAwsText', () => {
  it.each([
    [
      'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v9: not found',
      /could not pull its container image/,
      /image and tag exist/
    ],
    [
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s)',
      /fetch secrets or registry credentials/,
      /secretsmanager:GetSecretValue/
    ],
    ['Essential container in task exited', /essential container exited soon/, /container logs/],
    ['Essential container in task exited (exit code: 137)', /exited with code 137/, /out of memory/],
    [
      '(service teddy-web-service-staging) (port 80) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:786903541329:targetgroup/teddy-web-tg-staging/32980889e634ed73) due to (reason Health checks failed with these codes: [302]).',
      /302 redirect/,
      /without redirecting/
    ],
    [
      '(service web) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc) due to (reason Health checks failed with these codes: [500]).',
      /HTTP 500/,
      /matcher/
    ],
    [
      'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc)',
      /failed the load balancer health checks/,
      /grace period/
    ],
    [
      '(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.',
      /unable to place the new tasks/,
      /add capacity/
    ],
    ['Target.Timeout', /timed out/, /security group/],
    ['Target.ResponseCodeMismatch', /unexpected HTTP code/, /matcher/],
    [
      'Launching a new EC2 instance. Status Reason: You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to.',
      /quota/,
      /Service Quotas/
    ],
    [
      "Launching a new EC2 instance. Status Reason: The image id '[ami-0abc1234def567890]' does not exist. Launching EC2 instance failed.",
      /AMI that does not exist/,
      /'ami-id'/
    ],
    [
      'Launching a new EC2 instance. Status Reason: The requested configuration is currently not supported. Launching EC2 instance failed.',
      /failed to launch instances/,
      /launch template/
    ],
    [
      'elasticloadbalancing:DescribeTargetHealth kept failing after 10 attempts: Rate exceeded',
      /throttling/,
      /poll-interval/
    ],
    [
      'elasticloadbalancing:DescribeListeners kept failing after 10 attempts: connect ECONNREFUSED 127.0.0.1:9',
      /could not be reached from the runner/,
      /AWS_ENDPOINT_URL/
    ]
  ])('%s', (text, cause, fix) => {
    const e = explainAwsText(text)
    expect(e).toBeDefined()
    expect(e?.cause).toMatch(cause)
    expect(e?.fix).toMatch(fix)
  })

  it('says nothing about text it does not know', () => {
    expect(explainAwsText('(service web) has reached a steady state.')).toBeUndefined()
  })
})
