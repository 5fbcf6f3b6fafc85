import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type ApiRequest, type ApiResponse } from './apiTypes';
import { createLoopbackCertificate } from './certificate';
import { FaultInjector, type FaultKind } from './faults';
import { handleGraph } from './graphApi';
import { handleGroups, isGroupsPath } from './groupsApi';
import { renderAssignment, renderCustomer, renderRelationship } from './model';
import { type EmulatorOptions, type EmulatorPreset, EmulatorUsageError, type ResolvedOptions, resolveOptions } from './options';
import { handlePartnerCenter } from './partnerCenterApi';
import { SeededRandom } from './random';
import { EmulatorStore, PROGRESS_SECONDS } from './store';
import { type IssueOptions, type Principal, serveAuthorize, TokenService } from './tokens';

export type { EmulatorOptions } from './options';

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  query: string;
  /** HTTP status sent (0 when the fault cut the connection before any answer). */
  status: number;
  /** Request headers without Authorization (and Cookie). */
  headers: Record<string, string>;
  /** Fault applied to this request, if any. */
  fault?: FaultKind;
  /** For `$batch` sub-requests: the sub-request id, and the batch's own log index. */
  batchRequestId?: string;
  batchIndex?: number;
}

export interface RunningEmulator {
  /** Base URL, e.g. https://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** PEM file clients trust for this origin only (GDAP_EMULATOR_CA). */
  caFile: string;
  caPem: string;
  port: number;
  partnerTenantId: string;
  options: ResolvedOptions;
  /** Direct state access for tests (the same objects the routes serve). */
  store: EmulatorStore;
  tokens: TokenService;
  /** Mints a token without the token endpoint (tests, benchmarks). */
  issueToken(o: IssueOptions): string;
  requests(): RequestLogEntry[];
  setFaults(spec: string, faultSeed?: number): void;
  setAdminAgents(member: boolean): void;
  reset(o?: { preset?: EmulatorPreset; seed?: number; customers?: number }): void;
  close(): Promise<void>;
}

const MAX_LOG = 50_000;
const MAX_BODY = 5 * 1024 * 1024;
const TIMEOUT_HOLD_MS = 60_000;
const MAX_BATCH = 20;

type Family = 'graph' | 'partnerCenter';

