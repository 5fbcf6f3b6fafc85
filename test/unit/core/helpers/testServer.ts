import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import { generate } from 'selfsigned';
import type { Clock } from '../../../../src/core/http/clock';
import type { ServiceEndpoints } from '../../../../src/core/http/clouds';
import { cancelledError } from '../../../../src/core/http/errorMapping';
import { createHttpTransport, type HttpTransport } from '../../../../src/core/http/transport';

export interface RecordedRequest {
  readonly method: string;
  /** Path + query exactly as received. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Objects are JSON-encoded; strings sent as is. */
  readonly body?: unknown;
  /** Destroy the socket without answering (a lost response). */
  readonly drop?: boolean;
}

export type Handler = (req: RecordedRequest, server: TestServer) => Reply | Promise<Reply>;

export interface TestServer {
  readonly origin: string;
  readonly caPem: string;
  readonly requests: RecordedRequest[];
  handler: Handler;
  close(): Promise<void>;
}

let cached: Promise<{ cert: string; key: string }> | undefined;

/** One certificate for 127.0.0.1 per test run (RSA key generation is slow on a 2-core machine). */
export function testCertificate(): Promise<{ cert: string; key: string }> {
  cached ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return cached;
}

/** A loopback https server (port 0) that records every request and answers through `handler`. */
export async function startTestServer(handler: Handler): Promise<TestServer> {
  const { cert, key } = await testCertificate();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const state: { handler: Handler } = { handler };
  const server = https.createServer({ cert, key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) {
          headers[k] = Array.isArray(v) ? v.join(', ') : v;
        }
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      void Promise.resolve(state.handler(recorded, api)).then(
        (reply) => {
          if (reply.drop === true) {
            req.socket.destroy();
            return;
          }
          const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
          const replyHeaders: Record<string, string> = { ...(reply.headers ?? {}) };
          if (body !== '' && !Object.keys(replyHeaders).some((h) => h.toLowerCase() === 'content-type')) {
            replyHeaders['Content-Type'] = 'application/json';
          }
          res.writeHead(reply.status, replyHeaders);
          res.end(body);
        },
        (err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        },
      );
    });
  });
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const api: TestServer = {
    origin: `https://127.0.0.1:${port}`,
    caPem: cert,
    requests,
    get handler() {
      return state.handler;
    },
    set handler(h: Handler) {
      state.handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
  return api;
}

/** Emulator-mode endpoints for a test server: the exact path production uses for the emulator. */
export function emulatorEndpoints(server: TestServer): ServiceEndpoints {
  return {
    cloud: 'global',
    graphBaseUrl: `${server.origin}/v1.0`,
    graphResource: 'https://graph.microsoft.com',
    partnerCenterBaseUrl: `${server.origin}/partnercenter/v1`,
    partnerCenterResource: 'https://api.partnercenter.microsoft.com',
    loginHost: server.origin,
    emulator: { origin: server.origin, caPem: server.caPem },
  };
}

/**
 * Mocha hooks for a suite against one test server (answering 404 until a test sets its handler): each
 * test starts with the server's request log cleared and a fresh transport to it, closed after the test.
 * `use` receives both before each test.
 */
export function useTestServer(use: (s: { readonly server: TestServer; readonly transport: HttpTransport }) => void): void {
  let server: TestServer | undefined;
  let transport: HttpTransport | undefined;
  before(async () => {
    server = await startTestServer(() => ({ status: 404 }));
  });
  after(() => server?.close());
  beforeEach(() => {
    if (server === undefined) {
      throw new Error('the test server did not start');
    }
    server.requests.length = 0;
    transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
    use({ server, transport });
  });
  afterEach(() => transport?.close());
}

/** Virtual time: sleeps complete at once and advance `now`; every requested delay is recorded. */
export class VirtualClock implements Clock {
  current = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  now(): number {
    return this.current;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) {
      throw cancelledError();
    }
    this.sleeps.push(ms);
    this.current += Math.max(0, ms);
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (signal?.aborted) {
      throw cancelledError();
    }
  }
}

/** Token provider double that counts calls. */
export class FakeTokens {
  calls: { audience: string; forceRefresh: boolean }[] = [];
  constructor(private readonly token: (audience: string, n: number) => string = (a, n) => `token-${a}-${n}`) {}
  getToken(audience: 'graph' | 'partnerCenter', options?: { forceRefresh?: boolean }): Promise<string> {
    this.calls.push({ audience, forceRefresh: options?.forceRefresh === true });
    return Promise.resolve(this.token(audience, this.calls.length));
  }
  getActor(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
}

/** Verbatim copies of the examples in Microsoft's docs (docs/api-notes.md §12), so a fresh clone tests against them. */
export const EXAMPLES_DIR = resolve(__dirname, '../../../fixtures/gdap-api-examples');

export function example(name: string): string {
  return readFileSync(resolve(EXAMPLES_DIR, name), 'utf8');
}

export function exampleJson(name: string): unknown {
  return JSON.parse(example(name)) as unknown;
}
