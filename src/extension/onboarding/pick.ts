import * as vscode from 'vscode';
import type { InventoryRelationship } from '../../core/actions/inventory';
import { GdapError } from '../../core/http/gdapError';
import type { CommandDeps } from '../commands/commandDeps';

export function cancelled(): GdapError {
  return new GdapError({ kind: 'cancelled', message: vscode.l10n.t('Cancelled.') });
}

/** Every relationship in the tree's data, with its customer's name (or none yet). */
export function allRelationships(deps: CommandDeps): { relationship: InventoryRelationship; customer: string | null }[] {
  const inv = deps.tree.store.current;
  if (inv === undefined) {
    return [];
  }
  return [
    ...inv.customers.flatMap((c) => c.relationships.map((relationship) => ({ relationship, customer: c.displayName || c.tenantId }))),
    ...inv.pendingRelationships.map((relationship) => ({ relationship, customer: null })),
  ];
}

/**
 * Palette fallback: one searchable list of the relationships a command applies to, across customers and
 * invitations any customer may approve (loads the inventory if needed).
 */
export async function pickRelationshipOf(
  deps: CommandDeps,
  title: string,
  accept: (r: InventoryRelationship) => boolean,
): Promise<InventoryRelationship> {
  if (deps.tree.store.current === undefined) {
    await deps.tree.withProgress(() => deps.tree.store.load());
  }
  const candidates = allRelationships(deps).filter((c) => accept(c.relationship));
  if (candidates.length === 0) {
    await deps.prompts.current.notify('info', vscode.l10n.t('No relationship is in a state this action applies to.'));
    throw cancelled();
  }
  const chosen = await deps.prompts.current.pick(
    candidates.map((c) => ({
      label: c.relationship.displayName,
      description: c.customer ?? vscode.l10n.t('any customer'),
      detail: c.relationship.roles.map((r) => r.name).join(', '),
      value: c.relationship,
    })),
    { title, placeHolder: vscode.l10n.t('Choose a relationship (type to search)') },
  );
  if (chosen === undefined) {
    throw cancelled();
  }
  return chosen;
}
