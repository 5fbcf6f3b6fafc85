export type NodeKind =
  | 'customer'
  | 'relationship'
  | 'role'
  | 'assignment'
  | 'pendingGroup'
  | 'message'
  | 'history'
  | 'historyEntry'
  | 'noGdapGroup'
  | 'noGdapCustomer';

/**
 * The contextValue vocabulary (docs/architecture.md §2.5): `gdap.<kind>` then `;`-separated state facets,
 * e.g. `gdap.relationship;status.active;ga`. Menus match with `viewItem =~ /^gdap\.relationship;.*status\.active(;|$)/`.
 * The trailing `;` after the kind is always present so `^gdap\.<kind>;` matches every node of a kind.
 */
export function contextValue(kind: NodeKind, ...facets: (string | false | undefined | null)[]): string {
  const kept = facets.filter((f): f is string => typeof f === 'string' && f !== '');
  return `gdap.${kind};${kept.join(';')}`;
}

/** Facet-safe form of an API status string (evolvable enums may carry anything). */
export function statusFacet(status: string): string {
  return `status.${status.replace(/[^A-Za-z0-9]/g, '')}`;
}
