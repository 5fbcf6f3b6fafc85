import type { CallOptions, GdapApi } from '../graph/gdapApi';
import type { Relationship, RelationshipOperation, RelationshipRequest } from '../graph/models';
import { english, msg, type Message } from '../messages';
import type { ActionContext, ItemResult, MutationOptions } from './actionTypes';
import { runMutation } from './mutationPipeline';
import type { PlannedAssignmentStore } from './plannedAssignments';
import { approvalLink, parseApiDate } from './relationshipFacts';
import { createAccessAssignmentStrategy, type AssignTarget } from './strategies/createAccessAssignment';
import { createRelationshipStrategy, type CreateRelationshipTarget } from './strategies/createRelationship';
import { deleteDraftStrategy } from './strategies/deleteDraft';
import { lockForApprovalStrategy } from './strategies/lockForApproval';
import { setAssignmentRolesStrategy, type SetRolesTarget } from './strategies/setAssignmentRoles';

/*
 * The grant side (docs/onboarding.md): create, lock for approval, delete a draft, assign groups and set
 * their roles — each a strategy on the one mutation pipeline — plus the read-only queries that go with
 * them (history, pending invitations). The CLI calls these; the extension's forms reuse them.
 */

/** What `create` did, step by step: nothing half-applied is silent. */
export interface CreateOutcome {
  /** The relationship as last read (null when it was not created). */
  readonly relationship: Relationship | null;
  /** Valid once the relationship is `approvalPending`; null otherwise. */
  readonly approvalLink: string | null;
  /** The create result, then the lock result when a lock was asked for and the create succeeded. */
  readonly results: readonly ItemResult[];
}

/**
 * Why a relationship that was created stays a draft: its lock for approval failed (`lock` is its result,
 * undefined when none came back). Said the same by `gdap create` and a template's apply, in English for the
 * CLI and as a message whose inner reason is the lock's own message when it has one.
 */
export function lockFailedAfterCreate(
  relationshipId: string,
  lock: Pick<ItemResult, 'error' | 'errorMessage'> | undefined,
): { readonly error: string; readonly errorMessage: Message } {
  // The lock's message only where it says what its English `error` says (a skip may prefix its code to `error`).
  const own = lock?.errorMessage !== undefined && english(lock.errorMessage) === lock.error ? lock.errorMessage : undefined;
  const why = own ?? lock?.error ?? msg('unknown error');
  const errorMessage = msg(
    'The relationship was created ({0}, still "created") but locking it for approval failed: {1}. Run "gdap lock {0}" or delete the draft.',
    relationshipId,
    why,
  );
  return { error: english(errorMessage), errorMessage };
}

/**
 * Creates a relationship and (unless `lock` is false) locks it for approval, waiting for
 * `approvalPending` so the approval link can be given. If the create succeeded but the lock did not, the
 * lock's result says so and the relationship is returned in `created`: the draft exists and can be
 * locked again (`gdap lock`) or deleted.
 */
export async function createAndLock(
  ctx: ActionContext,
  target: CreateRelationshipTarget,
  options: MutationOptions & { readonly lock?: boolean } = {},
): Promise<CreateOutcome> {
  const strategy = createRelationshipStrategy();
  const [created] = await runMutation(ctx, strategy, [target], options);
  const relationship = strategy.created.get(strategy.key(target)) ?? null;
  if (created.outcome !== 'done' || relationship === null) {
    return { relationship, approvalLink: null, results: [created] };
  }
  const withId: ItemResult = { ...created, id: relationship.id, name: relationship.displayName };
  if (options.lock === false) {
    return { relationship, approvalLink: null, results: [withId] };
  }
  const [locked] = await runMutation(ctx, lockForApprovalStrategy, [relationship.id], options);
  const lockResult: ItemResult = locked.outcome === 'failed' ? { ...locked, ...lockFailedAfterCreate(relationship.id, locked) } : locked;
  let latest = relationship;
  try {
    latest = await ctx.graph.getRelationship(relationship.id, ctx.signal !== undefined ? { signal: ctx.signal } : {});
  } catch {
    // The lock result already says what is known; keep the relationship as created.
    latest = { ...relationship, status: locked.status ?? relationship.status };
  }
  return { relationship: latest, approvalLink: approvalLink(latest), results: [withId, lockResult] };
}

export function lockForApproval(ctx: ActionContext, ids: readonly string[], options: MutationOptions = {}): Promise<ItemResult[]> {
  return runMutation(ctx, lockForApprovalStrategy, ids, options);
}

export function deleteDrafts(ctx: ActionContext, ids: readonly string[], options: MutationOptions = {}): Promise<ItemResult[]> {
  return runMutation(ctx, deleteDraftStrategy, ids, options);
}

