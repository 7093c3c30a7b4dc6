// Entry point of the bundled action (dist/index.js).
import { run } from './main.js'

const result = await run()
// A cancelled run has reached its safe state: exit now (core.setFailed set the code), without
// waiting for the calls and timers the stopped deploy left pending.
if (result.cancelled) process.exit()
