// The pr-preview strategy. Not implemented yet: fails with a clear message before any AWS call.
import type { DeployContext, StrategyResult } from '../../context.js'
import { DeployError } from '../../errors.js'
import type { PrPreviewSettings } from '../../inputs.js'

export async function prPreview(ctx: DeployContext<PrPreviewSettings>): Promise<StrategyResult> {
  throw new DeployError(
    `Strategy '${ctx.settings.strategy}' is not supported yet.`,
    'use a released version of zdt-deploy that supports it.'
  )
}
