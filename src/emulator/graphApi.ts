import { ApiError, type ApiRequest, type ApiResponse } from './apiTypes';
import {
  renderAssignment,
  renderCustomer,
  renderOperation,
  renderRelationship,
  renderRequest,
  renderServiceManagementDetails,
} from './model';
import { type CollectionRules, applyQuery, nextLinkFor, option, selectFields } from './odata';
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

/** Handles one Graph request under `/v1.0/tenantRelationships/...` (all 18 methods of docs/api-notes.md §3). */
export function handleGraph(req: ApiRequest, ctx: GraphContext): ApiResponse {
  const prefix = '/v1.0/tenantRelationships/';
  if (!req.path.startsWith(prefix)) {
    throw new ApiError(400, 'BadRequest', `Resource not found for the segment '${req.path.split('/')[2] ?? ''}'.`);
  }
  const seg = req.path
    .slice(prefix.length)
    .replace(/\/$/, '')
    .split('/')
    .map((s) => decodeURIComponent(s));
  const m = req.method.toUpperCase();
  const isWrite = m !== 'GET';
  if (!ctx.principal.permissions.has(WRITE) && !(ctx.principal.permissions.has(READ) && !isWrite)) {
    throw new ApiError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  if (req.bodyError !== undefined && (m === 'POST' || m === 'PATCH')) {
    throw new ApiError(400, 'badRequest', `The request body is not valid JSON: ${req.bodyError}`);
  }
  const { store } = ctx;
  const ctxBase = `${ctx.baseUrl}/v1.0/tenantRelationships/$metadata#`;
  const hidden = !ctx.adminAgents;
  if (hidden && isWrite) {
    throw new ApiError(403, 'accessDenied', 'The signed-in user is not a member of the Admin Agents group.');
  }
  const notAllowed = (): never => {
    throw new ApiError(405, 'methodNotAllowed', `The method ${m} is not allowed on this resource.`);
  };
  const list = (items: () => Record<string, unknown>[], rules: CollectionRules, context: string): ApiResponse =>
    collection(req, ctx, hidden ? [] : items(), rules, ctxBase + context);
  const entity = (item: Record<string, unknown>, context: string): ApiResponse => {
    if (hidden) {
      throw new ApiError(404, 'itemNotFound', 'The requested resource was not found.');
    }
    return json(200, withContext(selectIfAsked(item, req.query), ctxBase + context));
  };
  const preferUnknown = (req.headers.prefer ?? '').toLowerCase().includes('include-unknown-enum-members');

  if (seg[0] === 'delegatedAdminRelationships') {
    if (seg.length === 1) {
      if (m === 'GET') {
        return list(() => [...store.relationships.values()].map(renderRelationship), RULES.relationships, 'delegatedAdminRelationships');
      }
      if (m === 'POST') {
        const rel = store.createRelationship(req.body);
        return created(
          withContext(renderRelationship(rel), ctxBase + 'delegatedAdminRelationships'),
          `${ctx.baseUrl}/v1.0/tenantRelationships/delegatedAdminRelationships/${rel.id}`,
        );
      }
      return notAllowed();
    }
    const relId = seg[1];
    const relUrl = `${ctx.baseUrl}/v1.0/tenantRelationships/delegatedAdminRelationships/${relId}`;
    if (seg.length === 2) {
      if (m === 'GET') {
        return entity(renderRelationship(store.relationship(relId)), 'delegatedAdminRelationships/$entity');
      }
      if (m === 'PATCH') {
        const out = store.patchRelationship(relId, req.headers['if-match'], req.body);
        if (out.kind === 'accepted') {
          return accepted(`${relUrl}/operations/${out.operation.id}`, ctx.retryAfterSeconds);
        }
        return json(200, withContext(renderRelationship(out.entity), ctxBase + 'delegatedAdminRelationships/$entity'));
      }
      if (m === 'DELETE') {
        store.deleteRelationship(relId, req.headers['if-match']);
        return { status: 204, headers: {} };
      }
      return notAllowed();
    }
    const rel = store.relationship(relId);
    const sub = seg[2];
    if (sub === 'requests') {
      if (seg.length === 3) {
        if (m === 'GET') {
          return list(() => rel.requests.map((q) => renderRequest(q, preferUnknown)), RULES.requests, 'requests');
        }
        if (m === 'POST') {
          const q = store.createRequest(relId, req.body);
          return created(withContext(renderRequest(q, preferUnknown), ctxBase + 'requests'), `${relUrl}/requests/${q.id}`);
        }
        return notAllowed();
      }
      if (seg.length === 4 && m === 'GET') {
        const q = rel.requests.find((x) => x.id === seg[3]);
        if (q === undefined) {
          throw new ApiError(404, 'itemNotFound', `The delegatedAdminRelationshipRequest '${seg[3]}' was not found.`);
        }
        return entity(renderRequest(q, preferUnknown), 'requests/$entity');
      }
      return notAllowed();
    }
    if (sub === 'accessAssignments') {
      if (seg.length === 3) {
        if (m === 'GET') {
          return list(() => rel.assignments.map(renderAssignment), RULES.accessAssignments, 'accessAssignments');
        }
        if (m === 'POST') {
          const a = store.createAssignment(relId, req.body);
          return created(withContext(renderAssignment(a), ctxBase + 'accessAssignments'), `${relUrl}/accessAssignments/${a.id}`);
        }
        return notAllowed();
      }
      if (seg.length === 4) {
        const aId = seg[3];
        if (m === 'GET') {
          return entity(renderAssignment(store.assignment(rel, aId)), 'accessAssignments/$entity');
        }
        if (m === 'PATCH') {
          const out = store.patchAssignment(relId, aId, req.headers['if-match'], req.body);
          if (out.kind === 'accepted') {
            return accepted(`${relUrl}/operations/${out.operation.id}`, ctx.retryAfterSeconds);
          }
          return json(200, withContext(renderAssignment(out.entity), ctxBase + 'accessAssignments/$entity'));
        }
        if (m === 'DELETE') {
          store.deleteAssignment(relId, aId, req.headers['if-match']);
          return { status: 204, headers: {} };
        }
      }
      return notAllowed();
    }
    if (sub === 'operations') {
      if (seg.length === 3 && m === 'GET') {
        return list(() => rel.operations.map(renderOperation), RULES.operations, 'operations');
      }
      if (seg.length === 4 && m === 'GET') {
        const op = rel.operations.find((x) => x.id === seg[3]);
        if (op === undefined) {
          throw new ApiError(404, 'itemNotFound', `The delegatedAdminRelationshipOperation '${seg[3]}' was not found.`);
        }
        return entity(renderOperation(op), 'operations/$entity');
      }
      return notAllowed();
    }
  }
  if (seg[0] === 'delegatedAdminCustomers') {
    if (m !== 'GET') {
      return notAllowed();
    }
    if (seg.length === 1) {
      return list(() => store.delegatedAdminCustomers().map(renderCustomer), RULES.customers, 'delegatedAdminCustomers');
    }
    const customer = store.delegatedAdminCustomers().find((c) => c.tenantId === seg[1]);
    if (customer === undefined) {
      throw new ApiError(404, 'itemNotFound', `The delegatedAdminCustomer '${seg[1]}' was not found.`);
    }
    if (seg.length === 2) {
      return entity(renderCustomer(customer), 'delegatedAdminCustomers/$entity');
    }
    if (seg.length === 3 && seg[2] === 'serviceManagementDetails') {
      return list(
        () => renderServiceManagementDetails(customer),
        RULES.serviceManagementDetails,
        `delegatedAdminCustomers/${customer.tenantId}/serviceManagementDetails`,
      );
    }
  }
  throw new ApiError(400, 'BadRequest', `Resource not found for the segment '${seg[seg.length - 1]}'.`);
}

function collection(
  req: ApiRequest,
  ctx: GraphContext,
  items: Record<string, unknown>[],
  rules: CollectionRules,
  context: string,
): ApiResponse {
  const page = applyQuery(items, req.query, rules, ctx.pageSize);
  const body: Record<string, unknown> = { '@odata.context': context };
  if (rules.queryable && option(req.query, '$count') === 'true') {
    body['@odata.count'] = page.count;
  }
  if (page.nextSkipToken !== undefined) {
    body['@odata.nextLink'] = nextLinkFor(ctx.baseUrl, req.path, req.query, page.nextSkipToken);
  }
  body.value = page.value;
  return json(200, body);
}

function selectIfAsked(item: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  const select = option(query, '$select');
  if (select === undefined) {
    return item;
  }
  const fields = select
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const f of fields) {
    if (!(f in item)) {
      throw new ApiError(400, 'badRequest', `Could not find a property named '${f}' to $select.`);
    }
  }
  return selectFields(item, fields);
}

/** Single-entity bodies carry @odata.context after @odata.type (as in the GET examples). */
function withContext(item: Record<string, unknown>, context: string): Record<string, unknown> {
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
