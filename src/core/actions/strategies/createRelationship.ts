import { domainRoles, type DomainRole } from '../../domain/roles';
import type { DelegatedAdminCustomer, Relationship } from '../../graph/models';
import { because, msg, type Message } from '../../messages';
import { durationDays, MAX_DISPLAY_NAME_LENGTH } from '../../graph/preconditions';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../roles/roleCatalog';
import { parseRoleList } from '../../roles/roleNames';
import { describeError } from '../errorFacts';
import type { Decision, MutationApis, MutationStrategy, Observed, PlanError, Reconciliation } from '../mutationStrategy';
import { statusText } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { clockOption, unreadableFacts } from './grantCommon';

/** What `gdap create` (and later the extension's form) asks for, validated. */
export interface CreateRelationshipTarget {
  readonly displayName: string;
  /** ISO-8601, P1D–P2Y. */
  readonly duration: string;
  readonly roleDefinitionIds: readonly string[];
  /** A customer tenant id, or null for an invitation any customer can approve. */
  readonly customerTenantId: string | null;
  /** `P180D` (auto-extend on) or null (off). */
  readonly autoExtendDuration: 'P180D' | null;
}

/** Raw input as typed, before validation. */
export interface CreateRelationshipInputText {
  readonly name: string;
  readonly roles: string;
  readonly customerTenantId?: string;
  readonly duration?: string;
  readonly autoExtend?: boolean;
}

export interface InputProblem {
  readonly field: 'name' | 'roles' | 'customer' | 'duration' | 'autoExtend' | 'group';
  readonly message: string;
}

export const DEFAULT_DURATION = 'P730D';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates a create request without any request (docs/onboarding.md §2): name 1–50 characters,
 * duration P1D–P2Y, known roles, a GUID customer, and no auto-extend with Global Administrator
 * (docs/api-notes.md §4.1). Returns every problem at once, or the target.
 */
export function validateCreateRelationship(
  input: CreateRelationshipInputText,
): { readonly ok: true; readonly target: CreateRelationshipTarget } | { readonly ok: false; readonly problems: readonly InputProblem[] } {
  const problems: InputProblem[] = [];
  const name = input.name.trim();
  if (name.length === 0 || name.length > MAX_DISPLAY_NAME_LENGTH) {
    problems.push({
      field: 'name',
      message: `The relationship name must be 1 to ${MAX_DISPLAY_NAME_LENGTH} characters (got ${name.length}).`,
    });
  }
  const duration = (input.duration ?? DEFAULT_DURATION).trim().toUpperCase();
  const days = durationDays(duration);
  if (days === undefined) {
    problems.push({ field: 'duration', message: `The duration must be an ISO-8601 duration such as P730D (got "${duration}").` });
  } else if (days < 1 || days > 730) {
    problems.push({ field: 'duration', message: `The duration must be between P1D and P2Y (730 days) inclusive (got ${duration}).` });
  }
  const roles = parseRoleList(input.roles);
  if (!roles.ok) {
    problems.push(...roles.problems.map((p) => ({ field: 'roles' as const, message: p.message })));
  }
  const customer = input.customerTenantId?.trim();
  if (customer !== undefined && !GUID.test(customer)) {
    problems.push({ field: 'customer', message: `The customer must be a customer tenant id (GUID) (got "${customer}").` });
  }
  const autoExtend = input.autoExtend === true;
  if (autoExtend && roles.ok && roles.roleDefinitionIds.includes(GLOBAL_ADMINISTRATOR_ROLE_ID)) {
    problems.push({
      field: 'autoExtend',
      message: 'Auto-extend is not available with Global Administrator among the roles: drop --auto-extend or the role.',
    });
  }
  if (problems.length > 0 || !roles.ok) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    target: {
      displayName: name,
      duration,
      roleDefinitionIds: roles.roleDefinitionIds,
      customerTenantId: customer?.toLowerCase() ?? null,
      autoExtendDuration: autoExtend ? 'P180D' : null,
    },
  };
}

