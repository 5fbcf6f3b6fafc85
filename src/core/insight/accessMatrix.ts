import type { AccessRow } from './accessRows';
import { compareNames } from '../domain/nameOrder';

/*
 * The Access Matrix's grid (docs/access.md): customers × roles, each cell the partner security groups that
 * hold the role at that customer, and per group the flat access rows behind it (so export keeps the
 * `gdap access` row format and a chosen cell finds its relationships). Pure: the extension builds it from
 * the access rows and sends it to the webview, which filters, sorts and renders it.
 */

export interface MatrixCustomer {
  readonly tenantId: string;
  readonly name: string;
}

export interface MatrixRole {
  readonly roleDefinitionId: string;
  readonly name: string;
  /** As the access rows say: null when nobody can say (an unknown role, never assumed harmless). */
  readonly privileged: boolean | null;
}

export interface MatrixGroup {
  readonly groupId: string;
  /** The group's name when it was resolved, otherwise null (the UI shows a short id). */
  readonly name: string | null;
}

export interface MatrixRelationship {
  readonly id: string;
  readonly name: string;
}

/** One group holding a role at a customer: the relationships it holds it through and the rows behind it. */
export interface MatrixHolding {
  /** Index into `groups`. */
  readonly group: number;
  /** Indices into `relationships`, ascending, no duplicates. */
  readonly relationships: readonly number[];
  /** Indices into the access rows the matrix was built from, ascending. */
  readonly rows: readonly number[];
}

/** A non-empty cell: a role some group holds at the customer. */
export interface MatrixCell {
  /** Index into `roles`. */
  readonly role: number;
  /** Sorted by group label; never empty. */
  readonly holdings: readonly MatrixHolding[];
}

export interface AccessMatrix {
  /** The rows of the grid, by name (then tenant id). */
  readonly customers: readonly MatrixCustomer[];
  /** Every role some customer has, by name (then id): the columns before filtering. */
  readonly roles: readonly MatrixRole[];
  /** Every group holding a role, by label (then id). */
  readonly groups: readonly MatrixGroup[];
  readonly relationships: readonly MatrixRelationship[];
  /** `cells[c]`: the non-empty cells of customer c, by role index; an absent role is an empty cell. */
  readonly cells: readonly (readonly MatrixCell[])[];
}

/** A short form of a group id for a cell when the name is not known (the full id is in the details). */
export function shortGroupId(groupId: string): string {
  return groupId.length > 8 ? `${groupId.slice(0, 8)}…` : groupId;
}

/** What a cell shows for a group: its name, or its short id. */
export function groupLabel(group: MatrixGroup): string {
  return group.name ?? shortGroupId(group.groupId);
}

/** Keys first seen in row order, then sorted: an index per key. */
class Index<T> {
  private readonly byKey = new Map<string, number>();
  readonly items: T[] = [];

  add(key: string, item: T): void {
    if (!this.byKey.has(key)) {
      this.byKey.set(key, this.items.length);
      this.items.push(item);
    }
  }

  /** Sorts the items; returns old index → new index. */
  sort(compare: (a: T, b: T) => number): number[] {
    const order = this.items.map((_, i) => i).sort((a, b) => compare(this.items[a], this.items[b]) || a - b);
    const remap: number[] = [];
    order.forEach((old, now) => (remap[old] = now));
    const sorted = order.map((i) => this.items[i]);
    this.items.splice(0, this.items.length, ...sorted);
    for (const [key, old] of this.byKey) {
      this.byKey.set(key, remap[old]);
    }
    return remap;
  }

  of(key: string): number {
    const i = this.byKey.get(key);
    if (i === undefined) {
      throw new Error(`accessMatrix: ${key} was not indexed`);
    }
    return i;
  }
}

const lower = (s: string): string => s.toLowerCase();

interface Indices {
  readonly customers: Index<MatrixCustomer>;
  readonly roles: Index<MatrixRole>;
  readonly groups: Index<MatrixGroup>;
  readonly relationships: Index<MatrixRelationship>;
}

