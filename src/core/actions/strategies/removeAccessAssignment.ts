import { because, english, msg, type Message } from '../../messages';
import { domainRoles, type DomainRole } from '../../domain/roles';
import { isAccessAssignmentStatusIn } from '../../domain/status';
import type { BatchItemResult } from '../../graph/gdapApi';
import type { AccessAssignment, Relationship } from '../../graph/models';
import { describeError } from '../errorFacts';
import type { Decision, MutationStrategy, Observed, PlanError, Reconciliation } from '../mutationStrategy';
import { statusText, unknownOutcome, changedMeanwhile, failedVerdict } from '../mutationStrategy';
import { readToReconcile } from '../readToReconcile';
import { planImpact, readImpact, type ImpactReading, type PlanImpact } from '../../insight/planImpact';
import type { CallOptions } from '../../graph/gdapApi';
import type { MutationApis } from '../mutationStrategy';

export interface AssignmentTarget {
  readonly relationshipId: string;
  readonly assignmentId: string;
  /** Names for the journal and the report, when the caller knows them (from its plan or tree). */
  readonly name?: string;
  readonly customerTenantId?: string;
  readonly customerName?: string;
  /**
   * The ETag of the assignment as the caller showed it to the user (its confirmation). When set, the
   * DELETE carries it instead of the one just read, so a change made since the user confirmed gets 412
   * (`preconditionFailed`) rather than removing something the user did not see.
   */
  readonly etag?: string;
}

/** What a remove-assignment confirmation shows (and `gdap remove-assignment --dry-run` prints). */
export interface RemoveAssignmentPlanItem {
  /** `<relationshipId>/<assignmentId>`. */
  readonly id: string;
  readonly relationshipId: string;
  readonly assignmentId: string;
  readonly relationshipName: string | null;
  readonly securityGroupId: string | null;
  /** The roles the group's members lose in the customer tenant. */
  readonly roles: readonly DomainRole[];
  readonly customerName: string | null;
  readonly customerTenantId: string | null;
  readonly status: string | null;
  readonly etag: string | null;
  readonly willAct: boolean;
  readonly reason: string | null;
  readonly reasonMessage?: Message | null;
  readonly error?: PlanError;
  /** What the group loses at the customer, and keeps through something else (docs/access.md); plans only, null when unknown. */
  readonly impact?: PlanImpact | null;
}

/** Status reported once an assignment is gone (404) or reads `deleted` (docs/api-notes.md §3.13, §14.4). */
const GONE = 'deleted';

export function assignmentKey(target: { readonly relationshipId: string; readonly assignmentId: string }): string {
  return `${target.relationshipId}/${target.assignmentId}`;
}

/** Whether removal applies to an assignment in `status`, and if not, why. Menus and `decide` share it. */
export type RemoveAssignmentEligibility =
  | { readonly kind: 'act' }
  | { readonly kind: 'alreadyDone'; readonly inFlight: boolean; readonly reason: string; readonly reasonMessage: Message }
  | { readonly kind: 'skip'; readonly reason: string; readonly reasonMessage: Message };

export function removeAssignmentEligibility(status: string): RemoveAssignmentEligibility {
  if (status === 'active') {
    return { kind: 'act' };
  }
  if (isAccessAssignmentStatusIn('removing', status)) {
    return { kind: 'alreadyDone', inFlight: status === 'deleting', ...because(msg('Already removed ("{0}").', status)) };
  }
  return { kind: 'skip', ...because(msg('Removal applies only to active access assignments; this one is "{0}".', status)) };
}

/** Context only the plan reads: the relationships, for their names and customers, and the impact. */
interface PlanContext {
  readonly relationships: ReadonlyMap<string, BatchItemResult<Relationship>>;
  readonly impact?: ImpactReading;
}

async function readPlanContext(apis: MutationApis, targets: readonly AssignmentTarget[], options: CallOptions): Promise<PlanContext> {
  const relationships = await apis.graph
    .getRelationshipsMany([...new Set(targets.map((t) => t.relationshipId))], options)
    .catch(() => new Map<string, BatchItemResult<Relationship>>());
  const tenants = [...relationships.values()].flatMap((r) => (r.ok && r.value.customer?.tenantId ? [r.value.customer.tenantId] : []));
  const impact = await readImpact(
    apis,
    tenants,
    targets.map((t) => ({ kind: 'removeAssignment' as const, relationshipId: t.relationshipId, assignmentId: t.assignmentId })),
    options,
  );
  return { relationships, impact };
}

