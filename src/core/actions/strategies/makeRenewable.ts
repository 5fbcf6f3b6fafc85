import { because, msg } from '../../messages';
import type { Relationship } from '../../graph/models';
import { GdapError, gdapErrorOf } from '../../http/gdapError';
import { describeError, mayHaveApplied, errorText } from '../errorFacts';
import type { Decision, MutationApis, MutationStrategy, Observed, Reconciliation, Verdict } from '../mutationStrategy';
import { statusText, failedVerdict } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { AUTO_EXTEND_ON, autoExtends, includesGlobalAdministrator } from '../relationshipFacts';
import {
  relationshipJournalTarget,
  readManyWithOperations,
  readWithOperations,
  relationshipChangeInFlight,
  relationshipFromJournal,
  relationshipPlanFields,
  relationshipTookEffect,
  skipText,
  unreadableDecision,
  type RelationshipPlanFields,
  type RelationshipWithOperations,
  changedMeanwhile,
} from './relationshipPlan';
import {
  readGlobalAdministratorAssignments,
  removalPlan,
  sendRemoveGlobalAdministrator,
  type AssignmentContext,
  type GlobalAdministratorRemovalPlan,
} from './removeGlobalAdministrator';

export type MakeRenewableStep = 'removeGlobalAdministrator' | 'waitForGlobalAdministratorRemoval' | 'autoExtendOn';

/** What a make-renewable confirmation shows for one relationship (and `gdap make-renewable --dry-run` prints). */
export interface MakeRenewablePlanItem extends RelationshipPlanFields, GlobalAdministratorRemovalPlan {
  /** The steps the run takes, in order (empty when it will not act). */
  readonly steps: readonly MakeRenewableStep[];
}

function decide(
  id: string,
  observed: Observed<RelationshipWithOperations>,
  context: AssignmentContext | undefined,
): Decision<MakeRenewablePlanItem> {
  if (!observed.ok) {
    return unreadableDecision<MakeRenewablePlanItem>(id, observed.error, {
      rolesAfter: [],
      globalAdministratorAssignments: [],
      assignmentsError: null,
      steps: [],
    });
  }
  const { relationship: r, operations } = observed.value;
  const hasGa = includesGlobalAdministrator(r);
  const fields = { ...relationshipPlanFields(id, r), ...removalPlan(r, hasGa ? context : undefined) };
  const base = { name: r.displayName, status: r.status };
  if (r.status !== 'active') {
    const { reason, reasonMessage } = because(msg('Only an active relationship can be made renewable; this one is "{0}".', r.status));
    return {
      ...base,
      kind: 'skip',
      outcome: 'skipped',
      error: skipText('notActive', reason),
      errorMessage: reasonMessage,
      plan: { ...fields, steps: [], willAct: false, reason, reasonMessage, reasonCode: 'notActive' },
    };
  }
  if (autoExtends(r)) {
    return {
      ...base,
      kind: 'alreadyDone',
      inFlight: false,
      plan: {
        ...fields,
        steps: [],
        willAct: false,
        ...because(msg('Already renews itself: auto-extend is on and no Global Administrator.')),
        reasonCode: 'alreadyDone',
      },
    };
  }
  const steps: MakeRenewableStep[] = hasGa
    ? [relationshipChangeInFlight(operations) ? 'waitForGlobalAdministratorRemoval' : 'removeGlobalAdministrator', 'autoExtendOn']
    : ['autoExtendOn'];
  return { ...base, kind: 'act', etag: r.etag, step: steps[0], plan: { ...fields, steps, willAct: true, reason: null, reasonCode: null } };
}

async function autoExtendOn(apis: MutationApis, r: Relationship): Promise<void> {
  await apis.graph.updateRelationship(r.id, r.etag ?? '', { autoExtendDuration: AUTO_EXTEND_ON }, { reconcileByReading: true });
}

/**
 * Make a relationship renew itself (docs/renewal.md): remove Global Administrator where present (202 +
 * operation, followed to its end), then `PATCH {"autoExtendDuration":"P180D"}` on the version read after
 * it. One journal intent covers both steps. When the second step fails after the first succeeded, the
 * pipeline's reconciling read re-decides: the next send is only the step still missing.
 */
