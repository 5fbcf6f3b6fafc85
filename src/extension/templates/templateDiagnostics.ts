import * as vscode from 'vscode';
import { locateProblems } from '../../core/templates/templateLocations';
import { checkCustomers, parseTemplate, problemText, type TemplateProblem } from '../../core/templates/templateModel';
import { l10nTranslate } from '../commands/mutationProgress';

/*
 * Problems of a GDAP template (`*.gdap.json`) as diagnostics in the file, from the same parser the CLI
 * uses (docs/templates.md): unknown roles, invalid durations, duplicate groups, overlapping entries — and,
 * once the tree has loaded the inventory, customers the partner does not have. An unknown role gets a
 * quick fix per close catalog name.
 */

export const DIAGNOSTIC_SOURCE = 'GDAP';

export function isTemplateUri(uri: vscode.Uri): boolean {
  // The plan's read-only documents (scheme gdap-plan) are never templates, whatever their name.
  return uri.scheme !== 'gdap-plan' && /\.gdap\.json$/i.test(uri.path);
}

/** Every problem of the text, located; unknown customers only when the partner's customers are known. */
export function templateProblems(
  text: string,
  knownCustomers: ReadonlySet<string> | undefined,
): { readonly problem: TemplateProblem; readonly offset: number; readonly length: number }[] {
  const parsed = parseTemplate(text);
  const problems = parsed.ok ? (knownCustomers !== undefined ? checkCustomers(parsed.template, knownCustomers) : []) : parsed.problems;
  return problems.length === 0 ? [] : locateProblems(text, problems);
}

export class TemplateDiagnostics implements vscode.Disposable, vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('gdap-template');
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly knownCustomers: () => ReadonlySet<string> | undefined) {
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.check(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.languages.registerCodeActionsProvider({ pattern: '**/*.gdap.json' }, this, {
        providedCodeActionKinds: TemplateDiagnostics.providedCodeActionKinds,
      }),
    );
    this.checkAll();
  }

  /** Re-checks every open template (e.g. once the inventory is loaded, for unknown customers). */
  checkAll(): void {
    for (const d of vscode.workspace.textDocuments) {
      this.check(d);
    }
  }

  check(document: vscode.TextDocument): void {
    if (!isTemplateUri(document.uri)) {
      return;
    }
    const known = this.knownCustomers();
    const diagnostics = templateProblems(document.getText(), known).map(({ problem, offset, length }) => {
      const range = new vscode.Range(document.positionAt(offset), document.positionAt(offset + length));
      // A customer missing from a loaded (possibly cached) inventory may be new: a warning, not an error.
      const severity = problem.code === 'unknownCustomer' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error;
      // The problem in the display language; its JSON path stays as written in the file.
      const d = new vscode.Diagnostic(range, `${problemText(problem, l10nTranslate)} (${problem.path})`, severity);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = problem.code;
      return d;
    });
    this.collection.set(document.uri, diagnostics);
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code === 'unknownRole');
    if (ours.length === 0) {
      return [];
    }
    const located = templateProblems(document.getText(), undefined);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const match = located.find((l) => l.problem.code === 'unknownRole' && document.positionAt(l.offset).isEqual(diagnostic.range.start));
      (match?.problem.suggestions ?? []).forEach((name, i) => {
        const action = new vscode.CodeAction(vscode.l10n.t('Replace with "{0}"', name), vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, diagnostic.range, JSON.stringify(name));
        action.diagnostics = [diagnostic];
        action.isPreferred = i === 0;
        actions.push(action);
      });
    }
    return actions;
  }

  /** The diagnostics shown for a file (for the in-host tests). */
  diagnosticsOf(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    for (const s of this.subscriptions) {
      s.dispose();
    }
  }
}
