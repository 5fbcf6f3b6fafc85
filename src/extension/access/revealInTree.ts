import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/commandDeps';
import type { GdapNode } from '../tree/node';

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
  await revealSelected(deps.treeView, node);
  return true;
}

/** How often a reveal is tried, and how long each waits for the selection to arrive. */
const REVEAL_ATTEMPTS = 3;
const SELECTION_WAIT_MS = 1_000;

/**
 * Reveals and selects `node`. VS Code drops a reveal silently (it only logs) when a repaint of an ancestor
 * lands while it resolves the node, and the tree repaints in the background (DAP states arriving, the
 * "No GDAP" group appearing): so the selection is checked and the reveal tried again, a bounded number
 * of times.
 */
export async function revealSelected(view: vscode.TreeView<GdapNode>, node: GdapNode): Promise<boolean> {
  for (let attempt = 0; attempt < REVEAL_ATTEMPTS; attempt += 1) {
    await view.reveal(node, { select: true, focus: true, expand: false });
    if (await selectionShows(view, node.id)) {
      return true;
    }
  }
  return false;
}

function selectionShows(view: vscode.TreeView<GdapNode>, id: string): Promise<boolean> {
  if (view.selection.some((n) => n.id === id)) {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(view.selection.some((n) => n.id === id));
    }, SELECTION_WAIT_MS);
    const sub = view.onDidChangeSelection((e) => {
      if (e.selection.some((n) => n.id === id)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(true);
      }
    });
  });
}
