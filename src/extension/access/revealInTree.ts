import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/commandDeps';

/**
 * Shows a relationship in the Delegated Admin tree: its customer expanded, the relationship selected and
 * focused (a cell chosen in the Access Matrix, a finding's quick fix). Says so when the tree does not
 * show it (a filter hides it, or the tree was refreshed without it).
 */
export async function revealRelationship(deps: CommandDeps, customerTenantId: string, relationshipId: string): Promise<boolean> {
  const customer = deps.tree.allCustomers().find((c) => c.tenantId.toLowerCase() === customerTenantId.toLowerCase());
  const children = customer === undefined ? [] : await customer.getChildren();
  const node = children.find(
    (n) => n.kind === 'relationship' && n.id.toLowerCase().endsWith(`/relationship/${relationshipId.toLowerCase()}`),
  );
  if (node === undefined || deps.treeView === undefined) {
    await deps.prompts.current.notify(
      'warning',
      vscode.l10n.t(
        'The relationship {0} is not shown in the GDAP tree (a filter may hide it). Clear the filter or refresh the tree.',
        relationshipId,
      ),
    );
    return false;
  }
  await deps.treeView.reveal(node, { select: true, focus: true, expand: false });
  return true;
}
