// A deploy cancelled in the simulation, on the virtual clock: SIGINT in the middle of asg-blue-green's
// validation window stops the run within the grace budget, says `cancelled` and what was left, and
// the lock does not outlive the run.
import { afterEach, describe, expect, it } from '@jest/globals'
import { CANCEL_BUDGET_MS } from '../../src/cancellation.js'
import { createSimulation, runActionInSim, type Simulation } from './index.js'

let sim: Simulation
afterEach(() => sim?.restore())

/** A fresh world (the same one for the same seed) and the deploy's inputs. */
function world() {
  sim?.restore()
  sim = createSimulation({ seed: 3 })
  const p = sim.addAsgPair({ activeCount: 2 })
  sim.addAmi('ami-0feedfacecafe0002')
  const inputs = {
    strategy: 'asg-blue-green',
    'blue-asg': p.blue.name,
    'green-asg': p.green.name,
    'target-group': p.targetGroupArn,
    'ami-id': 'ami-0feedfacecafe0002',
    environment: 'production',
    'validation-window': '600'
  }
  return { p, inputs }
}

describe('a cancelled asg-blue-green deploy', () => {
  it('SIGINT in the validation window: cancelled within the budget, the lock released on both groups', async () => {
    // Where the validation window starts, from the same deploy left to run.
    const first = world()
    const whole = await runActionInSim(sim, first.inputs)
    expect(whole.failedMessage).toBeUndefined()
    const window = whole.run.log.phases.find(ph => ph.name === 'Validation window')!
    const signalAfterMs = window.startMs - sim.clock.startMs + 60_000

    const { p, inputs } = world()
    const r = await runActionInSim(sim, inputs, { sigintAfterMs: signalAfterMs })
    expect(r.ok).toBe(false)
    expect(r.run.cancelled?.by).toBe('SIGINT')
    expect(r.durationMs - signalAfterMs).toBeLessThanOrEqual(CANCEL_BUDGET_MS)
    expect(r.summary).toContain('zdt-deploy asg-blue-green: cancelled')
    expect(r.failedMessage).toContain('Cancelled by SIGINT during Validation window.')
    expect(r.failedMessage).toContain(`Lock released on ${p.blue.name} and ${p.green.name}.`)
    for (const name of [p.blue.name, p.green.name])
      expect(sim.autoScalingGroup(name).Tags?.find(t => t.Key === 'zdt:lock')).toBeUndefined()
    // Nothing written after the signal but the lock's release.
    const after = sim.calls.all.filter(
      c => c.atMs >= sim.clock.startMs + signalAfterMs && !/^(Describe|List|Get)/.test(c.operation)
    )
    expect(after.map(c => c.operation)).toEqual(['DeleteTags', 'DeleteTags'])
  })
})