function decide(
  t: AssignmentTarget,
  observed: Observed<AccessAssignment>,
  context: PlanContext | undefined,
): Decision<RemoveAssignmentPlanItem> {
  const rel = context?.relationships.get(t.relationshipId);
  const r = rel?.ok === true ? rel.value : undefined;
  const where = {
    id: assignmentKey(t),
    relationshipId: t.relationshipId,
    assignmentId: t.assignmentId,
    relationshipName: r?.displayName ?? null,
    customerName: r?.customer?.displayName ?? t.customerName ?? null,
    customerTenantId: r?.customer?.tenantId ?? t.customerTenantId ?? null,
  };
  const named = t.name !== undefined ? { name: t.name } : {};
  const nothing = { securityGroupId: null, roles: [], etag: null };
  if (!observed.ok) {
    const facts = describeError(observed.error);
    if (facts.kind === 'notFound') {
      // After the 204 a GET answers 404 (docs/api-notes.md §14.4): already gone.
      const plan = { ...where, ...nothing, status: GONE, willAct: false, ...because(msg('Already removed.')) };
      return { kind: 'alreadyDone', inFlight: false, plan, ...named, status: GONE };
    }
    const plan = {
      ...where,
      ...nothing,
      status: null,
      willAct: false,
      ...because(msg('Could not be read: {0}', facts.message)),
      error: { kind: facts.kind, message: facts.message },
    };
    return { kind: 'skip', outcome: 'failed', plan, ...named, status: null, error: facts.message, errorKind: facts.kind };
  }
  const a = observed.value;
  const status = a.status;
  const eligibility = removeAssignmentEligibility(status);
  const noEtag = eligibility.kind === 'act' && a.etag === null;
  const why = noEtag
    ? msg('The service returned no ETag for this assignment; it cannot be removed safely.')
    : eligibility.kind === 'act'
      ? null
      : eligibility.reasonMessage;
  const reason = why === null ? null : english(why);
  const plan: RemoveAssignmentPlanItem = {
    ...where,
    securityGroupId: a.accessContainer.accessContainerId,
    roles: domainRoles(a.roleDefinitionIds),
    status,
    etag: a.etag,
    willAct: reason === null,
    reason,
    // Only when there is a reason: a plan item's keys are pinned for the CLI's JSON.
    ...(why === null ? {} : { reasonMessage: why }),
    ...(context === undefined
      ? {}
      : {
          impact: planImpact(
            context.impact,
            { kind: 'removeAssignment', relationshipId: t.relationshipId, assignmentId: t.assignmentId },
            where.customerTenantId,
          ),
        }),
  };
  const base = { plan, ...named, status };
  if (noEtag) {
    return { ...base, kind: 'skip', outcome: 'failed', errorKind: 'invalidResponse', error: reason ?? '' };
  }
  switch (eligibility.kind) {
    case 'act':
      return { ...base, kind: 'act', etag: a.etag };
    case 'alreadyDone':
      return { ...base, kind: 'alreadyDone', inFlight: eligibility.inFlight };
    case 'skip':
      return { ...base, kind: 'skip', outcome: 'skipped', error: eligibility.reason, errorMessage: eligibility.reasonMessage };
  }
}

/**
 * Remove an access assignment: `DELETE` with `If-Match` (docs/api-notes.md §3.13), then wait until it is
 * gone (404 or `deleted`). A 412 or an unknown outcome re-reads; a changed assignment is reported
 * `preconditionFailed` and never deleted on the user's behalf.
 */
