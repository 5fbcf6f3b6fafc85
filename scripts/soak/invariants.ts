// The soak's shared invariant checks (docs/pipeline.md, "Soak record"): pure functions of the emulator's
// request log and state and the action journal, so each can be shown to fire on a deliberately broken run
// (test/unit/soak/invariants.test.ts). Each returns its violations as sentences; none means it held.
import type { JournalRecord } from '../../src/core/actions/actionTypes';
import type { RequestLogEntry } from '../../src/emulator/server';

const GRAPH_ENTITY = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/([^/]+)(?:\/accessAssignments\/([^/]+)|\/requests)?$/;
const CREATE_RELATIONSHIP = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships$/;
const CREATE_ASSIGNMENT = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/([^/]+)\/accessAssignments$/;
const PC_CUSTOMER = /^\/partnercenter\/v1\/customers\/([^/]+)$/;

const applied = (e: RequestLogEntry): boolean => e.status >= 200 && e.status < 300;
const isWrite = (e: RequestLogEntry): boolean => e.method !== 'GET' && e.method !== 'HEAD';

/** The entity a logged write is aimed at: relationship id (and assignment id), or a Partner Center customer. */
function writeTarget(e: RequestLogEntry): { relationshipId?: string; assignmentId?: string; customerTenantId?: string } | undefined {
  const path = decodeURIComponent(e.path);
  let m = GRAPH_ENTITY.exec(path);
  if (m !== null) {
    return { relationshipId: m[1].toLowerCase(), ...(m[2] !== undefined ? { assignmentId: m[2].toLowerCase() } : {}) };
  }
  m = CREATE_ASSIGNMENT.exec(path);
  if (m !== null) {
    return { relationshipId: m[1].toLowerCase() };
  }
  m = PC_CUSTOMER.exec(path);
  if (m !== null) {
    return { customerTenantId: m[1].toLowerCase() };
  }
  return undefined;
}

/** The API writes of a run: not the control API, not token requests, not `$batch` envelopes. */
export function apiWrites(log: readonly RequestLogEntry[]): RequestLogEntry[] {
  return log.filter(
    (e) =>
      isWrite(e) &&
      (e.path.startsWith('/v1.0/') || e.path.startsWith('/partnercenter/')) &&
      e.path !== '/v1.0/$batch' &&
      e.path !== '/v1.0/%24batch',
  );
}

/**
 * No write applied to a state the run did not decide on: every applied If-Match write (PATCH, DELETE) names
 * an ETag, never `*`, and that ETag is the one a journal intent for the same target recorded as the state it
 * decided on (the state the user confirmed, in the product). A write that needs no ETag (a create, a lock,
 * Partner Center's DAP switch) is not judged here.
 */
export function checkConfirmedWrites(log: readonly RequestLogEntry[], records: readonly JournalRecord[]): string[] {
  const violations: string[] = [];
  const decidedOn = new Map<string, Set<string>>();
  for (const r of records) {
    if ((r.type === 'intent' || r.type === 'step') && typeof r.priorEtag === 'string' && r.target.relationshipId !== undefined) {
      const key = `${r.target.relationshipId.toLowerCase()}/${r.target.assignmentId?.toLowerCase() ?? ''}`;
      decidedOn.set(key, (decidedOn.get(key) ?? new Set()).add(r.priorEtag));
    }
  }
  for (const e of apiWrites(log)) {
    if (!applied(e) || (e.method !== 'PATCH' && e.method !== 'DELETE') || !e.path.startsWith('/v1.0/')) {
      continue;
    }
    const t = writeTarget(e);
    const ifMatch = e.headers['if-match'];
    if (t?.relationshipId === undefined) {
      continue;
    }
    if (ifMatch === undefined || ifMatch === '' || ifMatch === '*') {
      violations.push(`${e.method} ${e.path} was applied without naming the ETag it was decided on (If-Match: ${ifMatch ?? 'none'}).`);
      continue;
    }
    const key = `${t.relationshipId}/${t.assignmentId ?? ''}`;
    if (!(decidedOn.get(key)?.has(ifMatch) ?? false)) {
      violations.push(`${e.method} ${e.path} was applied to ETag ${ifMatch}, which no journal intent for it recorded.`);
    }
  }
  return violations;
}

