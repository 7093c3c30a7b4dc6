import { describe, expect, it } from '@jest/globals'
import type { ContainerDefinition, TaskDefinition } from '@aws-sdk/client-ecs'
import { DeployError } from '../../src/errors.js'
import {
  READ_ONLY_FIELDS,
  checkLoadBalancerTargets,
  hasChanges,
  parseTaskDefinitionFile,
  prepareTaskDefinition,
  sourceFromCurrent
} from '../../src/strategies/ecs-rolling/task-definition.js'
import { pickContainer } from '../../src/aws/containers.js'

const described: TaskDefinition & Record<string, unknown> = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
  family: 'web',
  revision: 7,
  status: 'ACTIVE',
  compatibilities: ['EC2', 'FARGATE'],
  requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
  registeredAt: new Date('2026-01-01T00:00:00Z'),
  registeredBy: 'arn:aws:iam::123456789012:role/deployer',
  deregisteredAt: undefined,
  networkMode: 'awsvpc',
  cpu: '256',
  memory: '512',
  containerDefinitions: [
    { name: 'app', image: 'repo/web:1', essential: true },
    { name: 'sidecar', image: 'repo/envoy:1', essential: false }
  ]
}

const managedTags = [{ key: 'zdt:managed-by', value: 'zdt-deploy' }]

function thrown(fn: () => unknown): DeployError {
  try {
    fn()
  } catch (e) {
    if (e instanceof DeployError) return e
    throw e
  }
  throw new Error('expected a DeployError')
}

describe('parseTaskDefinitionFile', () => {
  it('accepts the bare RegisterTaskDefinition input', () => {
    const s = parseTaskDefinitionFile(
      JSON.stringify({
        family: 'web',
        containerDefinitions: [{ name: 'app', image: 'x' }],
        tags: [{ key: 'a', value: 'b' }]
      }),
      'td.json'
    )
    expect(s.definition.family).toBe('web')
    expect(s.tags).toEqual([{ key: 'a', value: 'b' }])
    expect(s.fromFile).toBe(true)
  })

  it('accepts the describe-task-definition output and takes its top-level tags', () => {
    const s = parseTaskDefinitionFile(
      JSON.stringify({ taskDefinition: described, tags: [{ key: 'team', value: 'shop' }] }),
      'td.json'
    )
    expect(s.definition.taskDefinitionArn).toBe(described.taskDefinitionArn)
    expect(s.tags).toEqual([{ key: 'team', value: 'shop' }])
  })

  it.each([
    ['{ not json', /is not valid JSON/],
    ['[1, 2]', /is not a JSON object/],
    ['{"containerDefinitions": [{"name": "a", "image": "b"}]}', /has no 'family'/],
    ['{"family": "web", "containerDefinitions": []}', /has no 'containerDefinitions'/],
    ['{"family": "web", "containerDefinitions": [{"image": "b"}]}', /a container definition has no 'name'/]
  ])('rejects %s with a message naming the file', (text, message) => {
    const e = thrown(() => parseTaskDefinitionFile(text, 'deploy/td.json'))
    expect(e.message).toMatch(message)
    expect(e.message).toContain('deploy/td.json')
    expect(e.hint).toBeTruthy()
  })
})

