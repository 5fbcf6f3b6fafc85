import type { ActionContext, ItemResult, MutationOptions } from './actionTypes';
import { runMutation } from './mutationPipeline';
import { removeAccessAssignmentStrategy, type AssignmentTarget } from './strategies/removeAccessAssignment';

export { assignmentKey, type AssignmentTarget } from './strategies/removeAccessAssignment';

/**
 * Removes access assignments (docs/api-notes.md §3.13) through the mutation pipeline. Results are in the
 * order of `targets`, ids `<relationshipId>/<assignmentId>`.
 */
export function removeAccessAssignments(
  ctx: ActionContext,
  targets: readonly AssignmentTarget[],
  options: MutationOptions = {},
): Promise<ItemResult[]> {
  return runMutation(ctx, removeAccessAssignmentStrategy, targets, options);
}
