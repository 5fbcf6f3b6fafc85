import * as vscode from 'vscode';
import { terminateConfirmation } from '../../core/actions/confirmations';
import { planTerminate } from '../../core/actions/plans';
import { terminateEligibility, terminateStrategy } from '../../core/actions/strategies/terminateRelationship';
import { terminateRelationships } from '../../core/actions/terminateRelationships';
import { RelationshipNode } from '../tree/relationshipNode';
import { isCancellation } from '../ui/errorFunnel';
import { withCancellableProgress, withViewProgress } from '../ui/progress';
import { actionContext, type CommandDeps } from './commandDeps';
import { confirmPlan, l10nTranslate, progressReporter, TERMINATE_PROGRESS } from './mutationProgress';
import { pickCustomer, pickRelationship, selectedOf } from './pickers';
import { reportResults } from './report';

const isRelationship = (n: unknown): n is RelationshipNode => n instanceof RelationshipNode;
const canTerminate = (status: string): boolean => terminateEligibility(status).kind === 'act';

/**
 * GDAP: Terminate Relationship… — resolve targets → plan from a fresh read (the same decision the run
 * takes) → confirm exactly the plan → progress → core action → wait for `terminated` → refresh → report
 * (docs/architecture.md §2.9, docs/pipeline.md).
 */
export async function terminateRelationshipCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Terminate Relationship');
  let targets = selectedOf(node, selection, isRelationship);
  if (targets.length === 0) {
    const customer = await pickCustomer(deps, title, (c) => c.customer.relationships.some((r) => canTerminate(r.status)));
    targets = [await pickRelationship(deps, title, customer, canTerminate)];
  }

  const plan = await withViewProgress(() =>
    planTerminate(
      deps.clients().graph,
      targets.map((t) => t.relationship.id),
    ),
  );
  const confirmation = terminateConfirmation(plan, { translate: l10nTranslate });
  if (!(await confirmPlan(deps, confirmation, 'Terminate'))) {
    return;
  }

  const acting = plan.filter((p) => p.willAct);
  const actingNodes = targets.filter((t) => acting.some((p) => p.id === t.relationship.id));
  const terminating = vscode.l10n.t('Terminating…');
  for (const t of actingNodes) {
    deps.tree.store.setBusy(t.id, terminating);
    deps.tree.repaint(t);
  }
  try {
    const results = await withCancellableProgress(title, async (signal, report) => {
      const progress = progressReporter(
        acting.map((p) => ({ id: p.id, name: p.name ?? p.id })),
        TERMINATE_PROGRESS,
        (status) => terminateStrategy.isEndState(status),
        report,
      );
      const ctx = await actionContext(deps, signal, progress.onProgress, progress.onItem);
      return terminateRelationships(
        ctx,
        acting.map((p) => p.id),
      );
    });
    for (const t of actingNodes) {
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
      results.map((r) => ({ ...r, name: r.name ?? acting.find((p) => p.id === r.id)?.name ?? undefined })),
    );
  } catch (e) {
    if (!isCancellation(e)) {
      throw e;
    }
  } finally {
    for (const t of actingNodes) {
      deps.tree.store.setBusy(t.id, undefined);
    }
    // Refresh the parents (customers): statuses and descriptions changed.
    for (const parent of new Set(actingNodes.map((t) => t.parent))) {
      deps.tree.repaint(parent);
    }
  }
}
