import { failedVerdict } from '../mutationStrategy';
import { because, msg } from '../../messages';
import { domainRoles, type DomainRole } from '../../domain/roles';
import type { CallOptions } from '../../graph/gdapApi';
import type { Relationship } from '../../graph/models';
import { GdapError, gdapErrorOf } from '../../http/gdapError';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../roles/roleCatalog';
import { describeError } from '../errorFacts';
import type { ActDecision, Decision, MutationApis, MutationStrategy, Observed, Reconciliation, Verdict } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { planImpact, readImpact, type ImpactReading, type PlanImpact } from '../../insight/planImpact';
import { includesGlobalAdministrator } from '../relationshipFacts';
import {
  relationshipJournalTarget,
  readManyWithOperations,
  readWithOperations,
  relationshipChangeInFlight,
  relationshipFromJournal,
  relationshipTookEffect,
  relationshipPlanFields,
  rolesWithoutGlobalAdministrator,
  skipText,
  unreadableDecision,
  type RelationshipPlanFields,
  type RelationshipWithOperations,
  changedMeanwhile,
} from './relationshipPlan';

/** Status shown while the service's operation removing Global Administrator runs (the API status stays `active`). */
export const GA_REMOVAL_PENDING = 'removingGlobalAdministrator';

/** An access assignment that grants Global Administrator, and what removing it from the relationship does to it. */
export interface GlobalAdministratorAssignment {
  readonly assignmentId: string;
  readonly groupId: string;
  readonly roles: readonly DomainRole[];
  /** `keepsOtherRoles`: still grants its other roles; `grantsNothing`: Global Administrator was all it granted. */
  readonly effect: 'keepsOtherRoles' | 'grantsNothing';
  /** One sentence for the confirmation. */
  readonly description: string;
}

export interface GlobalAdministratorRemovalPlan {
  /** The roles the relationship keeps. */
  readonly rolesAfter: readonly DomainRole[];
  /** Every access assignment that grants Global Administrator (empty when none, or when they could not be read). */
  readonly globalAdministratorAssignments: readonly GlobalAdministratorAssignment[];
  /** Null when the assignments were read; why not otherwise (the plan then cannot name them). */
  readonly assignmentsError: string | null;
}

/** What a remove-GA confirmation shows for one relationship (and `gdap remove-ga --dry-run` prints). */
export interface RemoveGlobalAdministratorPlanItem extends RelationshipPlanFields, GlobalAdministratorRemovalPlan {
  /** Who loses Global Administrator at the customer, and who keeps it through something else (docs/access.md); plans only, null when unknown. */
  readonly impact?: PlanImpact | null;
}

/** What a remove-GA plan reads besides the targets: their Global Administrator assignments and the impact. */
export interface RemoveGlobalAdministratorContext {
  readonly assignments: AssignmentContext;
  readonly impact: ImpactReading;
}

async function readRemovalContext(
  apis: MutationApis,
  ids: readonly string[],
  options: CallOptions,
  observed?: (id: string) => Promise<Observed<RelationshipWithOperations>>,
): Promise<RemoveGlobalAdministratorContext> {
  const targets = ids.map((relationshipId) => ({
    kind: 'removeRelationshipRoles' as const,
    relationshipId,
    roleDefinitionIds: [GLOBAL_ADMINISTRATOR_ROLE_ID],
  }));
  const readTenants = async (): Promise<string[]> => {
    const states = observed === undefined ? [] : await Promise.all(ids.map(observed));
    return states.flatMap((s) => (s.ok && s.value.relationship.customer?.tenantId ? [s.value.relationship.customer.tenantId] : []));
  };
  const [assignments, tenants] = await Promise.all([readGlobalAdministratorAssignments(apis, ids, options), readTenants()]);
  return { assignments, impact: await readImpact(apis, tenants, targets, options) };
}

/** Access assignments per relationship id, for plans only; a failed read is kept as its message. */
export type AssignmentContext = Map<
  string,
  { readonly ok: true; readonly value: GlobalAdministratorAssignment[] } | { readonly ok: false; readonly message: string }
>;

const isGa = (id: string): boolean => id.toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE_ID;

