// Strategy dispatch: the discriminated union of settings picks the implementation.
import type { DeployContext, StrategyResult } from '../context.js'
import { DeployError } from '../errors.js'

export async function runStrategy(ctx: DeployContext): Promise<StrategyResult> {
  const { settings } = ctx
  switch (settings.strategy) {
    case 'ecs-rolling':
    case 'asg-blue-green':
    case 'pr-preview':
      throw new DeployError(
        `Strategy '${settings.strategy}' is not supported yet.`,
        `use a released version of zdt-deploy that supports it.`
      )
  }
}
