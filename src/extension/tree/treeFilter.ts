import type { InventoryRelationship } from '../../core/actions/inventory';
import { classifyRelationship } from '../../core/actions/relationshipFacts';
import type { TreeFilter } from './treeContext';

/** Between the fields of a haystack: a needle holding it is matched field by field instead. */
const SEPARATOR = '\u0000';

/**
 * Each relationship's searchable text, lower-cased once (a keystroke at 10,000 customers lower-cased
 * ≈ 80,000 strings). Keyed by the relationship object: a reload brings new objects and new entries;
 * the old ones go with their objects.
 */
const haystacks = new WeakMap<InventoryRelationship, string>();
let lastText = '';
let lastNeedle = '';

function haystackOf(r: InventoryRelationship): string {
  let text = haystacks.get(r);
  if (text === undefined) {
    text = [r.displayName, r.id, r.customer.displayName ?? '', r.customer.tenantId ?? ''].map((v) => v.toLocaleLowerCase()).join(SEPARATOR);
    haystacks.set(r, text);
  }
  return text;
}

/** The filter text lower-cased (the same text is asked for once per relationship of a keystroke). */
export function lowerNeedle(text: string): string {
  if (text !== lastText) {
    lastText = text;
    lastNeedle = text.toLocaleLowerCase();
  }
  return lastNeedle;
}

/** Text matches the relationship's name, id, customer name or tenant id; status matches its display bucket. */
export function relationshipMatches(r: InventoryRelationship, filter: TreeFilter, now: Date, warningDays: number): boolean {
  if (filter.status !== 'all' && classifyRelationship(r, now, warningDays) !== filter.status) {
    return false;
  }
  if (filter.text === '') {
    return true;
  }
  const needle = lowerNeedle(filter.text);
  const haystack = haystackOf(r);
  return needle.includes(SEPARATOR) ? haystack.split(SEPARATOR).some((v) => v.includes(needle)) : haystack.includes(needle);
}