/** What a create confirmation shows (and `gdap create --dry-run` prints). */
export interface CreatePlanItem {
  readonly name: string;
  readonly customerTenantId: string | null;
  readonly customerName: string | null;
  readonly duration: string;
  readonly autoExtendDuration: string | null;
  readonly roles: readonly DomainRole[];
  readonly willAct: boolean;
  readonly reason: string | null;
  /** `reason` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly reasonMessage?: Message | null;
  readonly error?: PlanError;
}

/** What reading before a create shows: a relationship already carrying the name, and the customer. */
export interface CreateState {
  readonly existing: Relationship | null;
  /** The partner's customer of that tenant id; null when it is not a customer; undefined when none was asked for. */
  readonly customer: DelegatedAdminCustomer | null | undefined;
}

const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

async function readState(apis: MutationApis, target: CreateRelationshipTarget, signal?: AbortSignal): Promise<CreateState> {
  const call = signal !== undefined ? { signal } : {};
  const [relationships, customers] = await Promise.all([
    apis.graph.listAllRelationships(call),
    target.customerTenantId !== null ? apis.graph.listCustomers(call) : Promise.resolve(undefined),
  ]);
  return {
    existing: relationships.find((r) => sameName(r.displayName, target.displayName)) ?? null,
    customer: customers === undefined ? undefined : (customers.find((c) => c.tenantId.toLowerCase() === target.customerTenantId) ?? null),
  };
}

function decide(target: CreateRelationshipTarget, observed: Observed<CreateState>): Decision<CreatePlanItem> {
  const base = {
    name: target.displayName,
    customerTenantId: target.customerTenantId,
    duration: target.duration,
    autoExtendDuration: target.autoExtendDuration,
    roles: domainRoles(target.roleDefinitionIds),
  };
  if (!observed.ok) {
    const u = unreadableFacts(observed.error, 'Relationship list');
    return {
      kind: 'skip',
      outcome: 'failed',
      status: null,
      name: target.displayName,
      error: u.error,
      errorMessage: u.errorMessage,
      errorKind: u.planError.kind,
      plan: { ...base, customerName: null, willAct: false, reason: u.reason, reasonMessage: u.reasonMessage, error: u.planError },
    };
  }
  const { existing, customer } = observed.value;
  const customerName = customer?.displayName ?? null;
  const refuse = (why: Message, status: string | null): Decision<CreatePlanItem> => {
    const { reason, reasonMessage } = because(why);
    return {
      kind: 'skip',
      outcome: 'failed',
      status,
      name: target.displayName,
      error: reason,
      errorMessage: reasonMessage,
      errorKind: 'invalidInput',
      plan: { ...base, customerName, willAct: false, reason, reasonMessage },
    };
  };
  if (existing !== null) {
    // Names are how people (and the reconcile-by-reading after a lost answer) tell relationships apart.
    return refuse(
      msg('A relationship named "{0}" already exists ({1}, {2}); choose another name.', existing.displayName, existing.id, existing.status),
      existing.status,
    );
  }
  if (customer === null) {
    return refuse(
      msg('{0} is not one of your customers; check the tenant id or leave --customer out.', target.customerTenantId ?? ''),
      null,
    );
  }
  return {
    kind: 'act',
    etag: null,
    status: null,
    name: target.displayName,
    plan: { ...base, customerName, willAct: true, reason: null },
  };
}

/** The create strategy plus the relationships it created (or found created after a lost answer), by display name. */
export interface CreateRelationshipStrategy extends MutationStrategy<CreateRelationshipTarget, CreateState, CreatePlanItem> {
  readonly created: Map<string, Relationship>;
}

/**
 * Create a relationship: `POST /tenantRelationships/delegatedAdminRelationships` (docs/api-notes.md §3.4).
 * Not idempotent: after an unknown outcome it is reconciled by listing relationships for the (unique)
 * display name, and sent again only when none carries it. One instance per run: `created` collects
 * the new relationships for the steps that follow (lock, planned assignments).
 */
// Long because: an object literal of the strategy's small methods, sharing the factory's options.
export function createRelationshipStrategy(): CreateRelationshipStrategy {
  const created = new Map<string, Relationship>();
  const key = (t: CreateRelationshipTarget): string => t.displayName.trim().toLowerCase();
  return {
    created,
    action: 'createRelationship',
    label: 'Create relationship',
    key,
    async readMany(apis, targets, options) {
      const out = new Map<string, { ok: true; value: CreateState }>();
      for (const t of targets) {
        out.set(key(t), { ok: true, value: await readState(apis, t, options.signal) });
      }
      return out;
    },
    readOne: (apis, target, options) => readState(apis, target, options.signal),
    decide: (target, observed) => decide(target, observed),
    journalTarget: (target, decision) => ({
      name: target.displayName,
      ...(target.customerTenantId !== null ? { customerTenantId: target.customerTenantId } : {}),
      ...(decision.plan.customerName !== null ? { customerName: decision.plan.customerName } : {}),
      roleDefinitionIds: target.roleDefinitionIds,
    }),
    async send(apis, target, decision) {
      const relationship = await apis.graph.createRelationship(
        {
          displayName: target.displayName,
          duration: target.duration,
          roleDefinitionIds: target.roleDefinitionIds,
          ...(target.customerTenantId !== null
            ? {
                customer: {
                  tenantId: target.customerTenantId,
                  ...(decision.plan.customerName !== null ? { displayName: decision.plan.customerName } : {}),
                },
              }
            : {}),
          ...(target.autoExtendDuration !== null ? { autoExtendDuration: target.autoExtendDuration } : {}),
        },
        { reconcileByReading: true },
      );
      created.set(key(target), relationship);
      return { status: relationship.status };
    },
    async reconcile(apis, target, _decision, failure): Promise<Reconciliation> {
      let relationships: Relationship[];
      try {
        relationships = await readToReconcile(() => apis.graph.listAllRelationships(), clockOption(apis.clock));
      } catch (error) {
        return { kind: 'unknown', status: null, message: describeError(error).message };
      }
      const found = relationships.find((r) => sameName(r.displayName, target.displayName));
      if (found === undefined) {
        return { kind: 'notApplied', status: null };
      }
      created.set(key(target), found);
      return {
        kind: 'applied',
        status: found.status,
        note: `The request failed (${failure.kind}) but reading found the relationship "${found.displayName}" (${found.id}); not re-sent.`,
      };
    },
    // A new relationship is `created` at once (docs/api-notes.md §2.7): nothing to wait for.
    isEndState: () => true,
    verdict: (observed) =>
      observed.ok && observed.value.existing !== null
        ? { state: 'done', status: observed.value.existing.status }
        : { state: 'pending', status: null },
    fromJournal: (target) =>
      target.name !== undefined
        ? {
            displayName: target.name,
            duration: DEFAULT_DURATION,
            roleDefinitionIds: target.roleDefinitionIds ?? [],
            customerTenantId: null,
            autoExtendDuration: null,
          }
        : undefined,
    tookEffect: (observed) =>
      observed.ok && observed.value.existing !== null
        ? { state: observed.value.existing.status, reached: true }
        : { state: 'absent', reached: false },
    texts: {
      failedTimes: (sends, message) => msg('Create failed {0} times: {1}', String(sends), message),
      timedOut: (status, seconds) => msg('The relationship is still "{0}" after {1} s.', statusText(status), String(seconds)),
      notReached: msg('The relationship was not created.'),
    },
  };
}
