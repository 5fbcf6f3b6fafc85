import { ApiError, type ApiRequest, type ApiResponse } from './apiTypes';
import {
  renderAssignment,
  renderCustomer,
  renderOperation,
  renderRelationship,
  renderRequest,
  renderServiceManagementDetails,
} from './model';
import { type CollectionRules, type QuerySource, applyQuery, countOf, expandList, nextLinkFor, option, project, selectList } from './odata';
import type { AssignmentRecord, CustomerRecord, OperationRecord, RelationshipRecord, RequestRecord } from './model';
import type { EmulatorStore } from './store';
import type { Principal } from './tokens';

const READ = 'DelegatedAdminRelationship.Read.All';
const WRITE = 'DelegatedAdminRelationship.ReadWrite.All';

const RULES = {
  relationships: {
    filterable: ['customer/tenantId', 'status', 'displayName', 'id'],
    orderable: ['displayName', 'status'],
    queryable: true,
  },
  customers: { filterable: ['tenantId', 'displayName', 'id'], orderable: ['displayName'], queryable: true },
  accessAssignments: { filterable: ['status', 'accessContainer/accessContainerId'], orderable: ['status'], queryable: true },
  operations: { filterable: ['status', 'operationType'], orderable: ['status'], queryable: true },
  requests: { filterable: ['status', 'action'], orderable: [], queryable: true },
  serviceManagementDetails: { filterable: [], orderable: [], queryable: false },
} satisfies Record<string, CollectionRules>;

export interface GraphContext {
  store: EmulatorStore;
  baseUrl: string;
  pageSize: number;
  retryAfterSeconds: number;
  principal: Principal;
  /** False for a user outside the Admin Agents group (docs/api-notes.md §3.19). */
  adminAgents: boolean;
}

type Json = Record<string, unknown>;
const PREFIX = '/v1.0/tenantRelationships';

/** Handles one Graph request under `/v1.0/tenantRelationships` (all 18 methods of docs/api-notes.md §3). */
export function handleGraph(req: ApiRequest, ctx: GraphContext): ApiResponse {
  if (req.path !== PREFIX && req.path !== `${PREFIX}/` && !req.path.startsWith(`${PREFIX}/`)) {
    throw new ApiError(400, 'BadRequest', `Resource not found for the segment '${req.path.split('/')[2] ?? ''}'.`);
  }
  const g = new GraphCall(req, ctx);
  const seg = req.path
    .slice(PREFIX.length + 1)
    .replace(/\/$/, '')
    .split('/')
    .map((s) => decodeURIComponent(s));
  if (seg.length === 1 && seg[0] === '') {
    return singleton(g);
  }
  if (seg[0] === 'delegatedAdminRelationships') {
    return seg.length <= 2 ? relationships(g, seg) : relationshipChildren(g, seg, ctx.store.relationship(seg[1]));
  }
  if (seg[0] === 'delegatedAdminCustomers') {
    return customers(g, seg);
  }
  throw new ApiError(400, 'BadRequest', `Resource not found for the segment '${seg[seg.length - 1]}'.`);
}

/** Per-request state and the answers every route shares (lists, `/$count`, single entities). */
class GraphCall {
  public readonly m: string;
  public readonly hidden: boolean;
  public readonly preferUnknown: boolean;
  public readonly ctxBase: string;

  public constructor(
    public readonly req: ApiRequest,
    public readonly ctx: GraphContext,
  ) {
    this.m = req.method.toUpperCase();
    const isWrite = this.m !== 'GET';
    const perms = ctx.principal.permissions;
    if (!perms.has(WRITE) && !(perms.has(READ) && !isWrite)) {
      throw new ApiError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
    if (req.bodyError !== undefined && (this.m === 'POST' || this.m === 'PATCH')) {
      throw new ApiError(400, 'badRequest', `The request body is not valid JSON: ${req.bodyError}`);
    }
    this.hidden = !ctx.adminAgents;
    if (this.hidden && isWrite) {
      throw new ApiError(403, 'accessDenied', 'The signed-in user is not a member of the Admin Agents group.');
    }
    this.preferUnknown = (req.headers.prefer ?? '').toLowerCase().includes('include-unknown-enum-members');
    this.ctxBase = `${ctx.baseUrl}${PREFIX}/$metadata#`;
  }

  public notAllowed(): never {
    throw new ApiError(405, 'methodNotAllowed', `The method ${this.m} is not allowed on this resource.`);
  }

  public list<T>(src: QuerySource<T>, rules: CollectionRules, context: string): ApiResponse {
    const source = this.hidden ? { ...src, all: () => [], index: undefined, cacheKey: undefined } : src;
    const page = applyQuery(source, this.req.query, rules, this.ctx.pageSize, this.ctx.store.queryCache);
    const body: Json = { '@odata.context': this.ctxBase + context };
    if (rules.queryable && option(this.req.query, '$count') === 'true') {
      body['@odata.count'] = page.count;
    }
    if (page.nextSkipToken !== undefined) {
      body['@odata.nextLink'] = nextLinkFor(this.ctx.baseUrl, this.req.path, this.req.query, page.nextSkipToken);
    }
    body.value = page.value;
    return json(200, body);
  }

  /** `GET …/$count`: the filtered count as text/plain (docs/emulator.md "Behaviour chosen"). */
  public count<T>(src: QuerySource<T>, rules: CollectionRules): ApiResponse {
    if (this.m !== 'GET') {
      return this.notAllowed();
    }
    const n = this.hidden ? 0 : countOf(src, this.req.query, rules);
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, text: String(n) };
  }

