import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { accessRowsToCsv, accessRowsToMarkdown } from '../../core/insight/accessExport';
import type { GroupMember } from '../../core/graph/groupMembers';
import { redact } from '../../core/http/redact';
import { accessMatrix, cellRelationships, type AccessMatrix, type MatrixRelationship } from '../../core/insight/accessMatrix';
import { accessRows, type AccessRow } from '../../core/insight/accessRows';
import type { CommandDeps } from '../commands/commandDeps';
import { loadAccessData } from './accessData';
import { parseWebviewMessage, wireMatrix, type WebviewMessage, type WireMember } from './matrixMessages';
import { revealRelationship } from './revealInTree';

/*
 * "GDAP: Show Access Matrix": customers × roles, each cell the security groups holding the role there
 * (docs/access.md). The webview runs only the packaged script under a strict CSP with a nonce (no remote
 * content, no inline handlers); it renders only the rows and columns in view, so 2,000 customers × 60 roles
 * stay responsive. What it sends back is parsed with zod and anything else is dropped. A group's members
 * are read on demand and kept for the panel's life.
 */

export const MATRIX_VIEW_TYPE = 'gdap.accessMatrix';

/** The webview's words, in the display language. */
function labels(): Record<string, string> {
  return {
    title: vscode.l10n.t('Access Matrix'),
    search: vscode.l10n.t('Search customers, groups and roles'),
    customerFilter: vscode.l10n.t('Filter customers'),
    roleFilter: vscode.l10n.t('Role'),
    groupFilter: vscode.l10n.t('Security group'),
    allRoles: vscode.l10n.t('All roles'),
    allGroups: vscode.l10n.t('All security groups'),
    privilegedOnly: vscode.l10n.t('Privileged roles only'),
    exportCsv: vscode.l10n.t('Export CSV'),
    exportMarkdown: vscode.l10n.t('Export Markdown'),
    exportNote: vscode.l10n.t('Exports one row per customer, relationship, security group and role (the format of gdap access).'),
    customer: vscode.l10n.t('Customer'),
    privilegedMark: vscode.l10n.t('privileged'),
    unknownMark: vscode.l10n.t('privilege unknown'),
    loading: vscode.l10n.t('Reading access assignments…'),
    empty: vscode.l10n.t('No access matches.'),
    // {0} customers shown of {1}, {2} role columns.
    count: vscode.l10n.t('{0} of {1} customers, {2} roles'),
    grid: vscode.l10n.t('Access matrix: customers by roles. Arrow keys move, Enter opens the relationship in the tree, M shows members'),
    sortBy: vscode.l10n.t('Sort by {0}'),
    // Read by a screen reader for a cell: customer, role, the groups.
    cell: vscode.l10n.t('Customer {0}, role {1}: groups {2}'),
    cellEmpty: vscode.l10n.t('Customer {0}, role {1}: no groups'),
    details: vscode.l10n.t('Selected cell'),
    through: vscode.l10n.t('through {0}'),
    members: vscode.l10n.t('Members'),
    membersOf: vscode.l10n.t('Show the members of {0}'),
    membersLoading: vscode.l10n.t('Reading members…'),
    membersNone: vscode.l10n.t('No members.'),
    membersOff: vscode.l10n.t('Turn on gdap.resolveGroupNames to see group names and members.'),
    openRelationship: vscode.l10n.t('Open in tree'),
  };
}

/** A failure as one line for the webview (redacted: never a token or a header). */
function reason(e: unknown): string {
  return redact(e instanceof Error ? e.message : String(e)).split('\n')[0];
}

export class AccessMatrixPanel implements vscode.Disposable {
  private static current: AccessMatrixPanel | undefined;
  /** Under the test harnesses only: every message posted to a webview, for the token-hygiene scan. */
  static postedForTests: unknown[] | undefined;
  private rows: AccessRow[] = [];
  private matrix: AccessMatrix = accessMatrix([]);
  /** Members per group id, read on demand, for the panel's life (a failed read is not kept). */
  private readonly members = new Map<string, Promise<readonly GroupMember[]>>();
  /** The last message of each type posted to the webview (the in-host tests read it). */
  private readonly lastPosted = new Map<string, unknown>();
  private readonly disposables: vscode.Disposable[] = [];
  private loaded: Promise<void> = Promise.resolve();

