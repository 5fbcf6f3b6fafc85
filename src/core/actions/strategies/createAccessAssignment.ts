import { domainRoles, type DomainRole } from '../../domain/roles';
import type { AccessAssignment, Relationship } from '../../graph/models';
import { because, msg, type Message } from '../../messages';
import { describeError } from '../errorFacts';
import type { Decision, MutationApis, MutationStrategy, Observed, PlanError, Reconciliation } from '../mutationStrategy';
import { statusText, failedVerdict } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { clockOption, GONE_ASSIGNMENT_STATUSES, notHeldMessage, readEach, rolesNotHeld, sameRoleSet, unreadableFacts } from './grantCommon';

/** Grant a security group some of a relationship's roles. */
export interface AssignTarget {
  readonly relationshipId: string;
  readonly groupId: string;
  readonly roleDefinitionIds: readonly string[];
}

/** What an assign confirmation shows. */
export interface AssignPlanItem {
  readonly relationshipId: string;
  readonly relationshipName: string | null;
  readonly groupId: string;
  readonly roles: readonly DomainRole[];
  readonly status: string | null;
  readonly willAct: boolean;
  readonly reason: string | null;
  /** `reason` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly reasonMessage?: Message | null;
  readonly error?: PlanError;
}

/** The relationship and its assignments, as read before and while assigning. */
export interface AssignState {
  readonly relationship: Relationship;
  readonly assignments: readonly AccessAssignment[];
  /** The group the read was for (so a poll can be judged on its own). */
  readonly groupId: string;
}

export const assignKey = (t: Pick<AssignTarget, 'relationshipId' | 'groupId'>): string => `${t.relationshipId}/${t.groupId.toLowerCase()}`;

/** The group's assignment that still grants (or is about to), if any. */
export function liveAssignmentOf(assignments: readonly AccessAssignment[], groupId: string): AccessAssignment | undefined {
  return assignments.find(
    (a) => a.accessContainer.accessContainerId.toLowerCase() === groupId.toLowerCase() && !GONE_ASSIGNMENT_STATUSES.includes(a.status),
  );
}

async function readState(apis: MutationApis, target: AssignTarget, signal?: AbortSignal): Promise<AssignState> {
  const call = signal !== undefined ? { signal } : {};
  const relationship = await apis.graph.getRelationship(target.relationshipId, call);
  const assignments = relationship.status === 'active' ? await apis.graph.listAccessAssignments(target.relationshipId, call) : [];
  return { relationship, assignments, groupId: target.groupId };
}

function decide(target: AssignTarget, observed: Observed<AssignState>): Decision<AssignPlanItem> {
  const base = { relationshipId: target.relationshipId, groupId: target.groupId, roles: domainRoles(target.roleDefinitionIds) };
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
        ...base,
        relationshipName: null,
        status: null,
        willAct: false,
        reason: u.reason,
        reasonMessage: u.reasonMessage,
        error: u.planError,
      },
    };
  }
  const { relationship: r, assignments } = observed.value;
  const plan = { ...base, relationshipName: r.displayName };
  const refuse = (why: Message, outcome: 'skipped' | 'failed', status: string | null): Decision<AssignPlanItem> => {
    const { reason, reasonMessage } = because(why);
    return {
      kind: 'skip',
      outcome,
      error: reason,
      errorMessage: reasonMessage,
      name: r.displayName,
      status,
      ...(outcome === 'failed' ? { errorKind: 'invalidInput' as const } : {}),
      plan: { ...plan, status, willAct: false, reason, reasonMessage },
    };
  };
  const missing = rolesNotHeld(target.roleDefinitionIds, r.roleDefinitionIds);
  if (missing.length > 0) {
    return refuse(notHeldMessage(missing), 'failed', null);
  }
  if (r.status !== 'active') {
    return refuse(msg('Groups can be assigned only on an active relationship; this one is "{0}".', r.status), 'skipped', null);
  }
  const live = liveAssignmentOf(assignments, target.groupId);
  if (live !== undefined) {
    if (sameRoleSet(live.roleDefinitionIds, target.roleDefinitionIds)) {
      const inFlight = live.status !== 'active';
      return {
        kind: 'alreadyDone',
        inFlight,
        name: r.displayName,
        status: live.status,
        plan: {
          ...plan,
          status: live.status,
          willAct: false,
          ...because(msg('The group already has these roles (assignment {0}).', live.id)),
        },
      };
    }
    return refuse(
      msg('The group already has an assignment with other roles ({0}); change it with set-roles instead.', live.id),
      'skipped',
      live.status,
    );
  }
  return { kind: 'act', etag: null, name: r.displayName, status: null, plan: { ...plan, status: null, willAct: true, reason: null } };
}

