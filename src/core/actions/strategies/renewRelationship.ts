import { because, msg, type Message } from '../../messages';
import { domainRoles, type DomainRole } from '../../domain/roles';
import { isRelationshipStatusIn } from '../../domain/status';
import type { BatchItemResult, CallOptions } from '../../graph/gdapApi';
import type { AccessAssignment, Relationship } from '../../graph/models';
import { GdapError, gdapErrorOf } from '../../http/gdapError';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../roles/roleCatalog';
import { describeError, mayHaveApplied, errorText } from '../errorFacts';
import type { Decision, MutationApis, MutationStrategy, Observed, Reconciliation } from '../mutationStrategy';
import { statusText, unknownOutcome } from '../mutationStrategy';
import type { PlannedAssignment, PlannedAssignmentStore } from '../plannedAssignments';
import { readToReconcile } from '../readToReconcile';
import { AUTO_EXTEND_OFF, AUTO_EXTEND_ON, approvalLink } from '../relationshipFacts';
import {
  relationshipJournalTarget,
  relationshipFromJournal,
  relationshipPlanFields,
  rolesWithoutGlobalAdministrator,
  skipText,
  unreadableDecision,
  type RelationshipPlanFields,
  changedMeanwhile,
} from './relationshipPlan';

/** The service's limit on display names (docs/api-notes.md §2.1). */
export const MAX_DISPLAY_NAME_LENGTH = 50;

/** What one renewal reads: the old relationship, its access assignments and every display name in use. */
export interface RenewState {
  readonly relationship: Relationship;
  /** The old relationship's access assignments; null when its status lists none (ended) or they could not be read. */
  readonly assignments: readonly AccessAssignment[] | null;
  readonly assignmentsError: string | null;
  /** Every relationship of the partner by lower-cased display name (names are unique per partner). */
  readonly byName: ReadonlyMap<string, Relationship>;
}

export type RenewStep = 'create' | 'lockForApproval';

/** What a renew confirmation shows for one relationship (and `gdap renew --dry-run` prints). */
export interface RenewPlanItem extends RelationshipPlanFields {
  /** The successor's display name: derived from the old one, ≤ 50 characters, unique. */
  readonly successorName: string | null;
  /** The successor's id and status once it exists (an earlier run, or this one after it ran). */
  readonly successorId: string | null;
  readonly successorStatus: string | null;
  /** Where the customer approves the successor, once it is locked for approval. */
  readonly approvalLink: string | null;
  readonly successorRoles: readonly DomainRole[];
  readonly duration: string | null;
  readonly autoExtendDuration: string | null;
  /** Access assignments to grant once the customer approves (from the old relationship's). */
  readonly plannedAssignments: readonly PlannedAssignment[];
  /** Why the old relationship's access assignments are not carried over, when they are not. */
  readonly plannedAssignmentsNote: string | null;
  readonly steps: readonly RenewStep[];
}

export interface RenewOptions {
  /** Where the planned assignments are kept until approval. */
  readonly store: PlannedAssignmentStore;
  /** Leave Global Administrator out of the successor's roles (so it can auto-extend). */
  readonly withoutGlobalAdministrator?: boolean;
}

const RENEWAL_SUFFIX = /\s*\(renewal(?: [0-9a-f]{1,8})?(?: \d+)?\)$/i;

/**
 * A display name for the successor: the old name plus " (renewal)" (" (renewal 2)", … when taken), at most
 * 50 characters. A name that must be shortened gets the first 8 characters of the old id, so two long
 * names sharing a beginning never derive the same successor name. Returns the relationship already
 * holding the name when that one is this relationship's successor (same customer, not ended).
 */
export function successorName(
  old: Pick<Relationship, 'id' | 'displayName' | 'customer'>,
  byName: ReadonlyMap<string, Relationship>,
): { readonly name: string; readonly existing: Relationship | null } | null {
  const base = old.displayName.replace(RENEWAL_SUFFIX, '').trim() || 'GDAP';
  for (let n = 1; n <= 99; n += 1) {
    const suffix = n === 1 ? ' (renewal)' : ` (renewal ${n})`;
    const room = MAX_DISPLAY_NAME_LENGTH - suffix.length;
    const stem = base.length <= room ? base : `${base.slice(0, room - 9).trimEnd()} ${old.id.slice(0, 8)}`;
    const name = `${stem}${suffix}`;
    const holder = byName.get(name.toLowerCase());
    if (holder === undefined) {
      return { name, existing: null };
    }
    const ours =
      holder.id !== old.id &&
      holder.customer?.tenantId != null &&
      holder.customer.tenantId === old.customer?.tenantId &&
      !isRelationshipStatusIn('ended', holder.status) &&
      !isRelationshipStatusIn('terminateInFlight', holder.status);
    if (ours) {
      return { name, existing: holder };
    }
  }
  return null;
}

