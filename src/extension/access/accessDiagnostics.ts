import * as vscode from 'vscode';
import type { Inventory } from '../../core/actions/inventory';
import { runDoctor, type DoctorPartnerCenterCustomer, type Finding } from '../../core/insight/doctor';
import { readDoctorCustomers } from '../../core/insight/partnerCenterCustomers';
import { redact } from '../../core/http/redact';
import type { CommandDeps } from '../commands/commandDeps';
import { loadAccessData } from './accessData';
import { partnerCenterEnabled } from './accessSettings';
import { findingText } from './findingText';

/*
 * The access doctor's findings in the Problems panel (docs/access.md "In VS Code"). Each customer with a
 * finding gets a read-only virtual document, `gdap-access:/<customer>.md?<tenantId>`, listing its findings
 * one per line; each finding is a diagnostic on its line. Choosing a problem opens that customer's
 * document, and a quick fix shows the relationship (or the customer) in the GDAP tree.
 */

export const ACCESS_SCHEME = 'gdap-access';
/** Partner Center reads of DAP state at once (as `gdap check`). */

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export interface CheckSummary {
  readonly findings: readonly Finding[];
  readonly errors: number;
  readonly warnings: number;
  /** False when Partner Center was off or could not be read (noGdap and dapStillOn did not run). */
  readonly partnerCenterRead: boolean;
}

export class AccessDiagnostics implements vscode.TextDocumentContentProvider, vscode.CodeActionProvider, vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('gdap-access');
  private readonly contents = new Map<string, string>();
  private readonly byLine = new Map<string, Finding>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? vscode.l10n.t('No access findings for this customer. Run "GDAP: Check Access" again.');
  }

  /** The finding a diagnostic stands for (its document and line). */
  findingAt(uri: vscode.Uri, line: number): Finding | undefined {
    return this.byLine.get(`${uri.toString()}#${line}`);
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const f = this.findingAt(document.uri, d.range.start.line);
      if (f === undefined || f.customerTenantId === null) {
        continue;
      }
      const title =
        f.relationshipId !== null
          ? vscode.l10n.t('Show the relationship in the GDAP tree')
          : vscode.l10n.t('Show the customer in the GDAP tree');
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = true;
      action.command = { command: 'gdap.revealInTree', title, arguments: [f.customerTenantId, f.relationshipId ?? undefined] };
      out.push(action);
    }
    return out;
  }

  /** Reads everything afresh, runs the doctor and publishes its findings. */
  async check(deps: CommandDeps, signal?: AbortSignal): Promise<CheckSummary> {
    const data = await loadAccessData(deps, signal);
    const partnerCenterCustomers = partnerCenterEnabled() ? await readPartnerCenter(deps, data.inventory, signal) : undefined;
    const findings = runDoctor({
      inventory: data.inventory,
      now: new Date(),
      ...data.context,
      ...(partnerCenterCustomers !== undefined ? { partnerCenterCustomers } : {}),
    });
    this.publish(findings, data.inventory, partnerCenterCustomers);
    return {
      findings,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      partnerCenterRead: partnerCenterCustomers !== undefined,
    };
  }

  /** Replaces every published finding with `findings`. */
  publish(findings: readonly Finding[], inventory: Inventory, partnerCenter?: readonly DoctorPartnerCenterCustomer[]): void {
    this.collection.clear();
    this.contents.clear();
    this.byLine.clear();
    const names = new Map<string, string>();
    for (const c of inventory.customers) {
      names.set(c.tenantId.toLowerCase(), c.displayName || c.tenantId);
    }
    for (const c of partnerCenter ?? []) {
      if (!names.has(c.tenantId.toLowerCase())) {
        names.set(c.tenantId.toLowerCase(), c.companyName ?? c.tenantId);
      }
    }
    const relationshipNames = new Map(
      [...inventory.customers.flatMap((c) => c.relationships), ...inventory.pendingRelationships].map((r) => [r.id, r.displayName]),
    );
    const groups = new Map<string, Finding[]>();
    for (const f of findings) {
      const key = f.customerTenantId?.toLowerCase() ?? '';
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    for (const [tenant, list] of groups) {
      const name = tenant === '' ? vscode.l10n.t('Invitations not yet approved') : (names.get(tenant) ?? tenant);
      const uri = vscode.Uri.from({
        scheme: ACCESS_SCHEME,
        path: `/${name.replace(/[\\/:*?"<>|#%]/g, '_').slice(0, 80) || 'customer'}.md`,
        query: tenant,
      });
      const lines = [vscode.l10n.t('# Access check: {0}', name), ''];
      const diagnostics: vscode.Diagnostic[] = [];
      for (const f of list) {
        const where = f.relationshipId !== null ? (relationshipNames.get(f.relationshipId) ?? f.relationshipId) : name;
        const text = `- ${f.severity} ${f.code} · ${where}: ${findingText(f)}`;
        const line = lines.length;
        lines.push(text);
        const d = new vscode.Diagnostic(new vscode.Range(line, 2, line, text.length), `${where}: ${findingText(f)}`, SEVERITY[f.severity]);
        d.source = 'GDAP';
        d.code = f.code;
        diagnostics.push(d);
        this.byLine.set(`${uri.toString()}#${line}`, f);
      }
      this.contents.set(uri.toString(), redact(lines.join('\n') + '\n'));
      this.collection.set(uri, diagnostics);
      this.emitter.fire(uri);
    }
  }

  dispose(): void {
    this.collection.dispose();
    this.emitter.dispose();
  }
}

/**
 * The Partner Center customers, with the DAP state of those GDAP serves (only GET by id carries it,
 * docs/api-notes.md §8.3). undefined, with a log line, when Partner Center cannot be read: the two
 * checks that need it do not run (nothing is assumed).
 */
export async function readPartnerCenter(
  deps: CommandDeps,
  inventory: Inventory,
  signal?: AbortSignal,
): Promise<DoctorPartnerCenterCustomer[] | undefined> {
  try {
    // The tree shows the DAP state once known (docs/access.md).
    return await readDoctorCustomers(deps.clients().partnerCenter, inventory, signal, (tenantId, on) =>
      deps.tree.store.setDap(tenantId, on),
    );
  } catch (e) {
    deps.log.warn(
      `Check Access: Partner Center could not be read (${redact(e instanceof Error ? e.message : String(e)).split('\n')[0]}); noGdap and dapStillOn were skipped.`,
    );
    return undefined;
  }
}
