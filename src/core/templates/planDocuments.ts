import type { Inventory } from '../actions/inventory';
import { isAutoExtendOn } from '../actions/relationshipFacts';
import { GONE_ASSIGNMENT_STATUSES } from '../actions/strategies/grantCommon';
import { domainRoles } from '../domain/roles';
import { managedRelationship, type TemplatePlan } from './planner';
import type { GdapTemplate } from './templateModel';

/*
 * The two sides of the plan's diff (docs/templates.md): the current state and the desired state of the
 * customers and relationships a template covers, in the same shape and order, so an editor's diff view
 * lines them up and shows exactly what apply changes. Pure; the extension shows them read-only.
 */

interface SideRelationship {
  readonly entry: string;
  readonly relationship: string | null;
  readonly id: string | null;
  readonly roles: readonly string[];
  readonly autoExtend: 'on' | 'off' | null;
  readonly assignments: Readonly<Record<string, readonly string[]>>;
}

interface SideCustomer {
  readonly customer: string;
  readonly tenantId: string;
  readonly relationships: SideRelationship[];
}

const names = (ids: readonly string[]): string[] =>
  domainRoles(ids)
    .map((r) => r.name)
    .sort();

/** `{ current, desired }` as JSON texts with the same layout. */
export function planDocuments(template: GdapTemplate, inventory: Inventory, plan: TemplatePlan): { current: string; desired: string } {
  const customers = new Map(inventory.customers.map((c) => [c.tenantId.toLowerCase(), c]));
  const current = new Map<string, SideCustomer>();
  const desired = new Map<string, SideCustomer>();
  const touched = new Set(plan.changes.map((c) => `${c.customerTenantId}|${c.entry}`));
  for (const w of plan.waiting) {
    touched.add(`${w.customerTenantId}|${w.entry}`);
  }
  for (const entry of template.relationships) {
    const tenants =
      entry.customers === '*'
        ? inventory.customers.filter((c) => c.relationships.some((r) => r.status === 'active')).map((c) => c.tenantId.toLowerCase())
        : entry.customers;
    for (const tenantId of [...tenants].sort()) {
      const customer = customers.get(tenantId);
      const label = customer?.displayName ?? tenantId;
      const side = (m: Map<string, SideCustomer>): SideCustomer => {
        const existing = m.get(tenantId) ?? { customer: label, tenantId, relationships: [] };
        m.set(tenantId, existing);
        return existing;
      };
      const managed = customer === undefined ? undefined : managedRelationship(customer.relationships, entry.name);
      const liveAssignments = Object.fromEntries(
        (managed?.accessAssignments ?? [])
          .filter((a) => !GONE_ASSIGNMENT_STATUSES.includes(a.status))
          .map((a) => [a.accessContainer.accessContainerId.toLowerCase(), names(a.roles.map((r) => r.roleDefinitionId))] as const)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      const now: SideRelationship = {
        entry: entry.name,
        relationship: managed?.displayName ?? null,
        id: managed?.id ?? null,
        roles: managed === undefined ? [] : names(managed.roles.map((r) => r.roleDefinitionId)),
        autoExtend: managed === undefined ? null : isAutoExtendOn(managed) ? 'on' : 'off',
        assignments: liveAssignments,
      };
      const create = plan.changes.find((c) => c.customerTenantId === tenantId && c.entry === entry.name && c.action === 'create');
      const createdName = create?.operation.kind === 'create' ? create.operation.displayName : null;
      const kept = entry.exclusive ? {} : liveAssignments;
      const wanted: SideRelationship = {
        entry: entry.name,
        relationship: create !== undefined ? createdName : now.relationship,
        id: create !== undefined ? null : now.id,
        roles: names(entry.roleDefinitionIds),
        autoExtend: entry.autoExtend === null ? (create !== undefined ? 'off' : now.autoExtend) : entry.autoExtend ? 'on' : 'off',
        assignments: Object.fromEntries(
          Object.entries({
            ...(create !== undefined ? {} : kept),
            ...Object.fromEntries(entry.assignments.map((a) => [a.groupId, names(a.roleDefinitionIds)])),
          }).sort(([a], [b]) => (a < b ? -1 : 1)),
        ),
      };
      if (!touched.has(`${tenantId}|${entry.name}`) && JSON.stringify(now) === JSON.stringify(wanted)) {
        // Unchanged: left out, so the diff shows only what the plan is about.
        continue;
      }
      side(current).relationships.push(now);
      side(desired).relationships.push(wanted);
    }
  }
  const text = (m: Map<string, SideCustomer>): string => `${JSON.stringify({ customers: [...m.values()] }, null, 2)}\n`;
  return { current: text(current), desired: text(desired) };
}
