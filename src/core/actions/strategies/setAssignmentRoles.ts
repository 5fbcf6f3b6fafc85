import { domainRoles, type DomainRole } from '../../domain/roles';
import type { AccessAssignment, Relationship } from '../../graph/models';
import { gdapErrorOf } from '../../http/gdapError';
import { because, msg, type Message } from '../../messages';
import { describeError } from '../errorFacts';
import type { Decision, MutationApis, MutationStrategy, Observed, PlanError, Reconciliation } from '../mutationStrategy';
import { statusText, unknownOutcome, changedMeanwhile } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { clockOption, notHeldMessage, readEach, rolesNotHeld, sameRoleSet, unreadableFacts } from './grantCommon';

/** Replace the roles of one access assignment. */
export interface SetRolesTarget {
  readonly relationshipId: string;
  readonly assignmentId: string;
  readonly roleDefinitionIds: readonly string[];
}

/** What a set-roles confirmation shows: the roles before and after. */
export interface SetRolesPlanItem {
  readonly relationshipId: string;
  readonly assignmentId: string;
  readonly relationshipName: string | null;
  readonly groupId: string | null;
  readonly status: string | null;
  readonly currentRoles: readonly DomainRole[];
  readonly newRoles: readonly DomainRole[];
  readonly willAct: boolean;
  readonly reason: string | null;
  /** `reason` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly reasonMessage?: Message | null;
  readonly error?: PlanError;
}

export interface SetRolesState {
  readonly relationship: Relationship;
  readonly assignment: AccessAssignment;
  /** The roles asked for, so a poll can be judged on its own. */
  readonly wanted: readonly string[];
}

const setRolesKey = (t: Pick<SetRolesTarget, 'relationshipId' | 'assignmentId'>): string => `${t.relationshipId}/${t.assignmentId}`;

async function readState(apis: MutationApis, target: SetRolesTarget, signal?: AbortSignal): Promise<SetRolesState> {
  const call = signal !== undefined ? { signal } : {};
  const [relationship, assignment] = await Promise.all([
    apis.graph.getRelationship(target.relationshipId, call),
    apis.graph.getAccessAssignment(target.relationshipId, target.assignmentId, call),
  ]);
  return { relationship, assignment, wanted: target.roleDefinitionIds };
}

function decide(target: SetRolesTarget, observed: Observed<SetRolesState>): Decision<SetRolesPlanItem> {
  const base = {
    relationshipId: target.relationshipId,
    assignmentId: target.assignmentId,
    newRoles: domainRoles(target.roleDefinitionIds),
  };
  if (!observed.ok) {
    const u = unreadableFacts(observed.error, 'Relationship or access assignment');
    return {
      kind: 'skip',
      outcome: 'failed',
      status: null,
      error: u.error,
      errorMessage: u.errorMessage,
      errorKind: u.planError.kind,
      plan: {
        ...base,
        relationshipName: null,
        groupId: null,
        status: null,
        currentRoles: [],
        willAct: false,
        reason: u.reason,
        reasonMessage: u.reasonMessage,
        error: u.planError,
      },
    };
  }
  const { relationship: r, assignment: a } = observed.value;
  const plan = {
    ...base,
    relationshipName: r.displayName,
    groupId: a.accessContainer.accessContainerId,
    status: a.status,
    currentRoles: domainRoles(a.roleDefinitionIds),
  };
  const named = { name: r.displayName, status: a.status };
  const missing = rolesNotHeld(target.roleDefinitionIds, r.roleDefinitionIds);
  if (missing.length > 0) {
    const { reason, reasonMessage } = because(notHeldMessage(missing));
    return {
      ...named,
      kind: 'skip',
      outcome: 'failed',
      errorKind: 'invalidInput',
      error: reason,
      errorMessage: reasonMessage,
      plan: { ...plan, willAct: false, reason, reasonMessage },
    };
  }
  if (sameRoleSet(a.roleDefinitionIds, target.roleDefinitionIds)) {
    return {
      ...named,
      kind: 'alreadyDone',
      inFlight: false,
      plan: { ...plan, willAct: false, ...because(msg('It already has exactly these roles.')) },
    };
  }
  if (a.status !== 'active' || r.status !== 'active' || a.etag === null) {
    const { reason, reasonMessage } = because(
      a.etag === null
        ? msg('The service sent no version (ETag) for it; refresh and try again.')
        : msg(
            'Roles can be changed only on an active assignment of an active relationship (assignment "{0}", relationship "{1}").',
            a.status,
            r.status,
          ),
    );
    return {
      ...named,
      kind: 'skip',
      outcome: 'skipped',
      error: reason,
      errorMessage: reasonMessage,
      plan: { ...plan, willAct: false, reason, reasonMessage },
    };
  }
  return { ...named, kind: 'act', etag: a.etag, plan: { ...plan, willAct: true, reason: null } };
}

