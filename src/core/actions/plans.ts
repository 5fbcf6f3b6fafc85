import type { CallOptions, GdapApi } from '../graph/gdapApi';
import type { PartnerCenterApi } from '../partnerCenter/partnerCenterApi';
import { planMutation } from './mutationPipeline';
import { removeAccessAssignmentStrategy, type RemoveAssignmentPlanItem } from './strategies/removeAccessAssignment';
import { removeDapStrategy, type RemoveDapPlanItem } from './strategies/removeDap';
import { terminateStrategy, type TerminatePlanItem } from './strategies/terminateRelationship';

/*
 * What a confirmation dialog or `--dry-run` shows, computed by reading only, through the same strategy
 * `decide` the run takes (docs/pipeline.md).
 */

export type { PlanError } from './mutationStrategy';
export type { DomainRole as PlanRole } from '../domain/roles';
export type { RemoveAssignmentPlanItem, RemoveDapPlanItem, TerminatePlanItem };

export interface AssignmentPlanTarget {
  readonly relationshipId: string;
  readonly assignmentId: string;
}

function unused(): Promise<never> {
  return Promise.reject(new Error('Partner Center is not read by this plan.'));
}

/** Plans that read only Graph run without Partner Center. */
const noPartnerCenter: PartnerCenterApi = { listCustomers: unused, getCustomer: unused, removeDap: unused };

function call(signal: AbortSignal | undefined): CallOptions {
  return signal !== undefined ? { signal } : {};
}

/** The terminate plan for `ids` (batched reads), in the order given. */
export function planTerminate(graph: GdapApi, ids: readonly string[], options: CallOptions = {}): Promise<TerminatePlanItem[]> {
  return planMutation({ graph, partnerCenter: noPartnerCenter }, terminateStrategy, ids, call(options.signal));
}

/** The remove-assignment plan (batched reads of the assignments and of their relationships). */
export function planRemoveAssignments(
  graph: GdapApi,
  targets: readonly AssignmentPlanTarget[],
  options: CallOptions = {},
): Promise<RemoveAssignmentPlanItem[]> {
  return planMutation({ graph, partnerCenter: noPartnerCenter }, removeAccessAssignmentStrategy, targets, call(options.signal));
}

/**
 * The remove-DAP plan: each customer's DAP state (Partner Center GET by id, the only place it is known,
 * docs/api-notes.md §8.3) and whether an active GDAP relationship remains to keep admin access.
 */
export function planRemoveDap(
  graph: GdapApi,
  partnerCenter: PartnerCenterApi,
  tenantIds: readonly string[],
  options: CallOptions = {},
): Promise<RemoveDapPlanItem[]> {
  return planMutation({ graph, partnerCenter }, removeDapStrategy, tenantIds, call(options.signal));
}
