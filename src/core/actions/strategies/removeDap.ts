import { because, english, msg, type Message } from '../../messages';
import type { DapStatus } from '../../domain/status';
import type { BatchItemResult, CallOptions } from '../../graph/gdapApi';
import { GdapError } from '../../http/gdapError';
import type { PartnerCenterCustomer } from '../../partnerCenter/partnerCenterApi';
import { ACTION_DEFAULTS } from '../actionDefaults';
import { describeError } from '../errorFacts';
import type { Decision, MutationApis, MutationStrategy, Observed, PlanError, Reconciliation } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { runBounded } from '../runBounded';

/** What a remove-DAP confirmation shows (and `gdap remove-dap --dry-run` prints). */
export interface RemoveDapPlanItem {
  readonly tenantId: string;
  readonly companyName: string | null;
  /** null when it could not be read. */
  readonly allowDelegatedAccess: boolean | null;
  /** The customer has at least one `active` GDAP relationship; when false, removing DAP leaves no admin access. */
  readonly hasActiveGdap: boolean | null;
  readonly willAct: boolean;
  readonly reason: string | null;
  readonly reasonMessage?: Message | null;
  readonly error?: PlanError;
}

export const DAP_OFF: DapStatus = 'dapOff';
export const DAP_ON: DapStatus = 'dapOn';

/** The DAP state word of a customer (null when Partner Center did not say). */
export function dapStatus(customer: Pick<PartnerCenterCustomer, 'allowDelegatedAccess'>): DapStatus | null {
  return customer.allowDelegatedAccess === false ? DAP_OFF : customer.allowDelegatedAccess === true ? DAP_ON : null;
}

/** Above this many customers one full relationship pass is cheaper than one filtered list per customer. */
const PER_CUSTOMER_LIST_LIMIT = 10;

/** Per customer: does an `active` GDAP relationship remain (null when it could not be read)? */
type PlanContext = ReadonlyMap<string, boolean | null>;

async function readActiveGdap(apis: MutationApis, tenantIds: readonly string[], options: CallOptions): Promise<PlanContext> {
  const activeByTenant = new Map<string, boolean | null>();
  if (tenantIds.length > PER_CUSTOMER_LIST_LIMIT) {
    try {
      const all = await apis.graph.listAllRelationships({ top: 300, ...options });
      const active = new Set(
        all.filter((r) => r.status === 'active' && r.customer?.tenantId).map((r) => (r.customer?.tenantId ?? '').toLowerCase()),
      );
      for (const t of tenantIds) {
        activeByTenant.set(t, active.has(t.toLowerCase()));
      }
    } catch {
      for (const t of tenantIds) {
        activeByTenant.set(t, null);
      }
    }
    return activeByTenant;
  }
  await Promise.all(
    tenantIds.map(async (t) => {
      try {
        const list = await apis.graph.listAllRelationships({ customerTenantId: t, ...options });
        activeByTenant.set(
          t,
          list.some((r) => r.status === 'active'),
        );
      } catch {
        activeByTenant.set(t, null);
      }
    }),
  );
  return activeByTenant;
}

function decide(
  tenantId: string,
  observed: Observed<PartnerCenterCustomer>,
  context: PlanContext | undefined,
): Decision<RemoveDapPlanItem> {
  const hasActiveGdap = context?.get(tenantId) ?? null;
  if (!observed.ok) {
    const facts = describeError(observed.error);
    return {
      kind: 'skip',
      outcome: 'failed',
      status: null,
      error: facts.message,
      errorKind: facts.kind,
      plan: {
        tenantId,
        companyName: null,
        allowDelegatedAccess: null,
        hasActiveGdap,
        willAct: false,
        ...because(facts.kind === 'notFound' ? msg('Customer not found in Partner Center.') : msg('Could not be read: {0}', facts.message)),
        error: { kind: facts.kind, message: facts.message },
      },
    };
  }
  const c = observed.value;
  const status = dapStatus(c);
  const why =
    status === DAP_OFF
      ? msg('DAP is already off.')
      : status === null
        ? msg('Partner Center did not say whether DAP is on for this customer; nothing was sent.')
        : null;
  const reason = why === null ? null : english(why);
  const plan: RemoveDapPlanItem = {
    tenantId,
    companyName: c.companyName,
    allowDelegatedAccess: c.allowDelegatedAccess,
    hasActiveGdap,
    willAct: reason === null,
    reason,
    // Only when there is a reason: a plan item's keys are pinned for the CLI's JSON.
    ...(why === null ? {} : { reasonMessage: why }),
  };
  const base = { plan, ...(c.companyName !== null ? { name: c.companyName } : {}), status };
  if (status === DAP_OFF) {
    return { ...base, kind: 'alreadyDone', inFlight: false };
  }
  if (status === null) {
    return { ...base, kind: 'skip', outcome: 'failed', errorKind: 'invalidResponse', error: reason ?? '' };
  }
  return { ...base, kind: 'act', etag: null };
}

