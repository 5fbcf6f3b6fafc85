import type { ApiError, ApiRequest } from './apiTypes';
import type { FaultInjector } from './faults';
import { renderAssignment, renderCustomer, renderRelationship } from './model';
import type { EmulatorPreset, ResolvedOptions } from './options';
import type { RequestLog } from './requestLog';
import { type EmulatorStore, PROGRESS_SECONDS } from './store';
import type { TokenService } from './tokens';

/** The control API (`/_emulator/*`, no token): what tests and demos use to inspect and drive the emulator. */
export interface ControlDeps {
  store: EmulatorStore;
  tokens: TokenService;
  faults: FaultInjector;
  log: RequestLog;
  options: ResolvedOptions;
  reset: (o: { preset?: EmulatorPreset; seed?: number; customers?: number }) => void;
}

export interface ControlAnswer {
  status: number;
  body: unknown;
}

type Route = (r: ApiRequest, deps: ControlDeps, match: RegExpExecArray) => ControlAnswer;

const ok = (body: unknown): ControlAnswer => ({ status: 200, body });
const bad = (message: string): ControlAnswer => ({ status: 400, body: { error: { code: 'badRequest', message } } });

/** Runs `fn`; an ApiError from the store (404 unknown id, 400 wrong status) becomes its status and code. */
function guarded(fn: () => unknown): ControlAnswer {
  try {
    return ok(fn());
  } catch (e) {
    const err = e as ApiError;
    return { status: err.status ?? 500, body: { error: { code: err.code ?? 'generalException', message: err.message } } };
  }
}

function state(_r: ApiRequest, d: ControlDeps): ControlAnswer {
  const { store } = d;
  const relationships = [...store.relationships.values()];
  const accessAssignments: Record<string, unknown[]> = {};
  for (const rel of relationships) {
    accessAssignments[rel.id] = rel.assignments.map(renderAssignment);
  }
  return ok({
    relationships: relationships.map(renderRelationship),
    accessAssignments,
    customers: store.delegatedAdminCustomers().map(renderCustomer),
    partnerCenterCustomers: [...store.customers.values()].map((c) => ({
      id: c.tenantId,
      companyName: c.displayName,
      allowDelegatedAccess: c.allowDelegatedAccess,
    })),
    partnerTenantId: store.partnerTenantId,
    securityGroups: store.securityGroups,
    user: { ...d.tokens.user },
    faults: d.faults.spec,
    failNext: d.faults.failNext.list(),
  });
}

function reset(r: ApiRequest, d: ControlDeps): ControlAnswer {
  const b = (r.body ?? {}) as { preset?: EmulatorPreset; seed?: number; customers?: number };
  try {
    d.reset(b);
  } catch (e) {
    return bad(e instanceof Error ? e.message : String(e));
  }
  return ok({ ok: true, relationships: d.store.relationships.size, customers: d.store.customers.size });
}

function setFaults(r: ApiRequest, d: ControlDeps): ControlAnswer {
  const b = r.body as { faults?: unknown; faultSeed?: unknown } | undefined;
  const spec =
    typeof r.body === 'string' ? r.body : typeof b?.faults === 'string' ? b.faults : r.bodyError !== undefined ? (r.rawText ?? '') : '';
  try {
    d.faults.set(spec, typeof b?.faultSeed === 'number' ? b.faultSeed : undefined);
  } catch (e) {
    return bad(e instanceof Error ? e.message : String(e));
  }
  return ok({ faults: d.faults.spec });
}

/** `{"method","pathPattern","status"?,"count"?}` adds a failNext rule; `{"clear": true}` drops them all. */
function failNext(r: ApiRequest, d: ControlDeps): ControlAnswer {
  const b = (typeof r.body === 'object' && r.body !== null ? r.body : {}) as Record<string, unknown>;
  if (b.clear === true) {
    d.faults.failNext.clear();
    return ok({ failNext: [] });
  }
  try {
    d.faults.failNext.add(b);
  } catch (e) {
    return bad(e instanceof Error ? e.message : String(e));
  }
  return ok({ failNext: d.faults.failNext.list() });
}

function setUser(r: ApiRequest, d: ControlDeps): ControlAnswer {
  const b = r.body as { adminAgents?: unknown } | undefined;
  if (typeof b?.adminAgents !== 'boolean') {
    return bad('Send {"adminAgents": true|false}.');
  }
  d.tokens.user.adminAgents = b.adminAgents;
  return ok({ user: { ...d.tokens.user } });
}

