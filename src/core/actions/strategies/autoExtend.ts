import type { Relationship } from '../../graph/models';
import { because, msg, type Message } from '../../messages';
import { describeError } from '../errorFacts';
import type { Decision, MutationStrategy, Observed, Reconciliation } from '../mutationStrategy';
import { statusText, changedMeanwhile } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { AUTO_EXTEND_OFF, AUTO_EXTEND_ON, includesGlobalAdministrator, isAutoExtendOn } from '../relationshipFacts';
import {
  relationshipJournalTarget,
  relationshipFromJournal,
  relationshipPlanFields,
  relationshipTookEffect,
  skipText,
  unreadableDecision,
  type RelationshipPlanFields,
} from './relationshipPlan';

/** What an auto-extend confirmation shows for one relationship (and `gdap auto-extend --dry-run` prints). */
export interface AutoExtendPlanItem extends RelationshipPlanFields {
  /** The value the run sends: `P180D` (on) or `PT0S` (off). */
  readonly autoExtendTo: string;
}

/** Whether auto-extend on/off applies to a relationship, and if not, why (docs/renewal.md). */
export type AutoExtendEligibility =
  | { readonly kind: 'act' }
  | { readonly kind: 'alreadyDone'; readonly reason: string; readonly reasonMessage: Message }
  | { readonly kind: 'skip'; readonly code: 'notActive' | 'globalAdministrator'; readonly reason: string; readonly reasonMessage: Message };

/**
 * The auto-extend decision on a relationship alone; menus and pickers ask it too. Global Administrator
 * blocks auto-extend (docs/api-notes.md §4.1): "on" is refused here rather than sent to fail at the service.
 */
export function autoExtendEligibility(r: Relationship, on: boolean): AutoExtendEligibility {
  if (r.status !== 'active') {
    return {
      kind: 'skip',
      code: 'notActive',
      ...because(msg('Auto-extend can be changed only on active relationships; this one is "{0}".', r.status)),
    };
  }
  if (on && includesGlobalAdministrator(r)) {
    return {
      kind: 'skip',
      code: 'globalAdministrator',
      ...because(
        msg('Global Administrator is among its roles, which blocks auto-extend; remove it first (gdap make-renewable does both).'),
      ),
    };
  }
  if (isAutoExtendOn(r) === on) {
    return { kind: 'alreadyDone', ...because(on ? msg('Auto-extend is already on.') : msg('Auto-extend is already off.')) };
  }
  return { kind: 'act' };
}

function decide(id: string, observed: Observed<Relationship>, on: boolean): Decision<AutoExtendPlanItem> {
  const autoExtendTo = on ? AUTO_EXTEND_ON : AUTO_EXTEND_OFF;
  if (!observed.ok) {
    return unreadableDecision<AutoExtendPlanItem>(id, observed.error, { autoExtendTo });
  }
  const r = observed.value;
  const eligibility = autoExtendEligibility(r, on);
  const fields = relationshipPlanFields(id, r);
  const base = { name: r.displayName, status: r.status };
  switch (eligibility.kind) {
    case 'act':
      return { ...base, kind: 'act', etag: r.etag, plan: { ...fields, autoExtendTo, willAct: true, reason: null, reasonCode: null } };
    case 'alreadyDone':
      return {
        ...base,
        kind: 'alreadyDone',
        inFlight: false,
        plan: {
          ...fields,
          autoExtendTo,
          willAct: false,
          reason: eligibility.reason,
          reasonMessage: eligibility.reasonMessage,
          reasonCode: 'alreadyDone',
        },
      };
    case 'skip':
      return {
        ...base,
        kind: 'skip',
        outcome: 'skipped',
        error: skipText(eligibility.code, eligibility.reason),
        errorMessage: eligibility.reasonMessage,
        plan: {
          ...fields,
          autoExtendTo,
          willAct: false,
          reason: eligibility.reason,
          reasonMessage: eligibility.reasonMessage,
          reasonCode: eligibility.code,
        },
      };
  }
}

