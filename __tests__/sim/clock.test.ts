// The virtual clock: sleepers interleave in time order, the world catches up before they wake, and a
// run that cannot finish fails with a clear error instead of hanging.
import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { SimClockError, VirtualClock } from './clock.js'

describe('VirtualClock', () => {
  it('interleaves two sleepers by virtual time, ties in registration order', async () => {
    const clock = new VirtualClock(0)
    const events: string[] = []
    const sleeper = async (name: string, every: number, times: number) => {
      for (let i = 1; i <= times; i++) {
        await clock.sleep(every)
        events.push(`${clock.now()} ${name}${i}`)
      }
    }
    await clock.run(async () => {
      await Promise.all([sleeper('a', 300, 3), sleeper('b', 450, 2)])
    })
    // At 900 both are due: b's timer was registered at 450, a's at 600, so b wakes first.
    expect(events).toEqual(['300 a1', '450 b1', '600 a2', '900 b2', '900 a3'])
    expect(clock.now()).toBe(900)
  })

  it("ends a sleep with the signal's reason the instant it aborts, and refuses one already aborted", async () => {
    const clock = new VirtualClock(0)
    const controller = new AbortController()
    const events: string[] = []
    await clock.run(async () => {
      const long = clock.sleep(60_000, controller.signal).then(
        () => events.push('woke'),
        (e: Error) => events.push(`${clock.now()} ${e.message}`)
      )
      await clock.sleep(250)
      controller.abort(new Error('cancelled'))
      await long
      await clock
        .sleep(100, controller.signal)
        .catch((e: Error) => events.push(`${clock.now()} again ${e.message}`))
    })
    expect(events).toEqual(['250 cancelled', '250 again cancelled'])
  })

  it('lets the world reach an instant before the sleepers due then wake', async () => {
    const clock = new VirtualClock(1000)
    const seen: string[] = []
    let worldAt = 1000
    clock.onAdvance(to => {
      worldAt = to
      seen.push(`world ${to}`)
    })
    await clock.run(async () => {
      await clock.sleep(50)
      seen.push(`woke ${clock.now()} world ${worldAt}`)
    })
    expect(seen).toEqual(['world 1050', 'woke 1050 world 1050'])
  })

  it('returns the value of the function and rethrows its error', async () => {
    const clock = new VirtualClock(0)
    await expect(clock.run(async () => (await clock.sleep(10), 42))).resolves.toBe(42)
    await expect(
      clock.run(async () => {
        await clock.sleep(10)
        throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(clock.now()).toBe(20)
  })

  it('runs a 20-minute polling loop in a few milliseconds of real time', async () => {
    const clock = new VirtualClock(0)
    const realStart = Date.now()
    let polls = 0
    await clock.run(async () => {
      while (clock.now() < 20 * 60_000) {
        polls++
        await clock.sleep(3000)
      }
    })
    expect(polls).toBe(400)
    expect(Date.now() - realStart).toBeLessThan(2000)
  })

  it('fails cleanly at its virtual time limit', async () => {
    const clock = new VirtualClock(0)
    const forever = async () => {
      for (;;) await clock.sleep(60_000)
    }
    await expect(clock.run(forever, { limitMs: 3_600_000 })).rejects.toThrow(SimClockError)
    await expect(clock.run(forever, { limitMs: 3_600_000 })).rejects.toThrow(
      /virtual time limit of 1h reached/
    )
  })

  it('fails cleanly at its step limit and on a sleep(0) loop', async () => {
    const clock = new VirtualClock(0)
    const ticking = async () => {
      for (;;) await clock.sleep(1)
    }
    await expect(clock.run(ticking, { maxSteps: 100 })).rejects.toThrow(/step limit of 100/)
    const spinning = async () => {
      for (;;) await clock.sleep(0)
    }
    await expect(clock.run(spinning)).rejects.toThrow(/without time moving/)
  })

  it('fails when the run waits on something no timer resolves', async () => {
    const clock = new VirtualClock(0)
    await expect(clock.run(() => new Promise<void>(() => undefined))).rejects.toThrow(/stuck at/)
  })

  it('waits for real file I/O instead of skipping ahead in virtual time', async () => {
    const clock = new VirtualClock(0)
    let ticks = 0
    const background = async () => {
      for (let i = 0; i < 1000; i++) {
        ticks++
        await clock.sleep(1000)
      }
    }
    void clock.sleep(0).then(background)
    const text = await clock.run(async () => readFile('package.json', 'utf8'))
    expect(JSON.parse(text).name).toBe('zdt-deploy')
    // The file read took no virtual time: the background loop did not get to run ahead.
    expect(clock.now()).toBe(0)
    expect(ticks).toBeLessThanOrEqual(1)
  })

  it('rejects a sleep of NaN, which would otherwise wake at a random point', async () => {
    const clock = new VirtualClock(0)
    await expect(clock.run(() => clock.sleep(Number.NaN))).rejects.toThrow(/sleep\(NaN\)/)
  })
})
