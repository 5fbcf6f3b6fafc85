import * as vscode from 'vscode';
import { redact } from '../../core/http/redact';
import { DETAILS_SCHEME } from '../constants';

/**
 * Read-only virtual documents for "Show Details": the resource as JSON under `gdap-details:`.
 * Documents of a TextDocumentContentProvider cannot be edited or saved over the resource.
 */
export class DetailsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '{}';
  }

  async show(title: string, value: unknown): Promise<vscode.TextDocument> {
    const safeTitle = title.replace(/[\\/:*?"<>|#%]/g, '_').slice(0, 80) || 'resource';
    const uri = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${safeTitle}.json`, query: String(++this.counter) });
    this.contents.set(uri.toString(), redact(JSON.stringify(value, null, 2)));
    this.emitter.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  dispose(): void {
    this.emitter.dispose();
    this.contents.clear();
  }
}