/**
 * Auto-extend on or off: `PATCH …/delegatedAdminRelationships/{id}` `{"autoExtendDuration":"P180D"|"PT0S"}`
 * with `If-Match` (docs/api-notes.md §3.4). Synchronous (200). After a lost answer or a 412 the
 * relationship is read again: already as wanted → done; unchanged → sent again; changed by someone else
 * but still calling for the same change → sent again on its new version; otherwise it fails.
 */
export function autoExtendStrategy(on: boolean): MutationStrategy<string, Relationship, AutoExtendPlanItem> {
  const value = on ? AUTO_EXTEND_ON : AUTO_EXTEND_OFF;
  const word = on ? 'on' : 'off';
  return {
    action: on ? 'autoExtendOn' : 'autoExtendOff',
    label: `Turn auto-extend ${word} for`,
    key: (id) => id,
    readMany: (apis, ids, options) => apis.graph.getRelationshipsMany(ids, options),
    readOne: (apis, id, options) => apis.graph.getRelationship(id, options),
    needsFreshRead: (r) => r.etag === null,
    decide: (id, observed) => decide(id, observed, on),
    journalTarget: (id, decision) => relationshipJournalTarget(id, decision),
    async send(apis, id, decision) {
      const result = await apis.graph.updateRelationship(
        id,
        decision.etag ?? '',
        { autoExtendDuration: value },
        { reconcileByReading: true },
      );
      return { status: result.kind === 'updated' ? result.value.status : 'active' };
    },
    async reconcile(apis, id, decision, failure): Promise<Reconciliation<AutoExtendPlanItem, Relationship>> {
      let r: Relationship;
      try {
        r = await readToReconcile(() => apis.graph.getRelationship(id), apis.clock !== undefined ? { clock: apis.clock } : {});
      } catch (error) {
        return { kind: 'unknown', status: null, message: describeError(error).message };
      }
      const again = decide(id, { ok: true, value: r }, on);
      if (again.kind === 'alreadyDone') {
        return {
          kind: 'applied',
          status: r.status,
          note: `The request failed (${failure.kind}) but reading showed auto-extend ${word}; not re-sent.`,
        };
      }
      if (again.kind === 'skip') {
        return changedMeanwhile(
          r.status,
          msg('The relationship changed while it was being updated: {0}', again.plan.reasonMessage ?? again.plan.reason ?? ''),
        );
      }
      if (r.etag === decision.etag) {
        return { kind: 'notApplied', status: r.status };
      }
      return {
        kind: 'redecided',
        status: r.status,
        decision: again,
        state: r,
        note: `It changed meanwhile (${failure.kind}); read again, still active without auto-extend ${word}: sent on its new version.`,
      };
    },
    fromJournal: relationshipFromJournal,
    tookEffect: (observed) => relationshipTookEffect(observed, (r) => isAutoExtendOn(r) === on),
    isEndState: () => true,
    verdict: (observed) =>
      observed.ok
        ? { state: isAutoExtendOn(observed.value) === on ? 'done' : 'failed', status: observed.value.status }
        : { state: 'pending', status: null },
    // One literal template per word, so each reads naturally in every language.
    texts: on
      ? {
          failedTimes: (sends, message) => msg('Auto-extend on failed {0} times: {1}', String(sends), message),
          timedOut: (status, seconds) =>
            msg('Auto-extend on was sent but not seen after {0} s (status "{1}").', String(seconds), statusText(status)),
          notReached: msg('Auto-extend did not turn on.'),
        }
      : {
          failedTimes: (sends, message) => msg('Auto-extend off failed {0} times: {1}', String(sends), message),
          timedOut: (status, seconds) =>
            msg('Auto-extend off was sent but not seen after {0} s (status "{1}").', String(seconds), statusText(status)),
          notReached: msg('Auto-extend did not turn off.'),
        },
  };
}
