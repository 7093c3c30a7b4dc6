// Bad inputs, each with the input its message must name and the expected form it must state.
// Used by the input parser's tests and by the run's (no AWS call may follow any of them), both with
// BAD_INPUTS_ENV: a workspace holding a symlink that points out of it.
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/main/0123456789abcdef'
export const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/alb/0123456789abcdef/fedcba9876543210'

const WORKSPACE = mkdtempSync(path.join(os.tmpdir(), 'zdt-workspace-'))
const ELSEWHERE = path.join(mkdtempSync(path.join(os.tmpdir(), 'zdt-elsewhere-')), 'task-definition.json')
writeFileSync(ELSEWHERE, '{"family":"web","containerDefinitions":[{"name":"app","image":"x"}]}')
symlinkSync(ELSEWHERE, path.join(WORKSPACE, 'linked.json'))
export const BAD_INPUTS_ENV = { GITHUB_WORKSPACE: WORKSPACE }

const ecs = { strategy: 'ecs-rolling', cluster: 'c', service: 's' }
const bg = { strategy: 'asg-blue-green', 'blue-asg': 'b', 'green-asg': 'g', 'target-group': TG }
const pr = { strategy: 'pr-preview', cluster: 'c', service: 's', 'listener-arn': LISTENER }
export const BAD_INPUTS: Array<[input: string, values: Record<string, string>, expected: string]> = [
  ['strategy', { strategy: 'canary' }, 'one of ecs-rolling'],
  ['strategy', {}, 'required'],
  ['aws-region', { ...ecs, 'aws-region': 'mars' }, 'region such as us-east-1'],
  ['probe', { ...ecs, probe: 'yes' }, '`true` or `false`'],
  ['rollback', { ...ecs, rollback: 'True' }, '`true` or `false`'],
  ['dry-run', { ...ecs, 'dry-run': '1' }, '`true` or `false`'],
  ['force-new-deployment', { ...ecs, 'force-new-deployment': 'on' }, '`true` or `false`'],
  ['max-probe-errors', { ...ecs, 'max-probe-errors': '-1' }, 'whole number'],
  ['wait-timeout', { ...ecs, 'wait-timeout': 'forever' }, 'duration'],
  ['poll-interval', { ...ecs, 'poll-interval': '0' }, 'at least 1'],
  ['health-timeout', { ...ecs, 'health-timeout': '2 minutes' }, 'duration'],
  ['health-status', { ...ecs, 'health-status': '2xx' }, 'status codes'],
  ['health-status', { ...ecs, 'health-status': '299-200' }, 'status codes'],
  ['health-path', { ...ecs, 'health-path': 'healthz' }, "starting with '/'"],
  ['url', { ...ecs, url: 'ftp://x' }, 'http://'],
  ['cluster', { strategy: 'ecs-rolling', service: 's' }, 'required'],
  ['service', { strategy: 'ecs-rolling', cluster: 'c' }, 'required'],
  ['cluster', { ...ecs, cluster: 'my cluster' }, 'name or ARN'],
  ['task-definition', { ...ecs, 'task-definition': '../x.json' }, `inside the workspace ${WORKSPACE}`],
  ['task-definition', { ...ecs, 'task-definition': ELSEWHERE }, `inside the workspace ${WORKSPACE}`],
  ['task-definition', { ...ecs, 'task-definition': 'linked.json' }, `resolves to ${ELSEWHERE}`],
  ['task-definition', { ...ecs, 'task-definition': 'deploy/../../x.json' }, 'inside the workspace'],
  [
    'task-definition',
    { ...ecs, 'task-definition': 'arn:aws:ecs:us-east-1:123456789012:service/c/s' },
    'family:revision'
  ],
  ['task-definition', { ...ecs, 'task-definition': 'web:3', image: 'web:v2' }, 'at most one'],
  ['pre-deploy-command', { ...ecs, 'pre-deploy-command': '["npm", 1]' }, 'array of strings'],
  ['pre-deploy-command', { ...ecs, 'pre-deploy-command': '[npm run migrate' }, 'not valid JSON'],
  ['pre-deploy-command', { ...pr, 'pre-deploy-command': '[]' }, 'non-empty array'],
  ['blue-asg', { ...bg, 'blue-asg': '' }, 'required'],
  ['green-asg', { ...bg, 'green-asg': 'b' }, 'two different'],
  ['target-group', { ...bg, 'target-group': 'main-tg' }, 'ARN'],
  ['synthetic-target-group', { ...bg, 'synthetic-target-group': 'arn:aws:s3:::bucket' }, 'ARN'],
  ['listener-arn', { ...bg, 'synthetic-target-group': TG }, 'required with'],
  ['synthetic-header', { ...bg, 'synthetic-header': 'Synthetic' }, 'Name: value'],
  ['ami-id', { ...bg, 'ami-id': 'ubuntu' }, 'AMI id'],
  ['ami-id', { ...bg, 'ami-id': 'ami-0123456789abcdef0', 'launch-template-version': '3' }, 'at most one'],
  ['launch-template-version', { ...bg, 'launch-template-version': 'latest' }, '$Latest'],
  ['validation-window', { ...bg, 'validation-window': '-5' }, 'duration'],
  ['listener-arn', { ...pr, 'listener-arn': '' }, 'required'],
  ['listener-arn', { ...pr, 'listener-arn': TG }, 'ARN'],
  ['preview-domain', { ...pr, 'preview-domain': 'not a domain' }, 'DNS domain'],
  ['preview-ports', { ...pr, 'preview-ports': '9000' }, 'port range'],
  ['preview-ports', { ...pr, 'preview-ports': '9000-70000' }, 'port range'],
  ['preview-desired-count', { ...pr, 'preview-desired-count': 'two' }, 'whole number'],
  ['preview-action', { ...pr, 'preview-action': 'create' }, 'auto, deploy, destroy, sweep'],
  ['preview-ttl', { ...pr, 'preview-ttl': 'a week' }, 'duration'],
  ['allow-forks', { ...pr, 'allow-forks': 'maybe' }, '`true` or `false`']
]
