import type { ActionContext, ItemResult, MutationOptions } from './actionTypes';
import { runMutation } from './mutationPipeline';
import { terminateStrategy } from './strategies/terminateRelationship';

/**
 * Terminates relationships (docs/api-notes.md §4.3) through the mutation pipeline. Results are in the
 * order of `ids`; one failing target never stops the others.
 */
export function terminateRelationships(ctx: ActionContext, ids: readonly string[], options: MutationOptions = {}): Promise<ItemResult[]> {
  return runMutation(ctx, terminateStrategy, ids, options);
}
