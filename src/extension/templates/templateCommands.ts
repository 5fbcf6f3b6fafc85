import * as path from 'node:path';
import * as vscode from 'vscode';
import { translated } from '../../core/messages';
import { templateApplyRefusal } from '../../core/templates/applyGate';
import { applyTemplate, readTemplateState } from '../../core/templates/applyTemplate';
import { exportTemplate } from '../../core/templates/exportTemplate';
import { planDocuments } from '../../core/templates/planDocuments';
import { planTemplate, type TemplateChange } from '../../core/templates/planner';
import { changeLine, driftLine, summaryText } from '../../core/templates/planOutput';
import { parseTemplate } from '../../core/templates/templateModel';
import { actionContext, type CommandDeps } from '../commands/commandDeps';
import { l10nTranslate } from '../commands/mutationProgress';
import { pickCustomer } from '../commands/pickers';
import { reportResults } from '../commands/report';
import { reloadTenants } from '../commands/strategyRun';
import { CustomerNode } from '../tree/customerNode';
import { RelationshipNode } from '../tree/relationshipNode';
import { isCancellation } from '../ui/errorFunnel';
import { withCancellableProgress, withViewProgress } from '../ui/progress';
import { applyItemResult } from './applyResults';
import { isTemplateUri } from './templateDiagnostics';
import type { StoredPlan } from './planView';
import { requireServices } from './templateServices';

/*
 * GDAP as code in the editor (docs/templates.md): "Plan Template" opens the plan as a diff of two
 * read-only documents (current ↔ desired) with a summary; "Apply Plan…" confirms that plan and runs it
 * through core's apply (every change a strategy on the mutation pipeline); "Export Template…" writes a
 * template that reproduces a customer or relationship. Apply is refused in Restricted Mode.
 * Reached only from the commands: bundled apart (dist/features.js, see src/extension/lazy/features.ts) and
 * loaded on the first template command; what activation needs lives in templateServices.ts.
 */

/** The template the command is about: the URI it was given (editor title, explorer), else the active editor's file. */
async function templateDocument(deps: CommandDeps, arg: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (uri === undefined || !isTemplateUri(uri)) {
    await deps.prompts.current.notify('error', vscode.l10n.t('Open a GDAP template (a *.gdap.json file) first.'));
    return undefined;
  }
  return vscode.workspace.openTextDocument(uri);
}

/** Plans the document's text against a fresh read; undefined (after telling the user) when the template has problems. */
async function makePlan(deps: CommandDeps, document: vscode.TextDocument): Promise<StoredPlan | undefined> {
  const text = document.getText();
  const parsed = parseTemplate(text);
  if (!parsed.ok) {
    requireServices().diagnostics.check(document);
    const n = parsed.problems.length;
    await deps.prompts.current.notify(
      'error',
      n === 1
        ? vscode.l10n.t('The template has a problem; fix it first (see the Problems view).')
        : vscode.l10n.t('The template has {0} problems; fix them first (see the Problems view).', n),
    );
    return undefined;
  }
  const inventory = await withViewProgress(() => readTemplateState(deps.clients().graph));
  const plan = planTemplate(parsed.template, inventory);
  const docs = planDocuments(parsed.template, inventory, plan);
  for (const c of plan.changes) {
    deps.log.info(`Plan ${path.basename(document.uri.path)}: ${changeLine(c)}`);
  }
  for (const d of plan.drift) {
    deps.log.info(`Plan ${path.basename(document.uri.path)}: left in place: ${driftLine(d)}`);
  }
  return requireServices().view.store(document.uri, { template: parsed.template, text, inventory, plan }, docs.current, docs.desired);
}

function summaryMessage(name: string, stored: StoredPlan): string {
  const { plan } = stored;
  const n = plan.changes.length;
  if (n === 0) {
    return vscode.l10n.t('{0}: no changes; the live state matches the template.', name);
  }
  const summary = summaryText(plan.summary, l10nTranslate);
  const base = n === 1 ? vscode.l10n.t('{0}: 1 change ({1}).', name, summary) : vscode.l10n.t('{0}: {1} changes ({2}).', name, n, summary);
  const blocked = plan.blocked === 0 ? '' : ` ${vscode.l10n.t('Cannot be made: {0}.', plan.blocked)}`;
  const drift = plan.drift.length === 0 ? '' : ` ${vscode.l10n.t('Drift (left in place): {0}.', plan.drift.length)}`;
  return `${base}${blocked}${drift}`;
}

/** GDAP: Plan Template — the plan as a diff (current ↔ desired) and a summary with "Apply Plan…". */
export async function planTemplateCommand(deps: CommandDeps, arg?: unknown): Promise<void> {
  const document = await templateDocument(deps, arg);
  if (document === undefined) {
    return;
  }
  const stored = await makePlan(deps, document);
  if (stored === undefined) {
    return;
  }
  const name = path.basename(document.uri.path);
  await vscode.commands.executeCommand(
    'vscode.diff',
    stored.current,
    stored.desired,
    vscode.l10n.t('GDAP plan: {0} (current ↔ desired)', name),
    { preview: false },
  );
  const applyLabel = vscode.l10n.t('Apply Plan…');
  const acting = stored.plan.changes.some((c) => c.reason === null);
  const choice = await deps.prompts.current.notify('info', summaryMessage(name, stored), ...(acting ? [applyLabel] : []));
  if (choice === applyLabel) {
    await applyPlanCommand(deps, document.uri);
  }
}

