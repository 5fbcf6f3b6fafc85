import type { Inventory, InventoryAccessAssignment, InventoryCustomer, InventoryRelationship } from '../../../src/core/actions/inventory';
import { resolveRole } from '../../../src/core/roles/roleLookup';

/* Small builders of inventory states for the insight tests: only the fields the functions read matter. */

export const GA = '62e90394-69f5-4237-9190-012177145e10';
export const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
export const READER = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
export const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
export const UNKNOWN = 'dd4db9a0-cc4a-4213-9f9f-70242232d97e';

export const NOW = new Date('2026-06-01T00:00:00Z');
export const DAY = 86_400_000;

export function daysFromNow(days: number): string {
  return new Date(NOW.getTime() + days * DAY).toISOString();
}

const roles = (ids: readonly string[]): InventoryRelationship['roles'] =>
  ids.map((id) => {
    const r = resolveRole(id);
    return { roleDefinitionId: id, name: r.name, privileged: r.privileged };
  });

export function assignment(id: string, groupId: string, roleIds: readonly string[], status = 'active'): InventoryAccessAssignment {
  return {
    id,
    status,
    accessContainer: { accessContainerId: groupId, accessContainerType: 'securityGroup' },
    roles: roles(roleIds),
    createdDateTime: null,
    lastModifiedDateTime: null,
  };
}

export function relationship(
  id: string,
  o: {
    name?: string;
    status?: string;
    roles: readonly string[];
    assignments?: readonly InventoryAccessAssignment[] | null;
    endDateTime?: string | null;
    autoExtendDuration?: string;
    createdDateTime?: string | null;
    tenantId?: string | null;
  },
): InventoryRelationship {
  const base: InventoryRelationship = {
    id,
    displayName: o.name ?? `Rel ${id}`,
    status: o.status ?? 'active',
    createdDateTime: o.createdDateTime ?? null,
    activatedDateTime: null,
    endDateTime: o.endDateTime === undefined ? daysFromNow(365) : o.endDateTime,
    duration: 'P730D',
    autoExtendDuration: o.autoExtendDuration ?? 'PT0S',
    customer: { tenantId: o.tenantId ?? null, displayName: null },
    roles: roles(o.roles),
  };
  return o.assignments === null ? base : { ...base, accessAssignments: o.assignments ?? [] };
}

export function customer(tenantId: string, displayName: string, relationships: readonly InventoryRelationship[]): InventoryCustomer {
  return { tenantId, displayName, relationships };
}

export function inventory(customers: readonly InventoryCustomer[], pendingRelationships: readonly InventoryRelationship[] = []): Inventory {
  return { generatedAt: NOW.toISOString(), source: 'test', customers, pendingRelationships };
}