/**
 * Nothing sent without its intent on disk first: every write aimed at an existing entity has a journal
 * intent for that entity written before it (by time). Creates are matched by `checkCreatedOnce`; a write on
 * a relationship the run created (`created`, e.g. renew's lock of the successor it just made) belongs to
 * the intent that created it.
 */
export function checkSentWithIntent(
  log: readonly RequestLogEntry[],
  records: readonly JournalRecord[],
  created: ReadonlySet<string> = new Set(),
): string[] {
  const createdIds = new Set([...created].map((id) => id.toLowerCase()));
  const firstIntent = new Map<string, number>();
  for (const r of records) {
    if (r.type !== 'intent') {
      continue;
    }
    const ids = [r.target.relationshipId, r.target.customerTenantId].filter((x): x is string => typeof x === 'string');
    for (const id of ids) {
      const key = id.toLowerCase();
      const at = Date.parse(r.time);
      firstIntent.set(key, Math.min(firstIntent.get(key) ?? at, at));
    }
  }
  const violations: string[] = [];
  for (const e of apiWrites(log)) {
    if (CREATE_RELATIONSHIP.test(decodeURIComponent(e.path))) {
      continue;
    }
    const t = writeTarget(e);
    const id = t?.relationshipId ?? t?.customerTenantId;
    if (id !== undefined && createdIds.has(id)) {
      continue;
    }
    if (id === undefined) {
      violations.push(`${e.method} ${e.path} (status ${e.status}) is a write the soak does not know.`);
      continue;
    }
    const intentAt = firstIntent.get(id);
    if (intentAt === undefined || intentAt > Date.parse(e.time)) {
      violations.push(`${e.method} ${e.path} (status ${e.status}) was sent without a journal intent before it.`);
    }
  }
  return violations;
}

interface NamedRelationship {
  readonly id: string;
  readonly displayName: string;
  readonly status: string;
  readonly customer?: { readonly tenantId?: string | null } | null;
}

/** One relationship per create intent (display names are the reconcile key): never two of one name. */
export function checkCreatedOnce(
  relationships: readonly NamedRelationship[],
  intents: readonly { readonly displayName: string; readonly customerTenantId?: string | null }[],
): string[] {
  const violations: string[] = [];
  for (const intent of intents) {
    const found = relationships.filter(
      (r) =>
        r.displayName === intent.displayName &&
        (intent.customerTenantId == null || r.customer?.tenantId?.toLowerCase() === intent.customerTenantId.toLowerCase()),
    );
    if (found.length > 1) {
      violations.push(`create "${intent.displayName}": ${found.length} relationships for one intent.`);
    }
  }
  return violations;
}

interface GroupAssignment {
  readonly id: string;
  readonly status: string;
  readonly accessContainer: { readonly accessContainerId: string };
}

/** One live access assignment per (relationship, group) intent. */
export function checkAssignedOnce(
  assignments: Readonly<Record<string, readonly GroupAssignment[]>>,
  intents: readonly { readonly relationshipId: string; readonly groupId: string }[],
): string[] {
  const violations: string[] = [];
  for (const { relationshipId, groupId } of intents) {
    const live = (assignments[relationshipId] ?? []).filter(
      (a) => a.accessContainer.accessContainerId.toLowerCase() === groupId.toLowerCase() && a.status !== 'deleted',
    );
    if (live.length > 1) {
      violations.push(`assign ${relationshipId}/${groupId}: ${live.length} assignments for one intent.`);
    }
  }
  return violations;
}

/**
 * An entity as text without the stamps a concurrent touch or the service's progress changes (`@odata.etag`,
 * `lastModifiedDateTime`), keys sorted at every level so equal content compares equal.
 */
export function contentOf(entity: object): string {
  const { '@odata.etag': _etag, lastModifiedDateTime: _modified, ...rest } = entity as Record<string, unknown>;
  return JSON.stringify(rest, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
