import type { Inventory } from '../../core/actions/inventory';
import type { PartnerCenterCustomer } from '../../core/partnerCenter/partnerCenterApi';
import type { TreeFilter } from './treeContext';
import { lowerNeedle } from './treeFilter';

/*
 * The "No GDAP" group's data (docs/access.md "In VS Code"): Partner Center customers that have no GDAP
 * relationship at all. A customer with any relationship, even an ended one, is on the first level
 * already. Pure, for the unit tests.
 */

export interface NoGdapCustomer {
  readonly tenantId: string;
  /** The company name, else the domain, else the tenant id. */
  readonly name: string;
  readonly domain: string | null;
  /** Lower-cased name, domain and tenant id, for the filter. */
  readonly haystack: string;
}

/** Partner Center customers the inventory does not know, by name (then tenant id); one per tenant. */
export function noGdapCustomers(partnerCenter: readonly PartnerCenterCustomer[], inventory: Inventory | undefined): NoGdapCustomer[] {
  const inTree = new Set((inventory?.customers ?? []).map((c) => c.tenantId.toLowerCase()));
  const seen = new Set<string>();
  const out: NoGdapCustomer[] = [];
  for (const c of partnerCenter) {
    const key = c.tenantId.toLowerCase();
    if (inTree.has(key) || seen.has(key)) {
      continue;
    }
    seen.add(key);
    const name = c.companyName?.trim() || c.domain?.trim() || c.tenantId;
    out.push({
      tenantId: c.tenantId,
      name,
      domain: c.domain,
      haystack: [name, c.domain ?? '', c.tenantId].join('\u0000').toLocaleLowerCase(),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.tenantId.localeCompare(b.tenantId));
}

/**
 * The tree's filter on a customer without relationships: the text matches its name, domain or tenant id;
 * a status filter (which is about relationships) hides it.
 */
export function noGdapMatches(customer: NoGdapCustomer, filter: TreeFilter): boolean {
  if (filter.status !== 'all') {
    return false;
  }
  return filter.text === '' || customer.haystack.includes(lowerNeedle(filter.text));
}

export type PartnerCenterProblem = 'signIn' | 'mfa' | 'forbidden' | 'unreachable' | 'other';

/** Why Partner Center could not be read, as what the user has to do about it. */
export function partnerCenterProblem(error: unknown): PartnerCenterProblem {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    kind?: unknown;
    code?: unknown;
    status?: unknown;
    message?: unknown;
    serviceMessage?: unknown;
  };
  const text = `${typeof e.serviceMessage === 'string' ? e.serviceMessage : ''} ${typeof e.message === 'string' ? e.message : ''}`;
  if (e.code === '800001' || /multi-?factor|\bmfa\b|insufficient_claims/i.test(text)) {
    // An App+User call without the MFA claim Partner Center requires (docs/api-notes.md §8).
    return 'mfa';
  }
  switch (e.kind) {
    case 'auth':
      return 'signIn';
    case 'forbidden':
      return 'forbidden';
    case 'network':
    case 'timeout':
    case 'server':
    case 'throttled':
      return 'unreachable';
    default:
      return 'other';
  }
}
