import { because, english, msg, type Message } from '../../messages';
import type { DapStatus } from '../../domain/status';
import type { BatchItemResult, CallOptions } from '../../graph/gdapApi';
import { GdapError, isGdapError } from '../../http/gdapError';
import {
  hasActiveAssignment,
  hasActiveRelationship,
  planImpact,
  readImpact,
  type ImpactReading,
  type PlanImpact,
} from '../../insight/planImpact';
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
  /** The customer has at least one `active` GDAP relationship (null when it could not be read). */
  readonly hasActiveGdap: boolean | null;
  /**
   * An `active` relationship of the customer has at least one `active` access assignment: only then does
   * working admin access remain after DAP goes (docs/access.md "Remove DAP guard"). Plans only; null when unknown.
   */
  readonly hasActiveAssignment?: boolean | null;
  /** What the Admin Agents group loses and whether GDAP still grants it (docs/access.md); plans only, null when unknown. */
  readonly impact?: PlanImpact | null;
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

/** Plans only: each customer's relationships and active assignments (the guard and the impact). */
type PlanContext = ImpactReading;

function readPlanContext(apis: MutationApis, tenantIds: readonly string[], options: CallOptions): Promise<PlanContext> {
  return readImpact(
    apis,
    tenantIds,
    tenantIds.map((customerTenantId) => ({ kind: 'removeDap' as const, customerTenantId })),
    options,
  );
}

/** Partner Center's answer when an App+User call lacks the MFA claim it requires (docs/api-notes.md §8). */
function isMfaChallenge(error: unknown): boolean {
  if (!isGdapError(error) || error.kind !== 'auth') {
    return false;
  }
  return error.code === '800001' || /multi-?factor|\bmfa\b/i.test(`${error.serviceMessage ?? ''} ${error.message}`);
}

/** Why a customer could not be read, in words that say what to do. */
function unreadableReason(error: unknown, message: string): Message {
  const kind = describeError(error).kind;
  if (kind === 'notFound') {
    // Partner Center knows only its reseller customers: no customer there means no DAP to remove.
    return msg('Partner Center does not list this tenant as your reseller customer, so there is no DAP to remove.');
  }
  if (isMfaChallenge(error)) {
    return msg(
      'Partner Center requires multi-factor authentication for this call. Sign in again with MFA (GDAP: Sign In), then retry Remove DAP.',
    );
  }
  return msg('Could not be read: {0}', message);
}

function decide(
  tenantId: string,
  observed: Observed<PartnerCenterCustomer>,
  context: PlanContext | undefined,
): Decision<RemoveDapPlanItem> {
  const hasActiveGdap = hasActiveRelationship(context, tenantId);
  const guard = {
    hasActiveGdap,
    ...(context === undefined ? {} : { hasActiveAssignment: hasActiveAssignment(context, tenantId) }),
  };
  const impactField =
    context === undefined ? {} : { impact: planImpact(context, { kind: 'removeDap', customerTenantId: tenantId }, tenantId) };
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
        ...guard,
        willAct: false,
        ...because(unreadableReason(observed.error, facts.message)),
        error: { kind: facts.kind, message: facts.message },
        ...impactField,
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
    ...guard,
    willAct: reason === null,
    reason,
    // Only when there is a reason: a plan item's keys are pinned for the CLI's JSON.
    ...(why === null ? {} : { reasonMessage: why }),
    ...impactField,
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
  readPlanContext,
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
    failedTimes: (sends, message) => msg('Removing DAP failed {0} times: {1}', String(sends), message),
    timedOut: (_status, seconds) => msg('DAP removal was accepted but the customer still shows DAP on after {0} s.', String(seconds)),
    notReached: msg('DAP is still on.'),
  },
};
