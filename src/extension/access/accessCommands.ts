import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/commandDeps';
import { AccessDiagnostics, ACCESS_SCHEME, type CheckSummary } from './accessDiagnostics';
import { viewBadgeNotes } from '../tree/viewBadgeNotes';
import { AccessMatrixPanel } from './accessMatrixPanel';
import { revealRelationship } from './revealInTree';

/*
 * The access commands: "GDAP: Show Access Matrix", "GDAP: Check Access" and the quick fix's "show in
 * tree". The diagnostics and their providers are created once, at activation (registerAccess).
 */

let diagnostics: AccessDiagnostics | undefined;

/** Registers the Problems-panel document provider and the quick fixes; returns the disposables. */
export function registerAccess(): vscode.Disposable[] {
  const d = new AccessDiagnostics();
  diagnostics = d;
  return [
    d,
    vscode.workspace.registerTextDocumentContentProvider(ACCESS_SCHEME, d),
    vscode.languages.registerCodeActionsProvider({ scheme: ACCESS_SCHEME }, d, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    {
      dispose: () => {
        diagnostics = undefined;
        viewBadgeNotes.set(BADGE_NOTE, undefined);
      },
    },
  ];
}

/** The diagnostics of the access check (the in-host tests read them). */
export function accessDiagnostics(): AccessDiagnostics | undefined {
  return diagnostics;
}

export async function showAccessMatrixCommand(deps: CommandDeps): Promise<void> {
  await AccessMatrixPanel.show(deps);
}

/** The access check's line in the view badge's tooltip (the badge itself is the expiry radar's). */
const BADGE_NOTE = 'access';

/** "12 access findings (3 errors) — see Problems"; nothing when the check found nothing. */
export function badgeNoteText(s: CheckSummary): string | undefined {
  if (s.findings.length === 0) {
    return undefined;
  }
  return s.findings.length === 1
    ? vscode.l10n.t('1 access finding ({0} errors) — see Problems', s.errors)
    : vscode.l10n.t('{0} access findings ({1} errors) — see Problems', s.findings.length, s.errors);
}

function summaryText(s: CheckSummary): string {
  if (s.findings.length === 0) {
    return vscode.l10n.t('Access check: no findings.');
  }
  const others = s.findings.length - s.errors - s.warnings;
  return s.findings.length === 1
    ? vscode.l10n.t('Access check: 1 finding ({0} errors, {1} warnings, {2} info). See the Problems panel.', s.errors, s.warnings, others)
    : vscode.l10n.t(
        'Access check: {0} findings ({1} errors, {2} warnings, {3} info). See the Problems panel.',
        s.findings.length,
        s.errors,
        s.warnings,
        others,
      );
}

export async function checkAccessCommand(deps: CommandDeps): Promise<CheckSummary | undefined> {
  const d = diagnostics;
  if (d === undefined) {
    return undefined;
  }
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking access…'), cancellable: true },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return d.check(deps, controller.signal);
    },
  );
  // The view's badge belongs to the expiry radar (docs/renewal.md): the findings' counts go into its tooltip
  // through the shared notes, into the Problems panel and into the summary below.
  viewBadgeNotes.set(BADGE_NOTE, badgeNoteText(summary));
  // The DAP states read on the way are shown in the tree.
  deps.tree.repaint(undefined);
  if (!summary.partnerCenterRead) {
    deps.log.info('Check Access: noGdap and dapStillOn need Partner Center (gdap.partnerCenter.enabled).');
  }
  void deps.prompts.current.notify(summary.errors > 0 ? 'warning' : 'info', summaryText(summary));
  if (summary.findings.length > 0) {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  }
  return summary;
}

const isId = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-zA-Z-]{1,128}$/.test(v);

/** The quick fix: shows a finding's relationship, or its customer, in the tree. */
export async function revealInTreeCommand(deps: CommandDeps, customerTenantId?: unknown, relationshipId?: unknown): Promise<void> {
  if (!isId(customerTenantId)) {
    return;
  }
  if (isId(relationshipId)) {
    await revealRelationship(deps, customerTenantId, relationshipId);
    return;
  }
  const customer = deps.tree.allCustomers().find((c) => c.tenantId.toLowerCase() === customerTenantId.toLowerCase());
  if (customer !== undefined && deps.treeView !== undefined) {
    await deps.treeView.reveal(customer, { select: true, focus: true, expand: true });
  } else {
    await deps.prompts.current.notify('warning', vscode.l10n.t('The customer {0} is not shown in the GDAP tree.', customerTenantId));
  }
}
