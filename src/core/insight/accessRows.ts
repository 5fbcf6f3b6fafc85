import type { Inventory, InventoryAccessAssignment, InventoryRelationship } from '../actions/inventory';
import { autoExtends } from '../actions/relationshipFacts';
import { resolveRole, type LiveRoleCatalog, type ResolvedRole } from '../roles/roleLookup';
import { compareNames } from '../domain/nameOrder';

/*
 * "Who can do what": one row per customer × relationship × security group × role, over the inventory only
 * (no requests), so the CLI, the extension's matrix and the doctor all read the same rows.
 */

/** Names and the directory's answers about the partner's security groups (optional; see docs/access.md). */
export interface GroupDirectory {
  /** Display names by group id (as `getGroupNames` returns them; an id mapped to itself is no name). */
  readonly names?: ReadonlyMap<string, string>;
  /** Group ids the directory answered 404 for: the group no longer exists. */
  readonly notFound?: ReadonlySet<string>;
}

/** What every insight function may be given besides the inventory. */
export interface InsightContext {
  readonly groups?: GroupDirectory;
  /** Live role definitions (opt-in); the static catalog fills the gaps. */
  readonly roles?: LiveRoleCatalog;
}

export interface AccessRow {
  readonly customerTenantId: string;
  readonly customerName: string;
  readonly relationshipId: string;
  readonly relationshipName: string;
  readonly groupId: string;
  /** null when the name was not resolved. */
  readonly groupName: string | null;
  readonly roleDefinitionId: string;
  readonly roleName: string;
  /** true / false as the role catalog says; null when nobody can say (an unknown role). */
  readonly privileged: boolean | null;
  readonly endDateTime: string | null;
  readonly autoExtends: boolean;
}

export interface AccessRowFilter {
  /** Customer tenant ids (any of them). */
  readonly customers?: readonly string[];
  /** Security group ids (any of them). */
  readonly groups?: readonly string[];
  /** Role template ids or role names, case-insensitive (any of them). */
  readonly roles?: readonly string[];
}

/** A group's display name, or null when it is not known (a lookup that failed maps the id to itself). */
export function groupName(groupId: string, groups: GroupDirectory | undefined): string | null {
  const name = groups?.names?.get(groupId);
  return name === undefined || name === groupId ? null : name;
}

/** Tri-state privileged flag of a resolved role for output: null when unknown. */
export function privilegedFlag(role: ResolvedRole): boolean | null {
  return role.privilege === 'unknown' ? null : role.privilege === 'privileged';
}

/** Relationships that grant access now: only `active` ones (ending or pending ones are not counted). */
export function grantsAccess(relationship: Pick<InventoryRelationship, 'status'>): boolean {
  return relationship.status === 'active';
}

/** Assignments that grant their roles now. */
export function activeAssignments(relationship: InventoryRelationship): InventoryAccessAssignment[] {
  return (relationship.accessAssignments ?? []).filter((a) => a.status === 'active');
}

function matchesRole(role: ResolvedRole, wanted: readonly string[]): boolean {
  const id = role.roleDefinitionId.toLowerCase();
  const name = role.name.toLowerCase();
  return wanted.some((w) => {
    const x = w.trim().toLowerCase();
    return x === id || x === name;
  });
}

/**
 * Every (customer, relationship, group, role) that grants access now: active relationships' active access
 * assignments, sorted by customer, relationship, group and role name. Filters combine with AND; values
 * within one filter with OR.
 */
export function accessRows(inventory: Inventory, filter: AccessRowFilter = {}, context: InsightContext = {}): AccessRow[] {
  const customers = filter.customers?.map((c) => c.toLowerCase());
  const groups = filter.groups?.map((g) => g.toLowerCase());
  const rows: AccessRow[] = [];
  for (const customer of inventory.customers) {
    if (customers !== undefined && customers.length > 0 && !customers.includes(customer.tenantId.toLowerCase())) {
      continue;
    }
    for (const relationship of customer.relationships) {
      if (!grantsAccess(relationship)) {
        continue;
      }
      for (const assignment of activeAssignments(relationship)) {
        const groupId = assignment.accessContainer.accessContainerId;
        if (groups !== undefined && groups.length > 0 && !groups.includes(groupId.toLowerCase())) {
          continue;
        }
        for (const r of assignment.roles) {
          const role = resolveRole(r.roleDefinitionId, context.roles);
          if (filter.roles !== undefined && filter.roles.length > 0 && !matchesRole(role, filter.roles)) {
            continue;
          }
          rows.push({
            customerTenantId: customer.tenantId,
            customerName: customer.displayName || customer.tenantId,
            relationshipId: relationship.id,
            relationshipName: relationship.displayName,
            groupId,
            groupName: groupName(groupId, context.groups),
            roleDefinitionId: role.roleDefinitionId,
            roleName: role.name,
            privileged: privilegedFlag(role),
            endDateTime: relationship.endDateTime,
            autoExtends: autoExtends(relationship),
          });
        }
      }
    }
  }
  return rows.sort(
    (a, b) =>
      compareNames(a.customerName, b.customerName) ||
      compareNames(a.customerTenantId, b.customerTenantId) ||
      compareNames(a.relationshipName, b.relationshipName) ||
      compareNames(a.relationshipId, b.relationshipId) ||
      compareNames(a.groupName ?? a.groupId, b.groupName ?? b.groupId) ||
      compareNames(a.groupId, b.groupId) ||
      compareNames(a.roleName, b.roleName),
  );
}

/** Every security group id the inventory's assignments name (for one name lookup). */
export function assignmentGroupIds(inventory: Inventory): string[] {
  const ids = new Set<string>();
  for (const c of inventory.customers) {
    for (const r of c.relationships) {
      for (const a of r.accessAssignments ?? []) {
        ids.add(a.accessContainer.accessContainerId);
      }
    }
  }
  return [...ids];
}
