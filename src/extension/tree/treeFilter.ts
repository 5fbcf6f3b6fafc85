import type { InventoryRelationship } from '../../core/actions/inventory';
import { classifyRelationship } from '../../core/actions/relationshipFacts';
import type { TreeFilter } from './treeContext';

/** Text matches the relationship's name, id, customer name or tenant id; status matches its display bucket. */
export function relationshipMatches(r: InventoryRelationship, filter: TreeFilter, now: Date, warningDays: number): boolean {
  if (filter.status !== 'all' && classifyRelationship(r, now, warningDays) !== filter.status) {
    return false;
  }
  if (filter.text === '') {
    return true;
  }
  const needle = filter.text.toLocaleLowerCase();
  return [r.displayName, r.id, r.customer.displayName ?? '', r.customer.tenantId ?? ''].some((v) => v.toLocaleLowerCase().includes(needle));
}
