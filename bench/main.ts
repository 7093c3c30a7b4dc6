// `npm run bench`: what zdt-deploy costs and how fast it reacts, each figure beside its reference.
// A benchmark, not a test: nothing here passes or fails. `--peer <dir>` names the official
// action's dist/ to run side by side; `--dist <dir>` a bundle other than ./dist; `--runs <n>` the
// alternating runs of each bundle, `--samples <n>` the phase offsets per detection event;
// `--only <overhead|detection|reads|cost|speed>` prints one section.
import path from 'node:path'
import { startMoto } from '../testkit/moto-server.js'
import { detection } from './detection.js'
import { overhead, readRates } from './overhead.js'
import { peerCost } from './peer.js'
import { simSpeed } from './sim-speed.js'
import { argument } from './table.js'

const dist = path.resolve(argument('dist') ?? 'dist')
const peer = argument('peer')
const runs = Number(argument('runs') ?? 9)
const samples = Number(argument('samples') ?? 200)
const only = argument('only')
const wanted = (key: string) => only === undefined || only === key

async function cost(): Promise<string> {
  if (!peer)
    return 'Skipped: no `--peer <dir of the official action dist/index.js>` given (e.g. `npm run bench -- --peer ../shared/peers/amazon-ecs-deploy-task-definition-v2.6.3/dist`).'
  const moto = await startMoto({ logFile: path.resolve('.tools/bench-moto.log'), lifetimeSeconds: 1800 })
  process.env.ZDT_MOTO_ENDPOINT = moto.endpoint
  try {
    return await peerCost(dist, path.resolve(peer), runs)
  } finally {
    await moto.stop()
  }
}

function section(title: string, body: string): void {
  console.log(`\n## ${title}\n\n${body}`)
}

if (wanted('overhead')) section("Overhead against AWS's own critical path", await overhead())
if (wanted('detection')) section('Detection delay', await detection(samples))
if (wanted('reads')) section('AWS reads per minute while waiting', await readRates())
if (wanted('cost')) section('Cost beside the official action', await cost())
if (wanted('speed')) section('Simulation speed', await simSpeed())
