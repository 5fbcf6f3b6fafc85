// Picks scenario targets from the emulator's state the way the tree shows them (customers sorted by
// name), so a scenario can find its rows by label.
import type { EmulatorState } from './emulator';

export interface Rel {
  id: string;
  status: string;
  displayName: string;
  customer: { tenantId?: string; displayName?: string } | null;
}

export interface Assignment {
  id: string;
  status: string;
  accessContainer: { accessContainerId: string };
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

export function relationshipsOf(state: EmulatorState): Rel[] {
  return state.relationships as unknown as Rel[];
}

/** Customers in tree order, with their relationships. */
export function customersOf(state: EmulatorState): { name: string; tenantId: string; rels: Rel[] }[] {
  const map = new Map<string, { name: string; tenantId: string; rels: Rel[] }>();
  for (const r of relationshipsOf(state)) {
    const t = r.customer?.tenantId;
    if (!t) {
      continue;
    }
    const entry = map.get(t) ?? { name: r.customer?.displayName ?? t, tenantId: t, rels: [] };
    entry.rels.push(r);
    map.set(t, entry);
  }
  return [...map.values()].sort((a, b) => collator.compare(a.name, b.name));
}

/**
 * The first customer in tree order with an active relationship not in `used` (and, when asked, with an
 * active access assignment); the relationship's name is unique within its customer so its row is too.
 */
export function activeTargetOf(
  state: EmulatorState,
  used: Set<string>,
  withAssignment = false,
): { customer: string; tenantId: string; relationship: Rel; assignment: Assignment | undefined } {
  for (const c of customersOf(state)) {
    const candidates = c.rels
      .filter((r) => r.status === 'active' && !used.has(r.id) && !c.rels.some((o) => o !== r && o.displayName === r.displayName))
      .sort((a, b) => collator.compare(a.displayName, b.displayName));
    for (const rel of candidates) {
      const assignment = (state.accessAssignments[rel.id] as unknown as Assignment[] | undefined)?.find((a) => a.status === 'active');
      if (withAssignment && assignment === undefined) {
        continue;
      }
      used.add(rel.id);
      return { customer: c.name, tenantId: c.tenantId, relationship: rel, assignment };
    }
  }
  throw new Error('no active relationship left in the emulator data');
}

/** The security group's name of an assignment when the emulator knows it, else the id. */
export function groupNameOf(state: EmulatorState, assignment: Assignment): string | undefined {
  const groupId = assignment.accessContainer.accessContainerId;
  return (state.securityGroups as { id: string; displayName: string }[] | undefined)?.find((g) => g.id === groupId)?.displayName;
}
