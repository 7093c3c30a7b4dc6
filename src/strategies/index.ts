// Strategy dispatch: the discriminated union of settings picks the implementation. Each strategy is
// loaded only when it runs (a chunk of dist/ of its own), with the AWS clients STRATEGY_CLIENTS
// (src/aws/clients.ts) names for it.
import type { DeployContext, StrategyResult } from '../context.js'
import type { AsgBlueGreenSettings, EcsRollingSettings, PrPreviewSettings } from '../inputs.js'

export async function runStrategy(ctx: DeployContext): Promise<StrategyResult> {
  const { settings } = ctx
  switch (settings.strategy) {
    case 'ecs-rolling': {
      const { ecsRolling } = await import('./ecs-rolling/index.js')
      return ecsRolling({ ...ctx, settings } as DeployContext<EcsRollingSettings>)
    }
    case 'asg-blue-green': {
      const { asgBlueGreen } = await import('./asg-blue-green/index.js')
      return asgBlueGreen({ ...ctx, settings } as DeployContext<AsgBlueGreenSettings>)
    }
    case 'pr-preview': {
      const { prPreview } = await import('./pr-preview/index.js')
      return prPreview({ ...ctx, settings } as DeployContext<PrPreviewSettings>)
    }
  }
}
