import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiRouter } from './apiRouter';
import { handleBatch } from './batchApi';
import { createLoopbackCertificate } from './certificate';
import { handleControl } from './controlApi';
import { handleEntra, isEntraPath } from './entraApi';
import { FaultMiddleware } from './faultMiddleware';
import { FaultInjector } from './faults';
import { readBody, sendJson, toApiRequest } from './httpIo';
import { type EmulatorOptions, type EmulatorPreset, EmulatorUsageError, type ResolvedOptions, resolveOptions } from './options';
import { RequestLog, type RequestLogEntry } from './requestLog';
import { graphErrorBody } from './responses';
import { EmulatorStore } from './store';
import { type IssueOptions, serveAuthorize, TokenService } from './tokens';

export type { EmulatorOptions } from './options';
export type { RequestLogEntry } from './requestLog';

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

/** Everything one emulator instance holds; the routers get the parts they need. */
interface Parts {
  options: ResolvedOptions;
  store: EmulatorStore;
  tokens: TokenService;
  faults: FaultInjector;
  log: RequestLog;
  router: ApiRouter;
  middleware: FaultMiddleware;
  baseUrl: string;
  reset: (o: { preset?: EmulatorPreset; seed?: number; customers?: number }) => void;
}

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
    () => opts.requirePcMfa,
  );
  const faults = new FaultInjector(opts.faults, opts.faultSeed);
  const log = new RequestLog();
  const parts: Parts = {
    options: opts,
    store,
    tokens,
    faults,
    log,
    router: new ApiRouter({ store, tokens, options: opts, baseUrl: () => parts.baseUrl }),
    middleware: new FaultMiddleware(faults, opts),
    baseUrl: '',
    reset: (o) => resetData(parts, o),
  };
  const { cert: certPem, key: keyPem } =
    opts.cert !== undefined && opts.key !== undefined
      ? { cert: readFileSync(opts.cert, 'utf8'), key: readFileSync(opts.key, 'utf8') }
      : await createLoopbackCertificate();
  const caDir = mkdtempSync(join(opts.stateDir ?? tmpdir(), 'gdap-emulator-'));
  const caFile = join(caDir, 'ca.pem');
  writeFileSync(caFile, certPem, { mode: 0o644 });

  const { server, sockets, port } = await listen(parts, certPem, keyPem);
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  parts.baseUrl = `${opts.http ? 'http' : 'https'}://${hostForUrl}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: parts.baseUrl,
    caFile,
    caPem: certPem,
    port,
    get partnerTenantId(): string {
      return store.partnerTenantId;
    },
    options: opts,
    store,
    tokens,
    issueToken: (o) => tokens.issue(parts.baseUrl, o),
    requests: () => log.list(),
    setFaults: (spec, seed) => faults.set(spec, seed),
    setAdminAgents: (member) => {
      tokens.user.adminAgents = member;
    },
    reset: (o = {}) => parts.reset(o),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        parts.middleware.clear();
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
}

function resetData(parts: Parts, o: { preset?: EmulatorPreset; seed?: number; customers?: number }): void {
  const { options: opts, store } = parts;
  const preset = o.preset ?? opts.preset;
  if (!['empty', 'demo', 'large', 'xl'].includes(preset)) {
    throw new EmulatorUsageError(`preset must be empty, demo, large or xl (got ${String(preset)})`);
  }
  const next = resolveOptions({ preset, seed: o.seed ?? opts.seed, customers: o.customers });
  parts.faults.failNext.clear();
  store.reset({
    preset: next.preset,
    seed: next.seed,
    customers: o.customers === undefined && o.preset === undefined ? opts.customers : next.customers,
  });
  parts.tokens.tenantId = store.partnerTenantId;
  parts.log.clear();
}

async function listen(parts: Parts, certPem: string, keyPem: string): Promise<{ server: http.Server; sockets: Set<Socket>; port: number }> {
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    onRequest(parts, req, res).catch((e: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, { error: { code: 'generalException', message: e instanceof Error ? e.message : String(e) } });
      }
    });
  };
  const server = parts.options.http ? http.createServer(handler) : https.createServer({ cert: certPem, key: keyPem }, handler);
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  server.on('connection', track);
  server.on('secureConnection', track);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(parts.options.port, parts.options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, sockets, port: (server.address() as AddressInfo).port };
}

/** The top-level router: control, `$batch`, Graph, Partner Center, Entra; anything else 404. */
async function onRequest(parts: Parts, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  const text = await readBody(req);
  if (text === undefined) {
    sendJson(res, 413, { error: { code: 'requestEntityTooLarge', message: 'Body too large.' } });
    return;
  }
  const r = toApiRequest(req, url, text);
  const p = url.pathname;
  if (p === '/_emulator' || p.startsWith('/_emulator/')) {
    const out = handleControl(r, parts);
    sendJson(res, out.status, out.body);
    return;
  }
  if (p === '/v1.0/$batch' || p === '/v1.0/%24batch') {
    if (r.method !== 'POST') {
      sendJson(res, 405, graphErrorBody('methodNotAllowed', 'Use POST for $batch.', r));
      return;
    }
    const entry = parts.log.add(r);
    await parts.middleware.serve(req, res, r, entry, 'graph', () => handleBatch(r, entry, parts));
    return;
  }
  const family = p.startsWith('/v1.0/') ? 'graph' : p.startsWith('/partnercenter/v1/') ? 'partnerCenter' : undefined;
  if (family !== undefined) {
    const entry = parts.log.add(r);
    await parts.middleware.serve(req, res, r, entry, family, () => parts.router.evaluate(r, family));
    return;
  }
  const entry = parts.log.add(r);
  if (serveAuthorize(parts.tokens, r, res)) {
    entry.status = res.statusCode;
    return;
  }
  if (isEntraPath(p)) {
    const out = handleEntra(r, parts.tokens, parts.baseUrl);
    entry.status = out.status;
    sendJson(res, out.status, out.body, { 'cache-control': 'no-store' });
    return;
  }
  entry.status = 404;
  sendJson(res, 404, graphErrorBody('itemNotFound', `No route for ${r.method} ${p}.`, r));
}