/** Starts the emulator in-process (tests, soak, benchmarks) — `node dist/emulator.js` is its command-line face. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const opts = resolveOptions(options);
  const store = new EmulatorStore(opts.timeScale, { preset: opts.preset, seed: opts.seed, customers: opts.customers });
  const tokens = new TokenService(
    store.partnerTenantId,
    store.partnerDomain,
    opts.adminAgents,
    opts.tokenLifetimeSeconds,
    opts.deviceCodeIntervalSeconds,
  );
  const faults = new FaultInjector(opts.faults, opts.faultSeed);
  const jitter = new SeededRandom(opts.faultSeed ^ 0x1234567);
  const bucket = new TokenBucket(opts.throttleRps);
  let log: RequestLogEntry[] = [];
  const held = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  let certPem: string;
  let keyPem: string;
  if (opts.cert !== undefined && opts.key !== undefined) {
    certPem = readFileSync(opts.cert, 'utf8');
    keyPem = readFileSync(opts.key, 'utf8');
  } else {
    ({ cert: certPem, key: keyPem } = await createLoopbackCertificate());
  }
  const caDir = mkdtempSync(join(opts.stateDir ?? tmpdir(), 'gdap-emulator-'));
  const caFile = join(caDir, 'ca.pem');
  writeFileSync(caFile, certPem, { mode: 0o644 });

  let baseUrl = '';

  const pushLog = (e: RequestLogEntry): RequestLogEntry => {
    log.push(e);
    if (log.length > MAX_LOG) {
      log = log.slice(log.length - MAX_LOG);
    }
    return e;
  };

  const logEntry = (r: ApiRequest, extra: Partial<RequestLogEntry> = {}): RequestLogEntry => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) {
      if (k !== 'authorization' && k !== 'cookie') {
        headers[k] = v;
      }
    }
    return pushLog({
      time: new Date().toISOString(),
      method: r.method,
      path: r.path,
      query: r.query.toString(),
      status: 0,
      headers,
      ...extra,
    });
  };

  /** Auth, throttling and routing for one API request (also each `$batch` sub-request). */
  const evaluate = (r: ApiRequest, family: Family): ApiResponse => {
    try {
      const principal = tokens.verify(r.headers.authorization, family);
      if ('error' in principal) {
        return unauthorized(family, principal.error, r, baseUrl);
      }
      if (!bucket.take()) {
        return throttled(family, opts.retryAfterSeconds, r);
      }
      store.advance();
      const res = family === 'graph' ? graph(r, principal) : handlePartnerCenter(r, { store, principal, defaultPageSize: opts.pageSize });
      return decorate(res, family, r);
    } catch (e) {
      if (e instanceof ApiError) {
        return errorResponse(family, e.status, e.code, e.message, r, e.headers);
      }
      const msg = e instanceof Error ? e.message : String(e);
      return errorResponse(family, 500, 'generalException', `Unexpected emulator error: ${msg}`, r);
    }
  };

  const graph = (r: ApiRequest, principal: Principal): ApiResponse => {
    if (isGroupsPath(r.path)) {
      return handleGroups(r, store, principal, baseUrl);
    }
    return handleGraph(r, {
      store,
      baseUrl,
      pageSize: opts.pageSize,
      retryAfterSeconds: opts.retryAfterSeconds,
      principal,
      adminAgents: principal.kind === 'app' || tokens.user.adminAgents,
    });
  };

  const batch = (r: ApiRequest, outer: RequestLogEntry): ApiResponse => {
    const principal = tokens.verify(r.headers.authorization, 'graph');
    if ('error' in principal) {
      return unauthorized('graph', principal.error, r, baseUrl);
    }
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
    const results = new Map<string, number>();
    const responses: unknown[] = [];
    const outerIndex = log.indexOf(outer);
    for (const item of list as {
      id: string;
      method: string;
      url: string;
      headers?: Record<string, string>;
      body?: unknown;
      dependsOn?: string[];
    }[]) {
      const sub = subRequest(item, r);
      const entry = logEntry(sub, { batchRequestId: item.id, batchIndex: outerIndex });
      let res: ApiResponse;
      const failedDep = (item.dependsOn ?? []).find((d) => (results.get(d) ?? 424) >= 400);
      if (failedDep !== undefined) {
        res = errorResponse('graph', 424, 'FailedDependency', `The request depends on '${failedDep}', which failed.`, sub);
      } else {
        // Connection-level faults cannot apply to one part of a batch response; only status/schema faults do.
        const fault = faults.roll();
        const statusFault = fault !== undefined && /^\d+$/.test(fault) ? fault : undefined;
        res = statusFault !== undefined ? faultStatus('graph', Number(statusFault), opts.retryAfterSeconds, sub) : evaluate(sub, 'graph');
        if (fault === 'schema' && res.status === 200) {
          res = { ...res, body: corruptSchema(res.body) };
        }
        if (fault !== undefined && (statusFault !== undefined || fault === 'schema')) {
          entry.fault = fault;
        }
      }
      entry.status = res.status;
      results.set(item.id, res.status);
      const out: Record<string, unknown> = { id: item.id, status: res.status, headers: res.headers };
      if (res.body !== undefined) {
        out.body = res.body;
      }
      responses.push(out);
    }
    return { status: 200, headers: { 'content-type': 'application/json' }, body: { responses } };
  };

  const serveApi = async (req: http.IncomingMessage, res: http.ServerResponse, r: ApiRequest, family: Family | 'batch'): Promise<void> => {
    const entry = logEntry(r);
    const fault = faults.roll();
    if (fault !== undefined) {
      entry.fault = fault;
    }
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'timeout') {
      const t = setTimeout(() => {
        held.delete(t);
        req.socket.destroy();
      }, TIMEOUT_HOLD_MS);
      held.add(t);
      // The hold ends early when the client gives up.
      res.on('close', () => {
        clearTimeout(t);
        held.delete(t);
      });
      return;
    }
    const fam: Family = family === 'batch' ? 'graph' : family;
    let response: ApiResponse;
    if (fault !== undefined && /^\d+$/.test(fault)) {
      response = faultStatus(fam, Number(fault), opts.retryAfterSeconds, r);
    } else {
      response = family === 'batch' ? batch(r, entry) : evaluate(r, family);
    }
    let raw: string | undefined = response.body === undefined ? undefined : JSON.stringify(response.body);
    if (fault === 'schema' && response.status === 200 && response.body !== undefined) {
      raw = JSON.stringify(corruptSchema(response.body));
    } else if (fault === 'malformed' && response.status === 200 && raw !== undefined) {
      raw = raw.slice(0, Math.max(1, Math.floor(raw.length / 2)));
    } else if (fault === 'schema' || fault === 'malformed') {
      delete entry.fault; // only a 200 JSON answer can be corrupted
    }
    const wait = opts.latencyMs + (opts.jitterMs > 0 ? Math.floor(jitter.next() * (opts.jitterMs + 1)) : 0);
    if (wait > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          held.delete(t);
          resolve();
        }, wait);
        held.add(t);
      });
    }
    entry.status = response.status;
    if (fault === 'lost') {
      // Processed, then the answer never arrives: the ambiguous case for clients.
      req.socket.destroy();
      return;
    }
    send(res, response.status, response.headers, raw);
  };

  const control = (r: ApiRequest, res: http.ServerResponse): void => {
    store.advance();
    const p = r.path.replace(/\/$/, '');
    const m = r.method;
    if (m === 'GET' && p === '/_emulator/state') {
      const relationships = [...store.relationships.values()];
      const accessAssignments: Record<string, unknown[]> = {};
      for (const rel of relationships) {
        accessAssignments[rel.id] = rel.assignments.map(renderAssignment);
      }
      sendJson(res, 200, {
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
        user: { ...tokens.user },
        faults: faults.spec,
      });
      return;
    }
    if (m === 'GET' && p === '/_emulator/requests') {
      sendJson(res, 200, { requests: log });
      return;
    }
    if (m === 'POST' && p === '/_emulator/reset') {
      const b = (r.body ?? {}) as { preset?: EmulatorPreset; seed?: number; customers?: number };
      try {
        api.reset(b);
      } catch (e) {
        sendJson(res, 400, { error: { code: 'badRequest', message: e instanceof Error ? e.message : String(e) } });
        return;
      }
      sendJson(res, 200, { ok: true, relationships: store.relationships.size, customers: store.customers.size });
      return;
    }
    if (m === 'POST' && p === '/_emulator/faults') {
      const b = r.body as { faults?: unknown; faultSeed?: unknown } | undefined;
      const spec =
        typeof r.body === 'string' ? r.body : typeof b?.faults === 'string' ? b.faults : r.bodyError !== undefined ? (r.rawText ?? '') : '';
      try {
        faults.set(spec, typeof b?.faultSeed === 'number' ? b.faultSeed : undefined);
      } catch (e) {
        sendJson(res, 400, { error: { code: 'badRequest', message: e instanceof Error ? e.message : String(e) } });
        return;
      }
      sendJson(res, 200, { faults: faults.spec });
      return;
    }
    if (m === 'POST' && p === '/_emulator/user') {
      const b = r.body as { adminAgents?: unknown } | undefined;
      if (typeof b?.adminAgents !== 'boolean') {
        sendJson(res, 400, { error: { code: 'badRequest', message: 'Send {"adminAgents": true|false}.' } });
        return;
      }
      tokens.user.adminAgents = b.adminAgents;
      sendJson(res, 200, { user: { ...tokens.user } });
      return;
    }
    const approve = /^\/_emulator\/relationships\/([^/]+)\/approve$/.exec(p);
    if (m === 'POST' && approve !== null) {
      try {
        sendJson(res, 200, renderRelationship(store.approveByCustomer(decodeURIComponent(approve[1]))));
      } catch (e) {
        const err = e as ApiError;
        sendJson(res, err.status ?? 500, { error: { code: err.code, message: err.message } });
      }
      return;
    }
    if (m === 'POST' && p === '/_emulator/touch') {
      const b = r.body as { relationshipId?: unknown; assignmentId?: unknown } | undefined;
      if (
        typeof b?.relationshipId !== 'string' ||
        b.relationshipId === '' ||
        (b.assignmentId !== undefined && (typeof b.assignmentId !== 'string' || b.assignmentId === ''))
      ) {
        sendJson(res, 400, { error: { code: 'badRequest', message: 'Send {"relationshipId": "…", "assignmentId"?: "…"}.' } });
        return;
      }
      try {
        const relationshipId = b.relationshipId;
        const assignmentId = typeof b.assignmentId === 'string' ? b.assignmentId : undefined;
        store.touchByOther(relationshipId, assignmentId);
        const rel = store.relationship(relationshipId);
        sendJson(res, 200, assignmentId === undefined ? renderRelationship(rel) : renderAssignment(store.assignment(rel, assignmentId)));
      } catch (e) {
        const err = e as ApiError;
        sendJson(res, err.status ?? 500, { error: { code: err.code, message: err.message } });
      }
      return;
    }
    if (m === 'GET' && p === '/_emulator') {
      sendJson(res, 200, { progressSeconds: PROGRESS_SECONDS, timeScale: opts.timeScale, options: opts });
      return;
    }
    sendJson(res, 404, { error: { code: 'notFound', message: `No control route ${m} ${p}` } });
  };

  const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const text = await readBody(req);
    if (text === undefined) {
      sendJson(res, 413, { error: { code: 'requestEntityTooLarge', message: 'Body too large.' } });
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) {
        headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      }
    }
    const r: ApiRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: undefined,
      rawText: text,
    };
    const ctype = headers['content-type'] ?? '';
    if (text !== '') {
      if (ctype.includes('application/x-www-form-urlencoded')) {
        r.body = new URLSearchParams(text);
      } else if (ctype.startsWith('text/plain')) {
        r.body = text;
      } else {
        try {
          r.body = JSON.parse(text) as unknown;
        } catch (e) {
          r.bodyError = e instanceof Error ? e.message : 'invalid JSON';
        }
      }
    }
    const p = url.pathname;
    if (p === '/_emulator' || p.startsWith('/_emulator/')) {
      control(r, res);
      return;
    }
    if (p === '/v1.0/$batch' || p === '/v1.0/%24batch') {
      if (r.method !== 'POST') {
        sendJson(res, 405, graphErrorBody('methodNotAllowed', 'Use POST for $batch.', r));
        return;
      }
      await serveApi(req, res, r, 'batch');
      return;
    }
    if (p.startsWith('/v1.0/')) {
      await serveApi(req, res, r, 'graph');
      return;
    }
    if (p.startsWith('/partnercenter/v1/')) {
      await serveApi(req, res, r, 'partnerCenter');
      return;
    }
    if (serveAuthorize(tokens, r, res)) {
      return;
    }
    const entra = /^\/([^/]+)\/(oauth2\/v2\.0\/(token|devicecode)|v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys)$/.exec(
      p,
    );
    if (entra !== null) {
      const entry = logEntry(r);
      let out: { status: number; body?: unknown };
      if (entra[3] !== undefined) {
        if (r.method !== 'POST') {
          out = { status: 405, body: { error: 'invalid_request', error_description: 'Use POST.' } };
        } else {
          const form = r.body instanceof URLSearchParams ? r.body : new URLSearchParams(text);
          out = entra[3] === 'token' ? tokens.token(baseUrl, form) : tokens.deviceCode(baseUrl, form);
        }
      } else if (entra[2].startsWith('v2.0')) {
        out = { status: 200, body: tokens.openIdConfiguration(baseUrl, entra[1]) };
      } else {
        out = { status: 200, body: { keys: [] } };
      }
      entry.status = out.status;
      sendJson(res, out.status, out.body, { 'cache-control': 'no-store' });
      return;
    }
    const entry = logEntry(r);
    entry.status = 404;
    sendJson(res, 404, graphErrorBody('itemNotFound', `No route for ${r.method} ${p}.`, r));
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    onRequest(req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, { error: { code: 'generalException', message: e instanceof Error ? e.message : String(e) } });
      }
    });
  };

  const server = opts.http ? http.createServer(handler) : https.createServer({ cert: certPem, key: keyPem }, handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  baseUrl = `${opts.http ? 'http' : 'https'}://${hostForUrl}:${port}`;

  let closing: Promise<void> | undefined;
  const api: RunningEmulator = {
    url: baseUrl,
    caFile,
    caPem: certPem,
    port,
    get partnerTenantId(): string {
      return store.partnerTenantId;
    },
    options: opts,
    store,
    tokens,
    issueToken: (o) => tokens.issue(baseUrl, o),
    requests: () => log.slice(),
    setFaults: (spec, seed) => faults.set(spec, seed),
    setAdminAgents: (member) => {
      tokens.user.adminAgents = member;
    },
    reset: (o = {}) => {
      const preset = o.preset ?? opts.preset;
      if (!['empty', 'demo', 'large'].includes(preset)) {
        throw new EmulatorUsageError(`preset must be empty, demo or large (got ${String(preset)})`);
      }
      const next = resolveOptions({ preset, seed: o.seed ?? opts.seed, customers: o.customers });
      store.reset({
        preset: next.preset,
        seed: next.seed,
        customers: o.customers === undefined && o.preset === undefined ? opts.customers : next.customers,
      });
      tokens.tenantId = store.partnerTenantId;
      log = [];
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const t of held) {
          clearTimeout(t);
        }
        held.clear();
        server.close(() => {
          rmSync(caDir, { recursive: true, force: true });
          resolve();
        });
        // Held "timeout" sockets and keep-alive connections must not delay shutdown.
        for (const s of sockets) {
          s.destroy();
        }
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return api;
}

// ---- helpers --------------------------------------------------------------------------------------

class TokenBucket {
  private tokens: number;
  private last = Date.now();

  public constructor(private readonly rps: number) {
    this.tokens = rps;
  }

  public take(): boolean {
    if (this.rps <= 0) {
      return true;
    }
    const now = Date.now();
    this.tokens = Math.min(this.rps, this.tokens + ((now - this.last) / 1000) * this.rps);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        tooBig = true;
      } else {
        chunks.push(c);
      }
    });
    req.on('end', () => resolve(tooBig ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

function send(res: http.ServerResponse, status: number, headers: Record<string, string>, raw: string | undefined): void {
  if (res.destroyed) {
    return;
  }
  const h: Record<string, string> = { ...headers };
  if (raw !== undefined) {
    h['content-type'] ??= 'application/json';
    h['content-length'] = String(Buffer.byteLength(raw));
  }
  res.writeHead(status, h);
  res.end(raw);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
}

function requestIds(r: ApiRequest): { requestId: string; clientRequestId: string } {
  return { requestId: randomUUID(), clientRequestId: r.headers['client-request-id'] ?? randomUUID() };
}

function graphErrorBody(
  code: string,
  message: string,
  r: ApiRequest,
  ids = requestIds(r),
  inner: Record<string, string> = {},
): Record<string, unknown> {
  return {
    error: {
      code,
      message,
      innerError: {
        ...inner,
        date: new Date().toISOString().replace(/\.\d+Z$/, ''),
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
      },
    },
  };
}

/** Adds the per-family id headers to successful answers too (request-id / MS-RequestId). */
function decorate(res: ApiResponse, family: Family, r: ApiRequest): ApiResponse {
  const ids = requestIds(r);
  const headers: Record<string, string> =
    family === 'graph'
      ? { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId }
      : {
          'ms-requestid': r.headers['ms-requestid'] ?? ids.requestId,
          'ms-correlationid': r.headers['ms-correlationid'] ?? ids.clientRequestId,
        };
  return { ...res, headers: { ...headers, ...res.headers } };
}

function errorResponse(
  family: Family,
  status: number,
  code: string,
  message: string,
  r: ApiRequest,
  extra: Record<string, string> = {},
): ApiResponse {
  if (family === 'partnerCenter') {
    // Partner Center error shape (docs/api-notes.md §8.8); numeric codes are sent as numbers, as in the code table.
    const body = { code: /^\d+$/.test(code) ? Number(code) : code, description: message, data: [], source: 'PartnerFD' };
    return decorate({ status, headers: { 'content-type': 'application/json', ...extra }, body }, family, r);
  }
  const ids = requestIds(r);
  return {
    status,
    headers: { 'content-type': 'application/json', 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId, ...extra },
    body: graphErrorBody(code, message, r, ids),
  };
}

function unauthorized(family: Family, reason: string, r: ApiRequest, baseUrl: string): ApiResponse {
  const challenge =
    family === 'graph'
      ? `Bearer realm="", authorization_uri="${baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="invalid_token", error_description="${reason.replace(/"/g, "'")}"`
      : `Bearer error="invalid_token", error_description="${reason.replace(/"/g, "'")}"`;
  return family === 'graph'
    ? errorResponse('graph', 401, 'InvalidAuthenticationToken', reason, r, { 'www-authenticate': challenge })
    : errorResponse('partnerCenter', 401, '800001', `Unauthorized: ${reason}`, r, { 'www-authenticate': challenge });
}

function throttled(family: Family, retryAfter: number, r: ApiRequest): ApiResponse {
  if (family === 'partnerCenter') {
    // Partner Center's 429 is {statusCode, message}, not its error shape (docs/api-notes.md §8.8).
    return decorate(
      {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter) },
        body: { statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfter} seconds.` },
      },
      family,
      r,
    );
  }
  const ids = requestIds(r);
  return {
    status: 429,
    headers: {
      'content-type': 'application/json',
      'retry-after': String(retryAfter),
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
    },
    body: graphErrorBody('TooManyRequests', 'Please retry again later.', r, ids, { code: '429', status: '429' }),
  };
}

/** Injected status faults: Retry-After on 429 and 503, as Graph sends them (docs/api-notes.md §9.2). */
function faultStatus(family: Family, status: number, retryAfter: number, r: ApiRequest): ApiResponse {
  if (status === 429) {
    return throttled(family, retryAfter, r);
  }
  const codes: Record<number, [string, string]> = {
    500: ['generalException', 'An unexpected error occurred (injected fault).'],
    502: ['badGateway', 'Bad gateway (injected fault).'],
    503: ['serviceNotAvailable', 'The service is temporarily unavailable (injected fault).'],
    504: ['gatewayTimeout', 'Gateway timeout (injected fault).'],
  };
  const [code, message] = codes[status] ?? ['generalException', 'Injected fault.'];
  return errorResponse(
    family,
    status,
    family === 'graph' ? code : String(status),
    message,
    r,
    status === 503 ? { 'retry-after': String(retryAfter) } : {},
  );
}

/** `schema` fault: one field of the first entity gets the wrong type (status or id becomes a number). */
function corruptSchema(body: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(body ?? {})) as Record<string, unknown>;
  const target = (o: Record<string, unknown>): void => {
    if ('status' in o) {
      o.status = 12345;
    } else if ('id' in o) {
      o.id = 12345;
    } else {
      o.corrupted = true;
    }
  };
  const arr = Array.isArray(copy.value) ? copy.value : Array.isArray(copy.items) ? copy.items : undefined;
  if (arr !== undefined) {
    if (arr.length > 0 && typeof arr[0] === 'object' && arr[0] !== null) {
      target(arr[0] as Record<string, unknown>);
    } else {
      copy[Array.isArray(copy.value) ? 'value' : 'items'] = 'not-a-list';
    }
  } else {
    target(copy);
  }
  return copy;
}

function subRequest(
  item: { method: string; url: string; headers?: Record<string, string>; body?: unknown },
  outer: ApiRequest,
): ApiRequest {
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
