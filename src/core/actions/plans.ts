import type { BatchItemResult, CallOptions, GdapApi } from '../graph/gdapApi';
import type { AccessAssignment, Relationship } from '../graph/models';
import type { GdapErrorKind } from '../http/gdapError';
import type { PartnerCenterApi } from '../partnerCenter/partnerCenterApi';
import { resolveRole } from '../roles/roleLookup';
import { describeError } from './errorFacts';
import { planMutation } from './mutationPipeline';
import { runBounded } from './runBounded';
import { terminateStrategy, type TerminatePlanItem } from './strategies/terminateRelationship';

/** Plans that read only Graph run without Partner Center. */
const noPartnerCenter: PartnerCenterApi = {
  listCustomers: () => Promise.reject(new Error('Partner Center is not used by this plan.')),
  getCustomer: () => Promise.reject(new Error('Partner Center is not used by this plan.')),
  removeDap: () => Promise.reject(new Error('Partner Center is not used by this plan.')),
};

/*
 * What a confirmation dialog or `--dry-run` shows, computed by reading only. `willAct` mirrors the
 * decision the action itself takes on the same state; `reason` says why not.
 */

export interface PlanRole {
  readonly roleDefinitionId: string;
  readonly name: string;
  readonly privileged: boolean;
}

export interface PlanError {
  readonly kind: GdapErrorKind;
  readonly message: string;
}

export type { TerminatePlanItem };

export interface AssignmentPlanTarget {
  readonly relationshipId: string;
  readonly assignmentId: string;
}

export interface RemoveAssignmentPlanItem {
  /** `<relationshipId>/<assignmentId>`. */
  readonly id: string;
  readonly relationshipId: string;
  readonly assignmentId: string;
  readonly relationshipName: string | null;
  readonly securityGroupId: string | null;
  readonly roles: readonly PlanRole[];
  readonly customerName: string | null;
  readonly customerTenantId: string | null;
  readonly status: string | null;
  readonly etag: string | null;
  readonly willAct: boolean;
  readonly reason: string | null;
  readonly error?: PlanError;
}

export interface RemoveDapPlanItem {
  readonly tenantId: string;
  readonly companyName: string | null;
  /** null when it could not be read. */
  readonly allowDelegatedAccess: boolean | null;
  /** The customer has at least one `active` GDAP relationship; when false, removing DAP leaves no admin access. */
  readonly hasActiveGdap: boolean | null;
  readonly willAct: boolean;
  readonly reason: string | null;
  readonly error?: PlanError;
}

function roles(ids: readonly string[]): PlanRole[] {
  return ids.map((id) => {
    const r = resolveRole(id);
    return { roleDefinitionId: r.roleDefinitionId, name: r.name, privileged: r.privileged };
  });
}

function planError(error: unknown): PlanError {
  const facts = describeError(error);
  return { kind: facts.kind, message: facts.message };
}

function call(signal: AbortSignal | undefined): CallOptions {
  return signal !== undefined ? { signal } : {};
}

/** The terminate plan for `ids` (batched reads), in the order given. */
export function planTerminate(graph: GdapApi, ids: readonly string[], options: CallOptions = {}): Promise<TerminatePlanItem[]> {
  return planMutation({ graph, partnerCenter: noPartnerCenter }, terminateStrategy, ids, call(options.signal));
}

/** The remove-assignment plan (batched reads of the assignments and of their relationships). */
export async function planRemoveAssignments(
  graph: GdapApi,
  targets: readonly AssignmentPlanTarget[],
  options: CallOptions = {},
): Promise<RemoveAssignmentPlanItem[]> {
  if (targets.length === 0) {
    return [];
  }
  const relationshipIds = [...new Set(targets.map((t) => t.relationshipId))];
  const refs = [
    ...new Map(
      targets.map((t) => [`${t.relationshipId}/${t.assignmentId}`, { relationshipId: t.relationshipId, assignmentId: t.assignmentId }]),
    ).values(),
  ];
  const [assignments, relationships] = await Promise.all([
    graph.getAccessAssignmentsMany(refs, call(options.signal)),
    graph.getRelationshipsMany(relationshipIds, call(options.signal)).catch(() => new Map<string, BatchItemResult<Relationship>>()),
  ]);
  return targets.map((t): RemoveAssignmentPlanItem => {
    const id = `${t.relationshipId}/${t.assignmentId}`;
    const rel = relationships.get(t.relationshipId);
    const r = rel?.ok === true ? rel.value : undefined;
    const context = {
      id,
      relationshipId: t.relationshipId,
      assignmentId: t.assignmentId,
      relationshipName: r?.displayName ?? null,
      customerName: r?.customer?.displayName ?? null,
      customerTenantId: r?.customer?.tenantId ?? null,
    };
    const item: BatchItemResult<AccessAssignment> | undefined = assignments.get(id);
    if (item === undefined || !item.ok) {
      const error =
        item === undefined
          ? { kind: 'invalidResponse' as const, message: 'No result was returned for this assignment.' }
          : planError(item.error);
      const gone = error.kind === 'notFound';
      return {
        ...context,
        securityGroupId: null,
        roles: [],
        status: gone ? 'deleted' : null,
        etag: null,
        willAct: false,
        reason: gone ? 'Already removed.' : `Could not be read: ${error.message}`,
        ...(gone ? {} : { error }),
      };
    }
    const a = item.value;
    const reason =
      a.status === 'active'
        ? null
        : a.status === 'deleted' || a.status === 'deleting'
          ? `Already removed ("${a.status}").`
          : `Removal applies only to active access assignments; this one is "${a.status}".`;
    return {
      ...context,
      securityGroupId: a.accessContainer.accessContainerId,
      roles: roles(a.roleDefinitionIds),
      status: a.status,
      etag: a.etag,
      willAct: reason === null,
      reason,
    };
  });
}

