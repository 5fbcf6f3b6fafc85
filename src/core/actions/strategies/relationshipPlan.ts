import { domainRoles, type DomainRole } from '../../domain/roles';
import type { BatchItemResult, CallOptions } from '../../graph/gdapApi';
import type { Relationship, RelationshipOperation } from '../../graph/models';
import { GdapError } from '../../http/gdapError';
import { because, english, msg, type Message } from '../../messages';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../roles/roleCatalog';
import { describeError } from '../errorFacts';
import type { JournalTarget } from '../actionTypes';
import type { Decision, MutationApis, Observed, PlanError, Reconciliation } from '../mutationStrategy';
import { includesGlobalAdministrator } from '../relationshipFacts';
import { runBounded } from '../runBounded';

/*
 * What the renewal strategies (auto-extend, remove Global Administrator, make-renewable, renew) share:
 * the plan item's relationship fields, reason codes, the unreadable case, and reading a relationship
 * together with its operations (to see a Global Administrator removal already under way).
 */

/** The relationship a journal record names (renewal mutations journal the relationship they act on). */
export function relationshipFromJournal(target: JournalTarget): string | undefined {
  return target.relationshipId;
}

/**
 * The reconciliation of a relationship that, read after a failed send, no longer calls for the change: the
 * reason it is now skipped, after "The relationship changed meanwhile:", in English and as a message.
 */
export function changedMeanwhile(
  status: string | null,
  plan: { readonly reason: string | null; readonly reasonMessage?: Message | null },
): Reconciliation {
  const errorMessage = msg('The relationship changed meanwhile: {0}', plan.reasonMessage ?? plan.reason ?? '');
  return { kind: 'changed', status, message: english(errorMessage), errorMessage };
}

/** For an interrupted run: the state of a relationship read afresh, and whether `reached` holds for it. */
export function relationshipTookEffect(
  observed: Observed<Relationship>,
  reached: (r: Relationship) => boolean,
): { readonly state: string; readonly reached: boolean } {
  return observed.ok ? { state: observed.value.status, reached: reached(observed.value) } : { state: 'gone', reached: false };
}

/** Machine-readable reason a plan item will not act (`reason` is the human sentence). */
export type RenewalReasonCode =
  'notActive' | 'globalAdministrator' | 'noGlobalAdministrator' | 'alreadyDone' | 'inFlight' | 'notRenewable' | 'noCustomer' | 'unreadable';

