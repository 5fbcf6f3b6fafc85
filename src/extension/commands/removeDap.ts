import * as vscode from 'vscode';
import { removeDapConfirmation } from '../../core/actions/confirmations';
import { planRemoveDap } from '../../core/actions/plans';
import { removeDap } from '../../core/actions/removeDap';
import { DAP_OFF, removeDapStrategy } from '../../core/actions/strategies/removeDap';
import { CustomerNode } from '../tree/customerNode';
import { withCancellableProgress, withViewProgress } from '../ui/progress';
import { actionContext, type CommandDeps } from './commandDeps';
import { confirmPlan, groupLabel, l10nTranslate, progressReporter, REMOVE_DAP_PROGRESS } from './mutationProgress';
import { pickCustomer, selectedOf } from './pickers';
import { reportResults } from './report';

const isCustomer = (n: unknown): n is CustomerNode => n instanceof CustomerNode;

/**
 * GDAP: Remove DAP… — plan from fresh reads (DAP state is only on the Partner Center GET by id,
 * docs/api-notes.md §8.3, and whether an active GDAP relationship remains) → confirm exactly the plan,
 * typing the name when the last admin access would go → the PATCH and a re-read (inside core).
 */
export async function removeDapCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Remove DAP');
  let targets = selectedOf(node, selection, isCustomer);
  if (targets.length === 0) {
    targets = [await pickCustomer(deps, title, (c) => deps.tree.store.dapState(c.tenantId) !== false)];
  }
  // Partner Center may ask for MFA (docs/api-notes.md §15.6): this command offers that sign-in itself.
  await deps.auth.handlingClaimsChallenges(() => planConfirmRun(deps, targets, true));
}

/**
 * After reads or sends Partner Center refused with a claims challenge: the dedicated message with "Sign In
 * with MFA". 'signedIn' when the user signed in with the claims (the caller starts over from fresh reads,
 * ONCE), 'dismissed' when not, 'none' when there was no challenge (or this is already the one start-over).
 */
async function answerChallenge(deps: CommandDeps, mayStepUp: boolean): Promise<'none' | 'signedIn' | 'dismissed'> {
  if (!mayStepUp || !deps.auth.hasPendingClaimsChallenge('partnerCenter')) {
    return 'none';
  }
  return (await deps.auth.offerClaimsSignIn(false)) ? 'signedIn' : 'dismissed';
}

// Long because: plan, confirm, run and report of one Remove DAP, with the one start-over after an MFA sign-in at either end.
async function planConfirmRun(deps: CommandDeps, targets: readonly CustomerNode[], mayStepUp: boolean): Promise<void> {
  const title = vscode.l10n.t('Remove DAP');
  const { graph, partnerCenter } = deps.clients();
  // Only what these reads answer counts: an older refusal may have been answered since.
  deps.auth.forgetClaimsChallenge();
  const plan = await withViewProgress(() =>
    planRemoveDap(
      graph,
      partnerCenter,
      targets.map((t) => t.tenantId),
    ),
  );
  const answer = await answerChallenge(deps, mayStepUp);
  if (answer !== 'none') {
    // Dismissed: the message said what to do; nothing was read that could be confirmed.
    return answer === 'signedIn' ? planConfirmRun(deps, targets, false) : undefined;
  }
  // What was just read is the best the tree can show.
  for (const p of plan) {
    if (p.allowDelegatedAccess !== null) {
      deps.tree.store.setDap(p.tenantId, p.allowDelegatedAccess);
    }
  }
  for (const t of targets) {
    deps.tree.repaint(t);
  }
  const confirmation = removeDapConfirmation(plan, { translate: l10nTranslate, groupName: groupLabel(deps) });
  if (!(await confirmPlan(deps, confirmation, 'Remove DAP'))) {
    return;
  }
  const acting = plan.filter((p) => p.willAct);
  const results = await withCancellableProgress(title, async (signal, report) => {
    const progress = progressReporter(
      acting.map((p) => ({ id: p.tenantId, name: p.companyName ?? p.tenantId })),
      REMOVE_DAP_PROGRESS,
      (status) => removeDapStrategy.isEndState(status),
      report,
    );
    const ctx = await actionContext(deps, signal, progress.onProgress, progress.onItem);
    return removeDap(
      ctx,
      acting.map((p) => p.tenantId),
    );
  });
  for (const r of results) {
    if (r.status === DAP_OFF) {
      deps.tree.store.setDap(r.id, false);
    }
  }
  for (const t of targets) {
    deps.tree.repaint(t);
  }
  reportResults(
    deps,
    title,
    results.map((r) => ({ ...r, name: r.name ?? acting.find((p) => p.tenantId === r.id)?.companyName ?? undefined })),
  );
  // Refused while sending: after the MFA sign-in, plan again from fresh reads (never a blind re-send).
  if (results.some((r) => r.outcome === 'failed') && (await answerChallenge(deps, mayStepUp)) === 'signedIn') {
    await planConfirmRun(deps, targets, false);
  }
}
