import * as vscode from 'vscode';
import type { ItemResult } from '../../core/actions/actionTypes';
import { deleteDraftConfirmation, lockConfirmation } from '../../core/actions/onboardingConfirmations';
import { deleteDraftStrategy } from '../../core/actions/strategies/deleteDraft';
import { lockForApprovalStrategy } from '../../core/actions/strategies/lockForApproval';
import type { CommandDeps } from '../commands/commandDeps';
import { resultReason } from '../commands/resultReason';
import { l10nTranslate } from '../commands/mutationProgress';
import { selectedOf } from '../commands/pickers';
import { reloadCustomersOf, runExtensionMutation, waitingWords } from '../commands/strategyRun';
import { RelationshipNode } from '../tree/relationshipNode';
import { offerApprovalLink } from './invitation';
import { pickRelationshipOf } from './pick';

const isRelationship = (n: unknown): n is RelationshipNode => n instanceof RelationshipNode;
const isDraft = (status: string): boolean => status === 'created';

/** The relationships a command acts on: the selection, else customer → draft through quick picks. */
async function draftTargets(deps: CommandDeps, title: string, node: unknown, selection: unknown): Promise<{ id: string; name: string }[]> {
  const nodes = selectedOf(node, selection, isRelationship);
  if (nodes.length > 0) {
    return nodes.map((n) => ({ id: n.relationship.id, name: n.relationship.displayName }));
  }
  const chosen = await pickRelationshipOf(deps, title, (r) => isDraft(r.status));
  return [{ id: chosen.id, name: chosen.displayName }];
}

/**
 * Locks drafts for approval and waits for `approvalPending`. `confirmedBefore` when the create form's
 * confirmation already named the lock. A lock that failed on a relationship just created says exactly
 * that and offers the retry; one that worked offers the approval link.
 */
export async function lockRelationships(
  deps: CommandDeps,
  targets: readonly { id: string; name: string }[],
  options: { readonly confirmedBefore?: boolean; readonly justCreated?: boolean } = {},
): Promise<ItemResult[]> {
  const names = new Map(targets.map((t) => [t.id, t.name]));
  const results = await runExtensionMutation(deps, {
    title: vscode.l10n.t('Lock for Approval'),
    strategy: lockForApprovalStrategy,
    targets: targets.map((t) => t.id),
    confirmation: (plan) => lockConfirmation(plan, { translate: l10nTranslate }),
    logName: 'Lock for approval',
    words: waitingWords(
      (name) => vscode.l10n.t('{0}: waiting for Microsoft to lock it for approval', name),
      (name, i, n) => vscode.l10n.t('{0}: waiting for Microsoft to lock it for approval ({1} of {2})', name, i, n),
    ),
    name: (p, id) => p.name ?? names.get(id) ?? id,
    ...(options.confirmedBefore === true ? { confirmedBefore: true } : {}),
    // Their customers read again; one just created (not in the tree yet) or for any customer reloads the tree.
    afterRun: (_results, acted) => reloadCustomersOf(deps, acted),
  });
  for (const r of results) {
    const name = names.get(r.id) ?? r.name ?? r.id;
    if (r.outcome === 'failed' && options.justCreated === true) {
      const why = resultReason(r, l10nTranslate);
      await offerLockRetry(deps, { id: r.id, name }, why);
    } else if (r.outcome === 'done' || (r.outcome === 'alreadyDone' && r.status === 'approvalPending')) {
      void offerApprovalLink(deps, { id: r.id, displayName: name, status: r.status ?? 'approvalPending' });
    }
  }
  return results;
}

/** Created but not locked: nothing half-applied is silent (docs/onboarding.md §2). */
async function offerLockRetry(deps: CommandDeps, target: { id: string; name: string }, error: string): Promise<void> {
  const retry = vscode.l10n.t('Lock for Approval');
  const choice = await deps.prompts.current.notify(
    'error',
    vscode.l10n.t(
      'The relationship "{0}" was created but locking it for approval failed: {1} It is still a draft: lock it again or delete it.',
      target.name,
      error,
    ),
    retry,
  );
  if (choice === retry) {
    await lockRelationships(deps, [target], { justCreated: true });
  }
}

/** GDAP: Lock for Approval — on drafts (`created`). */
export async function lockForApprovalCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const targets = await draftTargets(deps, vscode.l10n.t('Lock for Approval'), node, selection);
  await lockRelationships(deps, targets);
}

/** GDAP: Delete Draft… — `DELETE` with `If-Match`, drafts only; their planned assignments are forgotten. */
export async function deleteDraftCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Delete Draft');
  const targets = await draftTargets(deps, title, node, selection);
  const names = new Map(targets.map((t) => [t.id, t.name]));
  await runExtensionMutation(deps, {
    title,
    strategy: deleteDraftStrategy,
    targets: targets.map((t) => t.id),
    confirmation: (plan) => deleteDraftConfirmation(plan, { translate: l10nTranslate }),
    logName: 'Delete draft',
    words: waitingWords(
      (name) => vscode.l10n.t('{0}: waiting for Microsoft to delete it', name),
      (name, i, n) => vscode.l10n.t('{0}: waiting for Microsoft to delete it ({1} of {2})', name, i, n),
    ),
    name: (p, id) => p.name ?? names.get(id) ?? id,
    afterRun: async (results, acted) => {
      const gone = new Set<string>();
      for (const r of results) {
        if (r.outcome === 'done' || r.outcome === 'alreadyDone') {
          await deps.onboarding.planned.delete(r.id);
          gone.add(r.id);
        }
      }
      // A deleted draft has nothing left to read: it leaves the tree at once, with no reload (at 10,000
      // customers a whole reload is thousands of relationships). The others (failed, or not reached when
      // the run was cancelled) are read again with their customers.
      const rest = acted.filter((id) => !gone.has(id));
      if (rest.length > 0) {
        await reloadCustomersOf(deps, rest);
      }
      deps.tree.removeRelationships([...gone]);
    },
  });
}
