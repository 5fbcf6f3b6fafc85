import * as vscode from 'vscode';
import type { ItemResult } from '../../core/actions/actionTypes';
import { removeAccessAssignments } from '../../core/actions/removeAccessAssignments';
import { AssignmentNode } from '../tree/assignmentNode';
import { withCancellableProgress } from '../ui/progress';
import { actionContext, type CommandDeps } from './commandDeps';
import { pickAssignment, pickCustomer, pickRelationship, selectedOf } from './pickers';
import { reportResults } from './report';

const isAssignment = (n: unknown): n is AssignmentNode => n instanceof AssignmentNode;
const MAX_STALE_RETRIES = 3;

/**
 * GDAP: Remove Access Assignment… — `DELETE` with `If-Match`, wait until gone. A stale ETag (412)
 * re-reads the assignment and asks again with what it now holds, rather than failing blindly.
 */
export async function removeAccessAssignmentCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Remove Access Assignment');
  let targets = selectedOf(node, selection, isAssignment).filter((n) => n.assignment.status === 'active');
  if (targets.length === 0) {
    if (node !== undefined) {
      await deps.prompts.current.notify('info', vscode.l10n.t('Only active access assignments can be removed.'));
      return;
    }
    const customer = await pickCustomer(deps, title, (c) => c.customer.relationships.some((r) => r.status === 'active'));
    const relationship = await pickRelationship(deps, title, customer, 'active');
    targets = [await pickAssignment(deps, title, relationship)];
  }

  for (let attempt = 0; attempt <= MAX_STALE_RETRIES && targets.length > 0; attempt++) {
    const stale = attempt > 0;
    const message =
      targets.length === 1
        ? vscode.l10n.t('Remove the access of {0} in {1}?', targets[0].groupLabel, targets[0].parent.customerName)
        : vscode.l10n.t('Remove {0} access assignments?', targets.length);
    const detail = [
      stale ? vscode.l10n.t('The assignment changed since it was read; this is what it holds now.') : '',
      vscode.l10n.t('Members of these security groups lose these roles in the customer tenant:'),
      ...targets.map(
        (t) => `• ${t.groupLabel} (${t.parent.customerName}, ${t.parent.relationship.displayName}): ${t.roleNames().join(', ')}`,
      ),
    ]
      .filter((l) => l !== '')
      .join('\n');
    const customers = [...new Set(targets.map((t) => t.parent.customerName))];
    const typeName =
      deps.settings().confirmation === 'typeName' ? (customers.length === 1 ? customers[0] : String(targets.length)) : undefined;
    const ok = await deps.prompts.current.confirm({ message, detail, confirmLabel: vscode.l10n.t('Remove'), typeToConfirm: typeName });
    if (!ok) {
      deps.log.info('Remove access assignment: cancelled at confirmation; nothing sent.');
      return;
    }
    const removing = vscode.l10n.t('Removing…');
    for (const t of targets) {
      deps.tree.store.setBusy(t.id, removing);
      deps.tree.repaint(t);
    }
    let results: ItemResult[];
    try {
      results = await withCancellableProgress(title, async (signal) => {
        const ctx = await actionContext(deps, signal);
        return removeAccessAssignments(
          ctx,
          targets.map((t) => ({
            relationshipId: t.relationshipId,
            assignmentId: t.assignment.id,
            name: t.groupLabel,
            customerTenantId: t.parent.relationship.customer.tenantId ?? undefined,
            customerName: t.parent.customerName,
            // The DELETE carries the ETag of what the user just confirmed: a change since then gets 412.
            ...(t.assignment.etag !== null ? { etag: t.assignment.etag } : {}),
          })),
        );
      });
    } finally {
      for (const t of targets) {
        deps.tree.store.setBusy(t.id, undefined);
      }
    }
    // Refresh the parents: the relationships' assignment lists changed.
    const parents = [...new Set(targets.map((t) => t.parent))];
    for (const p of parents) {
      deps.tree.store.invalidateAssignments(p.relationshipId);
    }
    // After the last attempt a stale item is reported like any other failure.
    const lastAttempt = attempt === MAX_STALE_RETRIES;
    const staleOnes = lastAttempt
      ? []
      : targets.filter((t) => results.find((r) => r.id === `${t.relationshipId}/${t.assignment.id}`)?.errorKind === 'preconditionFailed');
    const settled = lastAttempt ? results : results.filter((r) => r.errorKind !== 'preconditionFailed');
    if (settled.length > 0) {
      reportResults(deps, title, settled);
    }
    for (const p of parents) {
      await deps.tree.refresh(p);
    }
    if (staleOnes.length === 0) {
      return;
    }
    // Re-read and ask again with the current roles.
    const fresh: AssignmentNode[] = [];
    for (const t of staleOnes) {
      const children = await t.parent.getChildren();
      const again = children.find((c): c is AssignmentNode => c instanceof AssignmentNode && c.assignment.id === t.assignment.id);
      if (again !== undefined && again.assignment.status === 'active') {
        fresh.push(again);
      }
    }
    targets = fresh;
  }
}
