import type { CallOptions } from '../../../../src/core/graph/gdapApi';
import { GdapError } from '../../../../src/core/http/gdapError';
import type { PartnerCenterApi, PartnerCenterCustomer, RemoveDapResult } from '../../../../src/core/partnerCenter/partnerCenterApi';
import { FaultQueue, faultError, notFound } from './fakeFaults';
import type { Call } from './fakeGdap';

/** In-memory Partner Center: customers with a DAP flag; remove-DAP PATCH then re-read (docs/api-notes.md §8.6). */
export class FakePartnerCenter implements PartnerCenterApi {
  readonly customers = new Map<string, PartnerCenterCustomer>();
  readonly calls: Call[] = [];
  readonly faults = new FaultQueue();

  addCustomer(tenantId: string, companyName: string, allowDelegatedAccess: boolean | null): void {
    this.customers.set(tenantId, {
      id: tenantId,
      tenantId,
      companyName,
      domain: null,
      allowDelegatedAccess,
      relationshipToPartner: 'reseller',
    });
  }

  patches(): Call[] {
    return this.calls.filter((c) => c.method === 'removeDap');
  }

  listCustomers(): Promise<PartnerCenterCustomer[]> {
    this.calls.push({ method: 'listCustomers', args: [] });
    return Promise.resolve([...this.customers.values()].map((c) => ({ ...c, allowDelegatedAccess: null })));
  }

  getCustomer(customerTenantId: string, options?: CallOptions): Promise<PartnerCenterCustomer> {
    this.calls.push({ method: 'getCustomer', args: [customerTenantId] });
    if (options?.signal?.aborted === true) {
      return Promise.reject(new GdapError({ kind: 'cancelled', message: 'Cancelled.' }));
    }
    const fault = this.faults.take('getCustomer');
    if (fault !== undefined) {
      return Promise.reject(faultError(fault));
    }
    const c = this.customers.get(customerTenantId);
    return c === undefined ? Promise.reject(notFound(`Customer ${customerTenantId}`)) : Promise.resolve({ ...c });
  }

  removeDap(customerTenantId: string): Promise<RemoveDapResult> {
    this.calls.push({ method: 'removeDap', args: [customerTenantId] });
    const fault = this.faults.take('removeDap');
    if (fault !== undefined && !fault.applied) {
      return Promise.reject(faultError(fault));
    }
    const c = this.customers.get(customerTenantId);
    if (c === undefined) {
      return Promise.reject(notFound(`Customer ${customerTenantId}`));
    }
    this.customers.set(customerTenantId, { ...c, allowDelegatedAccess: false });
    if (fault !== undefined) {
      return Promise.reject(faultError(fault));
    }
    return Promise.resolve({ customer: { ...c, allowDelegatedAccess: false }, requestId: 'pc-req-1', correlationId: 'pc-corr-1' });
  }
}
