import type { CallOptions } from '../graph/gdapApi';

/** A Partner Center customer (docs/api-notes.md §8.3), reduced to what DAP management needs. */
export interface PartnerCenterCustomer {
  readonly id: string;
  readonly tenantId: string;
  readonly companyName: string | null;
  readonly domain: string | null;
  /** Only known from GET by id (§8.3); null from list items. */
  readonly allowDelegatedAccess: boolean | null;
  readonly relationshipToPartner: string | null;
}

export interface RemoveDapResult {
  /** The customer as re-read after the PATCH (allowDelegatedAccess === false). */
  readonly customer: PartnerCenterCustomer;
  readonly requestId?: string;
  readonly correlationId?: string;
}

/** Partner Center REST (docs/api-notes.md §8). Implemented by `PartnerCenterClient`. Throws only `GdapError`. */
export interface PartnerCenterApi {
  listCustomers(options?: CallOptions): Promise<PartnerCenterCustomer[]>;
  getCustomer(customerTenantId: string, options?: CallOptions): Promise<PartnerCenterCustomer>;
  /**
   * `PATCH /v1/customers/{id}` with exactly `{"AllowDelegatedAccess":false,"attributes":{"objectType":"Customer"}}`,
   * then a re-GET that must show `allowDelegatedAccess === false`.
   */
  removeDap(customerTenantId: string, options?: CallOptions): Promise<RemoveDapResult>;
}