export const removeAccessAssignmentStrategy: MutationStrategy<AssignmentTarget, AccessAssignment, RemoveAssignmentPlanItem, PlanContext> = {
  action: 'removeAccessAssignment',
  label: 'Remove access assignment',
  key: assignmentKey,
  readMany: (apis, targets, options) =>
    apis.graph.getAccessAssignmentsMany(
      targets.map((t) => ({ relationshipId: t.relationshipId, assignmentId: t.assignmentId })),
      options,
    ),
  // A fresh read is worth a few attempts: it decides between removing and reporting a failure.
  readOne: (apis, t, options) =>
    readToReconcile(
      () => apis.graph.getAccessAssignment(t.relationshipId, t.assignmentId, options),
      apis.clock !== undefined ? { clock: apis.clock } : {},
    ),
  needsFreshRead: (a) => a.etag === null && a.status !== GONE,
  readPlanContext,
  decide,
  journalTarget: (t) => ({
    relationshipId: t.relationshipId,
    assignmentId: t.assignmentId,
    ...(t.name !== undefined ? { name: t.name } : {}),
    ...(t.customerTenantId !== undefined ? { customerTenantId: t.customerTenantId } : {}),
    ...(t.customerName !== undefined ? { customerName: t.customerName } : {}),
  }),
  async send(apis, t, decision) {
    // DELETE with If-Match cannot remove anything but the version confirmed. Not replayed by the client
    // after a lost answer: a send the service may have applied is reconciled by reading.
    await apis.graph.deleteAccessAssignment(t.relationshipId, t.assignmentId, t.etag ?? decision.etag ?? '', { reconcileByReading: true });
    return { status: 'deleting' };
  },
  reconcileOn: ['notFound', 'preconditionFailed'],
  async reconcile(apis, t, decision, failure): Promise<Reconciliation> {
    if (failure.kind === 'notFound') {
      return { kind: 'applied', status: GONE, note: 'The DELETE answered 404: the assignment is gone.' };
    }
    let now: AccessAssignment | null;
    try {
      now = await readToReconcile(
        () => apis.graph.getAccessAssignment(t.relationshipId, t.assignmentId),
        apis.clock !== undefined ? { clock: apis.clock } : {},
      );
    } catch (error) {
      if (describeError(error).kind !== 'notFound') {
        return { kind: 'unknown', status: null };
      }
      now = null;
    }
    if (now === null || isAccessAssignmentStatusIn('removing', now.status)) {
      const status = now === null || now.status === GONE ? GONE : 'deleting';
      return {
        kind: 'applied',
        status,
        note: `The DELETE failed (${failure.kind}) but reading showed the assignment ${status === GONE ? 'gone' : 'deleting'}; not re-sent.`,
      };
    }
    const sentEtag = t.etag ?? decision.etag;
    if (failure.kind === 'preconditionFailed') {
      return changedMeanwhile(
        now.status,
        msg(
          'The access assignment changed since it was read (now "{0}"); nothing was removed. Review it and try again.',
          String(now.status),
        ),
      );
    }
    if (now.etag !== sentEtag) {
      return changedMeanwhile(
        now.status,
        msg('The access assignment changed since it was read (now "{0}"); not re-sent.', String(now.status)),
      );
    }
    if (now.status === 'active') {
      return { kind: 'notApplied', status: now.status };
    }
    return unknownOutcome(now.status, msg('The access assignment is now "{0}".', now.status));
  },
  isEndState: (status) => status === GONE,
  verdict(observed) {
    if (!observed.ok) {
      return describeError(observed.error).kind === 'notFound' ? { state: 'done', status: GONE } : { state: 'pending', status: null };
    }
    const status = observed.value.status;
    if (status === GONE) {
      return { state: 'done', status: GONE };
    }
    if (status === 'error') {
      return {
        ...failedVerdict(status, msg('The service reported the assignment in status "error" while removing it.')),
        errorKind: 'server',
      };
    }
    return { state: 'pending', status };
  },
  fromJournal: (target) =>
    target.relationshipId !== undefined && target.assignmentId !== undefined
      ? {
          relationshipId: target.relationshipId,
          assignmentId: target.assignmentId,
          ...(target.name !== undefined ? { name: target.name } : {}),
        }
      : undefined,
  tookEffect: (observed) =>
    observed.ok
      ? { state: observed.value.status, reached: isAccessAssignmentStatusIn('removing', observed.value.status) }
      : // A deleted assignment answers 404 (docs/api-notes.md §14.4).
        { state: 'gone', reached: true },
  texts: {
    failedTimes: (sends, message) => msg('Removal failed {0} times: {1}', String(sends), message),
    timedOut: (status, seconds) =>
      msg('The removal was accepted but the assignment is still "{0}" after {1} s.', statusText(status), String(seconds)),
    notReached: msg('The assignment was not removed.'),
  },
};
