import type { Inventory } from '../actions/inventory';
import { runBounded } from '../actions/runBounded';
import type { PartnerCenterApi } from '../partnerCenter/partnerCenterApi';
import { grantsAccess } from './accessRows';
import type { DoctorPartnerCenterCustomer } from './doctor';

/** DAP reads in flight at once (one `GET /v1/customers/{id}` each). */
const DAP_READS_AT_ONCE = 4;

/**
 * The Partner Center customer list, and the DAP state of the customers GDAP serves (the list does not carry
 * it, docs/api-notes.md §8.3), for the access doctor's noGdap and dapStillOn checks. Throws when the list
 * cannot be read (the caller skips those two checks and says so); a customer whose DAP state cannot be
 * read keeps null, so dapStillOn is never assumed for it. `onDap` hears each state read.
 */
export async function readDoctorCustomers(
  pc: Pick<PartnerCenterApi, 'listCustomers' | 'getCustomer'>,
  inventory: Inventory,
  signal?: AbortSignal,
  onDap?: (tenantId: string, allowDelegatedAccess: boolean) => void,
): Promise<DoctorPartnerCenterCustomer[]> {
  const options = signal !== undefined ? { signal } : {};
  const customers = await pc.listCustomers(options);
  const served = new Set(inventory.customers.filter((c) => c.relationships.some(grantsAccess)).map((c) => c.tenantId.toLowerCase()));
  const out: DoctorPartnerCenterCustomer[] = customers.map((c) => ({
    tenantId: c.tenantId,
    companyName: c.companyName,
    allowDelegatedAccess: c.allowDelegatedAccess,
  }));
  const toRead = out.map((c, i) => ({ c, i })).filter(({ c }) => c.allowDelegatedAccess === null && served.has(c.tenantId.toLowerCase()));
  await runBounded(
    toRead,
    DAP_READS_AT_ONCE,
    signal,
    async ({ c, i }) => {
      const full = await pc.getCustomer(c.tenantId, options);
      out[i] = { ...c, allowDelegatedAccess: full.allowDelegatedAccess };
      if (full.allowDelegatedAccess !== null) {
        onDap?.(c.tenantId, full.allowDelegatedAccess);
      }
    },
    () => undefined,
    () => undefined,
  );
  return out;
}
