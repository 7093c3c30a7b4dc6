// Strategy dispatch: the discriminated union of settings picks the implementation. Each strategy is
// loaded only when it runs (a chunk of dist/ of its own), with the AWS clients it names here.
import type { AwsService } from '../aws/clients.js'
import type { StrategyName } from '../constants.js'
import type { DeployContext, StrategyResult } from '../context.js'
import type { AsgBlueGreenSettings, EcsRollingSettings, PrPreviewSettings } from '../inputs.js'

export const STRATEGY_SERVICES: Record<StrategyName, readonly AwsService[]> = {
  'ecs-rolling': ['ecs', 'elbv2'],
  'asg-blue-green': ['autoscaling', 'elbv2', 'ec2'],
  'pr-preview': ['ecs', 'elbv2']
}

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
