import type { Inventory, InventoryCustomer, InventoryRelationship } from '../actions/inventory';
import type { CallOptions } from '../graph/gdapApi';
import type { AccessAssignment, Relationship } from '../graph/models';
import type { MutationApis } from '../actions/mutationStrategy';
import { domainAccessAssignment, domainRelationship } from '../domain/model';
import { accessImpact, impactPairKey, type CustomerImpact, type ImpactRole, type ImpactTarget, type KeptRole } from './impact';

/*
 * The impact of one plan item (docs/access.md "Impact in plans"): what the change takes away from the
 * customer the item is about, read fresh with the plan. Every destructive plan item carries it, so the
 * confirmation, `--dry-run` and the journal's intent record say the same thing.
 */

/** A plan item's impact: the (group, role) pairs its target takes away, split into lost and still granted. */
export interface PlanImpact {
  readonly lost: readonly ImpactRole[];
  readonly keptThrough: readonly KeptRole[];
}

/** What the plans of one call read to compute impact: the customers' relationships and assignments. */
export interface ImpactReading {
  readonly inventory: Inventory;
  /** Every target of the call: they are taken away together (docs/access.md). */
  readonly targets: readonly ImpactTarget[];
  /** Customers (tenant ids, lower case) whose relationships and active assignments were all read. */
  readonly complete: ReadonlySet<string>;
}

/** Above this many customers one full relationship pass is cheaper than one filtered list per customer. */
const PER_CUSTOMER_LIST_LIMIT = 10;

const lower = (s: string): string => s.toLowerCase();

async function readRelationshipsOf(
  apis: MutationApis,
  tenantIds: readonly string[],
  options: CallOptions,
): Promise<{ relationships: Relationship[]; failed: Set<string> }> {
  const failed = new Set<string>();
  if (tenantIds.length > PER_CUSTOMER_LIST_LIMIT) {
    try {
      const wanted = new Set(tenantIds.map(lower));
      const all = await apis.graph.listAllRelationships({ top: 300, ...options });
      return { relationships: all.filter((r) => wanted.has(lower(r.customer?.tenantId ?? ''))), failed };
    } catch {
      return { relationships: [], failed: new Set(tenantIds.map(lower)) };
    }
  }
  const lists = await Promise.all(
    tenantIds.map(async (t) => {
      try {
        return await apis.graph.listAllRelationships({ customerTenantId: t, ...options });
      } catch {
        failed.add(lower(t));
        return [];
      }
    }),
  );
  return { relationships: lists.flat(), failed };
}

/**
 * The active relationships whose assignments can change the impact of `targets` (docs/access.md
 * "Impact in plans"): every target relationship; at a customer losing DAP, every one (the Remove DAP
 * guard asks for any active assignment); elsewhere only the relationships sharing a role with what the
 * targets at that customer can take away (an assignment's roles are its relationship's). A target whose
 * roles are unknown makes every active relationship of its customer matter.
 */
function relationshipsThatMatter(active: readonly Relationship[], targets: readonly ImpactTarget[]): Relationship[] {
  const tenantOf = (r: Relationship): string => lower(r.customer?.tenantId ?? '');
  const byId = new Map(active.map((r) => [lower(r.id), r]));
  const targeted = new Set<string>();
  const everything = new Set<string>();
  const takeable = new Map<string, Set<string>>();
  for (const t of targets) {
    if (t.kind === 'removeDap') {
      everything.add(lower(t.customerTenantId));
      continue;
    }
    const r = byId.get(lower(t.relationshipId));
    if (r === undefined) {
      continue; // not active: it grants nothing, so it takes nothing away
    }
    targeted.add(lower(r.id));
    const roles = t.kind === 'removeRelationshipRoles' ? t.roleDefinitionIds : r.roleDefinitionIds;
    if (roles.length === 0) {
      everything.add(tenantOf(r));
      continue;
    }
    const set = takeable.get(tenantOf(r)) ?? new Set<string>();
    roles.forEach((role) => set.add(lower(role)));
    takeable.set(tenantOf(r), set);
  }
  return active.filter((r) => {
    if (targeted.has(lower(r.id)) || everything.has(tenantOf(r))) {
      return true;
    }
    const roles = takeable.get(tenantOf(r));
    return roles !== undefined && (r.roleDefinitionIds.length === 0 || r.roleDefinitionIds.some((role) => roles.has(lower(role))));
  });
}

/**
 * Reads, for the customers in `customerTenantIds`, every relationship and the access assignments of the
 * active ones, as a small inventory. Never throws: a customer whose reads failed is left out of `complete`,
 * and its plan items say the impact is unknown (null) rather than "nothing lost".
 */
