import * as vscode from 'vscode';
import type { ItemResult } from '../../core/actions/actionTypes';
import { removeAssignmentConfirmation } from '../../core/actions/confirmations';
import { planRemoveAssignments, type RemoveAssignmentPlanItem } from '../../core/actions/plans';
import { removeAccessAssignments } from '../../core/actions/removeAccessAssignments';
import { removeAccessAssignmentStrategy } from '../../core/actions/strategies/removeAccessAssignment';
import { terminateEligibility } from '../../core/actions/strategies/terminateRelationship';
import { AssignmentNode } from '../tree/assignmentNode';
import type { RelationshipNode } from '../tree/relationshipNode';
import { withCancellableProgress, withViewProgress } from '../ui/progress';
import { actionContext, type CommandDeps } from './commandDeps';
import { confirmPlan, l10nTranslate, progressReporter, REMOVE_ASSIGNMENT_PROGRESS } from './mutationProgress';
import { pickAssignment, pickCustomer, pickRelationship, selectedOf } from './pickers';
import { reportResults } from './report';

const isAssignment = (n: unknown): n is AssignmentNode => n instanceof AssignmentNode;
/** Assignments are listed under relationships that still grant access; removal applies to those. */
const hasRemovable = (status: string): boolean => terminateEligibility(status).kind === 'act';
const MAX_STALE_RETRIES = 3;

interface Target {
  readonly relationshipId: string;
  readonly assignmentId: string;
  readonly parent: RelationshipNode;
  /** The tree node's id (for its busy label). */
  readonly nodeId: string;
}

/**
 * GDAP: Remove Access Assignment… — plan from a fresh read → confirm exactly the plan → `DELETE` with the
 * confirmed ETag (`If-Match`) → wait until gone. A change made while the user confirmed (412) re-plans and
 * asks again with what the assignment now holds, rather than failing blindly or removing it unseen.
 */
// Long because: resolve, plan, confirm, the 412 re-ask loop and the report are one command flow.
export async function removeAccessAssignmentCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Remove Access Assignment');
  let nodes = selectedOf(node, selection, isAssignment);
  if (nodes.length === 0) {
    const customer = await pickCustomer(deps, title, (c) => c.customer.relationships.some((r) => hasRemovable(r.status)));
    const relationship = await pickRelationship(deps, title, customer, hasRemovable);
    nodes = [await pickAssignment(deps, title, relationship)];
  }
  let targets: Target[] = nodes.map((n) => ({
    relationshipId: n.relationshipId,
    assignmentId: n.assignment.id,
    parent: n.parent,
    nodeId: n.id,
  }));
  const groupName = (id: string): string | undefined => (deps.settings().resolveGroupNames ? deps.tree.store.groupName(id) : undefined);
  const label = (p: RemoveAssignmentPlanItem): string =>
    p.securityGroupId !== null ? (groupName(p.securityGroupId) ?? vscode.l10n.t('Security group {0}', p.securityGroupId)) : p.id;

  for (let attempt = 0; attempt <= MAX_STALE_RETRIES && targets.length > 0; attempt++) {
    const plan = await withViewProgress(() => planRemoveAssignments(deps.clients().graph, targets));
    const confirmation = removeAssignmentConfirmation(plan, { translate: l10nTranslate, groupName, changedSinceShown: attempt > 0 });
    if (!(await confirmPlan(deps, confirmation, 'Remove access assignment'))) {
      return;
    }
    const acting = plan.filter((p) => p.willAct);
    const busyIds = targets.filter((t) => acting.some((p) => p.id === `${t.relationshipId}/${t.assignmentId}`)).map((t) => t.nodeId);
    const removing = vscode.l10n.t('Removing…');
    for (const id of busyIds) {
      deps.tree.store.setBusy(id, removing);
      const n = deps.tree.findNode(id);
      if (n !== undefined) {
        deps.tree.repaint(n);
      }
    }
    let results: ItemResult[];
    try {
      results = await withCancellableProgress(title, async (signal, report) => {
        const progress = progressReporter(
          acting.map((p) => ({ id: p.id, name: label(p) })),
          REMOVE_ASSIGNMENT_PROGRESS,
          (status) => removeAccessAssignmentStrategy.isEndState(status),
          report,
        );
        const ctx = await actionContext(deps, signal, progress.onProgress, progress.onItem);
        return removeAccessAssignments(
          ctx,
          acting.map((p) => ({
            relationshipId: p.relationshipId,
            assignmentId: p.assignmentId,
            name: label(p),
            ...(p.customerTenantId !== null ? { customerTenantId: p.customerTenantId } : {}),
            ...(p.customerName !== null ? { customerName: p.customerName } : {}),
            // The DELETE carries the ETag of what the user just confirmed: a change since then gets 412.
            ...(p.etag !== null ? { etag: p.etag } : {}),
          })),
        );
      });
    } finally {
      for (const id of busyIds) {
        deps.tree.store.setBusy(id, undefined);
      }
    }
    // Refresh the parents: the relationships' assignment lists changed.
    const parents = [...new Set(targets.map((t) => t.parent))];
    for (const p of parents) {
      deps.tree.store.invalidateAssignments(p.relationshipId);
    }
    // After the last attempt a stale item is reported like any other failure.
    const lastAttempt = attempt === MAX_STALE_RETRIES;
    const stale = lastAttempt ? [] : results.filter((r) => r.errorKind === 'preconditionFailed').map((r) => r.id);
    const settled = lastAttempt ? results : results.filter((r) => r.errorKind !== 'preconditionFailed');
    if (settled.length > 0) {
      reportResults(deps, title, settled);
    }
    for (const p of parents) {
      await deps.tree.refresh(p);
    }
    // Ask again about the changed ones, from a fresh plan.
    targets = targets.filter((t) => stale.includes(`${t.relationshipId}/${t.assignmentId}`));
  }
}
