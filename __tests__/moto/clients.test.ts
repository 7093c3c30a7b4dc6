// The clients the action makes honour AWS_ENDPOINT_URL, which is how every moto test reaches moto.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { CreateClusterCommand, ListClustersCommand } from '@aws-sdk/client-ecs'
import { createAwsClients } from '../../src/aws/clients.js'
import { motoAwsEnv, uniqueName } from '../../testkit/moto.js'

describe('createAwsClients against moto', () => {
  const saved = { ...process.env }
  beforeAll(() => {
    Object.assign(process.env, motoAwsEnv())
  })
  afterAll(() => {
    for (const k of Object.keys(motoAwsEnv())) delete process.env[k]
    Object.assign(process.env, saved)
  })

  it('reaches the emulator through AWS_ENDPOINT_URL', async () => {
    const clients = await createAwsClients('us-east-1', ['ecs'])
    const name = uniqueName('clients')
    await clients.ecs.send(new CreateClusterCommand({ clusterName: name }))
    const { clusterArns } = await clients.ecs.send(new ListClustersCommand({}))
    expect(clusterArns?.some(a => a.endsWith(`/${name}`))).toBe(true)
  })

  it('loads only the clients asked for, and names a reach for any other as a bug', async () => {
    const clients = await createAwsClients('us-east-1', ['ecs'])
    expect(() => clients.ec2).toThrow('Bug: the ec2 client was not loaded for this strategy')
  })
})