  public entity<T>(src: QuerySource<T>, item: T, context: string): ApiResponse {
    if (this.hidden) {
      throw new ApiError(404, 'itemNotFound', 'The requested resource was not found.');
    }
    const expand = expandList(this.req.query, Object.keys(src.expand ?? {}));
    const select = selectList(this.req.query, src.render(item));
    return json(200, withContext(project(src, item, select, expand), this.ctxBase + context));
  }

  public url(...parts: string[]): string {
    return [`${this.ctx.baseUrl}${PREFIX}`, ...parts].join('/');
  }
}

/** `GET /v1.0/tenantRelationships`: the singleton has no properties of its own, only its two navigations. */
function singleton(g: GraphCall): ApiResponse {
  if (g.m !== 'GET') {
    return g.notAllowed();
  }
  for (const k of g.req.query.keys()) {
    if (k.startsWith('$')) {
      throw new ApiError(400, 'badRequest', `Query option '${k}' is not supported on tenantRelationships.`);
    }
  }
  return json(200, {
    '@odata.context': `${g.ctx.baseUrl}/v1.0/$metadata#tenantRelationships`,
    'delegatedAdminCustomers@odata.navigationLink': g.url('delegatedAdminCustomers'),
    'delegatedAdminRelationships@odata.navigationLink': g.url('delegatedAdminRelationships'),
  });
}

function relationshipSource(g: GraphCall): QuerySource<RelationshipRecord> {
  const { store } = g.ctx;
  return {
    all: () => store.relationshipList(),
    render: renderRelationship,
    cacheKey: `relationships|${g.preferUnknown}|${store.version}`,
    index: { path: 'customer/tenantId', lookup: (v) => store.relationshipsOfCustomer(v) },
    expand: {
      accessAssignments: (r) => r.assignments.map(renderAssignment),
      operations: (r) => r.operations.map((o) => renderOperation(o, g.preferUnknown)),
      requests: (r) => r.requests.map((q) => renderRequest(q, g.preferUnknown)),
    },
  };
}

function relationships(g: GraphCall, seg: string[]): ApiResponse {
  const { store } = g.ctx;
  const src = relationshipSource(g);
  if (seg.length === 1) {
    if (g.m === 'GET') {
      return g.list(src, RULES.relationships, 'delegatedAdminRelationships');
    }
    if (g.m === 'POST') {
      const rel = store.createRelationship(g.req.body);
      return created(
        withContext(renderRelationship(rel), g.ctxBase + 'delegatedAdminRelationships'),
        g.url('delegatedAdminRelationships', rel.id),
      );
    }
    return g.notAllowed();
  }
  if (seg[1] === '$count' && seg.length === 2) {
    return g.count(src, RULES.relationships);
  }
  const relId = seg[1];
  if (g.m === 'GET') {
    return g.entity(src, store.relationship(relId), 'delegatedAdminRelationships/$entity');
  }
  if (g.m === 'PATCH') {
    const out = store.patchRelationship(relId, g.req.headers['if-match'], g.req.body);
    if (out.kind === 'accepted') {
      return accepted(g.url('delegatedAdminRelationships', relId, 'operations', out.operation.id), g.ctx.retryAfterSeconds);
    }
    return json(200, withContext(renderRelationship(out.entity), g.ctxBase + 'delegatedAdminRelationships/$entity'));
  }
  if (g.m === 'DELETE') {
    store.deleteRelationship(relId, g.req.headers['if-match']);
    return { status: 204, headers: {} };
  }
  return g.notAllowed();
}

function simpleSource<T>(items: readonly T[], render: (t: T) => Json): QuerySource<T> {
  return { all: () => items, render };
}

/** `…/{id}/requests`, `…/accessAssignments`, `…/operations` (with `/$count` and by id). */
function relationshipChildren(g: GraphCall, seg: string[], rel: RelationshipRecord): ApiResponse {
  const kind = seg[2];
  if (kind === 'requests') {
    const src = simpleSource<RequestRecord>(rel.requests, (q) => renderRequest(q, g.preferUnknown));
    return child(g, seg, src, RULES.requests, 'requests', 'delegatedAdminRelationshipRequest', () => {
      const q = g.ctx.store.createRequest(rel.id, g.req.body);
      return created(
        withContext(renderRequest(q, g.preferUnknown), g.ctxBase + 'requests'),
        g.url('delegatedAdminRelationships', rel.id, 'requests', q.id),
      );
    });
  }
  if (kind === 'operations') {
    const src = simpleSource<OperationRecord>(rel.operations, (o) => renderOperation(o, g.preferUnknown));
    return child(g, seg, src, RULES.operations, 'operations', 'delegatedAdminRelationshipOperation', undefined);
  }
  if (kind === 'accessAssignments') {
    const src = simpleSource<AssignmentRecord>(rel.assignments, renderAssignment);
    if (seg.length === 4 && seg[3] !== '$count' && (g.m === 'PATCH' || g.m === 'DELETE')) {
      return assignmentWrite(g, rel, seg[3]);
    }
    return child(g, seg, src, RULES.accessAssignments, 'accessAssignments', 'delegatedAdminAccessAssignment', () => {
      const a = g.ctx.store.createAssignment(rel.id, g.req.body);
      return created(
        withContext(renderAssignment(a), g.ctxBase + 'accessAssignments'),
        g.url('delegatedAdminRelationships', rel.id, 'accessAssignments', a.id),
      );
    });
  }
  throw new ApiError(400, 'BadRequest', `Resource not found for the segment '${seg[seg.length - 1]}'.`);
}

