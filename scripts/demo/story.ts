// The story the demo tells, step by step: what triggers the action, with which inputs, and what must
// be true afterwards (in the outputs, in moto, on the GitHub stand-in) for the step to count as shown.
import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsClients } from '../../src/aws/clients.js'
import type { AppServer } from '../../testkit/app-server.js'
import type { GitHubServer } from '../../testkit/github-server.js'
import { groupSnapshot, instanceImages, listenerRules, targetHealth } from '../../testkit/moto-asg.js'
import { serviceRuns } from '../../testkit/moto-ecs.js'
import { NOTHING, SHA, imageOf, prEvent, tagged } from '../../testkit/moto-preview.js'
import type { ActionRun } from '../../testkit/run-action.js'
import { equals, holds, matches, type Check } from './checks.js'
import { PREVIEW_DOMAIN, type DemoWorld } from './world.js'

export const REPO = 'acme/shop'
export const PR = 7
const IMAGE = 'registry.example.com/shop'
const NEW_AMI = 'ami-0b1c2d3e4f5a6b7c8'
const PUSHED_SHA = '2222222222222222222222222222222222222222'

export interface Trigger {
  eventName: string
  ref?: string
  event: unknown
  /** How a reader would say it: "push of tag v1.2.3-rc.1". */
  describe: string
}

export interface Step {
  /** Prefix of the files the step leaves in the output folder. */
  id: string
  title: string
  /** One sentence on what happens and why it matters. */
  story: string
  trigger: Trigger
  inputs: Record<string, string>
  expectedExit: number
  before?(): void
  check(r: ActionRun): Promise<Check[]>
  /** The verdict's text when every check holds. */
  told(r: ActionRun): string
  /** Files worth reading after the step (name -> content), e.g. the PR comment. */
  files?(): Record<string, string>
}

export interface StoryDeps {
  clients: AwsClients
  world: DemoWorld
  app: AppServer
  /** The new build of step 4: its /healthz answers 500. */
  broken: AppServer
  github: GitHubServer
}

const pushTag = (tag: string): Trigger => ({
  eventName: 'push',
  ref: `refs/tags/${tag}`,
  event: { ref: `refs/tags/${tag}`, repository: { full_name: REPO } },
  describe: `push of tag ${tag}`
})

const release = (tag: string): Trigger => ({
  eventName: 'release',
  ref: `refs/tags/${tag}`,
  event: {
    action: 'published',
    release: { tag_name: tag, prerelease: false },
    repository: { full_name: REPO }
  },
  describe: `release ${tag} published`
})

const pullRequest = (action: string, sha?: string): Trigger => ({
  eventName: 'pull_request',
  ref: `refs/pull/${PR}/merge`,
  event: prEvent(PR, { action, sha, title: 'Add a wish list' }),
  describe: `pull_request ${action} (PR #${PR})`
})

/** `Synthetic: True -> <target group>` for a rule matching one header value. */
function headerRoute(rule: Rule): string {
  const header = rule.Conditions?.find(x => x.Field === 'http-header')?.HttpHeaderConfig
  const to =
    rule.Actions?.[0]?.TargetGroupArn ?? rule.Actions?.[0]?.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn
  return `${header?.HttpHeaderName}: ${header?.Values?.join(',')} -> ${to}`
}

/** `shop-abc:2` from a task definition ARN. */
export const revision = (arn: string | undefined) => arn?.split('/').pop() ?? '-'

