import { because, msg, type Message } from '../../messages';
import { domainRoles, type DomainRole } from '../../domain/roles';
import { isRelationshipStatusIn } from '../../domain/status';
import type { Relationship } from '../../graph/models';
import { describeError } from '../errorFacts';
import type { Decision, MutationStrategy, Observed, PlanError, Reconciliation } from '../mutationStrategy';
import { statusText, unknownOutcome, failedVerdict } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { planImpact, readImpact, type ImpactReading, type PlanImpact } from '../../insight/planImpact';
import type { CallOptions } from '../../graph/gdapApi';
import type { MutationApis } from '../mutationStrategy';

/** What a terminate confirmation shows for one relationship (and `gdap terminate --dry-run` prints). */
export interface TerminatePlanItem {
  readonly id: string;
  readonly name: string | null;
  readonly customerName: string | null;
  readonly customerTenantId: string | null;
  readonly status: string | null;
  readonly endDateTime: string | null;
  /** Every role the customer stops granting. */
  readonly roles: readonly DomainRole[];
  readonly willAct: boolean;
  /** Why nothing will be sent (already terminated, not active, could not be read); null when willAct. */
  readonly reason: string | null;
  readonly reasonMessage?: Message | null;
  readonly error?: PlanError;
  /**
   * What the customer's partner groups lose, and keep through other relationships (docs/access.md); present
   * in plans only, null when it could not be read.
   */
  readonly impact?: PlanImpact | null;
}

/** Whether terminate applies to a relationship in `status`, and if not, why (docs/api-notes.md §2.7, §4.3). */
export type TerminateEligibility =
  | { readonly kind: 'act' }
  | { readonly kind: 'alreadyDone'; readonly inFlight: boolean; readonly reason: string; readonly reasonMessage: Message }
  | { readonly kind: 'skip'; readonly reason: string; readonly reasonMessage: Message };

/**
 * The terminate decision on a status alone. `decide` is built from it, and the tree's menus and the
 * pickers ask it, so a menu never offers what the run would refuse.
 */
export function terminateEligibility(status: string): TerminateEligibility {
  if (status === 'active') {
    return { kind: 'act' };
  }
  if (status === 'terminated') {
    return { kind: 'alreadyDone', inFlight: false, ...because(msg('Already terminated.')) };
  }
  if (isRelationshipStatusIn('terminateInFlight', status)) {
    return { kind: 'alreadyDone', inFlight: true, ...because(msg('Already being terminated ("{0}").', status)) };
  }
  return { kind: 'skip', ...because(msg('Terminate applies only to active relationships; this one is "{0}".', status)) };
}

function unreadable(id: string, error: unknown): Decision<TerminatePlanItem> {
  const facts = describeError(error);
  const notFound = facts.kind === 'notFound';
  return {
    kind: 'skip',
    outcome: 'failed',
    status: null,
    error: notFound ? `Relationship not found: ${facts.message}` : facts.message,
    errorKind: facts.kind,
    plan: {
      id,
      name: null,
      customerName: null,
      customerTenantId: null,
      status: null,
      endDateTime: null,
      roles: [],
      willAct: false,
      ...because(notFound ? msg('Relationship not found.') : msg('Could not be read: {0}', facts.message)),
      error: { kind: facts.kind, message: facts.message },
    },
  };
}

/** Plans only: the customers of the targets (from the plan's own reads), their relationships and assignments. */
async function readTerminateImpact(
  apis: MutationApis,
  ids: readonly string[],
  options: CallOptions,
  observed?: (id: string) => Promise<Observed<Relationship>>,
): Promise<ImpactReading> {
  const targets = ids.map((relationshipId) => ({ kind: 'terminateRelationship' as const, relationshipId }));
  const states = observed === undefined ? [] : await Promise.all(ids.map(observed));
  const tenants = states.flatMap((s) => (s.ok && s.value.customer?.tenantId ? [s.value.customer.tenantId] : []));
  return readImpact(apis, tenants, targets, options);
}