/** One child collection: GET list, POST (when `create` is given), `/$count`, GET by id. */
function child<T extends { id: string }>(
  g: GraphCall,
  seg: string[],
  src: QuerySource<T>,
  rules: CollectionRules,
  context: string,
  typeName: string,
  create: (() => ApiResponse) | undefined,
): ApiResponse {
  if (seg.length === 3) {
    if (g.m === 'GET') {
      return g.list(src, rules, context);
    }
    return g.m === 'POST' && create !== undefined ? create() : g.notAllowed();
  }
  if (seg.length === 4 && seg[3] === '$count') {
    return g.count(src, rules);
  }
  if (seg.length === 4 && g.m === 'GET') {
    const item = src.all().find((x) => x.id === seg[3]);
    if (item === undefined) {
      throw new ApiError(404, 'itemNotFound', `The ${typeName} '${seg[3]}' was not found.`);
    }
    return g.entity(src, item, `${context}/$entity`);
  }
  return g.notAllowed();
}

function assignmentWrite(g: GraphCall, rel: RelationshipRecord, aId: string): ApiResponse {
  const { store } = g.ctx;
  if (g.m === 'PATCH') {
    const out = store.patchAssignment(rel.id, aId, g.req.headers['if-match'], g.req.body);
    if (out.kind === 'accepted') {
      return accepted(g.url('delegatedAdminRelationships', rel.id, 'operations', out.operation.id), g.ctx.retryAfterSeconds);
    }
    return json(200, withContext(renderAssignment(out.entity), g.ctxBase + 'accessAssignments/$entity'));
  }
  store.deleteAssignment(rel.id, aId, g.req.headers['if-match']);
  return { status: 204, headers: {} };
}

function customers(g: GraphCall, seg: string[]): ApiResponse {
  const { store } = g.ctx;
  if (g.m !== 'GET') {
    return g.notAllowed();
  }
  const src: QuerySource<CustomerRecord> = {
    all: () => store.delegatedAdminCustomers(),
    render: renderCustomer,
    cacheKey: `customers|${store.version}`,
    index: {
      path: 'tenantId',
      lookup: (v) => {
        const c = store.delegatedAdminCustomer(v);
        return c === undefined ? [] : [c];
      },
    },
    expand: { serviceManagementDetails: renderServiceManagementDetails },
  };
  if (seg.length === 1) {
    return g.list(src, RULES.customers, 'delegatedAdminCustomers');
  }
  if (seg.length === 2 && seg[1] === '$count') {
    return g.count(src, RULES.customers);
  }
  const customer = store.delegatedAdminCustomer(seg[1]);
  if (customer === undefined) {
    throw new ApiError(404, 'itemNotFound', `The delegatedAdminCustomer '${seg[1]}' was not found.`);
  }
  if (seg.length === 2) {
    return g.entity(src, customer, 'delegatedAdminCustomers/$entity');
  }
  if (seg[2] === 'serviceManagementDetails' && seg.length <= 4) {
    const details = simpleSource(renderServiceManagementDetails(customer), (x) => x);
    if (seg.length === 4 && seg[3] === '$count') {
      return g.count(details, RULES.serviceManagementDetails);
    }
    if (seg.length === 3) {
      return g.list(details, RULES.serviceManagementDetails, `delegatedAdminCustomers/${customer.tenantId}/serviceManagementDetails`);
    }
  }
  throw new ApiError(400, 'BadRequest', `Resource not found for the segment '${seg[seg.length - 1]}'.`);
}

/** Single-entity bodies carry @odata.context after @odata.type (as in the GET examples). */
function withContext(item: Json, context: string): Json {
  const { '@odata.type': type, ...rest } = item;
  return { '@odata.type': type, '@odata.context': context, ...rest };
}

function json(status: number, body: unknown): ApiResponse {
  return { status, headers: { 'content-type': 'application/json' }, body };
}

function created(body: unknown, location: string): ApiResponse {
  return { status: 201, headers: { 'content-type': 'application/json', location }, body };
}

/** docs/api-notes.md §4.6: 202 + absolute Location + Retry-After, body `{}`. */
function accepted(location: string, retryAfter: number): ApiResponse {
  return { status: 202, headers: { 'content-type': 'application/json', location, 'retry-after': String(retryAfter) }, body: {} };
}
