import type { Relationship } from '../../graph/models';
import { because, msg, type Message } from '../../messages';
import { describeError } from '../errorFacts';
import type { Decision, MutationStrategy, Observed, PlanError, Reconciliation } from '../mutationStrategy';
import { statusText, unknownOutcome, failedVerdict } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { approvalLink } from '../relationshipFacts';
import { clockOption, unreadableFacts } from './grantCommon';
import { relationshipJournalTarget } from './relationshipPlan';

/** What a lock confirmation shows for one relationship. */
export interface LockPlanItem {
  readonly id: string;
  readonly name: string | null;
  readonly status: string | null;
  readonly customerTenantId: string | null;
  readonly willAct: boolean;
  readonly reason: string | null;
  /** `reason` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly reasonMessage?: Message | null;
  readonly error?: PlanError;
}

/** Statuses past the lock: the relationship was locked before (or approved since). */
const LOCKED_OR_LATER: readonly string[] = ['approvalPending', 'approved', 'activating', 'active'];

function decide(id: string, observed: Observed<Relationship>): Decision<LockPlanItem> {
  if (!observed.ok) {
    const u = unreadableFacts(observed.error, 'Relationship');
    return {
      kind: 'skip',
      outcome: 'failed',
      status: null,
      error: u.error,
      errorMessage: u.errorMessage,
      errorKind: u.planError.kind,
      plan: {
        id,
        name: null,
        status: null,
        customerTenantId: null,
        willAct: false,
        reason: u.reason,
        reasonMessage: u.reasonMessage,
        error: u.planError,
      },
    };
  }
  const r = observed.value;
  const plan = { id, name: r.displayName, status: r.status, customerTenantId: r.customer?.tenantId ?? null };
  const base = { name: r.displayName, status: r.status };
  if (r.status === 'created') {
    return { ...base, kind: 'act', etag: r.etag, plan: { ...plan, willAct: true, reason: null } };
  }
  if (LOCKED_OR_LATER.includes(r.status)) {
    const done = because(
      r.status === 'approvalPending' ? msg('Already locked for approval.') : msg('Already past approval ("{0}").', r.status),
    );
    return { ...base, kind: 'alreadyDone', inFlight: false, plan: { ...plan, willAct: false, ...done } };
  }
  const { reason, reasonMessage } = because(
    msg('Lock for approval applies only to relationships in "created"; this one is "{0}".', r.status),
  );
  return {
    ...base,
    kind: 'skip',
    outcome: 'skipped',
    error: reason,
    errorMessage: reasonMessage,
    plan: { ...plan, willAct: false, reason, reasonMessage },
  };
}

/**
 * Lock for approval: `POST …/requests {"action":"lockForApproval"}` (docs/api-notes.md §4.2), then wait
 * for `approvalPending`, when the customer approval link is valid. The POST is not idempotent: after an
 * unknown outcome the relationship and its requests are read, and it is sent again only when neither
 * shows the lock.
 */
export const lockForApprovalStrategy: MutationStrategy<string, Relationship, LockPlanItem> = {
  action: 'lockForApproval',
  label: 'Lock for approval',
  key: (id) => id,
  readMany: (apis, ids, options) => apis.graph.getRelationshipsMany(ids, options),
  readOne: (apis, id, options) => apis.graph.getRelationship(id, options),
  decide: (id, observed) => decide(id, observed),
  journalTarget: (id, decision) => relationshipJournalTarget(id, decision),
  async send(apis, id, decision) {
    const request = await apis.graph.createRequest(id, 'lockForApproval', {
      currentStatus: 'created',
      reconcileByReading: true,
      ...(decision.name !== undefined ? { displayName: decision.name } : {}),
    });
    // The relationship moves to approvalPending once the request is processed; the pipeline waits.
    return { status: request.status === 'succeeded' ? 'approvalPending' : 'created' };
  },
  async reconcile(apis, id, _decision, failure): Promise<Reconciliation> {
    const clock = clockOption(apis.clock);
    let relationship: Relationship;
    try {
      relationship = await readToReconcile(() => apis.graph.getRelationship(id), clock);
    } catch (error) {
      return { kind: 'unknown', status: null, message: describeError(error).message };
    }
    const status = relationship.status;
    const applied: Reconciliation = {
      kind: 'applied',
      status,
      note: `The request failed (${failure.kind}) but reading showed it was applied (status "${status}"); not re-sent.`,
    };
    if (LOCKED_OR_LATER.includes(status)) {
      return applied;
    }
    if (status !== 'created') {
      return unknownOutcome(status, msg('The relationship is now "{0}".', status));
    }
    try {
      const requests = await readToReconcile(() => apis.graph.listRequests(id), clock);
      return requests.some((r) => r.action === 'lockForApproval' && r.status !== 'failed') ? applied : { kind: 'notApplied', status };
    } catch (error) {
      return { kind: 'unknown', status, message: describeError(error).message };
    }
  },
  isEndState: (status) => status !== null && LOCKED_OR_LATER.includes(status),
  verdict(observed) {
    if (!observed.ok) {
      return describeError(observed.error).kind === 'notFound'
        ? failedVerdict(null, msg('The relationship disappeared while it was being locked.'))
        : { state: 'pending', status: null };
    }
    const status = observed.value.status;
    if (LOCKED_OR_LATER.includes(status)) {
      return { state: 'done', status };
    }
    if (status === 'created') {
      return { state: 'pending', status };
    }
    return failedVerdict(status, msg('The relationship went to "{0}" instead of approvalPending.', String(status)));
  },
  fromJournal: (target) => target.relationshipId,
  tookEffect: (observed) =>
    observed.ok
      ? { state: observed.value.status, reached: LOCKED_OR_LATER.includes(observed.value.status) }
      : { state: 'gone', reached: false },
  texts: {
    failedTimes: (sends, message) => msg('Lock for approval failed {0} times: {1}', String(sends), message),
    timedOut: (status, seconds) =>
      msg('Lock for approval was requested but the relationship is still "{0}" after {1} s.', statusText(status), String(seconds)),
    notReached: msg('The relationship did not reach approvalPending.'),
  },
};

/** The customer approval link of a relationship waiting for approval (docs/onboarding.md §3), else null. */
export function customerApprovalLink(relationship: Pick<Relationship, 'id' | 'status'>): string | null {
  return approvalLink(relationship);
}