export const makeRenewableStrategy: MutationStrategy<string, RelationshipWithOperations, MakeRenewablePlanItem, AssignmentContext> = {
  action: 'makeRenewable',
  label: 'Make renewable',
  key: (id) => id,
  readMany: readManyWithOperations,
  readOne: readWithOperations,
  needsFreshRead: (s) => s.relationship.etag === null,
  readPlanContext: readGlobalAdministratorAssignments,
  decide,
  journalTarget: (id, decision) => relationshipJournalTarget(id, decision),
  async send(apis, id, decision, state) {
    if (state === undefined) {
      throw new GdapError({ kind: 'invalidInput', message: 'Nothing was read to act on.' });
    }
    let r = state.relationship;
    if (decision.step === 'removeGlobalAdministrator') {
      await sendRemoveGlobalAdministrator(apis, r, decision.etag ?? '');
    }
    if (decision.step !== 'autoExtendOn') {
      // Wait until Global Administrator is gone, then act on the version that shows it.
      r = await apis.graph.waitForRelationship(id, (x) => !includesGlobalAdministrator(x) || x.status !== 'active');
      if (r.status !== 'active') {
        throw gdapErrorOf('conflict', msg('The relationship became "{0}" before auto-extend could be turned on.', r.status));
      }
      // The second request of this send acts on the version the removal left: on disk with its ETag first.
      await apis.journalStep?.(r.etag, 'Global Administrator is removed; turning auto-extend on, on the version that shows it.');
    }
    try {
      await autoExtendOn(apis, r);
    } catch (error) {
      if (decision.step === 'autoExtendOn' || mayHaveApplied(error) || describeError(error).kind === 'preconditionFailed') {
        throw error;
      }
      const facts = describeError(error);
      const why = msg(
        'Global Administrator was removed, but turning auto-extend on failed: {0} Run make-renewable again to finish.',
        errorText(facts),
      );
      throw gdapErrorOf(facts.kind, why, { cause: error });
    }
    return { status: r.status };
  },
  async reconcile(apis, id, decision, failure): Promise<Reconciliation<MakeRenewablePlanItem, RelationshipWithOperations>> {
    let state: RelationshipWithOperations;
    try {
      state = await readToReconcile(() => readWithOperations(apis, id, {}), apis.clock !== undefined ? { clock: apis.clock } : {});
    } catch (error) {
      return { kind: 'unknown', status: null, message: describeError(error).message };
    }
    const r = state.relationship;
    const again = decide(id, { ok: true, value: state }, undefined);
    if (again.kind === 'alreadyDone') {
      return {
        kind: 'applied',
        status: r.status,
        note: `The request failed (${failure.kind}) but reading showed it renewable; not re-sent.`,
      };
    }
    if (again.kind === 'skip') {
      return changedMeanwhile(r.status, again.plan);
    }
    if (r.etag === decision.etag && again.step === decision.step) {
      return { kind: 'notApplied', status: r.status };
    }
    return {
      kind: 'redecided',
      status: r.status,
      decision: again,
      state,
      note: `Read again after ${failure.kind}: next step ${again.step ?? ''}.`,
    };
  },
  fromJournal: relationshipFromJournal,
  tookEffect: (observed) => relationshipTookEffect(observed.ok ? { ok: true, value: observed.value.relationship } : observed, autoExtends),
  isEndState: () => true,
  verdict(observed): Verdict {
    if (!observed.ok) {
      return { state: 'pending', status: null };
    }
    const r = observed.value.relationship;
    return autoExtends(r) ? { state: 'done', status: r.status } : failedVerdict(r.status, msg('Auto-extend is not on.'));
  },
  texts: {
    failedTimes: (sends, message) => msg('Make renewable failed {0} times: {1}', String(sends), message),
    timedOut: (status, seconds) => msg('Not renewable yet after {0} s (status "{1}").', String(seconds), statusText(status)),
    notReached: msg('The relationship was not made renewable.'),
  },
};