function decide(id: string, observed: Observed<Relationship>, context: ImpactReading | undefined): Decision<TerminatePlanItem> {
  if (!observed.ok) {
    return unreadable(id, observed.error);
  }
  const r = observed.value;
  const status = r.status;
  const eligibility = terminateEligibility(status);
  const reason = eligibility.kind === 'act' ? null : eligibility.reason;
  const plan: TerminatePlanItem = {
    id,
    name: r.displayName,
    customerName: r.customer?.displayName ?? null,
    customerTenantId: r.customer?.tenantId ?? null,
    status,
    endDateTime: r.endDateTime,
    roles: domainRoles(r.roleDefinitionIds),
    willAct: reason === null,
    reason,
    // Only when there is a reason: a plan item's keys are pinned for the CLI's JSON.
    ...(eligibility.kind === 'act' ? {} : { reasonMessage: eligibility.reasonMessage }),
    ...(context === undefined
      ? {}
      : { impact: planImpact(context, { kind: 'terminateRelationship', relationshipId: id }, r.customer?.tenantId ?? null) }),
  };
  const base = { plan, name: r.displayName, status };
  switch (eligibility.kind) {
    case 'act':
      return { ...base, kind: 'act', etag: r.etag };
    case 'alreadyDone':
      return { ...base, kind: 'alreadyDone', inFlight: eligibility.inFlight };
    case 'skip':
      return { ...base, kind: 'skip', outcome: 'skipped', error: eligibility.reason, errorMessage: eligibility.reasonMessage };
  }
}

/**
 * Terminate a relationship: `POST …/requests {"action":"terminate"}` (docs/api-notes.md §4.3), then wait
 * for `terminated`. The POST is not idempotent: after an unknown outcome it is reconciled by reading the
 * relationship and its requests, and sent again only when both show it was not applied.
 */
export const terminateStrategy: MutationStrategy<string, Relationship, TerminatePlanItem, ImpactReading> = {
  action: 'terminateRelationship',
  label: 'Terminate relationship',
  key: (id) => id,
  readMany: (apis, ids, options) => apis.graph.getRelationshipsMany(ids, options),
  readOne: (apis, id, options) => apis.graph.getRelationship(id, options),
  readPlanContext: readTerminateImpact,
  decide,
  journalTarget: (id, decision) => ({
    relationshipId: id,
    ...(decision.name !== undefined ? { name: decision.name } : {}),
    ...(decision.plan.customerTenantId ? { customerTenantId: decision.plan.customerTenantId } : {}),
    ...(decision.plan.customerName ? { customerName: decision.plan.customerName } : {}),
  }),
  async send(apis, id, decision) {
    // The status was just read (and, on a re-send, re-read as still active): pass it so the client
    // checks the precondition without another GET per target.
    await apis.graph.createRequest(id, 'terminate', {
      currentStatus: 'active',
      ...(decision.name !== undefined ? { displayName: decision.name } : {}),
    });
    return { status: 'terminationRequested' };
  },
  async reconcile(apis, id, _decision, failure): Promise<Reconciliation> {
    const clock = apis.clock !== undefined ? { clock: apis.clock } : {};
    let relationship: Relationship;
    try {
      relationship = await readToReconcile(() => apis.graph.getRelationship(id), clock);
    } catch (error) {
      return { kind: 'unknown', status: null, message: describeError(error).message };
    }
    const status = relationship.status;
    const applied = (): Reconciliation => ({
      kind: 'applied',
      status,
      note: `The request failed (${failure.kind}) but reading showed it was applied (status "${status}"); not re-sent.`,
    });
    if (status === 'terminated' || isRelationshipStatusIn('terminateInFlight', status)) {
      return applied();
    }
    if (status !== 'active') {
      return unknownOutcome(status, msg('The relationship is now "{0}".', status));
    }
    // Still active: a terminate request on record (not failed) means the service took it.
    try {
      const requests = await readToReconcile(() => apis.graph.listRequests(id), clock);
      const live = requests.some((r) => r.action === 'terminate' && r.status !== 'failed');
      return live ? applied() : { kind: 'notApplied', status };
    } catch (error) {
      return { kind: 'unknown', status, message: describeError(error).message };
    }
  },
  isEndState: (status) => status === 'terminated',
  verdict(observed) {
    if (!observed.ok) {
      return describeError(observed.error).kind === 'notFound'
        ? failedVerdict(null, msg('The relationship disappeared while it was terminating.'))
        : { state: 'pending', status: null };
    }
    const status = observed.value.status;
    if (status === 'terminated') {
      return { state: 'done', status };
    }
    if (isRelationshipStatusIn('terminateInFlight', status)) {
      return { state: 'pending', status };
    }
    return failedVerdict(status, msg('The relationship went to "{0}" instead of terminated.', String(status)));
  },
  fromJournal: (target) => target.relationshipId,
  tookEffect: (observed) =>
    observed.ok
      ? {
          state: observed.value.status,
          reached: observed.value.status === 'terminated' || isRelationshipStatusIn('terminateInFlight', observed.value.status),
        }
      : // A relationship that is gone did not end by this terminate.
        { state: 'gone', reached: false },
  texts: {
    failedTimes: (sends, message) => msg('Terminate failed {0} times: {1}', String(sends), message),
    timedOut: (status, seconds) =>
      msg('Termination was requested but the relationship is still "{0}" after {1} s.', statusText(status), String(seconds)),
    notReached: msg('The relationship did not reach terminated.'),
  },
};
