import type { JournalAction } from '../actionTypes';
import type { MutationStrategy, PlanItemBase } from '../mutationStrategy';
import { MemoryPlannedAssignmentStore } from '../plannedAssignments';
import { autoExtendStrategy } from './autoExtend';
import { makeRenewableStrategy } from './makeRenewable';
import { removeAccessAssignmentStrategy } from './removeAccessAssignment';
import { removeGlobalAdministratorStrategy } from './removeGlobalAdministrator';
import { renewStrategy } from './renewRelationship';
import { createAccessAssignmentStrategy } from './createAccessAssignment';
import { createRelationshipStrategy } from './createRelationship';
import { deleteDraftStrategy } from './deleteDraft';
import { lockForApprovalStrategy } from './lockForApproval';
import { setAssignmentRolesStrategy } from './setAssignmentRoles';
import { removeDapStrategy } from './removeDap';
import { terminateStrategy } from './terminateRelationship';

/** A strategy with its types erased, for code that handles every mutation alike (journal reconciliation). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous registry; each entry is fully typed where it is defined.
export type AnyMutationStrategy = MutationStrategy<any, any, PlanItemBase, any>;

/** Every mutation by its journal word. A new mutation adds its word to JOURNAL_ACTIONS and its strategy here. */
export const MUTATION_STRATEGIES: Readonly<Record<JournalAction, AnyMutationStrategy>> = {
  terminateRelationship: terminateStrategy,
  removeAccessAssignment: removeAccessAssignmentStrategy,
  removeDap: removeDapStrategy,
  autoExtendOn: autoExtendStrategy(true),
  autoExtendOff: autoExtendStrategy(false),
  removeGlobalAdministrator: removeGlobalAdministratorStrategy,
  makeRenewable: makeRenewableStrategy,
  // Reconciliation only reads: the store is never written through this entry.
  renewRelationship: renewStrategy({ store: new MemoryPlannedAssignmentStore() }),
  createRelationship: createRelationshipStrategy(),
  lockForApproval: lockForApprovalStrategy,
  deleteRelationship: deleteDraftStrategy,
  createAccessAssignment: createAccessAssignmentStrategy(),
  setAccessAssignmentRoles: setAssignmentRolesStrategy,
};

/** The strategy of a journal word; undefined for a word this build does not know (a newer version wrote it). */
export function strategyFor(action: string): AnyMutationStrategy | undefined {
  return Object.prototype.hasOwnProperty.call(MUTATION_STRATEGIES, action) ? MUTATION_STRATEGIES[action as JournalAction] : undefined;
}
