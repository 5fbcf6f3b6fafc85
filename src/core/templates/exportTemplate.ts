import type { Inventory } from '../actions/inventory';
import { isAutoExtendOn } from '../actions/relationshipFacts';
import { GONE_ASSIGNMENT_STATUSES } from '../actions/strategies/grantCommon';
import type { DomainRelationship } from '../domain/model';
import { GLOBAL_ADMINISTRATOR_ROLE_ID, ROLE_CATALOG } from '../roles/roleCatalog';
import { DEFAULT_TEMPLATE_DURATION } from './templateModel';
import { managedRelationship } from './planner';

/*
 * Export (docs/templates.md): a template that reproduces what is there, so a partner can start from the
 * live state and review every later change as a diff. Planning it right away finds nothing to change.
 */

/** The template file as written (role names, not ids, where the catalog knows them). */
export interface TemplateFile {
  readonly version: 1;
  readonly relationships: readonly TemplateFileEntry[];
}

export interface TemplateFileEntry {
  readonly name: string;
  readonly customers: '*' | readonly string[];
  readonly duration?: string;
  readonly autoExtend?: boolean;
  readonly roles: readonly string[];
  readonly assignments?: readonly { readonly group: string; readonly roles: readonly string[] }[];
  readonly exclusive?: boolean;
}

export interface ExportSelection {
  /** Customer tenant ids: their active relationships. */
  readonly customers?: readonly string[];
  /** Relationship ids. Neither: every active relationship. */
  readonly relationships?: readonly string[];
}

const catalogName = new Map(ROLE_CATALOG.map((r) => [r.id, r.name]));
const roleText = (id: string): string => catalogName.get(id.toLowerCase()) ?? id.toLowerCase();
const sortedRoles = (ids: readonly string[]): string[] => [...ids].map(roleText).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** A name this tool made for a customer (`<name> (<tenant prefix>[-n])`) is exported as `<name>`, so customers share an entry. */
export function baseName(displayName: string, tenantId: string | null): string {
  if (tenantId === null) {
    return displayName.trim();
  }
  const tag = tenantId
    .slice(0, 8)
    .toLowerCase()
    .replace(/[^0-9a-f]/g, '');
  const match = new RegExp(`^(.*\\S) \\(${tag}(?:-\\d+)?\\)$`, 'i').exec(displayName.trim());
  return match !== null ? match[1] : displayName.trim();
}

function entryOf(r: DomainRelationship): Omit<TemplateFileEntry, 'customers'> {
  const assignments = (r.accessAssignments ?? [])
    .filter((a) => !GONE_ASSIGNMENT_STATUSES.includes(a.status))
    .map((a) => ({ group: a.accessContainer.accessContainerId.toLowerCase(), roles: sortedRoles(a.roles.map((x) => x.roleDefinitionId)) }))
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  return {
    name: baseName(r.displayName, r.customer.tenantId),
    duration: r.duration ?? DEFAULT_TEMPLATE_DURATION,
    // With Global Administrator a relationship cannot auto-extend (docs/api-notes.md §4.1): left unmanaged then.
    ...(r.roles.some((x) => x.roleDefinitionId === GLOBAL_ADMINISTRATOR_ROLE_ID) ? {} : { autoExtend: isAutoExtendOn(r) }),
    roles: sortedRoles(r.roles.map((x) => x.roleDefinitionId)),
    assignments,
  };
}

/**
 * The template of the selected active relationships. Only a relationship the matching rule would pick
 * (the newest active one starting with its exported name) is exported; customers whose relationships
 * export alike share one entry. `exclusive` is left out (extra assignments are reported, not removed).
 */
export function exportTemplate(inventory: Inventory, selection: ExportSelection = {}): TemplateFile {
  const wantedCustomers = new Set((selection.customers ?? []).map((c) => c.toLowerCase()));
  const wantedRelationships = new Set((selection.relationships ?? []).map((r) => r.toLowerCase()));
  const everything = wantedCustomers.size === 0 && wantedRelationships.size === 0;
  const entries = new Map<string, { entry: Omit<TemplateFileEntry, 'customers'>; customers: string[] }>();
  for (const customer of inventory.customers) {
    const tenantId = customer.tenantId.toLowerCase();
    const selected = customer.relationships.filter(
      (r) => r.status === 'active' && (everything || wantedCustomers.has(tenantId) || wantedRelationships.has(r.id.toLowerCase())),
    );
    const byLower = new Map<string, string>();
    for (const r of selected) {
      const name = entryOf(r).name;
      if (!byLower.has(name.toLowerCase())) {
        byLower.set(name.toLowerCase(), name);
      }
    }
    const names = [...byLower.values()];
    // A name that starts with another's would manage the same relationships: the shorter one stands.
    const kept = names.filter((n) => !names.some((o) => o !== n && n.toLowerCase().startsWith(o.toLowerCase())));
    for (const name of kept) {
      const managed = managedRelationship(customer.relationships, name);
      if (managed === undefined || !selected.includes(managed)) {
        continue;
      }
      // The entry describes the relationship the rule picks for this name, under this name.
      const entry = { ...entryOf(managed), name };
      const key = JSON.stringify(entry);
      const group = entries.get(key) ?? { entry, customers: [] };
      if (!group.customers.includes(tenantId)) {
        group.customers.push(tenantId);
      }
      entries.set(key, group);
    }
  }
  const relationships = [...entries.values()]
    .map((g) => ({ ...g.entry, customers: g.customers.sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.customers[0] < b.customers[0] ? -1 : 1))
    .map(({ name, customers, duration, autoExtend, roles, assignments }) => ({
      name,
      customers,
      duration,
      ...(autoExtend !== undefined ? { autoExtend } : {}),
      roles,
      assignments,
    }));
  return { version: 1, relationships };
}
