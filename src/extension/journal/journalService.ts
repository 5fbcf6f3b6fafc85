import * as vscode from 'vscode';
import type { ActionContext, JournalRecord } from '../../core/actions/actionTypes';
import { FileJournal, findInterrupted, readRecords } from '../../core/actions/journal';
import { reconcileInterrupted } from '../../core/actions/reconcile';
import { translated } from '../../core/messages';
import { l10nTranslate } from '../commands/mutationProgress';
import type { Log } from '../ui/log';
import type { PromptHolder } from '../ui/promptLayer';

/**
 * The extension's action journal (JSONL in its global storage, written by core) and the start-up check
 * for interrupted runs: an intent without an outcome is reconciled by re-reading its target, recorded
 * as `reconciled`, and the user is told.
 */
export class JournalService {
  readonly journal: FileJournal;

  constructor(readonly path: string) {
    this.journal = new FileJournal(path);
  }

  /**
   * Settles runs interrupted last time through core's reconciliation (the same rule the CLI uses):
   * each open intent's target is read again and a `reconciled` record written; the user is told.
   */
  async reconcile(context: () => Promise<ActionContext>, log: Log, prompts: PromptHolder): Promise<number> {
    let records: JournalRecord[];
    try {
      records = await readRecords(this.path);
    } catch {
      return 0;
    }
    const open = findInterrupted(records);
    if (open.length === 0) {
      return 0;
    }
    const summaries = await reconcileInterrupted(await context(), open);
    for (const s of summaries) {
      log.info(`Journal: ${s.message}`);
    }
    const show = vscode.l10n.t('Show Action Journal');
    const choice = await prompts.current.notify(
      'warning',
      vscode.l10n.t(
        '{0} action(s) were interrupted last time. Their targets were read again: {1}',
        open.length,
        // Each summary is a code with parameters from core: the log keeps the English, the user reads it translated.
        summaries.map((s) => translated(s.summaryMessage, l10nTranslate)).join(' '),
      ),
      show,
    );
    if (choice === show) {
      await vscode.commands.executeCommand('gdap.showJournal');
    }
    return open.length;
  }

  async close(): Promise<void> {
    await this.journal.close();
  }
}
