import type { Relationship } from '../../graph/models';
import { because, msg, type Message } from '../../messages';
import { describeError } from '../errorFacts';
import type { Decision, MutationStrategy, Observed, PlanError, Reconciliation } from '../mutationStrategy';
import { statusText, changedMeanwhile } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { clockOption, unreadableFacts } from './grantCommon';

/** What a delete-draft confirmation shows for one relationship. */
export interface DeleteDraftPlanItem {
  readonly id: string;
  readonly name: string | null;
  readonly status: string | null;
  readonly willAct: boolean;
  readonly reason: string | null;
  /** `reason` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly reasonMessage?: Message | null;
  readonly error?: PlanError;
}

function decide(id: string, observed: Observed<Relationship>): Decision<DeleteDraftPlanItem> {
  if (!observed.ok) {
    const u = unreadableFacts(observed.error, 'Relationship');
    return {
      kind: 'skip',
      outcome: 'failed',
      status: null,
      error: u.error,
      errorMessage: u.errorMessage,
      errorKind: u.planError.kind,
      plan: { id, name: null, status: null, willAct: false, reason: u.reason, reasonMessage: u.reasonMessage, error: u.planError },
    };
  }
  const r = observed.value;
  const plan = { id, name: r.displayName, status: r.status };
  if (r.status === 'created' && r.etag !== null) {
    return { kind: 'act', etag: r.etag, name: r.displayName, status: r.status, plan: { ...plan, willAct: true, reason: null } };
  }
  const { reason, reasonMessage } = because(
    r.status === 'created'
      ? msg('The service sent no version (ETag) for it; refresh and try again.')
      : r.status === 'active'
        ? msg('Only a draft (status "created") can be deleted; this one is "{0}" (terminate it instead).', r.status)
        : msg('Only a draft (status "created") can be deleted; this one is "{0}".', r.status),
  );
  return {
    kind: 'skip',
    outcome: r.status === 'created' ? 'failed' : 'skipped',
    error: reason,
    errorMessage: reasonMessage,
    name: r.displayName,
    status: r.status,
    plan: { ...plan, willAct: false, reason, reasonMessage },
  };
}

/**
 * Delete a draft: `DELETE …/delegatedAdminRelationships/{id}` with `If-Match`, only in `created`
 * (docs/api-notes.md §3.5). After an unknown outcome the relationship is read: gone means deleted.
 */
export const deleteDraftStrategy: MutationStrategy<string, Relationship, DeleteDraftPlanItem> = {
  action: 'deleteRelationship',
  label: 'Delete draft relationship',
  key: (id) => id,
  readMany: (apis, ids, options) => apis.graph.getRelationshipsMany(ids, options),
  readOne: (apis, id, options) => apis.graph.getRelationship(id, options),
  needsFreshRead: (r) => r.etag === null,
  decide: (id, observed) => decide(id, observed),
  journalTarget: (id, decision) => ({ relationshipId: id, ...(decision.name !== undefined ? { name: decision.name } : {}) }),
  async send(apis, id, decision) {
    await apis.graph.deleteRelationship(id, decision.etag ?? '', {
      currentStatus: 'created',
      reconcileByReading: true,
      ...(decision.name !== undefined ? { displayName: decision.name } : {}),
    });
    return { status: 'deleted' };
  },
  async reconcile(apis, id, decision, failure): Promise<Reconciliation> {
    let relationship: Relationship;
    try {
      relationship = await readToReconcile(() => apis.graph.getRelationship(id), clockOption(apis.clock));
    } catch (error) {
      const facts = describeError(error);
      return facts.kind === 'notFound'
        ? { kind: 'applied', status: 'deleted', note: `The request failed (${failure.kind}) but the relationship is gone; not re-sent.` }
        : { kind: 'unknown', status: null, message: facts.message };
    }
    if (relationship.status !== 'created' || relationship.etag !== decision.etag) {
      return changedMeanwhile(
        relationship.status,
        msg('The draft changed since it was read (now "{0}"); nothing was deleted. Review it and try again.', String(relationship.status)),
      );
    }
    return { kind: 'notApplied', status: relationship.status };
  },
  isEndState: (status) => status === 'deleted',
  verdict: (observed) =>
    !observed.ok && describeError(observed.error).kind === 'notFound'
      ? { state: 'done', status: 'deleted' }
      : { state: 'pending', status: observed.ok ? observed.value.status : null },
  fromJournal: (target) => target.relationshipId,
  tookEffect: (observed) =>
    observed.ok
      ? { state: observed.value.status, reached: false }
      : { state: 'gone', reached: describeError(observed.error).kind === 'notFound' },
  texts: {
    failedTimes: (sends, message) => msg('Delete failed {0} times: {1}', String(sends), message),
    timedOut: (status, seconds) => msg('The draft is still "{0}" after {1} s.', statusText(status), String(seconds)),
    notReached: msg('The draft was not deleted.'),
  },
};
