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
    return this.showText(title, JSON.stringify(value, null, 2), 'json');
  }

  /** Any text (a report) as a read-only document; redacted like the JSON. */
  async showText(title: string, text: string, language: 'json' | 'markdown'): Promise<vscode.TextDocument> {
    const safeTitle = title.replace(/[\\/:*?"<>|#%]/g, '_').slice(0, 80) || 'resource';
    const ext = language === 'json' ? 'json' : 'md';
    const uri = vscode.Uri.from({ scheme: DETAILS_SCHEME, path: `/${safeTitle}.${ext}`, query: String(++this.counter) });
    this.contents.set(uri.toString(), redact(text));
    this.emitter.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, language);
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  dispose(): void {
    this.emitter.dispose();
    this.contents.clear();
  }
}