/** The extra assignments the plan leaves in place, so the confirmation says what apply does not touch. */
function driftDetail(plan: StoredPlan['plan']): string[] {
  if (plan.drift.length === 0) {
    return [];
  }
  const shown = plan.drift.slice(0, 5).map((d) => `• ${driftLine(d, l10nTranslate)}`);
  const more = plan.drift.length > shown.length ? [vscode.l10n.t('… and {0} more (see the diff).', plan.drift.length - shown.length)] : [];
  return ['', vscode.l10n.t('Left in place:'), ...shown, ...more];
}

function confirmationDetail(plan: StoredPlan['plan'], acting: readonly TemplateChange[]): string {
  const shown = acting.slice(0, 15).map((c) => `• ${changeLine(c, l10nTranslate)}`);
  const more = acting.length > shown.length ? [vscode.l10n.t('… and {0} more (see the diff).', acting.length - shown.length)] : [];
  const warnings = acting
    .filter((c) => c.lostRoles !== undefined)
    .map((c) => `⚠ ${c.warningMessage !== undefined ? translated(c.warningMessage, l10nTranslate) : (c.warning ?? '')}`);
  return [
    summaryText(plan.summary, l10nTranslate),
    '',
    ...shown,
    ...more,
    ...(warnings.length > 0 ? ['', ...warnings] : []),
    ...driftDetail(plan),
  ].join('\n');
}

/** GDAP: Apply Plan… — confirm the last plan of the template (typing the number of changes in typeName mode), then apply it. */
// Long because: refusals (Restricted Mode, read-only, nothing to do), the confirmation and the cancellable run read as one sequence.
export async function applyPlanCommand(deps: CommandDeps, arg?: unknown): Promise<void> {
  const refusal = templateApplyRefusal({ workspaceTrusted: vscode.workspace.isTrusted, readOnly: deps.settings().readOnly });
  if (refusal === 'restrictedMode') {
    await deps.prompts.current.notify(
      'error',
      vscode.l10n.t(
        'Applying a template is not available in Restricted Mode: trust this workspace to apply it. Planning works in Restricted Mode.',
      ),
    );
    return;
  }
  if (refusal === 'readOnly') {
    await deps.prompts.current.notify(
      'error',
      vscode.l10n.t('GDAP Explorer is read-only (setting "gdap.readOnly"): applying a template is turned off.'),
    );
    return;
  }
  const document = await templateDocument(deps, arg);
  if (document === undefined) {
    return;
  }
  let stored = requireServices().view.planFor(document.uri);
  if (stored === undefined || stored.text !== document.getText()) {
    // No plan yet, or the file changed since: what is confirmed must be what was planned from this text.
    stored = await makePlan(deps, document);
    if (stored === undefined) {
      return;
    }
  }
  const acting = stored.plan.changes.filter((c) => c.reason === null);
  if (acting.length === 0) {
    await deps.prompts.current.notify('info', vscode.l10n.t('Nothing to apply: the live state matches the template.'));
    return;
  }
  const ok = await deps.prompts.current.confirm({
    message: acting.length === 1 ? vscode.l10n.t('Apply 1 change to GDAP?') : vscode.l10n.t('Apply {0} changes to GDAP?', acting.length),
    detail: confirmationDetail(stored.plan, acting),
    confirmLabel: vscode.l10n.t('Apply'),
    typeToConfirm: deps.settings().confirmation === 'typeName' ? String(acting.length) : undefined,
  });
  if (!ok) {
    deps.log.info('Apply plan: cancelled at confirmation; nothing sent.');
    return;
  }
  const title = vscode.l10n.t('Apply Plan');
  const confirmed = stored.plan;
  const template = stored.template;
  try {
    const report = await withCancellableProgress(title, async (signal, progress) => {
      const ctx = await actionContext(deps, signal);
      return applyTemplate(ctx, template, {
        confirmed,
        // Planned assignments of created relationships go where the approval notification looks for them.
        store: deps.onboarding.planned,
        onPhase: (action, count) =>
          progress(count === 1 ? vscode.l10n.t('{0}: 1 change', action) : vscode.l10n.t('{0}: {1} changes', action, count)),
      });
    });
    requireServices().view.forget(document.uri);
    reportResults(deps, title, report.items.map(applyItemResult));
  } catch (e) {
    if (!isCancellation(e)) {
      throw e;
    }
  } finally {
    // The apply read the whole inventory just before: only the customers its changes were for are read
    // again (reading it all again for a few customers would double that at 10,000).
    void reloadTenants(
      deps,
      acting.map((c) => c.customerTenantId),
    );
  }
}

/** GDAP: Export Template… — a template reproducing a customer's active relationships, or one relationship, in a new editor. */
export async function exportTemplateCommand(deps: CommandDeps, node?: unknown): Promise<void> {
  let selection: { customers?: string[]; relationships?: string[] };
  if (node instanceof RelationshipNode) {
    selection = { relationships: [node.relationship.id] };
  } else if (node instanceof CustomerNode) {
    selection = { customers: [node.tenantId] };
  } else {
    const customer = await pickCustomer(deps, vscode.l10n.t('Export Template'), (c) =>
      c.customer.relationships.some((r) => r.status === 'active'),
    );
    selection = { customers: [customer.tenantId] };
  }
  const inventory = await withViewProgress(() => readTemplateState(deps.clients().graph));
  const file = exportTemplate(inventory, selection);
  const document = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(file, null, 2)}\n` });
  await vscode.window.showTextDocument(document);
  void deps.prompts.current.notify(
    'info',
    file.relationships.length === 0
      ? vscode.l10n.t('No active relationship to export: the template is empty.')
      : vscode.l10n.t('Save the template as a *.gdap.json file to plan and apply it.'),
  );
}
