import type { Inventory, InventoryRelationship, InventoryRole } from '../core/actions/inventory';
import { toCsv } from './csv';

const RELATIONSHIP_COLUMNS = [
  'customerTenantId',
  'customerDisplayName',
  'relationshipId',
  'relationshipDisplayName',
  'status',
  'createdDateTime',
  'activatedDateTime',
  'endDateTime',
  'duration',
  'autoExtendDuration',
  'roles',
  'privileged',
] as const;

const ASSIGNMENT_COLUMNS = [
  'assignmentId',
  'assignmentStatus',
  'accessContainerId',
  'accessContainerType',
  'assignmentRoles',
  'assignmentCreatedDateTime',
  'assignmentLastModifiedDateTime',
] as const;

type Cell = string | boolean | null;

/** Role names joined with "; " (a role name never contains one). */
function roleNames(roles: readonly InventoryRole[]): string {
  return roles.map((r) => r.name).join('; ');
}

function relationshipCells(r: InventoryRelationship): Cell[] {
  return [
    r.customer.tenantId,
    r.customer.displayName,
    r.id,
    r.displayName,
    r.status,
    r.createdDateTime,
    r.activatedDateTime,
    r.endDateTime,
    r.duration,
    r.autoExtendDuration,
    roleNames(r.roles),
    r.roles.some((role) => role.privileged),
  ];
}

/** Every relationship of the inventory in output order: customers (by name), then the pending ones. */
export function inventoryRelationships(inventory: Inventory): InventoryRelationship[] {
  return [...inventory.customers.flatMap((c) => c.relationships), ...inventory.pendingRelationships];
}

/**
 * RFC 4180 CSV: one row per relationship; with assignments one row per access assignment, and one row
 * with empty assignment columns for a relationship that has none (so no relationship disappears).
 */
export function relationshipsToCsv(relationships: readonly InventoryRelationship[], withAssignments: boolean): string {
  if (!withAssignments) {
    return toCsv(RELATIONSHIP_COLUMNS, relationships.map(relationshipCells));
  }
  const rows: Cell[][] = [];
  for (const r of relationships) {
    const base = relationshipCells(r);
    const assignments = r.accessAssignments ?? [];
    if (assignments.length === 0) {
      rows.push([...base, ...ASSIGNMENT_COLUMNS.map(() => null)]);
    }
    for (const a of assignments) {
      rows.push([
        ...base,
        a.id,
        a.status,
        a.accessContainer.accessContainerId,
        a.accessContainer.accessContainerType,
        roleNames(a.roles),
        a.createdDateTime,
        a.lastModifiedDateTime,
      ]);
    }
  }
  return toCsv([...RELATIONSHIP_COLUMNS, ...ASSIGNMENT_COLUMNS], rows);
}

export function inventoryToCsv(inventory: Inventory, withAssignments: boolean): string {
  return relationshipsToCsv(inventoryRelationships(inventory), withAssignments);
}
