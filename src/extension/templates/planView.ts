import * as vscode from 'vscode';
import type { Inventory } from '../../core/actions/inventory';
import type { TemplatePlan } from '../../core/templates/planner';
import type { GdapTemplate } from '../../core/templates/templateModel';

/*
 * The two read-only documents of a plan's diff (current state, desired state) under their own URI scheme,
 * and the last plan made for each template file, which "Apply Plan…" confirms and hands to apply.
 */

export const PLAN_SCHEME = 'gdap-plan';

export interface StoredPlan {
  readonly template: GdapTemplate;
  /** The template's text the plan was made from: an edit since then needs a new plan. */
  readonly text: string;
  readonly inventory: Inventory;
  readonly plan: TemplatePlan;
  readonly current: vscode.Uri;
  readonly desired: vscode.Uri;
}

export class PlanView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly plans = new Map<string, StoredPlan>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private sequence = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Keeps a plan for `template` and returns it with the URIs of its two documents. */
  store(template: vscode.Uri, parts: Omit<StoredPlan, 'current' | 'desired'>, current: string, desired: string): StoredPlan {
    this.sequence += 1;
    // Not "*.gdap.json": the plan documents are state, not templates, so neither the template diagnostics
    // nor the template JSON schema (matched on that file name) may check them.
    const base = (template.path.split('/').pop() ?? 'template.gdap.json').replace(/\.gdap\.json$/i, '.plan.json');
    const side = (which: string): vscode.Uri => vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${this.sequence}/${which}/${base}` });
    const stored: StoredPlan = { ...parts, current: side('current'), desired: side('desired') };
    this.texts.set(stored.current.toString(), current);
    this.texts.set(stored.desired.toString(), desired);
    this.plans.set(template.toString(), stored);
    this.changed.fire(stored.current);
    this.changed.fire(stored.desired);
    return stored;
  }

  planFor(template: vscode.Uri): StoredPlan | undefined {
    return this.plans.get(template.toString());
  }

  forget(template: vscode.Uri): void {
    this.plans.delete(template.toString());
  }

  dispose(): void {
    this.changed.dispose();
  }
}
