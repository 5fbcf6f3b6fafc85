import * as vscode from 'vscode';
import type { ItemResult } from '../../core/actions/actionTypes';
import type { CommandDeps } from './commandDeps';
import { l10nTranslate } from './mutationProgress';
import { resultReason } from './resultReason';

/** How many targets a report names before it only counts the rest. */
const MAX_NAMED = 5;

/**
 * Per-item report: one line when everything worked, otherwise what failed and why (details in the log).
 * Shown without waiting for the user to dismiss it, so the tree settles at once.
 */
export function reportResults(deps: CommandDeps, verb: string, results: readonly ItemResult[]): void {
  void showReport(deps, verb, results);
}

async function showReport(deps: CommandDeps, verb: string, results: readonly ItemResult[]): Promise<void> {
  for (const r of results) {
    deps.log.info(`${verb} ${r.name ?? r.id}: ${r.outcome}${r.status ? ` (${r.status})` : ''}${r.error ? ` — ${r.error}` : ''}`);
  }
  const failed = results.filter((r) => r.outcome === 'failed');
  const done = results.filter((r) => r.outcome === 'done' || r.outcome === 'alreadyDone');
  const skipped = results.filter((r) => r.outcome === 'skipped');
  if (failed.length === 0 && skipped.length === 0) {
    // Several targets are named too (the first few), so the report says which ones, not only how many.
    const names = done.slice(0, MAX_NAMED).map((r) => r.name ?? r.id);
    const what =
      done.length === 1
        ? names[0]
        : vscode.l10n.t('{0} items: {1}', done.length, done.length > MAX_NAMED ? `${names.join(', ')}, …` : names.join(', '));
    await deps.prompts.current.notify('info', vscode.l10n.t('{0}: {1} — done.', verb, what));
    return;
  }
  // A reason the core gives as a code with parameters is shown in the user's language; others as sent.
  const lines = [...failed, ...skipped].map((r) => `${r.name ?? r.id}: ${resultReason(r, l10nTranslate)}`);
  const showLog = vscode.l10n.t('Show Log');
  const choice = await deps.prompts.current.notify(
    failed.length > 0 ? 'error' : 'warning',
    vscode.l10n.t('{0}: {1} done, {2} not done. {3}', verb, done.length, failed.length + skipped.length, lines.join('; ')),
    showLog,
  );
  if (choice === showLog) {
    deps.log.show();
  }
}
