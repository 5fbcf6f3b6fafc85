import type { ApiRequest, ApiResponse } from './apiTypes';
import type { ApiRouter } from './apiRouter';
import type { FaultInjector } from './faults';
import type { RequestLog, RequestLogEntry } from './requestLog';
import { corruptSchema, errorResponse, faultStatus, unauthorized } from './responses';
import type { TokenService } from './tokens';

/** `POST /v1.0/$batch` (JSON batching, docs/emulator.md "Behaviour chosen" 11). */
const MAX_BATCH = 20;

export interface BatchDeps {
  tokens: TokenService;
  faults: FaultInjector;
  log: RequestLog;
  router: ApiRouter;
  options: { retryAfterSeconds: number };
  baseUrl: string;
}

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/** Validates the payload, then runs each sub-request in order through the same router as a direct call. */
export function handleBatch(r: ApiRequest, outer: RequestLogEntry, deps: BatchDeps): ApiResponse {
  const principal = deps.tokens.verify(r.headers.authorization, 'graph');
  if ('error' in principal) {
    return unauthorized('graph', principal.error, r, deps.baseUrl);
  }
  const items = validItems(r);
  if (!Array.isArray(items)) {
    return items;
  }
  const results = new Map<string, number>();
  const responses: unknown[] = [];
  const outerIndex = deps.log.indexOf(outer);
  for (const item of items) {
    const sub = subRequest(item, r);
    const entry = deps.log.add(sub, { batchRequestId: item.id, batchIndex: outerIndex });
    const res = runOne(item, sub, results, entry, deps);
    entry.status = res.status;
    results.set(item.id, res.status);
    const out: Record<string, unknown> = { id: item.id, status: res.status, headers: res.headers };
    if (res.text !== undefined) {
      out.body = res.text;
    } else if (res.body !== undefined) {
      out.body = res.body;
    }
    responses.push(out);
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { responses } };
}

function validItems(r: ApiRequest): BatchItem[] | ApiResponse {
  const body = r.body as { requests?: unknown } | undefined;
  const list = body?.requests;
  if (r.bodyError !== undefined || !Array.isArray(list) || list.length === 0) {
    return errorResponse('graph', 400, 'BadRequest', 'Invalid batch payload: a non-empty "requests" array is required.', r);
  }
  if (list.length > MAX_BATCH) {
    return errorResponse(
      'graph',
      400,
      'BadRequest',
      `Invalid batch payload: the number of requests (${list.length}) exceeds the limit of ${MAX_BATCH}.`,
      r,
    );
  }
  const ids = new Set<string>();
  for (const item of list as Record<string, unknown>[]) {
    const id = item?.id;
    if (typeof id !== 'string' || id === '' || ids.has(id) || typeof item.method !== 'string' || typeof item.url !== 'string') {
      return errorResponse('graph', 400, 'BadRequest', 'Invalid batch payload: every request needs a unique id, a method and a url.', r);
    }
    ids.add(id);
  }
  return list as BatchItem[];
}

function runOne(item: BatchItem, sub: ApiRequest, results: Map<string, number>, entry: RequestLogEntry, deps: BatchDeps): ApiResponse {
  const failedDep = (item.dependsOn ?? []).find((d) => (results.get(d) ?? 424) >= 400);
  if (failedDep !== undefined) {
    return errorResponse('graph', 424, 'FailedDependency', `The request depends on '${failedDep}', which failed.`, sub);
  }
  const forced = deps.faults.failNext.take(sub.method, sub.path);
  if (forced !== undefined) {
    entry.failNext = forced;
    return faultStatus('graph', forced, deps.options.retryAfterSeconds, sub);
  }
  // Connection-level faults cannot apply to one part of a batch response; only status/schema faults do.
  const fault = deps.faults.roll();
  const statusFault = fault !== undefined && /^\d+$/.test(fault) ? fault : undefined;
  let res =
    statusFault !== undefined
      ? faultStatus('graph', Number(statusFault), deps.options.retryAfterSeconds, sub)
      : deps.router.evaluate(sub, 'graph');
  if (fault === 'schema' && res.status === 200 && res.text === undefined) {
    res = { ...res, body: corruptSchema(res.body) };
  }
  if (fault !== undefined && (statusFault !== undefined || (fault === 'schema' && res.text === undefined))) {
    entry.fault = fault;
  }
  return res;
}

function subRequest(item: BatchItem, outer: ApiRequest): ApiRequest {
  let url = item.url;
  if (/^https?:\/\//i.test(url)) {
    const u = new URL(url);
    url = u.pathname + u.search;
  }
  if (!url.startsWith('/v1.0/')) {
    url = `/v1.0/${url.replace(/^\//, '')}`;
  }
  const u = new URL(url, 'http://emulator.local');
  const headers: Record<string, string> = {};
  if (outer.headers.authorization !== undefined) {
    headers.authorization = outer.headers.authorization;
  }
  for (const [k, v] of Object.entries(item.headers ?? {})) {
    headers[k.toLowerCase()] = String(v);
  }
  return { method: item.method.toUpperCase(), path: u.pathname, query: u.searchParams, headers, body: item.body };
}
