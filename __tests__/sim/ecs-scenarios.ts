// What the ecs-rolling scenario suites share: the new image, a quick target group, and the run of the
// action against one service with the inputs a release job gives.
import type { ActionInputs, RunInSimOptions, SimRunResult, Simulation } from './index.js'
import { runActionInSim } from './index.js'

export const V2 = 'registry.example.com/web:v2'

// A quick target group so rollouts take a minute or two of virtual time, not ten.
export const QUICK = {
  healthCheck: { intervalSeconds: 10, healthyThreshold: 3 },
  deregistrationDelaySeconds: 30
}

/** The inputs of a release job: ecs-rolling of `web` to production with the new image. */
export function releaseInputs(web: { clusterName: string; serviceName: string }): ActionInputs {
  return {
    strategy: 'ecs-rolling',
    cluster: web.clusterName,
    service: web.serviceName,
    image: V2,
    environment: 'production'
  }
}

/** The release job's run against `web`; `inputs` add to or override its inputs. */
export function deployService(
  sim: Simulation,
  web: { clusterName: string; serviceName: string },
  inputs: ActionInputs = {},
  opts: RunInSimOptions = {}
): Promise<SimRunResult> {
  return runActionInSim(sim, { ...releaseInputs(web), ...inputs }, opts)
}
