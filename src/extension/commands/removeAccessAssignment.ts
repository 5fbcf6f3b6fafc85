import * as vscode from 'vscode';
import { removeAssignmentConfirmation } from '../../core/actions/confirmations';
import type { RemoveAssignmentPlanItem } from '../../core/actions/plans';
import { removeAccessAssignmentStrategy, type AssignmentTarget } from '../../core/actions/strategies/removeAccessAssignment';
import { terminateEligibility } from '../../core/actions/strategies/terminateRelationship';
import { AssignmentNode } from '../tree/assignmentNode';
import type { CommandDeps } from './commandDeps';
import { l10nTranslate, REMOVE_ASSIGNMENT_PROGRESS } from './mutationProgress';
import { pickAssignment, pickCustomer, pickRelationship, selectedOf } from './pickers';
import { runExtensionMutation } from './strategyRun';

const isAssignment = (n: unknown): n is AssignmentNode => n instanceof AssignmentNode;
/** Assignments are listed under relationships that still grant access; removal applies to those. */
const hasRemovable = (status: string): boolean => terminateEligibility(status).kind === 'act';

/**
 * GDAP: Remove Access Assignment… — plan from a fresh read → confirm exactly the plan → `DELETE` with the
 * confirmed ETag (`If-Match`) → wait until gone. A change made while the user confirmed (412) re-plans and
 * asks again with what the assignment now holds, rather than failing blindly or removing it unseen.
 */
export async function removeAccessAssignmentCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Remove Access Assignment');
  let nodes = selectedOf(node, selection, isAssignment);
  if (nodes.length === 0) {
    const customer = await pickCustomer(deps, title, (c) => c.customer.relationships.some((r) => hasRemovable(r.status)));
    const relationship = await pickRelationship(deps, title, customer, hasRemovable);
    nodes = [await pickAssignment(deps, title, relationship)];
  }
  const nodeIds = new Map(nodes.map((n) => [`${n.relationshipId}/${n.assignment.id}`, n.id]));
  const parents = new Map(nodes.map((n) => [n.relationshipId, n.parent]));
  const groupName = (id: string): string | undefined => (deps.settings().resolveGroupNames ? deps.tree.store.groupName(id) : undefined);
  const label = (p: RemoveAssignmentPlanItem): string =>
    p.securityGroupId !== null ? (groupName(p.securityGroupId) ?? vscode.l10n.t('Security group {0}', p.securityGroupId)) : p.id;
  await runExtensionMutation(deps, {
    title,
    strategy: removeAccessAssignmentStrategy,
    targets: nodes.map((n): AssignmentTarget => ({ relationshipId: n.relationshipId, assignmentId: n.assignment.id })),
    confirmation: (plan, changedSinceShown) =>
      removeAssignmentConfirmation(plan, { translate: l10nTranslate, groupName, changedSinceShown }),
    logName: 'Remove access assignment',
    words: REMOVE_ASSIGNMENT_PROGRESS,
    name: (p) => label(p),
    busy: { label: vscode.l10n.t('Removing…'), nodeIds: (t) => [nodeIds.get(`${t.relationshipId}/${t.assignmentId}`) ?? ''] },
    // The DELETE carries the ETag of what the user just confirmed: a change since then gets 412.
    bind: (t, p) => ({
      ...t,
      name: label(p),
      ...(p.customerTenantId !== null ? { customerTenantId: p.customerTenantId } : {}),
      ...(p.customerName !== null ? { customerName: p.customerName } : {}),
      ...(p.etag !== null ? { etag: p.etag } : {}),
    }),
    afterRun: async () => {
      // The relationships' assignment lists changed.
      for (const [relationshipId, parent] of parents) {
        deps.tree.store.invalidateAssignments(relationshipId);
        await deps.tree.refresh(parent);
      }
    },
  });
}