/** Assigns groups; each result carries the assignment id in `id` (`<relationshipId>/<assignmentId>`) once known. */
export async function assignGroups(
  ctx: ActionContext,
  targets: readonly AssignTarget[],
  options: MutationOptions = {},
): Promise<ItemResult[]> {
  const strategy = createAccessAssignmentStrategy();
  const results = await runMutation(ctx, strategy, targets, options);
  return results.map((r, i) => {
    const assignment = strategy.created.get(strategy.key(targets[i]));
    return assignment !== undefined ? { ...r, id: `${targets[i].relationshipId}/${assignment.id}` } : r;
  });
}

export function setAssignmentRoles(
  ctx: ActionContext,
  targets: readonly SetRolesTarget[],
  options: MutationOptions = {},
): Promise<ItemResult[]> {
  return runMutation(ctx, setAssignmentRolesStrategy, targets, options);
}

/**
 * Grants the planned assignments of an active relationship, then forgets those that are done (or were
 * already there); failed ones stay planned for the next run. A relationship not yet active grants nothing
 * and keeps its plan.
 */
export async function grantPlanned(
  ctx: ActionContext,
  store: PlannedAssignmentStore,
  relationshipId: string,
  options: MutationOptions = {},
): Promise<{ readonly planned: number; readonly results: readonly ItemResult[] }> {
  const planned = await store.get(relationshipId);
  if (planned.length === 0) {
    return { planned: 0, results: [] };
  }
  const targets = planned.map((p) => ({ relationshipId, groupId: p.groupId, roleDefinitionIds: p.roleDefinitionIds }));
  const results = await assignGroups(ctx, targets, options);
  const remaining = planned.filter((_p, i) => results[i].outcome !== 'done' && results[i].outcome !== 'alreadyDone');
  await store.set(relationshipId, remaining);
  return { planned: planned.length, results };
}

/** A relationship's requests and operations, oldest first. */
export interface RelationshipHistory {
  readonly requests: readonly RelationshipRequest[];
  readonly operations: readonly RelationshipOperation[];
}

const byCreated = <T extends { createdDateTime: string | null }>(a: T, b: T): number =>
  (a.createdDateTime ?? '').localeCompare(b.createdDateTime ?? '');

export async function relationshipHistory(graph: GdapApi, relationshipId: string, options: CallOptions = {}): Promise<RelationshipHistory> {
  const [requests, operations] = await Promise.all([
    graph.listRequests(relationshipId, options),
    graph.listOperations(relationshipId, options),
  ]);
  return { requests: [...requests].sort(byCreated), operations: [...operations].sort(byCreated) };
}

/** Microsoft: relationship requests expire after 90 days if not approved (docs/onboarding.md §4). */
export const INVITATION_LAPSE_DAYS = 90;
const DAY_MS = 86_400_000;

export interface PendingInvitation {
  readonly id: string;
  readonly name: string;
  readonly customerTenantId: string | null;
  readonly createdDateTime: string | null;
  /** Whole days since creation (floor); null without a creation date. */
  readonly ageDays: number | null;
  /** createdDateTime + 90 days (ISO); null without a creation date. */
  readonly lapsesOn: string | null;
  readonly approvalLink: string | null;
}

/** Pending invitations (`approvalPending`), oldest first. `now` is a parameter so this is testable. */
export async function pendingInvitations(graph: GdapApi, now: Date, options: CallOptions = {}): Promise<PendingInvitation[]> {
  const relationships = await graph.listAllRelationships({ ...options, status: 'approvalPending' });
  return relationships
    .filter((r) => r.status === 'approvalPending')
    .map((r) => toInvitation(r, now))
    .sort((a, b) => (a.createdDateTime ?? '').localeCompare(b.createdDateTime ?? '') || a.id.localeCompare(b.id));
}

/** The fields an invitation is made of (a Graph relationship, or the domain model's). */
export type InvitationSource = Pick<Relationship, 'id' | 'displayName' | 'status' | 'createdDateTime'> & {
  readonly customer?: { readonly tenantId: string | null } | null;
};

export function toInvitation(r: InvitationSource, now: Date): PendingInvitation {
  const created = parseApiDate(r.createdDateTime);
  return {
    id: r.id,
    name: r.displayName,
    customerTenantId: r.customer?.tenantId ?? null,
    createdDateTime: r.createdDateTime,
    ageDays: created === null ? null : Math.max(0, Math.floor((now.getTime() - created) / DAY_MS)),
    lapsesOn: created === null ? null : new Date(created + INVITATION_LAPSE_DAYS * DAY_MS).toISOString(),
    approvalLink: approvalLink(r),
  };
}
