import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/commandDeps';
import { TemplateDiagnostics } from './templateDiagnostics';
import { PlanView, PLAN_SCHEME } from './planView';

/*
 * What GDAP templates need from activation on: the plan documents' provider and the template diagnostics.
 * The commands themselves (templateCommands.ts) are loaded on first use and reach these through
 * `requireServices()`; this module is the one instance both bundles share (src/extension/lazy/features.ts).
 */

export interface TemplateServices {
  readonly view: PlanView;
  readonly diagnostics: TemplateDiagnostics;
}

let services: TemplateServices | undefined;

/** Creates the plan documents' provider and the template diagnostics; the composition root owns the disposables. */
export function registerTemplateServices(deps: Pick<CommandDeps, 'tree'>): vscode.Disposable[] {
  const view = new PlanView();
  const diagnostics = new TemplateDiagnostics(() => {
    const inventory = deps.tree.store.current;
    return inventory === undefined ? undefined : new Set(inventory.customers.map((c) => c.tenantId.toLowerCase()));
  });
  services = { view, diagnostics };
  return [
    view,
    diagnostics,
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, view),
    // Unknown customers can be told once the partner's customers are loaded.
    deps.tree.store.onDidChange(() => diagnostics.checkAll()),
    {
      dispose: () => {
        services = undefined;
      },
    },
  ];
}

export function requireServices(): TemplateServices {
  if (services === undefined) {
    throw new Error('GDAP templates are not ready yet.');
  }
  return services;
}

/** For the in-host tests: the diagnostics of a template file as the extension computed them. */
export function templateDiagnosticsOf(uri: vscode.Uri): readonly vscode.Diagnostic[] {
  return services?.diagnostics.diagnosticsOf(uri) ?? [];
}
