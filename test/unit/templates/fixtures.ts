import type { Inventory, InventoryCustomer } from '../../../src/core/actions/inventory';
import type { DomainAccessAssignment, DomainRelationship } from '../../../src/core/domain/model';
import { domainRoles } from '../../../src/core/domain/roles';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../../src/core/roles/roleCatalog';
import type { TemplateChange, TemplatePlan } from '../../../src/core/templates/planner';

/*
 * Inventories built by hand for the planner's tests, and a model of what applying a plan does to one
 * (what the strategies would leave behind), so "apply, then plan again" can be checked on many states.
 */

export const ROLE = {
  helpdesk: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  userAdmin: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  exchange: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  ga: GLOBAL_ADMINISTRATOR_ROLE_ID,
} as const;

export const tenant = (n: number): string => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
export const group = (n: number): string => `aaaaaaaa-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

let sequence = 0;
const nextId = (): string => {
  sequence += 1;
  return `cccccccc-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
};

export function assignment(groupId: string, roles: readonly string[], status = 'active'): DomainAccessAssignment {
  return {
    id: nextId(),
    status,
    accessContainer: { accessContainerId: groupId, accessContainerType: 'securityGroup' },
    roles: domainRoles(roles),
    createdDateTime: '2026-01-01T00:00:00Z',
    lastModifiedDateTime: '2026-01-01T00:00:00Z',
    etag: `W/"${sequence}"`,
  };
}

export function relationship(
  tenantId: string,
  displayName: string,
  roles: readonly string[],
  extra: Partial<DomainRelationship> = {},
): DomainRelationship {
  const status = extra.status ?? 'active';
  return {
    id: nextId(),
    displayName,
    status,
    createdDateTime: '2026-01-01T00:00:00Z',
    activatedDateTime: status === 'active' ? '2026-01-02T00:00:00Z' : null,
    endDateTime: '2028-01-01T00:00:00Z',
    duration: 'P730D',
    autoExtendDuration: 'PT0S',
    customer: { tenantId, displayName: `Customer ${tenantId.slice(0, 8)}` },
    roles: domainRoles(roles),
    etag: 'W/"1"',
    ...(status === 'active' ? { accessAssignments: [] } : {}),
    ...extra,
  };
}

export function inventory(customers: { tenantId: string; relationships: DomainRelationship[] }[]): Inventory {
  return {
    generatedAt: '2026-11-30T00:00:00Z',
    source: 'test',
    customers: customers.map<InventoryCustomer>((c) => ({
      tenantId: c.tenantId,
      displayName: `Customer ${c.tenantId.slice(0, 8)}`,
      relationships: c.relationships,
    })),
    pendingRelationships: [],
  };
}

type Mutable = { -readonly [K in keyof Inventory]: Inventory[K] };

function mapRelationship(inv: Inventory, id: string, f: (r: DomainRelationship) => DomainRelationship): Inventory {
  return {
    ...(inv as Mutable),
    customers: inv.customers.map((c) => ({ ...c, relationships: c.relationships.map((r) => (r.id === id ? f(r) : r)) })),
  };
}

/**
 * What the strategies leave behind when every change of `plan` succeeds. New relationships are left
 * `approvalPending` (the customer has not approved yet) unless `approve` is set: then they are active
 * with their planned assignments granted, as `grant-planned` would do.
 */
export function simulateApply(inv: Inventory, plan: TemplatePlan, approve = false): Inventory {
  let out = inv;
  for (const c of plan.changes) {
    out = applyOne(out, c, approve);
  }
  return out;
}

function applyOne(inv: Inventory, c: TemplateChange, approve: boolean): Inventory {
  const op = c.operation;
  switch (op.kind) {
    case 'none':
      return inv;
    case 'create': {
      const created = relationship(op.customerTenantId, op.displayName, op.roleDefinitionIds, {
        status: approve ? 'active' : 'approvalPending',
        createdDateTime: '2026-11-30T00:00:00Z',
        activatedDateTime: approve ? '2026-11-30T00:00:00Z' : null,
        autoExtendDuration: op.autoExtendDuration ?? 'PT0S',
        ...(approve ? { accessAssignments: op.assignments.map((a) => assignment(a.groupId, a.roleDefinitionIds)) } : {}),
      });
      return {
        ...(inv as Mutable),
        customers: inv.customers.map((x) =>
          x.tenantId.toLowerCase() === op.customerTenantId ? { ...x, relationships: [...x.relationships, created] } : x,
        ),
      };
    }
    case 'relationship':
      return mapRelationship(inv, op.relationshipId, (r) => {
        if (c.action === 'removeGa') {
          return { ...r, roles: r.roles.filter((x) => x.roleDefinitionId !== ROLE.ga) };
        }
        return { ...r, autoExtendDuration: c.action === 'autoExtendOn' ? 'P180D' : 'PT0S' };
      });
    case 'setRoles':
      return mapRelationship(inv, op.relationshipId, (r) => ({
        ...r,
        accessAssignments: (r.accessAssignments ?? []).map((a) =>
          a.id === op.assignmentId ? { ...a, roles: domainRoles(op.roleDefinitionIds) } : a,
        ),
      }));
    case 'assign':
      return mapRelationship(inv, op.relationshipId, (r) => ({
        ...r,
        accessAssignments: [...(r.accessAssignments ?? []), assignment(op.groupId, op.roleDefinitionIds)],
      }));
    case 'unassign':
      return mapRelationship(inv, op.relationshipId, (r) => ({
        ...r,
        accessAssignments: (r.accessAssignments ?? []).filter((a) => a.id !== op.assignmentId),
      }));
  }
}