/** Reads the access assignments of the targets (one batched read) and keeps those granting Global Administrator. */
export async function readGlobalAdministratorAssignments(
  apis: MutationApis,
  ids: readonly string[],
  options: CallOptions,
): Promise<AssignmentContext> {
  const out: AssignmentContext = new Map();
  try {
    const all = await apis.graph.listAccessAssignmentsForMany(ids, options);
    for (const id of ids) {
      const item = all.get(id);
      if (item === undefined || !item.ok) {
        out.set(id, { ok: false, message: item?.ok === false ? item.error.message : 'No answer.' });
        continue;
      }
      out.set(id, {
        ok: true,
        value: item.value
          .filter((a) => a.status !== 'deleted' && a.status !== 'deleting' && a.roleDefinitionIds.some(isGa))
          .map((a) => {
            const others = a.roleDefinitionIds.filter((r) => !isGa(r));
            const keeps = others.length > 0;
            return {
              assignmentId: a.id,
              groupId: a.accessContainer.accessContainerId,
              roles: domainRoles(a.roleDefinitionIds),
              effect: keeps ? 'keepsOtherRoles' : 'grantsNothing',
              description: keeps
                ? `Stops granting Global Administrator; keeps ${domainRoles(others)
                    .map((r) => r.name)
                    .join(', ')}.`
                : 'Granted only Global Administrator: it grants nothing afterwards (remove it with gdap remove-assignment).',
            };
          }),
      });
    }
  } catch (error) {
    for (const id of ids) {
      out.set(id, { ok: false, message: describeError(error).message });
    }
  }
  return out;
}

/** The Global Administrator part of a plan item, from the relationship and (for plans) its assignments. */
export function removalPlan(r: Relationship, context: AssignmentContext | undefined): GlobalAdministratorRemovalPlan {
  const assignments = context?.get(r.id);
  return {
    rolesAfter: domainRoles(rolesWithoutGlobalAdministrator(r.roleDefinitionIds)),
    globalAdministratorAssignments: assignments?.ok === true ? assignments.value : [],
    assignmentsError: assignments === undefined ? null : assignments.ok ? null : assignments.message,
  };
}

/**
 * `PATCH …/delegatedAdminRelationships/{id}` with `accessDetails` minus Global Administrator and `If-Match`
 * (docs/api-notes.md §3.4, §4.6): the service answers 202 with an operation, which the client follows
 * until it ends. A failed operation is a definite failure (nothing to reconcile).
 */
export async function sendRemoveGlobalAdministrator(apis: MutationApis, r: Relationship, etag: string): Promise<void> {
  const result = await apis.graph.updateRelationship(
    r.id,
    etag,
    { roleDefinitionIds: rolesWithoutGlobalAdministrator(r.roleDefinitionIds) },
    { reconcileByReading: true },
  );
  if (result.kind === 'operation' && result.operation.status !== 'succeeded') {
    const why = msg(
      'The service\'s operation removing Global Administrator ended "{0}" (operation {1}).',
      result.operation.status,
      result.operation.id,
    );
    throw gdapErrorOf('conflict', why);
  }
}

/** Judges one poll while a removal runs: done once Global Administrator is gone. */
export function removalVerdict(observed: Observed<RelationshipWithOperations>): Verdict {
  if (!observed.ok) {
    return describeError(observed.error).kind === 'notFound'
      ? failedVerdict(null, msg('The relationship disappeared while Global Administrator was being removed.'))
      : { state: 'pending', status: null };
  }
  const { relationship: r, operations } = observed.value;
  if (!includesGlobalAdministrator(r)) {
    return { state: 'done', status: r.status };
  }
  if (r.status === 'active' && relationshipChangeInFlight(operations)) {
    return { state: 'pending', status: GA_REMOVAL_PENDING };
  }
  return failedVerdict(r.status, msg('The service ended its operation without removing Global Administrator.'));
}

function decide(
  id: string,
  observed: Observed<RelationshipWithOperations>,
  context: RemoveGlobalAdministratorContext | undefined,
): Decision<RemoveGlobalAdministratorPlanItem> {
  if (!observed.ok) {
    return unreadableDecision<RemoveGlobalAdministratorPlanItem>(id, observed.error, {
      rolesAfter: [],
      globalAdministratorAssignments: [],
      assignmentsError: null,
    });
  }
  const { relationship: r, operations } = observed.value;
  const fields = {
    ...relationshipPlanFields(id, r),
    ...removalPlan(r, context?.assignments),
    ...(context === undefined
      ? {}
      : {
          impact: planImpact(
            context.impact,
            { kind: 'removeRelationshipRoles', relationshipId: id, roleDefinitionIds: [GLOBAL_ADMINISTRATOR_ROLE_ID] },
            r.customer?.tenantId ?? null,
          ),
        }),
  };
  const base = { name: r.displayName, status: r.status };
  if (r.status !== 'active') {
    const { reason, reasonMessage } = because(
      msg('Global Administrator can be removed only from active relationships; this one is "{0}".', r.status),
    );
    return {
      ...base,
      kind: 'skip',
      outcome: 'skipped',
      error: skipText('notActive', reason),
      errorMessage: reasonMessage,
      plan: { ...fields, willAct: false, reason, reasonMessage, reasonCode: 'notActive' },
    };
  }
  if (!includesGlobalAdministrator(r)) {
    return {
      ...base,
      kind: 'alreadyDone',
      inFlight: false,
      plan: {
        ...fields,
        willAct: false,
        ...because(msg('Global Administrator is not among its roles.')),
        reasonCode: 'noGlobalAdministrator',
      },
    };
  }
  if (relationshipChangeInFlight(operations)) {
    return {
      name: r.displayName,
      status: GA_REMOVAL_PENDING,
      kind: 'alreadyDone',
      inFlight: true,
      plan: { ...fields, willAct: false, ...because(msg('Global Administrator is already being removed.')), reasonCode: 'inFlight' },
    };
  }
  return { ...base, kind: 'act', etag: r.etag, plan: { ...fields, willAct: true, reason: null, reasonCode: null } };
}