async function readCustomers(
  apis: MutationApis,
  tenantIds: readonly string[],
  options: CallOptions,
): Promise<Map<string, BatchItemResult<PartnerCenterCustomer>>> {
  // `allowDelegatedAccess` is only on GET by id (docs/api-notes.md §8.3): one bounded read per customer.
  const out = new Map<string, BatchItemResult<PartnerCenterCustomer>>();
  await runBounded(
    tenantIds,
    ACTION_DEFAULTS.concurrency,
    options.signal,
    async (tenantId) => {
      try {
        out.set(tenantId, { ok: true, value: await apis.partnerCenter.getCustomer(tenantId, options) });
      } catch (error) {
        out.set(tenantId, {
          ok: false,
          error: error instanceof GdapError ? error : new GdapError({ kind: 'invalidResponse', message: describeError(error).message }),
        });
      }
    },
    () => undefined,
    () => undefined,
  );
  return out;
}

/**
 * Remove legacy DAP from a customer: Partner Center PATCH `AllowDelegatedAccess:false` (docs/api-notes.md
 * §8.6; the client re-reads to confirm). Setting a flag to false is idempotent, but a send whose outcome
 * is unknown is still first checked by reading.
 */
export const removeDapStrategy: MutationStrategy<string, PartnerCenterCustomer, RemoveDapPlanItem, PlanContext> = {
  action: 'removeDap',
  label: 'Remove DAP',
  key: (tenantId) => tenantId,
  readMany: readCustomers,
  readOne: (apis, tenantId, options) => apis.partnerCenter.getCustomer(tenantId, options),
  readPlanContext: readActiveGdap,
  decide,
  journalTarget: (tenantId, decision) => ({
    customerTenantId: tenantId,
    ...(decision.name !== undefined ? { name: decision.name, customerName: decision.name } : {}),
  }),
  async send(apis, tenantId) {
    // Not replayed by the client after a lost answer: a send the service may have applied is reconciled by reading.
    const result = await apis.partnerCenter.removeDap(tenantId, { reconcileByReading: true });
    return {
      status: dapStatus(result.customer),
      ...(result.requestId !== undefined ? { requestId: result.requestId } : {}),
      ...(result.correlationId !== undefined ? { clientRequestId: result.correlationId } : {}),
    };
  },
  async reconcile(apis, tenantId, _decision, failure): Promise<Reconciliation> {
    let now: DapStatus | null;
    try {
      now = dapStatus(
        await readToReconcile(() => apis.partnerCenter.getCustomer(tenantId), apis.clock !== undefined ? { clock: apis.clock } : {}),
      );
    } catch (error) {
      return { kind: 'unknown', status: null, message: describeError(error).message };
    }
    if (now === DAP_OFF) {
      return { kind: 'applied', status: now, note: `The request failed (${failure.kind}) but reading showed DAP off; not re-sent.` };
    }
    return now === DAP_ON ? { kind: 'notApplied', status: now } : { kind: 'unknown', status: null };
  },
  isEndState: (status) => status === DAP_OFF,
  verdict: (observed) =>
    observed.ok
      ? { state: dapStatus(observed.value) === DAP_OFF ? 'done' : 'pending', status: dapStatus(observed.value) }
      : { state: 'pending', status: null },
  fromJournal: (target) => target.customerTenantId,
  tookEffect: (observed) => {
    if (!observed.ok) {
      return { state: 'gone', reached: false };
    }
    const state = dapStatus(observed.value) ?? 'unknown';
    return { state, reached: state === DAP_OFF };
  },
  texts: {
    failedTimes: (sends, message) => `Removing DAP failed ${sends} times: ${message}`,
    timedOut: (_status, seconds) => `DAP removal was accepted but the customer still shows DAP on after ${seconds} s.`,
    notReached: 'DAP is still on.',
  },
};