/** The assign strategy plus the assignments it created, by `assignKey`. */
export interface AssignStrategy extends MutationStrategy<AssignTarget, AssignState, AssignPlanItem> {
  readonly created: Map<string, AccessAssignment>;
}

/**
 * Assign a group: `POST …/accessAssignments` (docs/api-notes.md §3.11), then wait for `active` (it passes
 * through `pending`). Not idempotent: after an unknown outcome the relationship's assignments are read
 * for that group, and it is sent again only when none is there.
 */
// Long because: an object literal of the strategy's small methods, sharing the factory's options.
export function createAccessAssignmentStrategy(): AssignStrategy {
  const created = new Map<string, AccessAssignment>();
  const readOne = (apis: MutationApis, target: AssignTarget, signal?: AbortSignal): Promise<AssignState> => readState(apis, target, signal);
  return {
    created,
    action: 'createAccessAssignment',
    label: 'Assign group',
    key: assignKey,
    readMany: (apis, targets, options) => readEach(targets, assignKey, (t) => readOne(apis, t, options.signal)),
    readOne: (apis, target, options) => readOne(apis, target, options.signal),
    decide: (target, observed) => decide(target, observed),
    journalTarget: (target, decision) => ({
      relationshipId: target.relationshipId,
      groupId: target.groupId,
      roleDefinitionIds: target.roleDefinitionIds,
      ...(decision.name !== undefined ? { name: decision.name } : {}),
    }),
    async send(apis, target) {
      const assignment = await apis.graph.createAccessAssignment(
        target.relationshipId,
        { securityGroupId: target.groupId, roleDefinitionIds: target.roleDefinitionIds },
        { reconcileByReading: true },
      );
      created.set(assignKey(target), assignment);
      return { status: assignment.status };
    },
    async reconcile(apis, target, _decision, failure): Promise<Reconciliation> {
      let assignments: AccessAssignment[];
      try {
        assignments = await readToReconcile(() => apis.graph.listAccessAssignments(target.relationshipId), clockOption(apis.clock));
      } catch (error) {
        return { kind: 'unknown', status: null, message: describeError(error).message };
      }
      const live = liveAssignmentOf(assignments, target.groupId);
      if (live === undefined) {
        return { kind: 'notApplied', status: null };
      }
      created.set(assignKey(target), live);
      return {
        kind: 'applied',
        status: live.status,
        note: `The request failed (${failure.kind}) but reading found the group's assignment ${live.id} ("${live.status}"); not re-sent.`,
      };
    },
    isEndState: (status) => status === 'active',
    verdict(observed) {
      if (!observed.ok) {
        return { state: 'pending', status: null };
      }
      const live = liveAssignmentOf(observed.value.assignments, observed.value.groupId);
      if (live === undefined) {
        return failedVerdict(null, msg('The assignment disappeared while it was being set up.'));
      }
      if (live.status === 'active') {
        return { state: 'done', status: live.status };
      }
      return live.status === 'pending' ? { state: 'pending', status: live.status } : { state: 'failed', status: live.status };
    },
    fromJournal: (target) =>
      target.relationshipId !== undefined && target.groupId !== undefined
        ? { relationshipId: target.relationshipId, groupId: target.groupId, roleDefinitionIds: target.roleDefinitionIds ?? [] }
        : undefined,
    tookEffect: (observed) => {
      if (!observed.ok) {
        return { state: 'gone', reached: false };
      }
      const live = liveAssignmentOf(observed.value.assignments, observed.value.groupId);
      return live !== undefined ? { state: live.status, reached: true } : { state: 'absent', reached: false };
    },
    texts: {
      failedTimes: (sends, message) => msg('Assign failed {0} times: {1}', String(sends), message),
      timedOut: (status, seconds) => msg('The assignment is still "{0}" after {1} s.', statusText(status), String(seconds)),
      notReached: msg('The assignment did not become active.'),
    },
  };
}