const isGa = (id: string): boolean => id.toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE_ID;

/** The old relationship's active access assignments, limited to the successor's roles (an assignment grants only roles its relationship has). */
function plannedFrom(assignments: readonly AccessAssignment[], roles: readonly string[]): PlannedAssignment[] {
  const allowed = new Set(roles.map((r) => r.toLowerCase()));
  return assignments
    .filter((a) => a.status === 'active' || a.status === 'pending')
    .map((a) => ({
      groupId: a.accessContainer.accessContainerId,
      roleDefinitionIds: a.roleDefinitionIds.filter((r) => allowed.has(r.toLowerCase())),
    }))
    .filter((a) => a.roleDefinitionIds.length > 0);
}

// Long because: one decision over the old relationship, the successor found by name and the roles; each branch returns its plan item.
function decide(id: string, observed: Observed<RenewState>, options: RenewOptions): Decision<RenewPlanItem> {
  const empty = {
    successorName: null,
    successorId: null,
    successorStatus: null,
    approvalLink: null,
    successorRoles: [],
    duration: null,
    plannedAssignments: [],
    plannedAssignmentsNote: null,
    steps: [],
  };
  if (!observed.ok) {
    return unreadableDecision<RenewPlanItem>(id, observed.error, empty);
  }
  const { relationship: r, assignments, assignmentsError, byName } = observed.value;
  const fields = relationshipPlanFields(id, r);
  const base = { name: r.displayName, status: r.status };
  const skip = (code: 'notRenewable' | 'noCustomer', message: Message, extra: Partial<RenewPlanItem> = {}): Decision<RenewPlanItem> => {
    const { reason, reasonMessage } = because(message);
    return {
      ...base,
      kind: 'skip',
      outcome: 'skipped',
      error: skipText(code, reason),
      errorMessage: reasonMessage,
      plan: { ...fields, ...empty, ...extra, willAct: false, reason, reasonMessage, reasonCode: code },
    };
  };
  if (isRelationshipStatusIn('pending', r.status)) {
    return skip('notRenewable', msg('It is not active yet ("{0}"); there is nothing to renew.', r.status));
  }
  if (r.status === 'terminated' || isRelationshipStatusIn('terminateInFlight', r.status)) {
    return skip('notRenewable', msg('It was terminated ("{0}"), not ended by the calendar; create a new relationship instead.', r.status));
  }
  if (r.status !== 'active' && r.status !== 'expiring' && r.status !== 'expired') {
    return skip('notRenewable', msg('Renew applies to active, expiring or expired relationships; this one is "{0}".', r.status));
  }
  const tenantId = r.customer?.tenantId ?? null;
  if (tenantId === null) {
    return skip('noCustomer', msg('It has no customer tenant to renew with.'));
  }
  const roles =
    options.withoutGlobalAdministrator === true ? rolesWithoutGlobalAdministrator(r.roleDefinitionIds) : [...r.roleDefinitionIds];
  if (roles.length === 0) {
    return skip('notRenewable', msg('Global Administrator is its only role; without it the successor would grant nothing.'));
  }
  const successor = successorName(r, byName);
  if (successor === null) {
    return skip('notRenewable', msg('No free successor name: "(renewal)" up to "(renewal 99)" are all taken.'));
  }
  const planned = assignments === null ? [] : plannedFrom(assignments, roles);
  const existing = successor.existing;
  const plan: RenewPlanItem = {
    ...fields,
    successorName: successor.name,
    successorId: existing?.id ?? null,
    successorStatus: existing?.status ?? null,
    approvalLink: existing !== null ? approvalLink(existing) : null,
    successorRoles: domainRoles(existing?.roleDefinitionIds ?? roles),
    duration: r.duration,
    // A relationship without Global Administrator is created to renew itself; with it, it cannot (docs/api-notes.md §4.1).
    autoExtendDuration: roles.some(isGa) ? AUTO_EXTEND_OFF : AUTO_EXTEND_ON,
    plannedAssignments: planned,
    plannedAssignmentsNote:
      assignments === null
        ? (assignmentsError ?? `A "${r.status}" relationship lists no access assignments; grant them on the successor yourself.`)
        : null,
    steps: [],
    willAct: true,
    reason: null,
    reasonCode: null,
  };
  if (existing === null) {
    return { ...base, kind: 'act', etag: null, step: 'create', plan: { ...plan, steps: ['create', 'lockForApproval'] } };
  }
  if (existing.status === 'created') {
    return { ...base, kind: 'act', etag: existing.etag, step: 'lockForApproval', plan: { ...plan, steps: ['lockForApproval'] } };
  }
  return {
    ...base,
    kind: 'alreadyDone',
    inFlight: false,
    plan: {
      ...plan,
      willAct: false,
      ...because(msg('Already renewed as "{0}" ({1}).', existing.displayName, existing.status)),
      reasonCode: 'alreadyDone',
    },
  };
}