export async function readImpact(
  apis: MutationApis,
  customerTenantIds: readonly string[],
  targets: readonly ImpactTarget[],
  options: CallOptions,
): Promise<ImpactReading> {
  const tenants = [...new Map(customerTenantIds.filter((t) => t !== '').map((t) => [lower(t), t])).values()];
  if (tenants.length === 0) {
    return { inventory: emptyInventory([]), targets, complete: new Set() };
  }
  const { relationships, failed } = await readRelationshipsOf(apis, tenants, options);
  const active = relationshipsThatMatter(
    relationships.filter((r) => r.status === 'active'),
    targets,
  );
  let assignments = new Map<string, AccessAssignment[]>();
  if (active.length > 0) {
    try {
      const read = await apis.graph.listAccessAssignmentsForMany(
        active.map((r) => r.id),
        options,
      );
      assignments = new Map(active.flatMap((r) => ((item) => (item?.ok === true ? [[r.id, item.value] as const] : []))(read.get(r.id))));
    } catch {
      // Every active relationship stays without assignments: its customer is incomplete below.
    }
  }
  for (const r of active) {
    if (!assignments.has(r.id)) {
      failed.add(lower(r.customer?.tenantId ?? ''));
    }
  }
  const byTenant = new Map<string, InventoryRelationship[]>();
  for (const r of relationships) {
    const key = lower(r.customer?.tenantId ?? '');
    const list = assignments.get(r.id);
    const domain = domainRelationship(r);
    byTenant.set(key, [
      ...(byTenant.get(key) ?? []),
      list === undefined ? domain : { ...domain, accessAssignments: list.map(domainAccessAssignment) },
    ]);
  }
  const customers: InventoryCustomer[] = tenants.map((t) => {
    const rels = [...(byTenant.get(lower(t)) ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'));
    return { tenantId: t, displayName: rels.find((r) => r.customer.displayName)?.customer.displayName ?? t, relationships: rels };
  });
  return {
    inventory: emptyInventory(customers),
    targets,
    complete: new Set(tenants.map(lower).filter((t) => !failed.has(t))),
  };
}

function emptyInventory(customers: readonly InventoryCustomer[]): Inventory {
  return { generatedAt: new Date(0).toISOString(), source: 'plan', customers, pendingRelationships: [] };
}

const wholeChange = new WeakMap<ImpactReading, CustomerImpact[]>();

/**
 * The impact of `target` (one plan item) at `customerTenantId`, counted with every target of the call
 * taken away together: of the pairs this target takes away, which are lost and which another
 * relationship or assignment still grants after the whole change. Null when it could not be read.
 */
export function planImpact(reading: ImpactReading | undefined, target: ImpactTarget, customerTenantId: string | null): PlanImpact | null {
  if (reading === undefined || customerTenantId === null || !reading.complete.has(lower(customerTenantId))) {
    return null;
  }
  let all = wholeChange.get(reading);
  if (all === undefined) {
    all = accessImpact(reading.inventory, reading.targets);
    wholeChange.set(reading, all);
  }
  const own = accessImpact(reading.inventory, [target]).find((c) => lower(c.customerTenantId) === lower(customerTenantId));
  const whole = all.find((c) => lower(c.customerTenantId) === lower(customerTenantId));
  if (own === undefined || whole === undefined) {
    return { lost: [], keptThrough: [] };
  }
  const mine = new Set([...own.lost, ...own.keptThrough].map(impactPairKey));
  return {
    lost: whole.lost.filter((r) => mine.has(impactPairKey(r))),
    keptThrough: whole.keptThrough.filter((r) => mine.has(impactPairKey(r))),
  };
}

/** Whether a customer keeps working admin access through GDAP after the change (the Remove DAP guard). */
export function hasActiveAssignment(reading: ImpactReading | undefined, customerTenantId: string): boolean | null {
  if (reading === undefined || !reading.complete.has(lower(customerTenantId))) {
    return null;
  }
  const customer = reading.inventory.customers.find((c) => lower(c.tenantId) === lower(customerTenantId));
  return (customer?.relationships ?? []).some(
    (r) => r.status === 'active' && (r.accessAssignments ?? []).some((a) => a.status === 'active'),
  );
}

/** Whether the customer has an active relationship (null when the relationships could not be read). */
export function hasActiveRelationship(reading: ImpactReading | undefined, customerTenantId: string): boolean | null {
  const customer = reading?.inventory.customers.find((c) => lower(c.tenantId) === lower(customerTenantId));
  if (reading === undefined || customer === undefined) {
    return null;
  }
  if (customer.relationships.some((r) => r.status === 'active')) {
    return true;
  }
  return reading.complete.has(lower(customerTenantId)) ? false : null;
}
