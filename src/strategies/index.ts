// Strategy dispatch: the discriminated union of settings picks the implementation.
import type { DeployContext, StrategyResult } from '../context.js'
import type { AsgBlueGreenSettings, EcsRollingSettings, PrPreviewSettings } from '../inputs.js'
import { asgBlueGreen } from './asg-blue-green/index.js'
import { ecsRolling } from './ecs-rolling/index.js'
import { prPreview } from './pr-preview/index.js'

export async function runStrategy(ctx: DeployContext): Promise<StrategyResult> {
  const { settings } = ctx
  switch (settings.strategy) {
    case 'ecs-rolling':
      return ecsRolling({ ...ctx, settings } as DeployContext<EcsRollingSettings>)
    case 'asg-blue-green':
      return asgBlueGreen({ ...ctx, settings } as DeployContext<AsgBlueGreenSettings>)
    case 'pr-preview':
      return prPreview({ ...ctx, settings } as DeployContext<PrPreviewSettings>)
  }
}
