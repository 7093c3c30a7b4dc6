// CreateLaunchTemplateVersion's answer: EC2 creates the version even with parameters it finds not
// valid and says so only in `Warning`; those warnings reach the caller.
import { describe, expect, it } from '@jest/globals'
import { AwsApi } from '../../src/aws/api.js'
import type { AwsClients } from '../../src/aws/clients.js'
import { createLaunchTemplateVersion } from '../../src/aws/ec2.js'
import type { Clock } from '../../src/clock.js'
import { Reporter } from '../../src/report.js'
import { MemorySink } from '../../testkit/memory-sink.js'

function apiAnswering(answer: unknown) {
  const clock: Clock = { now: () => 0, sleep: async () => {} }
  const sent: unknown[] = []
  const ec2 = {
    send: async (command: { input: unknown }) => {
      sent.push(command.input)
      return answer
    }
  }
  const aws = new AwsApi({ ec2 } as unknown as AwsClients, {
    clock,
    log: new Reporter(new MemorySink(), clock),
    dryRun: false
  })
  return { aws, sent }
}

describe('createLaunchTemplateVersion', () => {
  it('returns the new version and no warnings for a clean answer, copying only the image', async () => {
    const { aws, sent } = apiAnswering({ LaunchTemplateVersion: { VersionNumber: 8 } })
    const r = await createLaunchTemplateVersion(aws, 'lt-1', '7', 'ami-2', 'deploy')
    expect(r).toEqual({ version: 8, warnings: [] })
    expect(sent[0]).toMatchObject({
      LaunchTemplateId: 'lt-1',
      SourceVersion: '7',
      LaunchTemplateData: { ImageId: 'ami-2' }
    })
  })

  it("returns EC2's validation warnings with the version", async () => {
    const { aws } = apiAnswering({
      LaunchTemplateVersion: { VersionNumber: 9 },
      Warning: { Errors: [{ Code: 'InvalidAMIID.NotFound', Message: "The image id 'ami-2' does not exist" }] }
    })
    const r = await createLaunchTemplateVersion(aws, 'lt-1', '7', 'ami-2', 'deploy')
    expect(r).toEqual({
      version: 9,
      warnings: ["InvalidAMIID.NotFound: The image id 'ami-2' does not exist"]
    })
  })
})
