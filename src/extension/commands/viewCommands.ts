import * as vscode from 'vscode';
import type { RelationshipDisplayState } from '../../core/actions/relationshipFacts';
import { CONTEXT_KEYS, SETUP_GUIDE_ANCHOR } from '../constants';
import type { GdapNode } from '../tree/node';
import { NO_FILTER, type StatusFilter } from '../tree/treeContext';
import type { CommandDeps } from './commandDeps';

/** GDAP: Refresh — the clicked node only, or everything from the title bar. */
export async function refreshCommand(deps: CommandDeps, node?: GdapNode): Promise<void> {
  await deps.tree.refresh(node && typeof node === 'object' && 'kind' in node ? node : undefined);
}

/** Built on use: l10n messages must be literal calls, read in the display language. */
function statusChoices(): [StatusFilter, string][] {
  return [
    ['all', vscode.l10n.t('All statuses')],
    ['active', vscode.l10n.t('Active')],
    ['expiringSoon', vscode.l10n.t('Expiring soon')],
    ['pending', vscode.l10n.t('Pending approval')],
    ['ending', vscode.l10n.t('Terminating or expiring')],
    ['ended', vscode.l10n.t('Terminated or expired')],
    ['unknown', vscode.l10n.t('Other')],
  ];
}

/** GDAP: Filter… — text then status; narrows the loaded tree without reloading. */
export async function filterCommand(deps: CommandDeps): Promise<void> {
  const current = deps.tree.filter();
  const text = await deps.prompts.current.input({
    title: vscode.l10n.t('Filter GDAP Relationships'),
    prompt: vscode.l10n.t('Text in a customer name, relationship name or id (empty for any)'),
    value: current.text,
  });
  if (text === undefined) {
    return;
  }
  const status = await deps.prompts.current.pick(
    statusChoices().map(([value, label]) => ({
      label,
      value,
      description: value === current.status ? vscode.l10n.t('current') : undefined,
    })),
    { title: vscode.l10n.t('Filter by status') },
  );
  if (status === undefined) {
    return;
  }
  await applyFilter(deps, text.trim(), status);
}

export async function applyFilter(deps: CommandDeps, text: string, status: StatusFilter | RelationshipDisplayState): Promise<void> {
  deps.tree.setFilter({ text, status });
  await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.filterActive, text !== '' || status !== 'all');
}

export async function clearFilterCommand(deps: CommandDeps): Promise<void> {
  await applyFilter(deps, NO_FILTER.text, NO_FILTER.status);
}

export function showLogCommand(deps: CommandDeps): void {
  deps.log.show();
}

/** GDAP: Show Action Journal — the append-only JSONL file of every mutation (read-only view). */
export async function showJournalCommand(deps: CommandDeps): Promise<void> {
  const uri = vscode.Uri.file(deps.journalPath);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    await deps.prompts.current.notify('info', vscode.l10n.t('The action journal is empty: no change has been made from this machine yet.'));
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
}

export async function openSetupGuideCommand(deps: CommandDeps): Promise<void> {
  const readme = vscode.Uri.joinPath(vscode.Uri.file(deps.extensionPath), 'README.md').with({ fragment: SETUP_GUIDE_ANCHOR });
  await vscode.commands.executeCommand('markdown.showPreview', readme);
}