/**
 * After a failed or lost removal: read the relationship and its operations. Gone → applied; an operation
 * under way → applied (the pipeline waits for it); unchanged → sent again; changed (412) but still an
 * active relationship with Global Administrator → sent again on its new version.
 */
export async function reconcileRemoval(
  apis: MutationApis,
  id: string,
  etag: string | null,
  failureKind: string,
): Promise<Reconciliation<RemoveGlobalAdministratorPlanItem, RelationshipWithOperations>> {
  let state: RelationshipWithOperations;
  try {
    state = await readToReconcile(() => readWithOperations(apis, id, {}), apis.clock !== undefined ? { clock: apis.clock } : {});
  } catch (error) {
    return { kind: 'unknown', status: null, message: describeError(error).message };
  }
  const again = decide(id, { ok: true, value: state }, undefined);
  const r = state.relationship;
  if (again.kind === 'alreadyDone') {
    return {
      kind: 'applied',
      status: again.status,
      note: `The request failed (${failureKind}) but reading showed Global Administrator ${again.inFlight ? 'being removed' : 'removed'}; not re-sent.`,
    };
  }
  if (again.kind === 'skip') {
    return changedMeanwhile(r.status, again.plan);
  }
  if (r.etag === etag) {
    return { kind: 'notApplied', status: r.status };
  }
  return {
    kind: 'redecided',
    status: r.status,
    decision: again,
    state,
    note: `It changed meanwhile (${failureKind}); read again, still active with Global Administrator: sent on its new version.`,
  };
}

/**
 * Remove Global Administrator from active relationships (docs/renewal.md). Never touches a relationship
 * without it; the plan names every access assignment that grants it and what happens to it.
 */
export const removeGlobalAdministratorStrategy: MutationStrategy<
  string,
  RelationshipWithOperations,
  RemoveGlobalAdministratorPlanItem,
  RemoveGlobalAdministratorContext
> = {
  action: 'removeGlobalAdministrator',
  label: 'Remove Global Administrator from',
  key: (id) => id,
  readMany: readManyWithOperations,
  readOne: readWithOperations,
  needsFreshRead: (s) => s.relationship.etag === null,
  readPlanContext: readRemovalContext,
  decide,
  journalTarget: (id, decision) => relationshipJournalTarget(id, decision),
  async send(apis, _id, decision: ActDecision<RemoveGlobalAdministratorPlanItem>, state) {
    if (state === undefined) {
      throw new GdapError({ kind: 'invalidInput', message: 'Nothing was read to act on.' });
    }
    await sendRemoveGlobalAdministrator(apis, state.relationship, decision.etag ?? '');
    return { status: 'active' };
  },
  reconcile: (apis, id, decision, failure) => reconcileRemoval(apis, id, decision.etag, failure.kind),
  fromJournal: relationshipFromJournal,
  tookEffect: (observed) =>
    relationshipTookEffect(
      observed.ok ? { ok: true, value: observed.value.relationship } : observed,
      (r) => !includesGlobalAdministrator(r) || (observed.ok && relationshipChangeInFlight(observed.value.operations)),
    ),
  isEndState: (status) => status !== GA_REMOVAL_PENDING,
  verdict: removalVerdict,
  texts: {
    failedTimes: (sends, message) => msg('Removing Global Administrator failed {0} times: {1}', String(sends), message),
    timedOut: (_status, seconds) =>
      msg('Global Administrator is still being removed after {0} s; refresh later to see the outcome.', String(seconds)),
    notReached: msg('Global Administrator was not removed.'),
  },
};
