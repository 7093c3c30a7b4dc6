// The demo's local app as a process of its own: serves / (with the version given as argument) and
// /healthz, prints `url=<its URL>` once it listens, and stops on SIGTERM/SIGINT or after 10 minutes
// (app-server.ts's guard). The self-test workflow runs it in the background as the action's `url`.
import { startAppServer } from '../../testkit/app-server.js'

const app = await startAppServer(process.argv[2] ?? 'self-test')
console.log(`url=${app.url}`)
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => void app.close().then(() => process.exit(0)))
