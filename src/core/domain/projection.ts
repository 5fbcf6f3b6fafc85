import type { DomainAccessAssignment, DomainRelationship, DomainRole } from './model';
import { isSharedRole } from './roles';

/*
 * The CLI's JSON output contract (README.md, "Commands") as projections of the domain model. Field
 * names and their order are fixed here and pinned by a contract test; internal fields (ETags, the
 * assignment's relationship id) never reach the output.
 */

export interface RoleJson {
  readonly roleDefinitionId: string;
  readonly name: string;
  readonly privileged: boolean;
}

export interface AccessAssignmentJson {
  readonly id: string;
  readonly status: string;
  readonly accessContainer: { readonly accessContainerId: string; readonly accessContainerType: string };
  readonly roles: readonly RoleJson[];
  readonly createdDateTime: string | null;
  readonly lastModifiedDateTime: string | null;
}

export interface RelationshipJson {
  readonly id: string;
  readonly displayName: string;
  readonly status: string;
  readonly createdDateTime: string | null;
  readonly activatedDateTime: string | null;
  readonly endDateTime: string | null;
  readonly duration: string | null;
  readonly autoExtendDuration: string | null;
  readonly customer: { readonly tenantId: string | null; readonly displayName: string | null };
  readonly roles: readonly RoleJson[];
  readonly accessAssignments?: readonly AccessAssignmentJson[];
  readonly accessAssignmentsError?: { readonly kind: string; readonly message: string };
}

export function roleJson(r: DomainRole): RoleJson {
  // A shared role is already exactly this view (three fields in this order, frozen): no copy.
  return isSharedRole(r) ? r : { roleDefinitionId: r.roleDefinitionId, name: r.name, privileged: r.privileged };
}

/** The roles' view: the domain's own list when every role in it is a shared one (the usual case), else copies. */
function rolesJson(roles: readonly DomainRole[]): readonly RoleJson[] {
  for (let i = 0; i < roles.length; i++) {
    if (!isSharedRole(roles[i])) {
      return roles.map(roleJson);
    }
  }
  return roles;
}

export function accessAssignmentJson(a: DomainAccessAssignment): AccessAssignmentJson {
  return {
    id: a.id,
    status: a.status,
    accessContainer: { accessContainerId: a.accessContainer.accessContainerId, accessContainerType: a.accessContainer.accessContainerType },
    roles: rolesJson(a.roles),
    createdDateTime: a.createdDateTime,
    lastModifiedDateTime: a.lastModifiedDateTime,
  };
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

export function relationshipJson(r: DomainRelationship): RelationshipJson {
  const json: Writable<RelationshipJson> = {
    id: r.id,
    displayName: r.displayName,
    status: r.status,
    createdDateTime: r.createdDateTime,
    activatedDateTime: r.activatedDateTime,
    endDateTime: r.endDateTime,
    duration: r.duration,
    autoExtendDuration: r.autoExtendDuration,
    customer: { tenantId: r.customer.tenantId, displayName: r.customer.displayName },
    roles: rolesJson(r.roles),
  };
  // Added in this order after the fixed fields, as the contract orders them (a spread copied twice).
  if (r.accessAssignments !== undefined) {
    json.accessAssignments = r.accessAssignments.map(accessAssignmentJson);
  }
  if (r.accessAssignmentsError !== undefined) {
    json.accessAssignmentsError = { kind: r.accessAssignmentsError.kind, message: r.accessAssignmentsError.message };
  }
  return json;
}

export interface InventoryJson {
  readonly generatedAt: string;
  readonly source: string;
  readonly customers: readonly {
    readonly tenantId: string;
    readonly displayName: string;
    readonly relationships: readonly RelationshipJson[];
  }[];
  readonly pendingRelationships: readonly RelationshipJson[];
  readonly assignmentErrors?: readonly { readonly relationshipId: string; readonly kind: string; readonly message: string }[];
}

type DomainInventory = {
  readonly generatedAt: string;
  readonly source: string;
  readonly customers: readonly {
    readonly tenantId: string;
    readonly displayName: string;
    readonly relationships: readonly DomainRelationship[];
  }[];
  readonly pendingRelationships: readonly DomainRelationship[];
  readonly assignmentErrors?: readonly { readonly relationshipId: string; readonly kind: string; readonly message: string }[];
};

/**
 * `gdap inventory` JSON as its top level (the long lists still holding domain objects) and the projection
 * of one element of each list. The CLI writes the lists a few elements at a time, projecting each group
 * just before it is written, so the JSON view of the whole inventory never exists at once: at 2,000
 * customers it outlived the run's young objects and was copied by the collector (BENCHMARKS.md,
 * "Inventory output").
 */
export function inventoryJsonParts(inventory: DomainInventory): {
  readonly top: Readonly<Record<string, unknown>>;
  readonly element: (key: string, element: unknown) => unknown;
} {
  return {
    top: {
      generatedAt: inventory.generatedAt,
      source: inventory.source,
      customers: inventory.customers,
      pendingRelationships: inventory.pendingRelationships,
      ...(inventory.assignmentErrors !== undefined
        ? {
            assignmentErrors: inventory.assignmentErrors.map((e) => ({
              relationshipId: e.relationshipId,
              kind: e.kind,
              message: e.message,
            })),
          }
        : {}),
    },
    element: (key, element) => {
      if (key === 'customers') {
        const c = element as DomainInventory['customers'][number];
        return { tenantId: c.tenantId, displayName: c.displayName, relationships: c.relationships.map(relationshipJson) };
      }
      return key === 'pendingRelationships' ? relationshipJson(element as DomainRelationship) : element;
    },
  };
}

/** `gdap inventory` JSON from the domain inventory. */
export function inventoryJson(inventory: DomainInventory): InventoryJson {
  const { top, element } = inventoryJsonParts(inventory);
  const whole: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(top)) {
    whole[key] = Array.isArray(value) ? value.map((e: unknown) => element(key, e)) : value;
  }
  return whole as unknown as InventoryJson;
}
