import type { ActionContext, ItemResult, MutationOptions } from './actionTypes';
import { runMutation } from './mutationPipeline';
import { removeDapStrategy } from './strategies/removeDap';

/**
 * Removes legacy DAP for customers (docs/api-notes.md §8.6) through the mutation pipeline. Results are in
 * the order of `tenantIds`, status `dapOff`/`dapOn`.
 */
export function removeDap(ctx: ActionContext, tenantIds: readonly string[], options: MutationOptions = {}): Promise<ItemResult[]> {
  return runMutation(ctx, removeDapStrategy, tenantIds, options);
}
