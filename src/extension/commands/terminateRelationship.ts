import * as vscode from 'vscode';
import { terminateRelationships } from '../../core/actions/terminateRelationships';
import { RelationshipNode } from '../tree/relationshipNode';
import { isCancellation } from '../ui/errorFunnel';
import { withCancellableProgress } from '../ui/progress';
import { actionContext, type CommandDeps } from './commandDeps';
import { pickCustomer, pickRelationship, selectedOf } from './pickers';
import { reportResults } from './report';

const isRelationship = (n: unknown): n is RelationshipNode => n instanceof RelationshipNode;

/**
 * GDAP: Terminate Relationship… — resolve targets → confirm → progress → core action → wait for
 * `terminated` → refresh → report (docs/architecture.md §2.9).
 */
export async function terminateRelationshipCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Terminate Relationship');
  let targets = selectedOf(node, selection, isRelationship).filter((n) => n.relationship.status === 'active');
  if (targets.length === 0) {
    if (node !== undefined) {
      await deps.prompts.current.notify('info', vscode.l10n.t('Only active relationships can be terminated.'));
      return;
    }
    const customer = await pickCustomer(deps, title, (c) => c.customer.relationships.some((r) => r.status === 'active'));
    targets = [await pickRelationship(deps, title, customer, 'active')];
  }

  const customers = [...new Set(targets.map((t) => t.customerName))];
  const message =
    targets.length === 1
      ? vscode.l10n.t('Terminate the GDAP relationship "{0}" with {1}?', targets[0].relationship.displayName, targets[0].customerName)
      : vscode.l10n.t('Terminate {0} GDAP relationships ({1})?', targets.length, customers.join(', '));
  const roleLines = targets.map(
    (t) => `• ${t.relationship.displayName} (${t.customerName}): ${t.relationship.roles.map((r) => r.name).join(', ')}`,
  );
  const detail = [
    vscode.l10n.t(
      "All access these relationships grant ends: every role below and every access assignment under them. This cannot be undone; a new relationship needs the customer's approval.",
    ),
    '',
    ...roleLines,
  ].join('\n');
  const typeName =
    deps.settings().confirmation === 'typeName' ? (customers.length === 1 ? customers[0] : String(targets.length)) : undefined;
  const ok = await deps.prompts.current.confirm({ message, detail, confirmLabel: vscode.l10n.t('Terminate'), typeToConfirm: typeName });
  if (!ok) {
    deps.log.info('Terminate: cancelled at confirmation; nothing sent.');
    return;
  }

  const terminating = vscode.l10n.t('Terminating…');
  for (const t of targets) {
    deps.tree.store.setBusy(t.id, terminating);
    deps.tree.repaint(t);
  }
  try {
    const results = await withCancellableProgress(title, async (signal, report) => {
      const ctx = await actionContext(deps, signal, (id, status) => report(`${id}: ${status}`));
      return terminateRelationships(
        ctx,
        targets.map((t) => t.relationship.id),
      );
    });
    for (const t of targets) {
      const r = results.find((x) => x.id === t.relationship.id);
      if (r?.status) {
        const updated = { ...t.relationship, status: r.status };
        deps.tree.store.updateRelationship(updated);
        // The node object is the one VS Code (and the caller) holds: update it in place.
        t.relationship = updated;
      }
    }
    reportResults(
      deps,
      title,
      results.map((r) => ({ ...r, name: r.name ?? targets.find((t) => t.relationship.id === r.id)?.relationship.displayName })),
    );
  } catch (e) {
    if (!isCancellation(e)) {
      throw e;
    }
  } finally {
    for (const t of targets) {
      deps.tree.store.setBusy(t.id, undefined);
    }
    // Refresh the parents (customers): statuses and descriptions changed.
    for (const parent of new Set(targets.map((t) => t.parent))) {
      deps.tree.repaint(parent);
    }
  }
}
