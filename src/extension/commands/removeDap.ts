import * as vscode from 'vscode';
import { removeDap } from '../../core/actions/removeDap';
import { CustomerNode } from '../tree/customerNode';
import { withCancellableProgress, withViewProgress } from '../ui/progress';
import { actionContext, type CommandDeps } from './commandDeps';
import { pickCustomer, selectedOf } from './pickers';
import { reportResults } from './report';

const isCustomer = (n: unknown): n is CustomerNode => n instanceof CustomerNode;

/**
 * GDAP: Remove DAP… — read the Partner Center customer first (DAP state is only on GET by id,
 * docs/api-notes.md §8.3); already off: say so; no active GDAP relationship: warn loudly; then the PATCH and
 * a re-read (inside core).
 */
export async function removeDapCommand(deps: CommandDeps, node?: unknown, selection?: unknown): Promise<void> {
  const title = vscode.l10n.t('Remove DAP');
  let targets = selectedOf(node, selection, isCustomer);
  if (targets.length === 0) {
    targets = [await pickCustomer(deps, title, (c) => deps.tree.store.dapState(c.tenantId) !== false)];
  }

  const pc = deps.clients().partnerCenter;
  const states = await withViewProgress(() => Promise.all(targets.map((t) => pc.getCustomer(t.tenantId))));
  const withDap: CustomerNode[] = [];
  targets.forEach((t, i) => {
    const on = states[i].allowDelegatedAccess;
    if (on !== null) {
      deps.tree.store.setDap(t.tenantId, on);
      deps.tree.repaint(t);
    }
    if (on !== false) {
      withDap.push(t);
    }
  });
  const alreadyOff = targets.filter((t) => !withDap.includes(t));
  if (withDap.length === 0) {
    await deps.prompts.current.notify(
      'info',
      vscode.l10n.t('DAP is already off for {0}. Nothing to do.', alreadyOff.map((t) => t.displayName).join(', ')),
    );
    return;
  }

  const noGdap = withDap.filter((t) => !t.hasActiveGdap());
  const message =
    withDap.length === 1
      ? vscode.l10n.t('Remove legacy DAP (delegated admin privileges) for {0}?', withDap[0].displayName)
      : vscode.l10n.t('Remove legacy DAP for {0} customers?', withDap.length);
  const detail = [
    noGdap.length > 0
      ? vscode.l10n.t(
          '⚠ WARNING: {0} has no active GDAP relationship. Removing DAP removes ALL of your admin access to this customer.',
          noGdap.map((t) => t.displayName).join(', '),
        )
      : '',
    vscode.l10n.t(
      "Your partner tenant's Admin Agents and Helpdesk Agents lose their DAP roles (Global Administrator, Helpdesk Administrator) in: {0}. Access through active GDAP relationships stays.",
      withDap.map((t) => t.displayName).join(', '),
    ),
    alreadyOff.length > 0 ? vscode.l10n.t('Already off (nothing sent): {0}', alreadyOff.map((t) => t.displayName).join(', ')) : '',
  ]
    .filter((l) => l !== '')
    .join('\n\n');
  const typeName =
    deps.settings().confirmation === 'typeName' || noGdap.length > 0
      ? withDap.length === 1
        ? withDap[0].displayName
        : String(withDap.length)
      : undefined;
  const ok = await deps.prompts.current.confirm({ message, detail, confirmLabel: vscode.l10n.t('Remove DAP'), typeToConfirm: typeName });
  if (!ok) {
    deps.log.info('Remove DAP: cancelled at confirmation; nothing sent.');
    return;
  }
  const results = await withCancellableProgress(title, async (signal) => {
    const ctx = await actionContext(deps, signal);
    return removeDap(
      ctx,
      withDap.map((t) => t.tenantId),
    );
  });
  for (const t of withDap) {
    const r = results.find((x) => x.id === t.tenantId);
    if (r?.status === 'dapOff') {
      deps.tree.store.setDap(t.tenantId, false);
    }
    deps.tree.repaint(t);
  }
  reportResults(
    deps,
    title,
    results.map((r) => ({ ...r, name: r.name ?? withDap.find((t) => t.tenantId === r.id)?.displayName })),
  );
}
