import * as vscode from 'vscode';
import type { ItemResult } from '../../core/actions/actionTypes';
import { nothingToDoMessage, type Confirmation, type Translate } from '../../core/actions/confirmations';
import type { CommandDeps } from './commandDeps';

/**
 * `vscode.l10n.t` as the core confirmation renderer expects it. Its messages are literals in src/core
 * (`t('…')`, `msg('…')`), which `npm run l10n` collects into the bundle, so this one call passes them on.
 */
// l10n-bridge: messages from src/core
export const l10nTranslate: Translate = (message, ...args) => vscode.l10n.t(message, ...args);

/** Words for one mutation's progress, for one target alone or `index` of `total`. */
export interface ProgressWords {
  waiting(name: string, index: number, total: number): string;
}

export const TERMINATE_PROGRESS: ProgressWords = {
  waiting: (name, index, total) =>
    total === 1
      ? vscode.l10n.t('{0}: waiting for Microsoft to end it', name)
      : vscode.l10n.t('{0}: waiting for Microsoft to end it ({1} of {2})', name, index, total),
};

export const REMOVE_ASSIGNMENT_PROGRESS: ProgressWords = {
  waiting: (name, index, total) =>
    total === 1
      ? vscode.l10n.t('{0}: waiting for Microsoft to remove it', name)
      : vscode.l10n.t('{0}: waiting for Microsoft to remove it ({1} of {2})', name, index, total),
};

export const REMOVE_DAP_PROGRESS: ProgressWords = {
  waiting: (name, index, total) =>
    total === 1
      ? vscode.l10n.t('{0}: waiting for Partner Center to confirm DAP is off', name)
      : vscode.l10n.t('{0}: waiting for Partner Center to confirm DAP is off ({1} of {2})', name, index, total),
};

/**
 * Progress callbacks for a run over `targets` (id → display name): each status change is reported with
 * the target's name and position, never as a raw id and API status.
 */
export function progressReporter(
  targets: readonly { readonly id: string; readonly name: string }[],
  words: ProgressWords,
  isEndState: (status: string) => boolean,
  report: (message: string) => void,
): { onProgress: (id: string, status: string) => void; onItem: (result: ItemResult) => void } {
  const index = new Map(targets.map((t, i) => [t.id, i + 1]));
  const names = new Map(targets.map((t) => [t.id, t.name]));
  const total = targets.length;
  let finished = 0;
  return {
    onProgress: (id, status) => {
      if (!isEndState(status)) {
        report(words.waiting(names.get(id) ?? id, index.get(id) ?? 0, total));
      }
    },
    onItem: () => {
      finished += 1;
      if (total > 1) {
        report(vscode.l10n.t('{0} of {1} finished', finished, total));
      }
    },
  };
}

/**
 * Shows a plan's confirmation: a notice when nothing will be acted on, else the modal (typing the name
 * when the setting asks for it or the plan requires it). True only when the user confirmed.
 */
/** "Show Full Impact": the whole impact list as a read-only document (docs/access.md). */
function fullImpactButton(deps: CommandDeps, title: string, text: string): { label: string; show(): Promise<void> } {
  return {
    label: vscode.l10n.t('Show Full Impact'),
    show: async () => {
      await deps.details.showText(vscode.l10n.t('Impact: {0}', title), text, 'markdown');
    },
  };
}

export async function confirmPlan(deps: CommandDeps, confirmation: Confirmation, what: string): Promise<boolean> {
  if (confirmation.acting === 0) {
    await deps.prompts.current.notify('info', nothingToDoMessage(confirmation, { translate: l10nTranslate }));
    return false;
  }
  const ok = await deps.prompts.current.confirm({
    message: confirmation.message,
    detail: confirmation.detail,
    confirmLabel: confirmation.confirmLabel,
    typeToConfirm: deps.settings().confirmation === 'typeName' || confirmation.mustType ? confirmation.typeToConfirm : undefined,
    ...(confirmation.fullImpact !== undefined ? { more: fullImpactButton(deps, confirmation.message, confirmation.fullImpact) } : {}),
  });
  if (!ok) {
    deps.log.info(`${what}: cancelled at confirmation; nothing sent.`);
  }
  return ok;
}

/**
 * A partner group as a confirmation names it: its display name when names are read and known, else
 * "Security group" and the first 8 characters of its id — a 36-character id in a modal reads as noise,
 * and the full id is in the log and the tree's tooltip.
 */
export function groupLabel(deps: CommandDeps): (groupId: string) => string {
  return (id) =>
    (deps.settings().resolveGroupNames ? deps.tree.store.groupName(id) : undefined) ??
    vscode.l10n.t('Security group {0}', id.length > 12 ? `${id.slice(0, 8)}…` : id);
}