describe('prepareTaskDefinition', () => {
  it('strips every read-only field AWS returns and keeps the rest', () => {
    const { input } = prepareTaskDefinition(sourceFromCurrent(described, []), {
      containerName: undefined,
      image: undefined,
      managedTags
    })
    for (const field of READ_ONLY_FIELDS) expect(input).not.toHaveProperty(field)
    expect(input).toMatchObject({ family: 'web', networkMode: 'awsvpc', cpu: '256', memory: '512' })
    expect(input.containerDefinitions).toEqual(described.containerDefinitions)
  })

  it('replaces only the named container image, leaving the source untouched', () => {
    const source = sourceFromCurrent(described, [])
    const p = prepareTaskDefinition(source, { containerName: 'app', image: 'repo/web:2', managedTags })
    expect(p.input.containerDefinitions?.map(c => c.image)).toEqual(['repo/web:2', 'repo/envoy:1'])
    expect(p).toMatchObject({ container: 'app', previousImage: 'repo/web:1' })
    expect((source.definition.containerDefinitions as ContainerDefinition[])[0].image).toBe('repo/web:1')
  })

  it('merges the source tags with the managed ones (managed values win) and moves tags out of the body', () => {
    const source = parseTaskDefinitionFile(
      JSON.stringify({
        family: 'web',
        containerDefinitions: [{ name: 'app', image: 'x' }],
        tags: [
          { key: 'team', value: 'shop' },
          { key: 'zdt:managed-by', value: 'someone-else' }
        ]
      }),
      'td.json'
    )
    const { input } = prepareTaskDefinition(source, { containerName: undefined, image: 'y', managedTags })
    expect(input.tags).toEqual([
      { key: 'team', value: 'shop' },
      { key: 'zdt:managed-by', value: 'zdt-deploy' }
    ])
  })

  it('drops the AWS-reserved aws: tags the current revision carries (RegisterTaskDefinition refuses them)', () => {
    const source = sourceFromCurrent(described, [
      { key: 'aws:cloudformation:stack-name', value: 'shop' },
      { key: 'AWS:Owner', value: 'x' },
      { key: 'team', value: 'shop' }
    ])
    const { input } = prepareTaskDefinition(source, {
      containerName: undefined,
      image: undefined,
      managedTags
    })
    expect(input.tags).toEqual([
      { key: 'team', value: 'shop' },
      { key: 'zdt:managed-by', value: 'zdt-deploy' }
    ])
  })

  it('sends no tags field when there are none', () => {
    const source = parseTaskDefinitionFile(
      '{"family":"w","containerDefinitions":[{"name":"a","image":"b"}]}',
      'f'
    )
    const { input } = prepareTaskDefinition(source, {
      containerName: undefined,
      image: undefined,
      managedTags: []
    })
    expect(input).not.toHaveProperty('tags')
  })
})

describe('pickContainer', () => {
  const two: ContainerDefinition[] = [{ name: 'app' }, { name: 'sidecar' }]

  it('takes the only container when no name is given', () => {
    expect(pickContainer([{ name: 'web' }], undefined)).toBe('web')
  })

  it('takes the named container', () => {
    expect(pickContainer(two, 'sidecar')).toBe('sidecar')
  })

  it('fails with the list of names when several containers and no name', () => {
    const e = thrown(() => pickContainer(two, undefined))
    expect(e.message).toMatch(/has 2 containers \(app, sidecar\) and 'container-name' is not set/)
    expect(e.hint).toBe(`set 'container-name' to one of: app, sidecar.`)
  })

  it('fails with the list of names for an unknown name', () => {
    expect(thrown(() => pickContainer(two, 'web')).message).toMatch(
      /no container named 'web' \(containers: app, sidecar\)/
    )
  })
})

describe('hasChanges', () => {
  it.each([
    [{ fromFile: true, image: undefined, currentImage: 'a' }, true],
    [{ fromFile: false, image: 'b', currentImage: 'a' }, true],
    [{ fromFile: false, image: 'a', currentImage: 'a' }, false],
    [{ fromFile: false, image: undefined, currentImage: undefined }, false]
  ])('%j -> %s', (opts, expected) => {
    expect(hasChanges(opts)).toBe(expected)
  })
})

describe('checkLoadBalancerTargets', () => {
  const lb = [{ targetGroupArn: 'arn:tg', containerName: 'app', containerPort: 8080 }]
  const app: ContainerDefinition = { name: 'app', image: 'a', portMappings: [{ containerPort: 8080 }] }

  it('accepts a task definition with the container and port the load balancer targets', () => {
    expect(checkLoadBalancerTargets([app, { name: 'sidecar' }], lb, 'td.json')).toEqual([])
  })

  it('refuses one without that container, naming the containers it has', () => {
    expect(() => checkLoadBalancerTargets([{ name: 'web', image: 'a' }], lb, 'td.json')).toThrow(
      "The task definition from td.json has no container 'app' (containers: web), which the service's load balancer sends traffic to on port 8080. Refused before changing anything."
    )
  })

  it('warns about a container that no longer maps the port', () => {
    expect(
      checkLoadBalancerTargets([{ ...app, portMappings: [{ containerPort: 80 }] }], lb, 'td.json')
    ).toEqual([expect.stringMatching(/maps no containerPort 8080 in container 'app'/)])
  })
})
