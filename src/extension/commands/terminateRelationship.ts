import * as vscode from 'vscode';
import { terminateConfirmation } from '../../core/actions/confirmations';
import { terminateEligibility, terminateStrategy } from '../../core/actions/strategies/terminateRelationship';
import { RelationshipNode } from '../tree/relationshipNode';
import type { CommandDeps } from './commandDeps';
import { groupLabel, l10nTranslate, TERMINATE_PROGRESS } from './mutationProgress';
import { pickCustomer, pickRelationship, selectedOf } from './pickers';
import { runExtensionMutation } from './strategyRun';

const isRelationship = (n: unknown): n is RelationshipNode => n instanceof RelationshipNode;
const canTerminate = (status: string): boolean => terminateEligibility(status).kind === 'act';

/**
 * GDAP: Terminate Relationship… — resolve targets → plan from a fresh read (the same decision the run
 * takes) → confirm exactly the plan → progress → the strategy on the pipeline → wait for `terminated` →
 * refresh → report (docs/architecture.md §2.9, docs/pipeline.md).
 */
export async function terminateRelationshipCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Terminate Relationship');
  let targets = selectedOf(node, selection, isRelationship);
  if (targets.length === 0) {
    const customer = await pickCustomer(deps, title, (c) => c.customer.relationships.some((r) => canTerminate(r.status)));
    targets = [await pickRelationship(deps, title, customer, canTerminate)];
  }
  const byId = new Map(targets.map((t) => [t.relationship.id, t]));
  await runExtensionMutation(deps, {
    title,
    strategy: terminateStrategy,
    targets: [...byId.keys()],
    confirmation: (plan) => terminateConfirmation(plan, { translate: l10nTranslate, groupName: groupLabel(deps) }),
    logName: 'Terminate',
    words: TERMINATE_PROGRESS,
    name: (p, id) => p.name ?? byId.get(id)?.relationship.displayName ?? id,
    busy: { label: vscode.l10n.t('Terminating…'), nodeIds: (id) => [byId.get(id)?.id ?? ''] },
    afterRun: (results) => {
      const updates = [];
      for (const r of results) {
        const t = byId.get(r.id);
        if (t !== undefined && r.status) {
          const updated = { ...t.relationship, status: r.status };
          updates.push(updated);
          // The node object is the one VS Code (and the caller) holds: update it in place.
          t.relationship = updated;
        }
      }
      // One pass over the inventory and one cache write for the whole run.
      deps.tree.store.updateRelationships(updates);
      // Refresh the parents (customers): statuses and descriptions changed.
      for (const parent of new Set([...byId.values()].map((t) => t.parent))) {
        deps.tree.repaint(parent);
      }
      return Promise.resolve();
    },
  });
}