export function story(d: StoryDeps): Step[] {
  const { clients: c, world: w, app, broken, github } = d
  const common = {
    'poll-interval': '1',
    'wait-timeout': '60',
    'health-timeout': '5',
    'github-token': 'demo-token'
  }
  const deployment = (environment: string, ref?: string) =>
    github.deployments
      .filter(x => x.environment === environment && (ref === undefined || x.ref === ref))
      .at(-1)
  const prComments = () => github.comments.filter(x => x.issue === PR)
  const commentFile = () => prComments()[0]?.body ?? '(no comment)\n'
  const preview = {
    cluster: w.ecs.cluster,
    service: w.ecs.service,
    'listener-arn': w.previewListenerArn,
    'preview-domain': PREVIEW_DOMAIN,
    url: app.url
  }

  // What the tag lookups list: the previews' listener, not the service's own.
  const previewFixture = { ...w.ecs, listenerArn: w.previewListenerArn }
  let stagingArn: string | undefined
  let appRequestsBefore = 0
  let firstPreview: { service: string; rule: string; taskDefinition: string; commentId: number } | undefined

  return [
    {
      id: '1-release-candidate',
      title: 'Release candidate v1.2.3-rc.1 goes to staging (ecs-rolling)',
      story:
        'A prerelease tag deploys the new image to staging: a new task definition revision, new tasks started before old ones stop, a smoke test of /healthz.',
      trigger: pushTag('v1.2.3-rc.1'),
      inputs: {
        strategy: 'ecs-rolling',
        cluster: w.ecs.cluster,
        service: w.ecs.service,
        image: `${IMAGE}:1.2.3-rc.1`,
        url: app.url,
        ...common
      },
      expectedExit: 0,
      async check(r) {
        const now = await serviceRuns(c, w.ecs)
        stagingArn = now.taskDefinitionArn
        return [
          equals('output environment', r.outputs.environment, 'staging'),
          equals('output rolled-back', r.outputs['rolled-back'], 'false'),
          equals('image the service runs (moto)', now.images, { app: `${IMAGE}:1.2.3-rc.1` }),
          equals(
            'output task-definition-arn = the service (moto)',
            r.outputs['task-definition-arn'],
            now.taskDefinitionArn
          ),
          equals(
            'output previous-task-definition-arn',
            r.outputs['previous-task-definition-arn'],
            w.ecs.taskDefinitionArn
          ),
          equals(
            'GitHub deployment of staging',
            deployment('staging', 'v1.2.3-rc.1')?.statuses.at(-1)?.state,
            'success'
          )
        ]
      },
      told: r =>
        `staging runs ${IMAGE}:1.2.3-rc.1 as ${revision(r.outputs['task-definition-arn'])} (was ${revision(w.ecs.taskDefinitionArn)}); environment=staging, rolled-back=false`
    },
    {
      id: '2-blue-green',
      title: 'Release v1.2.3 goes to production on a new AMI (asg-blue-green)',
      story:
        'The standby group gets a new launch template version, is checked through the synthetic target group (header rule), takes the traffic, and the old fleet waits in Standby through the validation window before it scales to zero.',
      trigger: release('v1.2.3'),
      inputs: {
        strategy: 'asg-blue-green',
        'blue-asg': w.asg.blue,
        'green-asg': w.asg.green,
        'target-group': w.asg.targetGroupArn,
        'synthetic-target-group': w.asg.syntheticTargetGroupArn,
        'listener-arn': w.asg.listenerArn,
        'ami-id': NEW_AMI,
        'validation-window': '3',
        url: app.url,
        ...common
      },
      expectedExit: 0,
      before() {
        appRequestsBefore = app.requests.length
      },
      async check(r) {
        const green = await groupSnapshot(c, w.asg.green)
        const blue = await groupSnapshot(c, w.asg.blue)
        const serving = green.instances.filter(i => i.lifecycle === 'InService').map(i => i.id)
        const synthetic = app.requests.slice(appRequestsBefore).filter(q => q.headers['synthetic'] === 'True')
        return [
          equals('output environment', r.outputs.environment, 'production'),
          equals('output active-asg', r.outputs['active-asg'], w.asg.green),
          equals('output previous-asg', r.outputs['previous-asg'], w.asg.blue),
          equals('output rolled-back', r.outputs['rolled-back'], 'false'),
          equals('AMI of the InService green instances (moto)', await instanceImages(c, serving), [
            NEW_AMI,
            NEW_AMI
          ]),
          equals(
            'targets of the main target group (moto)',
            Object.keys(await targetHealth(c, w.asg.targetGroupArn)).sort(),
            serving.sort()
          ),
          equals('instances left in blue (moto)', blue.instances.length, 0),
          equals('zdt:role of green (moto)', green.tags['zdt:role'], 'active'),
          equals(
            "the listener's header rule (moto), kept for the next deploy",
            (await listenerRules(c, w.asg.listenerArn)).map(headerRoute),
            [`Synthetic: True -> ${w.asg.syntheticTargetGroupArn}`]
          ),
          equals(
            'targets left in the synthetic target group (moto)',
            await targetHealth(c, w.asg.syntheticTargetGroupArn),
            {}
          ),
          holds(
            'synthetic checks sent "Synthetic: True" to the app',
            synthetic.length > 0,
            `${synthetic.length} request(s)`
          )
        ]
      },
      told: r =>
        `production is served by ${r.outputs['active-asg']} on ${NEW_AMI}; ${r.outputs['previous-asg']} scaled to zero; environment=production, rolled-back=false`
    },
    {
      id: '3a-pr-opened',
      title: `PR #${PR} opened: a preview environment (pr-preview)`,
      story: `A copy of the base service runs the PR's image behind a host rule pr-${PR}.${PREVIEW_DOMAIN} on the shared listener; its URL lands in one PR comment.`,
      trigger: pullRequest('opened'),
      inputs: { strategy: 'pr-preview', ...preview, image: `${IMAGE}:pr-${PR}`, ...common },
      expectedExit: 0,
      async check(r) {
        const live = await tagged(c, previewFixture, PR)
        const comments = prComments()
        const svc = live.services[0]
        firstPreview = svc && {
          service: svc.name,
          rule: live.rules[0]?.arn,
          taskDefinition: svc.taskDefinition,
          commentId: comments[0]?.id
        }
        return [
          equals('output environment', r.outputs.environment, `pr-${PR}`),
          equals('preview services tagged zdt:pr (moto)', live.services.length, 1),
          equals(
            'host rules of the preview (moto)',
            live.rules.map(x => x.host),
            [`pr-${PR}.${PREVIEW_DOMAIN}`]
          ),
          equals(
            'image of the preview (moto)',
            svc && (await imageOf(c, svc.taskDefinition)),
            `${IMAGE}:pr-${PR}`
          ),
          equals(
            'output task-definition-arn = the preview (moto)',
            r.outputs['task-definition-arn'],
            svc?.taskDefinition
          ),
          equals('comments on the PR (GitHub stand-in)', comments.length, 1),
          holds(
            'the comment gives the URL and the commit',
            !!comments[0]?.body.includes(r.outputs.url) && comments[0].body.includes(SHA),
            comments[0]?.body ?? 'no comment'
          )
        ]
      },
      told: () =>
        `preview ${firstPreview?.service} is up at pr-${PR}.${PREVIEW_DOMAIN}; comment #${firstPreview?.commentId} posted on PR #${PR}`,
      files: () => ({ [`pr-${PR}-comment.opened.md`]: commentFile() })
    },
    {
      id: '3b-pr-pushed',
      title: `PR #${PR} gets a new commit: the preview is updated in place`,
      story:
        'The same service and rule get the new image; the existing comment is edited, not a second one posted.',
      trigger: pullRequest('synchronize', PUSHED_SHA),
      inputs: { strategy: 'pr-preview', ...preview, image: `${IMAGE}:pr-${PR}-b`, ...common },
      expectedExit: 0,
      async check(r) {
        const live = await tagged(c, previewFixture, PR)
        const comments = prComments()
        const svc = live.services[0]
        return [
          equals('output environment', r.outputs.environment, `pr-${PR}`),
          equals(
            'preview service (moto)',
            live.services.map(x => x.name),
            [firstPreview?.service]
          ),
          equals(
            'host rule (moto)',
            live.rules.map(x => x.arn),
            [firstPreview?.rule]
          ),
          equals(
            'image of the preview (moto)',
            svc && (await imageOf(c, svc.taskDefinition)),
            `${IMAGE}:pr-${PR}-b`
          ),
          equals(
            'output previous-task-definition-arn',
            r.outputs['previous-task-definition-arn'],
            firstPreview?.taskDefinition
          ),
          equals(
            'comments on the PR (GitHub stand-in)',
            comments.map(x => x.id),
            [firstPreview?.commentId]
          ),
          matches('the comment names the new commit', comments[0]?.body, new RegExp(PUSHED_SHA))
        ]
      },
      told: () =>
        `preview ${firstPreview?.service} runs ${IMAGE}:pr-${PR}-b; comment #${firstPreview?.commentId} edited`,
      files: () => ({ [`pr-${PR}-comment.pushed.md`]: commentFile() })
    },
    {
      id: '3c-pr-closed',
      title: `PR #${PR} closed: the preview is torn down`,
      story:
        'Everything tagged with the PR (service, task definition, target group, rule) is found by its tags and deleted; the comment says so.',
      trigger: pullRequest('closed'),
      inputs: { strategy: 'pr-preview', ...preview, ...common },
      expectedExit: 0,
      async check() {
        const left = await tagged(c, previewFixture, PR)
        const comments = prComments()
        const statuses = deployment(`pr-${PR}`)?.statuses.map(s => s.state) ?? []
        return [
          equals(`resources tagged zdt:pr=${PR} left (moto)`, left, NOTHING),
          equals(
            'comments on the PR (GitHub stand-in)',
            comments.map(x => x.id),
            [firstPreview?.commentId]
          ),
          matches('the comment says the preview is gone', comments[0]?.body, /torn down/i),
          holds(
            `GitHub deployment pr-${PR} marked inactive`,
            statuses.includes('inactive'),
            statuses.join(', ') || 'none'
          )
        ]
      },
      told: () =>
        `nothing tagged zdt:pr=${PR} is left in moto; comment #${firstPreview?.commentId} says the preview is torn down`,
      files: () => ({ [`pr-${PR}-comment.closed.md`]: commentFile() })
    },
    {
      id: '4-failed-deploy',
      title: 'Release candidate v1.2.4-rc.1 fails its smoke test and is rolled back (ecs-rolling)',
      story:
        'The new build answers 500 on /healthz: the smoke test fails, the previous task definition goes back in service, the step fails with the cause and the fix. (probe: false here because the stand-in app cannot tell old tasks from new ones; the probe would report the 500s first.)',
      trigger: pushTag('v1.2.4-rc.1'),
      inputs: {
        strategy: 'ecs-rolling',
        cluster: w.ecs.cluster,
        service: w.ecs.service,
        image: `${IMAGE}:1.2.4-rc.1`,
        url: broken.url,
        probe: 'false',
        ...common,
        'health-timeout': '3'
      },
      expectedExit: 1,
      async check(r) {
        const now = await serviceRuns(c, w.ecs)
        return [
          equals('output rolled-back', r.outputs['rolled-back'], 'true'),
          equals('output environment', r.outputs.environment, 'staging'),
          equals(
            'task definition the service runs (moto): the previous one',
            now.taskDefinitionArn,
            stagingArn
          ),
          equals('image the service runs (moto)', now.images, { app: `${IMAGE}:1.2.3-rc.1` }),
          matches(
            'the error line names the cause',
            r.stdout,
            /::error::Smoke test failed: GET \S+\/healthz answered 500/
          ),
          matches('the error line says it rolled back', r.stdout, /::error::[^\n]*rolled back to/),
          matches('the job summary says so', r.summary, /failed, rolled back/),
          equals(
            'GitHub deployment of staging',
            deployment('staging', 'v1.2.4-rc.1')?.statuses.at(-1)?.state,
            'failure'
          )
        ]
      },
      told: () =>
        `the smoke test got 500, staging is back on ${revision(stagingArn)} (${IMAGE}:1.2.3-rc.1); rolled-back=true, exit code 1`
    }
  ]
}
