// Builds the demo world in the moto at ZDT_MOTO_ENDPOINT and prints its names and ARNs as `name=value`
// lines, ready to append to $GITHUB_OUTPUT (.github/workflows/self-test.yml does).
import { motoClients } from '../../testkit/moto.js'
import { buildWorld, worldOutputs } from './world.js'

const world = await buildWorld(motoClients())
for (const [name, value] of Object.entries(worldOutputs(world))) console.log(`${name}=${value}`)
