// From what AWS reported to what to do about it: the cause and the fix of the classic deploy
// failures, matched on AWS's own wording (stopped reasons, service events, target health,
// scaling activities, error codes).

export interface Explanation {
  cause: string
  fix: string
}

interface Signature {
  pattern: RegExp
  explain: (m: RegExpExecArray) => Explanation
}

const SIGNATURES: Signature[] = [
  {
    pattern: /CannotPullContainerError/i,
    explain: () => ({
      cause: 'the new task could not pull its container image (CannotPullContainerError)',
      fix: 'check that the image and tag exist, that the task execution role may pull it (ecr:GetAuthorizationToken, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer), and that the task subnets reach the registry (NAT gateway, VPC endpoints or a public IP).'
    })
  },
  {
    pattern: /ResourceInitializationError/i,
    explain: () => ({
      cause:
        'the task could not be initialised (ResourceInitializationError): it failed to fetch secrets or registry credentials',
      fix: 'give the task execution role access to the referenced secrets (secretsmanager:GetSecretValue, ssm:GetParameters, kms:Decrypt) and make sure the task subnets reach Secrets Manager, SSM and ECR (NAT gateway or VPC endpoints).'
    })
  },
  {
    pattern: /Essential container in task exited(?:.*?exit code:?\s*(\d+))?/i,
    explain: m => ({
      cause: `the essential container exited${m[1] !== undefined ? ` with code ${m[1]}` : ''} soon after starting`,
      fix:
        m[1] === '137'
          ? 'exit code 137 means the container was killed (out of memory, or not stopping within stopTimeout): raise the memory of the task definition and check the application logs.'
          : 'read the container logs (CloudWatch Logs of the task definition) for the crash; test the image locally with the same environment variables and secrets.'
    })
  },
  {
    pattern: /exit(?:ed)? (?:with )?code:? ?(\d+)/i,
    explain: m => ({
      cause: `a container exited with code ${m[1]}`,
      fix: 'read the container logs (CloudWatch Logs of the task definition) for the reason it stopped.'
    })
  },
  {
    pattern: /Health checks failed with these codes: \[(30[1278])\]/i,
    explain: m => ({
      cause: `the load balancer health check gets a ${m[1]} redirect from the health-check path`,
      fix: "point the target group's health-check path at an endpoint that answers 200 without redirecting (e.g. /healthz, not / which redirects to a login page), or add the redirect code to the target group's matcher."
    })
  },
  {
    pattern: /Health checks failed with these codes: \[([\d, ]+)\]/i,
    explain: m => ({
      cause: `the load balancer health check gets HTTP ${m[1]} from the new targets`,
      fix: "make the health-check path answer a code in the target group's matcher (check the application logs), or correct the path and matcher of the target group."
    })
  },
  {
    pattern: /Target\.ResponseCodeMismatch/,
    explain: () => ({
      cause:
        'the new targets answer the health check with an unexpected HTTP code (Target.ResponseCodeMismatch)',
      fix: "make the health-check path answer a code in the target group's matcher, or correct the path and matcher of the target group."
    })
  },
  {
    pattern: /Target\.Timeout|Request timed out/,
    explain: () => ({
      cause: 'the health check of the new targets timed out (Target.Timeout)',
      fix: "allow the load balancer's security group to reach the targets on the traffic port, and check that the application listens on the container/instance port of the target group."
    })
  },
  {
    pattern: /Target\.FailedHealthChecks|failed ELB health checks/i,
    explain: () => ({
      cause: 'the new targets failed the load balancer health checks',
      fix: "check the target group's health-check path, port and matcher against what the application serves, and the application logs; raise the service's health-check grace period if the app starts slowly."
    })
  },
  {
    pattern: /unable to place a task/i,
    explain: () => ({
      cause:
        'ECS was unable to place the new tasks (no capacity matches their CPU, memory, ports or placement constraints)',
      fix: "add capacity (container instances or a capacity provider), lower the task's CPU/memory, or relax placement constraints; with maximumPercent 200 the service needs room for twice its tasks during a deploy."
    })
  },
  {
    pattern: /(InstanceLimitExceeded|VcpuLimitExceeded|You have requested more vCPU capacity)/,
    explain: () => ({
      cause: 'EC2 refused to launch the new instances: the account is at its instance/vCPU quota',
      fix: 'request a higher EC2 On-Demand vCPU quota (Service Quotas), or use a smaller instance type in the launch template.'
    })
  },
  {
    pattern: /(InvalidAMIID[.\w]*|The image id '\[?(ami-[0-9a-f]+)\]?' does not exist)/i,
    explain: () => ({
      cause:
        'the launch template refers to an AMI that does not exist or is not shared with this account/region',
      fix: "check the 'ami-id' input: the AMI must exist in the deploy region and be shared with the account."
    })
  },
  {
    pattern: /(Launching a new EC2 instance.*(?:Failed|Status Reason))|InsufficientInstanceCapacity/i,
    explain: () => ({
      cause: 'the Auto Scaling group failed to launch instances from the launch template',
      fix: 'read the scaling activity message above: check the launch template (AMI, instance type, key pair, security groups, IAM instance profile) and the account quotas.'
    })
  },
  {
    // Retries exhausted on a network error: nothing answered, so this is not throttling.
    pattern:
      /kept failing after \d+ attempts: .*(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|getaddrinfo|socket hang up)/i,
    explain: () => ({
      cause: 'the AWS API endpoint could not be reached from the runner',
      fix: "check 'aws-region' (or AWS_REGION), AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> if set, and the runner's network (proxy, firewall, VPC endpoints)."
    })
  },
  {
    pattern: /kept failing after \d+ attempts|Rate exceeded|ThrottlingException|RequestLimitExceeded/i,
    explain: () => ({
      cause: 'AWS kept throttling the API calls of this deploy',
      fix: "raise 'poll-interval', and avoid many deploys at once in the same account and region (a workflow 'concurrency:' group)."
    })
  }
]

/** The first known failure signature in `text`, most specific first. */
export function explainAwsText(text: string): Explanation | undefined {
  for (const s of SIGNATURES) {
    const m = s.pattern.exec(text)
    if (m) return s.explain(m)
  }
  return undefined
}

/** Tries each text in order (e.g. stopped reasons, then events): the first explained one wins. */
export function explainFirst(texts: Iterable<string>): Explanation | undefined {
  for (const t of texts) {
    const e = explainAwsText(t)
    if (e) return e
  }
  return undefined
}
