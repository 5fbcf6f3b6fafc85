import type { ItemResult } from '../../core/actions/actionTypes';
import type { TemplateApplyItem } from '../../core/templates/applyTemplate';

/**
 * One change of a template's apply as a result line of the common report (src/extension/commands/report.ts).
 * Without vscode, so that a unit test renders it through a fake translate.
 */
export function applyItemResult(item: TemplateApplyItem): ItemResult {
  const c = item.change;
  return {
    id: `${c.action} ${c.customerTenantId}${c.groupId !== null ? ` ${c.groupId}` : ''}`,
    name: `${c.action} · ${c.customerName ?? c.customerTenantId}${c.groupId !== null ? ` · ${c.groupId}` : ''}`,
    // "changed": not applied because it moved since the plan; shown as not done, with the reason.
    outcome: item.outcome === 'changed' ? 'skipped' : item.outcome,
    status: item.status,
    error: item.error,
    // Apply's own reasons (moved since the plan, cancelled, a failed lock after a create) and the pipeline's,
    // then a change the plan could not make: each reads in the user's language (src/core/messages.ts).
    ...(item.errorMessage !== undefined
      ? { errorMessage: item.errorMessage }
      : c.reasonMessage && item.error === c.reason
        ? { errorMessage: c.reasonMessage }
        : {}),
  };
}