/** Above this many customers one full relationship pass is cheaper than one filtered list per customer. */
const PER_CUSTOMER_LIST_LIMIT = 10;

/**
 * The remove-DAP plan: each customer's DAP state (Partner Center GET by id, the only place it is known,
 * docs/api-notes.md §8.3) and whether an active GDAP relationship remains to keep admin access.
 */
export async function planRemoveDap(
  graph: GdapApi,
  partnerCenter: PartnerCenterApi,
  tenantIds: readonly string[],
  options: CallOptions & { concurrency?: number } = {},
): Promise<RemoveDapPlanItem[]> {
  const unique = [...new Set(tenantIds)];
  const activeByTenant = new Map<string, boolean | null>();
  const gdapTask = (async (): Promise<void> => {
    if (unique.length === 0) {
      return;
    }
    if (unique.length > PER_CUSTOMER_LIST_LIMIT) {
      try {
        const all = await graph.listAllRelationships({ top: 300, ...call(options.signal) });
        const active = new Set(
          all.filter((r) => r.status === 'active' && r.customer?.tenantId).map((r) => (r.customer?.tenantId ?? '').toLowerCase()),
        );
        for (const t of unique) {
          activeByTenant.set(t, active.has(t.toLowerCase()));
        }
      } catch {
        for (const t of unique) {
          activeByTenant.set(t, null);
        }
      }
      return;
    }
    await Promise.all(
      unique.map(async (t) => {
        try {
          const list = await graph.listAllRelationships({ customerTenantId: t, ...call(options.signal) });
          activeByTenant.set(
            t,
            list.some((r) => r.status === 'active'),
          );
        } catch {
          activeByTenant.set(t, null);
        }
      }),
    );
  })();

  const customers = new Map<string, RemoveDapPlanItem>();
  await runBounded(
    unique,
    options.concurrency ?? 8,
    options.signal,
    async (tenantId) => {
      try {
        const c = await partnerCenter.getCustomer(tenantId, call(options.signal));
        const off = c.allowDelegatedAccess === false;
        const unknown = c.allowDelegatedAccess === null;
        customers.set(tenantId, {
          tenantId,
          companyName: c.companyName,
          allowDelegatedAccess: c.allowDelegatedAccess,
          hasActiveGdap: null,
          willAct: !off && !unknown,
          reason: off ? 'DAP is already off.' : unknown ? 'Partner Center did not say whether DAP is on.' : null,
        });
      } catch (error) {
        const e = planError(error);
        customers.set(tenantId, {
          tenantId,
          companyName: null,
          allowDelegatedAccess: null,
          hasActiveGdap: null,
          willAct: false,
          reason: e.kind === 'notFound' ? 'Customer not found in Partner Center.' : `Could not be read: ${e.message}`,
          error: e,
        });
      }
    },
    () => undefined,
    () => undefined,
  );
  await gdapTask;
  return tenantIds.map((tenantId): RemoveDapPlanItem => {
    const base: RemoveDapPlanItem = customers.get(tenantId) ?? {
      tenantId,
      companyName: null,
      allowDelegatedAccess: null,
      hasActiveGdap: null,
      willAct: false,
      reason: 'Cancelled.',
      error: { kind: 'cancelled', message: 'Cancelled.' },
    };
    return { ...base, hasActiveGdap: activeByTenant.get(tenantId) ?? null };
  });
}
