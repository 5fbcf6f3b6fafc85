import * as vscode from 'vscode';
import type { ServiceManagementDetail } from '../../core/graph/models';
import type { CommandDeps } from '../commands/commandDeps';
import { CustomerNode } from '../tree/customerNode';
import { withViewProgress } from '../ui/progress';
import { cancelled } from './pick';

/** The customer's service management links, read once per customer and sign-in (they rarely change). */
async function linksOf(deps: CommandDeps, tenantId: string): Promise<readonly ServiceManagementDetail[]> {
  const cached = deps.onboarding.adminLinks.get(tenantId);
  if (cached !== undefined) {
    return cached;
  }
  const links = await withViewProgress(() => deps.clients().graph.listServiceManagementDetails(tenantId));
  // Only links the browser can open: an https URL (the service is the source; a bad entry is left out).
  const usable = links.filter((l) => /^https:\/\//i.test(l.serviceManagementUrl));
  deps.onboarding.adminLinks.set(tenantId, usable);
  return usable;
}

/**
 * GDAP: Open Admin Center… — on a customer: its service management details
 * (`GET …/delegatedAdminCustomers/{id}/serviceManagementDetails`, docs/api-notes.md §3) as a quick pick;
 * the chosen admin center opens in the browser.
 */
export async function openAdminCenterCommand(deps: CommandDeps, node?: unknown): Promise<void> {
  if (!(node instanceof CustomerNode)) {
    return;
  }
  const links = await linksOf(deps, node.tenantId);
  if (links.length === 0) {
    await deps.prompts.current.notify('info', vscode.l10n.t('Microsoft lists no admin center for {0}.', node.displayName));
    return;
  }
  const chosen = await deps.prompts.current.pick(
    links.map((l) => ({ label: l.serviceName || l.id, detail: l.serviceManagementUrl, value: l })),
    { title: vscode.l10n.t('Open Admin Center'), placeHolder: vscode.l10n.t('Admin centers of {0}', node.displayName) },
  );
  if (chosen === undefined) {
    throw cancelled();
  }
  await deps.onboarding.openExternal(chosen.serviceManagementUrl);
}