/**
 * Set an assignment's roles: `PATCH …/accessAssignments/{id}` with `If-Match` (docs/api-notes.md §3.12). The
 * service usually answers 202 with an operation, which the client follows to `succeeded` or `failed`. A
 * PATCH is a replacement, but it is still reconciled by reading after an unknown outcome: applied when the
 * roles read back are the new ones. A 412 re-reads: when only the version changed and the roles are still
 * those the user confirmed, it is decided and sent again with the new version; otherwise it fails.
 */
export const setAssignmentRolesStrategy: MutationStrategy<SetRolesTarget, SetRolesState, SetRolesPlanItem> = {
  action: 'setAccessAssignmentRoles',
  label: 'Set assignment roles',
  key: setRolesKey,
  readMany: (apis, targets, options) => readEach(targets, setRolesKey, (t) => readState(apis, t, options.signal)),
  readOne: (apis, target, options) => readState(apis, target, options.signal),
  decide: (target, observed) => decide(target, observed),
  journalTarget: (target, decision) => ({
    relationshipId: target.relationshipId,
    assignmentId: target.assignmentId,
    roleDefinitionIds: target.roleDefinitionIds,
    ...(decision.name !== undefined ? { name: decision.name } : {}),
    ...(decision.plan.groupId !== null ? { groupId: decision.plan.groupId } : {}),
  }),
  async send(apis, target, decision) {
    const result = await apis.graph.updateAccessAssignment(
      target.relationshipId,
      target.assignmentId,
      decision.etag ?? '',
      target.roleDefinitionIds,
      { reconcileByReading: true },
    );
    if (result.kind === 'updated') {
      return { status: result.value.status };
    }
    if (result.operation.status === 'succeeded') {
      return { status: 'active' };
    }
    // The service finished the operation and says it failed: definite, nothing to reconcile.
    const why = msg('The service could not change the roles (operation {0} {1}).', result.operation.id, result.operation.status);
    throw gdapErrorOf('conflict', why);
  },
  async reconcile(apis, target, decision, failure): Promise<Reconciliation<SetRolesPlanItem, SetRolesState>> {
    let state: SetRolesState;
    try {
      state = await readToReconcile(() => readState(apis, target), clockOption(apis.clock));
    } catch (error) {
      return { kind: 'unknown', status: null, message: describeError(error).message };
    }
    const a = state.assignment;
    if (sameRoleSet(a.roleDefinitionIds, target.roleDefinitionIds)) {
      return {
        kind: 'applied',
        status: a.status,
        note: `The request failed (${failure.kind}) but reading showed the new roles; not re-sent.`,
      };
    }
    const confirmed = decision.plan.currentRoles.map((r) => r.roleDefinitionId);
    const unchanged = a.status === 'active' && sameRoleSet(a.roleDefinitionIds, confirmed);
    if (failure.kind === 'preconditionFailed') {
      return unchanged
        ? { kind: 'redecide', status: a.status, state }
        : changedMeanwhile(
            a.status,
            msg('Someone else changed this assignment since it was read; nothing was sent over their change. Review it and try again.'),
          );
    }
    if (!unchanged) {
      return unknownOutcome(a.status, msg('The assignment now has other roles.'));
    }
    // The PATCH may have been accepted (202) with its operation still running: then it is on its way.
    try {
      const operations = await readToReconcile(() => apis.graph.listOperations(target.relationshipId), clockOption(apis.clock));
      if (operations.some((o) => o.status === 'notStarted' || o.status === 'running')) {
        return {
          kind: 'applied',
          status: 'pending',
          note: `The request failed (${failure.kind}) but an operation on the relationship is still running; not re-sent.`,
        };
      }
    } catch (error) {
      return { kind: 'unknown', status: a.status, message: describeError(error).message };
    }
    // A PATCH lost on its way: re-sending is safe only on the version the user confirmed.
    return a.etag === decision.etag ? { kind: 'notApplied', status: a.status } : { kind: 'redecide', status: a.status, state };
  },
  isEndState: (status) => status === 'active',
  verdict(observed) {
    if (!observed.ok) {
      return { state: 'pending', status: null };
    }
    const a = observed.value.assignment;
    if (sameRoleSet(a.roleDefinitionIds, observed.value.wanted) && a.status === 'active') {
      return { state: 'done', status: a.status };
    }
    return { state: 'pending', status: a.status };
  },
  fromJournal: (target) =>
    target.relationshipId !== undefined && target.assignmentId !== undefined
      ? { relationshipId: target.relationshipId, assignmentId: target.assignmentId, roleDefinitionIds: target.roleDefinitionIds ?? [] }
      : undefined,
  tookEffect: (observed) =>
    observed.ok
      ? {
          state: observed.value.assignment.status,
          reached: sameRoleSet(observed.value.assignment.roleDefinitionIds, observed.value.wanted),
        }
      : { state: 'gone', reached: false },
  texts: {
    failedTimes: (sends, message) => msg('Set roles failed {0} times: {1}', String(sends), message),
    timedOut: (status, seconds) => msg('The roles are not changed yet ("{0}") after {1} s.', statusText(status), String(seconds)),
    notReached: msg('The roles did not change.'),
  },
};
