import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { accessRowsToCsv, accessRowsToMarkdown } from '../../core/insight/accessExport';
import { accessRows, type AccessRow } from '../../core/insight/accessRows';
import type { CommandDeps } from '../commands/commandDeps';
import { loadAccessData } from './accessData';
import { parseWebviewMessage, type MatrixRow, type WebviewMessage } from './matrixMessages';
import { revealRelationship } from './revealInTree';

/*
 * "GDAP: Show Access Matrix": customer × security group × role, one row per access row (docs/access.md).
 * The webview runs only the packaged script under a strict CSP with a nonce (no remote content, no inline
 * handlers); it renders only the visible rows, so 10,000 customers stay responsive. What it sends back is
 * parsed with zod and anything else is dropped.
 */

export const MATRIX_VIEW_TYPE = 'gdap.accessMatrix';

function matrixRow(r: AccessRow): MatrixRow {
  return [
    r.customerName,
    r.customerTenantId,
    r.relationshipName,
    r.relationshipId,
    r.groupName ?? r.groupId,
    r.roleName,
    r.privileged === null ? -1 : r.privileged ? 1 : 0,
    r.endDateTime === null ? '' : r.endDateTime.slice(0, 10),
  ];
}

/** The webview's words, in the display language. */
function labels(): Record<string, string> {
  return {
    title: vscode.l10n.t('Access Matrix'),
    search: vscode.l10n.t('Search customers, groups and roles'),
    privilegedOnly: vscode.l10n.t('Privileged roles only'),
    exportCsv: vscode.l10n.t('Export CSV'),
    exportMarkdown: vscode.l10n.t('Export Markdown'),
    customer: vscode.l10n.t('Customer'),
    relationship: vscode.l10n.t('Relationship'),
    group: vscode.l10n.t('Security group'),
    role: vscode.l10n.t('Role'),
    privileged: vscode.l10n.t('Privileged'),
    ends: vscode.l10n.t('Ends'),
    yes: vscode.l10n.t('yes'),
    no: vscode.l10n.t('no'),
    unknown: vscode.l10n.t('unknown'),
    loading: vscode.l10n.t('Reading access assignments…'),
    empty: vscode.l10n.t('No access matches.'),
    // {0} rows shown of {1}.
    count: vscode.l10n.t('{0} of {1} rows'),
    grid: vscode.l10n.t('Access rows: Enter opens the relationship in the tree'),
    sortBy: vscode.l10n.t('Sort by {0}'),
  };
}

export class AccessMatrixPanel implements vscode.Disposable {
  private static current: AccessMatrixPanel | undefined;
  /** Under the test harnesses only: every message posted to a webview, for the token-hygiene scan. */
  static postedForTests: unknown[] | undefined;
  private rows: AccessRow[] = [];
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
    await this.post();
  }

  private post(): Thenable<boolean> {
    const message = { type: 'data', rows: this.rows.map(matrixRow), labels: labels() };
    AccessMatrixPanel.postedForTests?.push(message);
    return this.panel.webview.postMessage(message);
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
      case 'export':
        await this.export(message.format, message.indices);
        return;
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