export interface RelationshipPlanFields {
  readonly id: string;
  readonly name: string | null;
  readonly customerName: string | null;
  readonly customerTenantId: string | null;
  readonly status: string | null;
  readonly endDateTime: string | null;
  readonly autoExtendDuration: string | null;
  readonly roles: readonly DomainRole[];
  readonly willAct: boolean;
  readonly reason: string | null;
  /** `reason` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly reasonMessage?: Message | null;
  readonly reasonCode: RenewalReasonCode | null;
  readonly error?: PlanError;
}

export function relationshipPlanFields(id: string, r: Relationship): Omit<RelationshipPlanFields, 'willAct' | 'reason' | 'reasonCode'> {
  return {
    id,
    name: r.displayName,
    customerName: r.customer?.displayName ?? null,
    customerTenantId: r.customer?.tenantId ?? null,
    status: r.status,
    endDateTime: r.endDateTime,
    autoExtendDuration: r.autoExtendDuration,
    roles: domainRoles(r.roleDefinitionIds),
  };
}

/** The journal's target for a mutation of one relationship: its id and the names the plan read. */
export function relationshipJournalTarget(
  id: string,
  decision: {
    readonly name?: string;
    readonly plan: { readonly customerTenantId: string | null; readonly customerName?: string | null };
  },
  name: string | null | undefined = decision.name,
): JournalTarget {
  const { customerTenantId, customerName } = decision.plan;
  return {
    relationshipId: id,
    ...(name !== undefined && name !== null ? { name } : {}),
    ...(customerTenantId !== null && customerTenantId !== '' ? { customerTenantId } : {}),
    ...(customerName !== undefined && customerName !== null && customerName !== '' ? { customerName } : {}),
  };
}

/** The decision for a relationship that could not be read (404 or another error): failed, nothing sent. */
export function unreadableDecision<P extends RelationshipPlanFields>(
  id: string,
  error: unknown,
  extra: Omit<P, keyof RelationshipPlanFields>,
): Decision<P> {
  const facts = describeError(error);
  const notFound = facts.kind === 'notFound';
  const plan = {
    id,
    name: null,
    customerName: null,
    customerTenantId: null,
    status: null,
    endDateTime: null,
    autoExtendDuration: null,
    roles: [],
    willAct: false,
    ...because(notFound ? msg('Relationship not found.') : msg('Could not be read: {0}', facts.message)),
    reasonCode: 'unreadable',
    error: { kind: facts.kind, message: facts.message },
    ...extra,
  } as unknown as P;
  return {
    kind: 'skip',
    outcome: 'failed',
    status: null,
    error: notFound ? `Relationship not found: ${facts.message}` : facts.message,
    errorKind: facts.kind,
    plan,
  };
}

/** A skipped result's error: the reason code first, so scripts can match it, then the sentence. */
export function skipText(code: RenewalReasonCode, sentence: string): string {
  return `${code}: ${sentence}`;
}

/** The relationship's roles without Global Administrator, as the service wants them back. */
export function rolesWithoutGlobalAdministrator(roleDefinitionIds: readonly string[]): string[] {
  return roleDefinitionIds.filter((id) => id.toLowerCase() !== GLOBAL_ADMINISTRATOR_ROLE_ID);
}

/** A relationship with its operations (read only when it carries Global Administrator; otherwise empty). */
export interface RelationshipWithOperations {
  readonly relationship: Relationship;
  readonly operations: readonly RelationshipOperation[];
}

/** Operations that change an access assignment, not the relationship (docs/api-notes.md §3.14). */
const ASSIGNMENT_OPERATION = 'delegatedAdminAccessAssignmentUpdate';

/**
 * A relationship change (a Global Administrator removal) accepted and not finished yet. Its
 * `operationType` is undocumented (docs/api-notes.md §4.6), so anything not an access assignment update counts.
 */
export function relationshipChangeInFlight(operations: readonly RelationshipOperation[]): boolean {
  return operations.some((o) => o.operationType !== ASSIGNMENT_OPERATION && (o.status === 'notStarted' || o.status === 'running'));
}

async function withOperations(apis: MutationApis, relationship: Relationship, options: CallOptions): Promise<RelationshipWithOperations> {
  // Only a relationship with Global Administrator can have a removal under way: spare the others the read.
  const operations = includesGlobalAdministrator(relationship) ? await apis.graph.listOperations(relationship.id, options) : [];
  return { relationship, operations };
}

export async function readWithOperations(apis: MutationApis, id: string, options: CallOptions): Promise<RelationshipWithOperations> {
  return withOperations(apis, await apis.graph.getRelationship(id, options), options);
}

/** Batched relationship reads, then the operations of those with Global Administrator (8 at a time). */
export async function readManyWithOperations(
  apis: MutationApis,
  ids: readonly string[],
  options: CallOptions,
): Promise<Map<string, BatchItemResult<RelationshipWithOperations>>> {
  const relationships = await apis.graph.getRelationshipsMany(ids, options);
  const out = new Map<string, BatchItemResult<RelationshipWithOperations>>();
  const entries = [...relationships.entries()];
  await runBounded(
    entries,
    8,
    options.signal,
    async ([id, item]) => {
      out.set(id, item.ok ? { ok: true, value: await withOperations(apis, item.value, options) } : item);
    },
    () => undefined,
    ([id], _index, error) => {
      // Left out: the pipeline reads this one again on its own.
      if (error instanceof GdapError && error.kind === 'notFound') {
        out.set(id, { ok: false, error });
      }
    },
  );
  return out;
}