function byNameOf(all: Iterable<Relationship>): Map<string, Relationship> {
  return new Map([...all].map((r) => [r.displayName.toLowerCase(), r]));
}

async function readOne(apis: MutationApis, id: string, options: CallOptions): Promise<RenewState> {
  const [relationship, all] = await Promise.all([apis.graph.getRelationship(id, options), apis.graph.listAllRelationships(options)]);
  let assignments: AccessAssignment[] | null = null;
  let assignmentsError: string | null = null;
  if (isRelationshipStatusIn('withAssignments', relationship.status)) {
    try {
      assignments = await apis.graph.listAccessAssignments(id, options);
    } catch (error) {
      assignmentsError = `Its access assignments could not be read (${describeError(error).message}); grant them on the successor yourself.`;
    }
  }
  return { relationship, assignments, assignmentsError, byName: byNameOf(all) };
}

/** One paged list of every relationship (names and states) and one batched read of the access assignments. */
async function readMany(
  apis: MutationApis,
  ids: readonly string[],
  options: CallOptions,
): Promise<Map<string, BatchItemResult<RenewState>>> {
  const all = await apis.graph.listAllRelationships(options);
  const byId = new Map(all.map((r) => [r.id, r]));
  const byName = byNameOf(all);
  const listed = ids.filter((id) => isRelationshipStatusIn('withAssignments', byId.get(id)?.status));
  const assignments =
    listed.length > 0
      ? await apis.graph.listAccessAssignmentsForMany(listed, options)
      : new Map<string, BatchItemResult<AccessAssignment[]>>();
  const out = new Map<string, BatchItemResult<RenewState>>();
  for (const id of ids) {
    const relationship = byId.get(id);
    if (relationship === undefined) {
      // Not in the list: the pipeline reads it on its own (a 404 then says it does not exist).
      continue;
    }
    const item = assignments.get(id);
    out.set(id, {
      ok: true,
      value: {
        relationship,
        assignments: item?.ok === true ? item.value : null,
        assignmentsError:
          item !== undefined && !item.ok
            ? `Its access assignments could not be read (${item.error.message}); grant them on the successor yourself.`
            : null,
        byName,
      },
    });
  }
  return out;
}

/**
 * Renew a relationship that has ended or is about to (docs/renewal.md): create its successor (same customer,
 * roles — optionally without Global Administrator — and duration, a unique derived name), keep the old
 * relationship's access assignments as planned assignments for it, and lock it for approval. The create POST
 * is not idempotent: after a lost answer, reading finds the successor by its unique name and only the
 * missing step is sent; it is never created twice.
 */