  /** Opens (or shows again) the matrix and reads the access rows afresh. */
  static async show(deps: CommandDeps): Promise<AccessMatrixPanel> {
    let panel = AccessMatrixPanel.current;
    if (panel === undefined) {
      const webviewPanel = vscode.window.createWebviewPanel(
        MATRIX_VIEW_TYPE,
        vscode.l10n.t('GDAP Access Matrix'),
        vscode.ViewColumn.Active,
        {
          enableScripts: true,
          retainContextWhenHidden: false,
          localResourceRoots: [vscode.Uri.joinPath(vscode.Uri.file(deps.extensionPath), 'media')],
        },
      );
      panel = new AccessMatrixPanel(deps, webviewPanel);
      AccessMatrixPanel.current = panel;
    } else {
      panel.panel.reveal();
    }
    panel.loaded = panel.load();
    await panel.loaded;
    return panel;
  }

  /** The open matrix, if any (the in-host tests drive it). */
  static get open(): AccessMatrixPanel | undefined {
    return AccessMatrixPanel.current;
  }

  private constructor(
    private readonly deps: CommandDeps,
    private readonly panel: vscode.WebviewPanel,
  ) {
    panel.webview.html = this.html(panel.webview);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        void this.receive(raw).catch((e: unknown) => this.deps.funnel.report(e, vscode.l10n.t('Showing the access matrix')));
      }),
    );
  }

  /** A message from the webview: validated, then handled; false when it was dropped. */
  async receive(raw: unknown): Promise<boolean> {
    const message = parseWebviewMessage(raw);
    if (message === undefined) {
      this.deps.log.warn('Access Matrix: a message from the webview was not understood and was ignored.');
      return false;
    }
    await this.handle(message);
    return true;
  }

  /** Every access row read (unfiltered), in the order sent to the webview. */
  get allRows(): readonly AccessRow[] {
    return this.rows;
  }

  /** The grid built from the rows. */
  get grid(): AccessMatrix {
    return this.matrix;
  }

  /** The last message of `type` posted to the webview, if any. */
  posted(type: string): unknown {
    return this.lastPosted.get(type);
  }

  /** Resolves when the rows of the latest load are in. */
  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  private async load(): Promise<void> {
    const data = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading access assignments…') },
      () => loadAccessData(this.deps),
    );
    this.rows = accessRows(data.inventory, {}, data.context);
    this.matrix = accessMatrix(this.rows);
    await this.post();
  }

  /** Whether a group's members can be read: only with group names on (the same consent) and a client that can. */
  private membersAvailable(): boolean {
    return this.deps.settings().resolveGroupNames && this.deps.clients().graph.listGroupMembers !== undefined;
  }

  private send(message: { readonly type: string } & Record<string, unknown>): Thenable<boolean> {
    this.lastPosted.set(message.type, message);
    AccessMatrixPanel.postedForTests?.push(message);
    return this.panel.webview.postMessage(message);
  }

  private post(): Thenable<boolean> {
    return this.send({ type: 'data', matrix: wireMatrix(this.matrix, this.membersAvailable()), labels: labels() });
  }

  /** The webview's HTML (for the tests). */
  get webviewHtml(): string {
    return this.panel.webview.html;
  }

  /** One message from the webview, already validated. */
  async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.post();
        return;
      case 'open': {
        const row = this.rows[message.index];
        if (row !== undefined) {
          await revealRelationship(this.deps, row.customerTenantId, row.relationshipId);
        }
        return;
      }
      case 'openCell':
        await this.openCell(message.customer, message.role, message.groups);
        return;
      case 'members':
        await this.showMembers(message.group);
        return;
      case 'export':
        await this.export(message.format, message.indices);
        return;
    }
  }

  /** A chosen cell: its one relationship in the tree, or a quick pick of several. */
  private async openCell(customer: number, role: number, groups: readonly number[] | undefined): Promise<void> {
    const c = this.matrix.customers[customer];
    const relationships = cellRelationships(this.matrix, customer, role, groups);
    if (c === undefined || relationships.length === 0) {
      return;
    }
    let chosen: MatrixRelationship | undefined = relationships[0];
    if (relationships.length > 1) {
      chosen = await this.deps.prompts.current.pick(
        relationships.map((r) => ({ label: r.name, description: r.id, value: r })),
        {
          title: vscode.l10n.t('{0} at {1}', this.matrix.roles[role]?.name ?? '', c.name),
          placeHolder: vscode.l10n.t('Several relationships grant this role; choose one to show in the tree'),
        },
      );
    }
    if (chosen !== undefined) {
      await revealRelationship(this.deps, c.tenantId, chosen.id);
    }
  }

  /** Reads a group's members (once per panel) and sends their names to the webview, or why they could not be read. */
  private async showMembers(index: number): Promise<void> {
    const group = this.matrix.groups[index];
    if (group === undefined) {
      return;
    }
    const graph = this.deps.clients().graph;
    if (!this.membersAvailable() || graph.listGroupMembers === undefined) {
      await this.send({
        type: 'members',
        group: index,
        error: vscode.l10n.t('Turn on gdap.resolveGroupNames to see group names and members.'),
      });
      return;
    }
    let pending = this.members.get(group.groupId);
    if (pending === undefined) {
      pending = graph.listGroupMembers(group.groupId);
      this.members.set(group.groupId, pending);
    }
    try {
      const members = await pending;
      const names: WireMember[] = members.map((m) => [m.displayName ?? m.userPrincipalName ?? m.id, m.userPrincipalName ?? '']);
      await this.send({ type: 'members', group: index, members: names });
    } catch (e) {
      this.members.delete(group.groupId);
      this.deps.log.warn(`Access Matrix: the members of ${group.groupId} could not be read: ${reason(e)}`);
      await this.send({ type: 'members', group: index, error: vscode.l10n.t('The members could not be read: {0}', reason(e)) });
    }
  }

  private async export(format: 'csv' | 'markdown', indices: readonly number[]): Promise<void> {
    const rows = indices.flatMap((i) => (this.rows[i] !== undefined ? [this.rows[i]] : []));
    const csv = format === 'csv';
    const options: vscode.SaveDialogOptions = {
      title: csv ? vscode.l10n.t('Export the access matrix as CSV') : vscode.l10n.t('Export the access matrix as Markdown'),
      defaultUri: vscode.Uri.joinPath(
        vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()),
        csv ? 'gdap-access.csv' : 'gdap-access.md',
      ),
      filters: csv ? { CSV: ['csv'] } : { Markdown: ['md'] },
    };
    const layer = this.deps.prompts.current;
    const uri = layer.saveAs !== undefined ? await layer.saveAs(options) : await vscode.window.showSaveDialog(options);
    if (uri === undefined) {
      return;
    }
    const text = csv ? accessRowsToCsv(rows) : accessRowsToMarkdown(rows);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    void this.deps.prompts.current.notify(
      'info',
      rows.length === 1
        ? vscode.l10n.t('Exported 1 access row to {0}.', uri.fsPath)
        : vscode.l10n.t('Exported {0} access rows to {1}.', rows.length, uri.fsPath),
    );
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const media = vscode.Uri.joinPath(vscode.Uri.file(this.deps.extensionPath), 'media');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'accessMatrix.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'accessMatrix.css'));
    // Nothing but the packaged script and style, no inline code, no remote content.
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      "img-src 'none'",
      "connect-src 'none'",
      "frame-src 'none'",
      "form-action 'none'",
      "base-uri 'none'",
    ].join('; ');
    const lang = vscode.env.language.replace(/[^A-Za-z-]/g, '');
    return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>GDAP Access Matrix</title>
</head>
<body>
<main id="app" aria-busy="true"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (AccessMatrixPanel.current === this) {
      AccessMatrixPanel.current = undefined;
    }
    for (const d of this.disposables.splice(0)) {
      d.dispose();
    }
    this.panel.dispose();
  }
}