function indexRows(rows: readonly AccessRow[]): Indices {
  const ix: Indices = { customers: new Index(), roles: new Index(), groups: new Index(), relationships: new Index() };
  for (const r of rows) {
    ix.customers.add(lower(r.customerTenantId), { tenantId: r.customerTenantId, name: r.customerName });
    ix.roles.add(lower(r.roleDefinitionId), { roleDefinitionId: r.roleDefinitionId, name: r.roleName, privileged: r.privileged });
    ix.groups.add(lower(r.groupId), { groupId: r.groupId, name: r.groupName });
    ix.relationships.add(lower(r.relationshipId), { id: r.relationshipId, name: r.relationshipName });
  }
  ix.customers.sort((a, b) => compareNames(a.name, b.name) || compareNames(a.tenantId, b.tenantId));
  ix.roles.sort((a, b) => compareNames(a.name, b.name) || compareNames(a.roleDefinitionId, b.roleDefinitionId));
  ix.groups.sort((a, b) => compareNames(groupLabel(a), groupLabel(b)) || compareNames(a.groupId, b.groupId));
  return ix;
}

/**
 * The grid of the access rows: one row per customer, one column per role any customer has, each cell the
 * groups holding the role there. Every row is in exactly one cell's holding (customer, role, group).
 */
export function accessMatrix(rows: readonly AccessRow[]): AccessMatrix {
  const ix = indexRows(rows);
  // customer → role → group → { relationships, rows }
  const grid = new Map<number, Map<number, Map<number, { rels: Set<number>; rows: number[] }>>>();
  rows.forEach((r, i) => {
    const c = ix.customers.of(lower(r.customerTenantId));
    const role = ix.roles.of(lower(r.roleDefinitionId));
    const g = ix.groups.of(lower(r.groupId));
    const byRole = grid.get(c) ?? new Map<number, Map<number, { rels: Set<number>; rows: number[] }>>();
    grid.set(c, byRole);
    const byGroup = byRole.get(role) ?? new Map<number, { rels: Set<number>; rows: number[] }>();
    byRole.set(role, byGroup);
    const holding = byGroup.get(g) ?? { rels: new Set<number>(), rows: [] };
    byGroup.set(g, holding);
    holding.rels.add(ix.relationships.of(lower(r.relationshipId)));
    holding.rows.push(i);
  });
  const byNumber = (a: number, b: number): number => a - b;
  const cells = ix.customers.items.map((_, c) =>
    [...(grid.get(c) ?? new Map<number, Map<number, { rels: Set<number>; rows: number[] }>>())]
      .sort(([a], [b]) => a - b)
      .map(([role, byGroup]) => ({
        role,
        holdings: [...byGroup]
          .sort(([a], [b]) => a - b)
          .map(([group, h]) => ({ group, relationships: [...h.rels].sort(byNumber), rows: h.rows })),
      })),
  );
  return {
    customers: ix.customers.items,
    roles: ix.roles.items,
    groups: ix.groups.items,
    relationships: ix.relationships.items,
    cells,
  };
}

/** The cell of customer `c` and role `role`, or undefined when it is empty. */
export function matrixCell(matrix: AccessMatrix, c: number, role: number): MatrixCell | undefined {
  return matrix.cells[c]?.find((cell) => cell.role === role);
}

/**
 * The relationships behind a cell (of the given groups only, when given), each once, by name: what a chosen
 * cell opens in the tree (one) or offers in a quick pick (several).
 */
export function cellRelationships(matrix: AccessMatrix, c: number, role: number, groups?: readonly number[]): MatrixRelationship[] {
  const cell = matrixCell(matrix, c, role);
  const wanted = groups === undefined ? undefined : new Set(groups);
  const ids = new Set<number>();
  for (const h of cell?.holdings ?? []) {
    if (wanted === undefined || wanted.has(h.group)) {
      h.relationships.forEach((r) => ids.add(r));
    }
  }
  return [...ids].map((i) => matrix.relationships[i]).sort((a, b) => compareNames(a.name, b.name) || compareNames(a.id, b.id));
}
