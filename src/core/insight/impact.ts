import type { Inventory, InventoryRelationship } from '../actions/inventory';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../roles/roleCatalog';
import { resolveRole } from '../roles/roleLookup';
import { activeAssignments, groupName, grantsAccess, type InsightContext } from './accessRows';

/*
 * What a change takes away, before it is made: per customer, which partner group loses which role, and
 * which of those the group keeps through another active relationship or assignment of the same customer.
 * Pure over the inventory; the mutation plans put it into every plan item.
 */

/** Something about to lose access. All targets of one call are taken away together. */
export type ImpactTarget =
  | { readonly kind: 'terminateRelationship'; readonly relationshipId: string }
  | { readonly kind: 'removeAssignment'; readonly relationshipId: string; readonly assignmentId: string }
  /** Roles leave the relationship (Global Administrator removed, roles changed): every assignment loses them too. */
  | { readonly kind: 'removeRelationshipRoles'; readonly relationshipId: string; readonly roleDefinitionIds: readonly string[] }
  /** An assignment's roles become exactly `roleDefinitionIds`. */
  | {
      readonly kind: 'setAssignmentRoles';
      readonly relationshipId: string;
      readonly assignmentId: string;
      readonly roleDefinitionIds: readonly string[];
    }
  /** Legacy DAP removed from a customer (see DAP_GRANTS). */
  | { readonly kind: 'removeDap'; readonly customerTenantId: string };

export interface ImpactRole {
  readonly groupId: string;
  readonly groupName: string | null;
  readonly roleDefinitionId: string;
  readonly roleName: string;
}

export interface KeptRole extends ImpactRole {
  readonly relationshipId: string;
  readonly relationshipName: string;
}

export interface CustomerImpact {
  readonly customerTenantId: string;
  readonly customerName: string;
  /** Roles the group no longer has at this customer once the targets are gone. */
  readonly lost: readonly ImpactRole[];
  /** Roles the targets grant that the group still has, and the relationship that still grants each. */
  readonly keptThrough: readonly KeptRole[];
}

/**
 * What legacy DAP grants (docs/api-notes.md §8): the partner's Admin Agents group is Global Administrator
 * in the customer tenant. That group is not a GDAP security group the inventory can name, so for DAP a
 * role counts as kept when any active GDAP assignment of the customer still grants it (docs/access.md).
 */
export const DAP_GROUP_ID = 'dap:AdminAgents';
const DAP_GROUP_NAME = 'Admin Agents (DAP)';

interface Grant {
  readonly customerTenantId: string;
  readonly relationshipId: string;
  readonly assignmentId: string;
  readonly groupId: string;
  readonly roleDefinitionId: string;
}

const lower = (s: string): string => s.toLowerCase();
const pairKey = (groupId: string, roleId: string): string => `${lower(groupId)}|${lower(roleId)}`;

function removedBy(targets: readonly ImpactTarget[], grant: Grant): boolean {
  return targets.some((t) => {
    switch (t.kind) {
      case 'terminateRelationship':
        return lower(t.relationshipId) === lower(grant.relationshipId);
      case 'removeAssignment':
        return lower(t.relationshipId) === lower(grant.relationshipId) && lower(t.assignmentId) === lower(grant.assignmentId);
      case 'removeRelationshipRoles':
        return (
          lower(t.relationshipId) === lower(grant.relationshipId) &&
          t.roleDefinitionIds.some((r) => lower(r) === lower(grant.roleDefinitionId))
        );
      case 'setAssignmentRoles':
        return (
          lower(t.relationshipId) === lower(grant.relationshipId) &&
          lower(t.assignmentId) === lower(grant.assignmentId) &&
          !t.roleDefinitionIds.some((r) => lower(r) === lower(grant.roleDefinitionId))
        );
      case 'removeDap':
        return false;
    }
  });
}

/**
 * Per customer touched by `targets`: what each partner group loses and what it keeps through something
 * else. For every customer, `lost` ∪ `keptThrough` is exactly the (group, role) pairs the targets take
 * away, and no pair is in both. Targets that grant nothing now (an ended relationship, a deleted
 * assignment) take nothing away. Customers come in inventory order.
 */
export function accessImpact(inventory: Inventory, targets: readonly ImpactTarget[], context: InsightContext = {}): CustomerImpact[] {
  const out: CustomerImpact[] = [];
  const relationshipById = new Map<string, InventoryRelationship>();
  for (const c of inventory.customers) {
    for (const r of c.relationships) {
      relationshipById.set(lower(r.id), r);
    }
  }
  const dapCustomers = new Set(targets.flatMap((t) => (t.kind === 'removeDap' ? [lower(t.customerTenantId)] : [])));
  for (const customer of inventory.customers) {
    const grants: Grant[] = [];
    for (const r of customer.relationships) {
      if (!grantsAccess(r)) {
        continue;
      }
      for (const a of activeAssignments(r)) {
        for (const role of a.roles) {
          grants.push({
            customerTenantId: customer.tenantId,
            relationshipId: r.id,
            assignmentId: a.id,
            groupId: a.accessContainer.accessContainerId,
            roleDefinitionId: role.roleDefinitionId,
          });
        }
      }
    }
    const taken = grants.filter((g) => removedBy(targets, g));
    const remaining = grants.filter((g) => !removedBy(targets, g));
    const dap = dapCustomers.has(lower(customer.tenantId));
    if (taken.length === 0 && !dap) {
      continue;
    }
    const role = (groupId: string, roleDefinitionId: string): ImpactRole => ({
      groupId,
      groupName: groupId === DAP_GROUP_ID ? DAP_GROUP_NAME : groupName(groupId, context.groups),
      roleDefinitionId,
      roleName: resolveRole(roleDefinitionId, context.roles).name,
    });
    const lost: ImpactRole[] = [];
    const keptThrough: KeptRole[] = [];
    const seen = new Set<string>();
    const settle = (groupId: string, roleDefinitionId: string, keeper: Grant | undefined): void => {
      const key = pairKey(groupId, roleDefinitionId);
      if (seen.has(key)) {
        return;
      }
      seen.add(key);
      if (keeper === undefined) {
        lost.push(role(groupId, roleDefinitionId));
        return;
      }
      const via = relationshipById.get(lower(keeper.relationshipId));
      keptThrough.push({
        ...role(groupId, roleDefinitionId),
        relationshipId: keeper.relationshipId,
        relationshipName: via?.displayName ?? keeper.relationshipId,
      });
    };
    for (const g of taken) {
      settle(
        g.groupId,
        g.roleDefinitionId,
        remaining.find((x) => pairKey(x.groupId, x.roleDefinitionId) === pairKey(g.groupId, g.roleDefinitionId)),
      );
    }
    if (dap) {
      settle(
        DAP_GROUP_ID,
        GLOBAL_ADMINISTRATOR_ROLE_ID,
        remaining.find((x) => lower(x.roleDefinitionId) === GLOBAL_ADMINISTRATOR_ROLE_ID),
      );
    }
    out.push({ customerTenantId: customer.tenantId, customerName: customer.displayName || customer.tenantId, lost, keptThrough });
  }
  return out;
}

/** One (group, role) pair as a comparable key (ids compared case-insensitively). */
export function impactPairKey(entry: { readonly groupId: string; readonly roleDefinitionId: string }): string {
  return pairKey(entry.groupId, entry.roleDefinitionId);
}