// Long because: an object literal of the strategy's small methods, sharing the factory's options and store.
export function renewStrategy(options: RenewOptions): MutationStrategy<string, RenewState, RenewPlanItem> {
  const lock = async (
    apis: MutationApis,
    successor: Relationship,
    planned: readonly PlannedAssignment[],
    created: boolean,
  ): Promise<void> => {
    await options.store.set(successor.id, planned);
    try {
      await apis.graph.createRequest(successor.id, 'lockForApproval', { currentStatus: 'created', displayName: successor.displayName });
    } catch (error) {
      if (!created || mayHaveApplied(error)) {
        throw error;
      }
      const facts = describeError(error);
      const why = msg(
        'The successor "{0}" ({1}) was created, but locking it for approval failed: {2} Run renew again to lock it.',
        successor.displayName,
        successor.id,
        errorText(facts),
      );
      throw gdapErrorOf(facts.kind, why, { cause: error });
    }
  };
  return {
    action: 'renewRelationship',
    label: 'Renew',
    key: (id) => id,
    readMany,
    readOne,
    decide: (id, observed) => decide(id, observed, options),
    journalTarget: (id, decision) => relationshipJournalTarget(id, decision, decision.plan.successorName),
    async send(apis, _id, decision, state) {
      const plan = decision.plan;
      if (state === undefined || plan.successorName === null || plan.customerTenantId === null) {
        throw new GdapError({ kind: 'invalidInput', message: 'Nothing was read to act on.' });
      }
      if (decision.step === 'lockForApproval') {
        const successor = state.byName.get(plan.successorName.toLowerCase());
        if (successor === undefined) {
          throw gdapErrorOf('invalidInput', msg('The successor "{0}" was not found.', plan.successorName));
        }
        await lock(apis, successor, plan.plannedAssignments, false);
        return { status: 'approvalPending' };
      }
      const created = await apis.graph.createRelationship(
        {
          displayName: plan.successorName,
          duration: plan.duration ?? 'P730D',
          roleDefinitionIds: plan.successorRoles.map((r) => r.roleDefinitionId),
          customer: { tenantId: plan.customerTenantId, ...(plan.customerName !== null ? { displayName: plan.customerName } : {}) },
          ...(plan.autoExtendDuration !== null ? { autoExtendDuration: plan.autoExtendDuration } : {}),
        },
        { reconcileByReading: true },
      );
      await lock(apis, created, plan.plannedAssignments, true);
      return { status: 'approvalPending' };
    },
    // A create POST has no version to conflict with; a 409/400 for a taken name is read too (someone created it meanwhile).
    reconcileOn: ['preconditionFailed', 'conflict'],
    async reconcile(apis, id, decision, failure): Promise<Reconciliation<RenewPlanItem, RenewState>> {
      let state: RenewState;
      try {
        state = await readToReconcile(() => readOne(apis, id, {}), apis.clock !== undefined ? { clock: apis.clock } : {});
      } catch (error) {
        return { kind: 'unknown', status: null, message: describeError(error).message };
      }
      const again = decide(id, { ok: true, value: state }, options);
      if (again.kind === 'alreadyDone') {
        return {
          kind: 'applied',
          status: again.plan.successorStatus,
          note: `The request failed (${failure.kind}) but reading found the successor "${again.plan.successorName ?? ''}" (${again.plan.successorId ?? ''}, ${again.plan.successorStatus ?? ''}); not re-sent.`,
        };
      }
      if (again.kind === 'skip') {
        return changedMeanwhile(state.relationship.status, again.plan);
      }
      if (again.step === 'create' && decision.step === 'create' && again.plan.successorName === decision.plan.successorName) {
        // No relationship carries the successor's unique name: the create did not happen.
        return failure.kind === 'conflict'
          ? unknownOutcome(state.relationship.status, msg('The service refused the name but no relationship carries it.'))
          : { kind: 'notApplied', status: state.relationship.status };
      }
      return {
        kind: 'redecided',
        status: again.plan.successorStatus,
        decision: again,
        state,
        note: `Read again after ${failure.kind}: ${again.step === 'lockForApproval' ? `the successor ${again.plan.successorId ?? ''} exists; only locking it for approval is sent` : 'the successor is created under a new name'}.`,
      };
    },
    fromJournal: relationshipFromJournal,
    // Renewed once a relationship carrying the successor's derived name exists for the customer and is locked.
    tookEffect(observed) {
      if (!observed.ok) {
        return { state: 'gone', reached: false };
      }
      const successor = successorName(observed.value.relationship, observed.value.byName)?.existing ?? null;
      return successor === null
        ? { state: 'noSuccessor', reached: false }
        : { state: successor.status, reached: successor.status !== 'created' };
    },
    isEndState: () => true,
    verdict: (observed) =>
      observed.ok ? { state: 'done', status: observed.value.relationship.status } : { state: 'pending', status: null },
    texts: {
      failedTimes: (sends, message) => msg('Renew failed {0} times: {1}', String(sends), message),
      timedOut: (status, seconds) => msg('Renew did not finish in {0} s (status "{1}").', String(seconds), statusText(status)),
      notReached: msg('The relationship was not renewed.'),
    },
  };
}
