import { expiryBucketOf } from '../../core/actions/expiryBuckets';
import type { Inventory, InventoryRelationship } from '../../core/actions/inventory';
import { autoExtends, includesGlobalAdministrator, isAutoExtendOn } from '../../core/actions/relationshipFacts';
import { CustomerNode } from '../tree/customerNode';
import { RelationshipNode } from '../tree/relationshipNode';
import { RenewalBucketNode, RenewalItemNode } from './renewalNodes';

/** The renewal fixes, each with the relationships it applies to (the menus and pickers offer those). */
export type RenewalFix = 'autoExtendOn' | 'autoExtendOff' | 'removeGlobalAdministrator' | 'makeRenewable' | 'renew';

const RENEWABLE = new Set(['active', 'expiring', 'expired']);

/**
 * Whether a fix applies to a relationship as loaded. The run plans from fresh reads and decides again;
 * this only chooses what a whole customer, a bucket or a picker offers. Auto-extend on keeps relationships
 * with Global Administrator so that they are refused with the reason (and the offer of Make Renewable).
 * Renew offers what has ended or is about to: the relationships in an expiry bucket (docs/renewal.md).
 */
export function fixApplies(fix: RenewalFix, r: InventoryRelationship, now: Date): boolean {
  const active = r.status === 'active';
  switch (fix) {
    case 'autoExtendOn':
      return active && !isAutoExtendOn(r);
    case 'autoExtendOff':
      return active && isAutoExtendOn(r);
    case 'removeGlobalAdministrator':
      return active && includesGlobalAdministrator(r);
    case 'makeRenewable':
      return active && !autoExtends(r);
    case 'renew':
      return RENEWABLE.has(r.status) && r.customer.tenantId !== null && expiryBucketOf(r, now) !== null;
  }
}

/** Every relationship of the inventory (customers' and those without a customer yet). */
export function allRelationships(inventory: Inventory | undefined): InventoryRelationship[] {
  if (inventory === undefined) {
    return [];
  }
  return [...inventory.customers.flatMap((c) => c.relationships), ...inventory.pendingRelationships];
}

/**
 * The relationships a context-menu command acts on: the clicked node, or the multi-selection that holds
 * it. A relationship (explorer or Renewal view) is taken as it is (the plan says why nothing is sent for
 * one the fix does not apply to); a customer or a bucket contributes the relationships the fix applies to.
 */
export function relationshipsOfSelection(
  fix: RenewalFix,
  node: unknown,
  selection: unknown,
  lookup: (id: string) => InventoryRelationship | undefined,
  now: Date,
): InventoryRelationship[] {
  const nodes = Array.isArray(selection) && selection.some((s) => s === node) ? (selection as unknown[]) : [node];
  const out = new Map<string, InventoryRelationship>();
  const add = (r: InventoryRelationship | undefined): void => {
    if (r !== undefined) {
      out.set(r.id, lookup(r.id) ?? r);
    }
  };
  for (const n of nodes) {
    if (n instanceof RelationshipNode) {
      add(n.relationship);
    } else if (n instanceof RenewalItemNode) {
      add(n.relationship);
    } else if (n instanceof CustomerNode) {
      n.customer.relationships.filter((r) => fixApplies(fix, lookup(r.id) ?? r, now)).forEach(add);
    } else if (n instanceof RenewalBucketNode) {
      n.relationships.filter((r) => fixApplies(fix, lookup(r.id) ?? r, now)).forEach(add);
    }
  }
  return [...out.values()];
}