function touch(r: ApiRequest, d: ControlDeps): ControlAnswer {
  const b = r.body as { relationshipId?: unknown; assignmentId?: unknown } | undefined;
  if (
    typeof b?.relationshipId !== 'string' ||
    b.relationshipId === '' ||
    (b.assignmentId !== undefined && (typeof b.assignmentId !== 'string' || b.assignmentId === ''))
  ) {
    return bad('Send {"relationshipId": "…", "assignmentId"?: "…"}.');
  }
  const relationshipId = b.relationshipId;
  const assignmentId = typeof b.assignmentId === 'string' ? b.assignmentId : undefined;
  return guarded(() => {
    d.store.touchByOther(relationshipId, assignmentId);
    const rel = d.store.relationship(relationshipId);
    return assignmentId === undefined ? renderRelationship(rel) : renderAssignment(d.store.assignment(rel, assignmentId));
  });
}

/** `{"advanceSeconds": N}` moves the service clock forward (scheduled steps that became due run at once). */
function clock(r: ApiRequest, d: ControlDeps): ControlAnswer {
  const b = r.body as { advanceSeconds?: unknown } | undefined;
  const n = b?.advanceSeconds;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    return bad('Send {"advanceSeconds": N} with N ≥ 0 (seconds of wall-clock time to skip).');
  }
  d.store.clock.skip(n * 1000);
  return ok({ now: new Date(d.store.clock.now()).toISOString() });
}

function partnerCenter(r: ApiRequest, d: ControlDeps): ControlAnswer {
  const b = r.body as { requireMfa?: unknown } | undefined;
  if (typeof b?.requireMfa !== 'boolean') {
    return bad('Send {"requireMfa": true|false}.');
  }
  d.options.requirePcMfa = b.requireMfa;
  return ok({ requireMfa: d.options.requirePcMfa });
}

const id = (m: RegExpExecArray, i: number): string => decodeURIComponent(m[i]);

const ROUTES: [string, RegExp, Route][] = [
  ['GET', /^\/_emulator$/, (_r, d) => ok({ progressSeconds: PROGRESS_SECONDS, timeScale: d.options.timeScale, options: d.options })],
  ['GET', /^\/_emulator\/state$/, state],
  ['GET', /^\/_emulator\/requests$/, (_r, d) => ok({ requests: d.log.list() })],
  ['GET', /^\/_emulator\/issued$/, (_r, d) => ok({ secrets: d.tokens.issuedSecrets() })],
  ['POST', /^\/_emulator\/reset$/, reset],
  ['POST', /^\/_emulator\/faults$/, setFaults],
  ['POST', /^\/_emulator\/failNext$/, failNext],
  ['GET', /^\/_emulator\/failNext$/, (_r, d) => ok({ failNext: d.faults.failNext.list() })],
  ['POST', /^\/_emulator\/user$/, setUser],
  ['POST', /^\/_emulator\/touch$/, touch],
  [
    'POST',
    /^\/_emulator\/relationships\/([^/]+)\/approve$/,
    (_r, d, m) => guarded(() => renderRelationship(d.store.approveByCustomer(id(m, 1)))),
  ],
  [
    'POST',
    /^\/_emulator\/relationships\/([^/]+)\/reject$/,
    (_r, d, m) => guarded(() => renderRelationship(d.store.rejectByCustomer(id(m, 1)))),
  ],
  [
    'POST',
    /^\/_emulator\/relationships\/([^/]+)\/accessAssignments\/([^/]+)\/fail$/,
    (_r, d, m) => guarded(() => renderAssignment(d.store.failAssignment(id(m, 1), id(m, 2)))),
  ],
  ['DELETE', /^\/_emulator\/groups\/([^/]+)$/, (_r, d, m) => guarded(() => ({ deleted: d.store.deleteGroup(id(m, 1)) }))],
  ['POST', /^\/_emulator\/clock$/, clock],
  ['POST', /^\/_emulator\/partner-center$/, partnerCenter],
];

/** Answers one control request; unknown routes → 404. The lazy clock runs first so state is current. */
export function handleControl(r: ApiRequest, deps: ControlDeps): ControlAnswer {
  deps.store.advance();
  const p = r.path.replace(/\/$/, '');
  for (const [method, re, route] of ROUTES) {
    const m = re.exec(p);
    if (m !== null && r.method === method) {
      return route(r, deps, m);
    }
  }
  return { status: 404, body: { error: { code: 'notFound', message: `No control route ${r.method} ${p}` } } };
}
