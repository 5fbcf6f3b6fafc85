import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { mayAttachAuthorization, type ServiceEndpoints } from './clouds';
import { cancelledError } from './errorMapping';
import { gdapErrorOf, type GdapError } from './gdapError';
import { msg } from '../messages';

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  /** Per-attempt limit; kind `timeout` when exceeded. Default 60 s. */
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The bottom of every request core makes: one attempt, no retry, no parsing. */
export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
  /** Releases pooled sockets. */
  close(): void;
}

export interface TransportOptions {
  readonly endpoints: ServiceEndpoints;
  /** Sockets per origin; bounds real parallelism. Default 16. */
  readonly maxSockets?: number;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * node:https transport. The emulator's certificate (GDAP_EMULATOR_CA) is trusted by a dedicated agent
 * used for the emulator's origin only; every other host uses the default trust store. The
 * Authorization allow-list (docs/architecture.md §3) is enforced here, below every client, so no code path
 * can send a token to a host outside the cloud table or the loopback emulator.
 */
export function createHttpTransport(options: TransportOptions): HttpTransport {
  const { endpoints } = options;
  const maxSockets = options.maxSockets ?? 16;
  const defaultAgent = new https.Agent({ keepAlive: true, maxSockets });
  const emulator = endpoints.emulator;
  const emulatorAgent =
    emulator === undefined
      ? undefined
      : emulator.origin.startsWith('https:')
        ? // One TLS context for every connection: given only `ca`, Node builds a new one (and parses the
          // certificate again) per connection.
          new https.Agent({
            keepAlive: true,
            maxSockets,
            ca: emulator.caPem,
            secureContext: tls.createSecureContext({ ca: emulator.caPem }),
          })
        : new http.Agent({ keepAlive: true, maxSockets });

  function agentFor(url: URL): http.Agent {
    if (emulator !== undefined && url.origin === emulator.origin && emulatorAgent !== undefined) {
      return emulatorAgent;
    }
    if (url.protocol !== 'https:') {
      throw gdapErrorOf('invalidInput', msg('Refusing to send a request over plain HTTP to {0}.', url.host));
    }
    return defaultAgent;
  }

  function send(request: HttpRequest): Promise<HttpResponse> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return Promise.reject(gdapErrorOf('invalidInput', msg('Invalid request URL: {0}', request.url)));
    }
    const headers: Record<string, string> = { ...(request.headers ?? {}) };
    const hasAuth = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
    if (hasAuth && !mayAttachAuthorization(url.href, endpoints)) {
      return Promise.reject(
        gdapErrorOf(
          'invalidInput',
          msg('Refusing to send credentials to {0}: it is not a Microsoft cloud host or the configured emulator.', url.host),
        ),
      );
    }
    if (request.signal?.aborted) {
      return Promise.reject(cancelledError());
    }
    let agent: http.Agent;
    try {
      agent = agentFor(url);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    if (request.body !== undefined) {
      headers['content-length'] = String(Buffer.byteLength(request.body));
    }
    return exchange(url, request, headers, agent);
  }

  return {
    send,
    close(): void {
      defaultAgent.destroy();
      emulatorAgent?.destroy();
    },
  };
}

const noop = (): void => undefined;

/** Bodies up to this size are joined in one buffer kept for the next; larger ones in a buffer of their own. */
const SCRATCH_MAX_BYTES = 1024 * 1024;
let scratch: Buffer | undefined;

/**
 * A body's text from the chunks it arrived in. A list page or a `$batch` answer comes in several
 * chunks; joined in a new buffer each time (`Buffer.concat`), each answer's bytes were copied into
 * memory mapped for them alone, a page fault per 4 KB (BENCHMARKS.md, "Inventory, ninth pass"). They
 * are joined in one buffer kept between answers instead (the text is a copy: the buffer is free again
 * as soon as it is decoded), up to 1 MB.
 */
function bodyText(chunks: readonly Buffer[], size: number): string {
  if (chunks.length <= 1) {
    return chunks.length === 0 ? '' : chunks[0].toString('utf8');
  }
  if (size > SCRATCH_MAX_BYTES) {
    return Buffer.concat(chunks, size).toString('utf8');
  }
  if (scratch === undefined || scratch.length < size) {
    scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX_BYTES, Math.max(size, 64 * 1024) * 2));
  }
  let at = 0;
  for (const chunk of chunks) {
    chunk.copy(scratch, at);
    at += chunk.length;
  }
  return scratch.toString('utf8', 0, size);
}

/** What each signal's one `abort` listener calls: the requests in flight under it. */
const aborters = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `onAbort` when `signal` aborts, until the returned function is called. One listener per signal
 * serves every request under it: a command's signal carries thousands of requests, and adding and removing
 * an EventTarget listener for each cost more than the rest of the bookkeeping (BENCHMARKS.md).
 */
function onAbortOf(signal: AbortSignal, onAbort: () => void): () => void {
  let waiting = aborters.get(signal);
  if (waiting === undefined) {
    const set = new Set<() => void>();
    waiting = set;
    aborters.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        const all = [...set];
        set.clear();
        all.forEach((f) => f());
      },
      { once: true },
    );
  }
  const entry = waiting;
  entry.add(onAbort);
  return () => entry.delete(onAbort);
}

/** One request/response exchange on `agent`: body size cap, per-attempt timeout, abort. */
function exchange(url: URL, request: HttpRequest, headers: Record<string, string>, agent: http.Agent): Promise<HttpResponse> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (!settled) {
        settled = true;
        stopWatching();
        clearTimeout(timer);
        fn();
      }
    };
    const req = lib.request(url, { method: request.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          req.destroy();
          finish(() => reject(gdapErrorOf('invalidResponse', msg('The service sent a response that is too large.'))));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) {
            out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          }
        }
        finish(() => resolve({ status: res.statusCode ?? 0, headers: out, body: bodyText(chunks, size) }));
      });
      res.on('error', (err) => finish(() => reject(networkError(err, url))));
      res.on('aborted', () => finish(() => reject(networkError(new Error('response aborted'), url))));
    });
    const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(() => {
      req.destroy();
      finish(() => reject(gdapErrorOf('timeout', msg('No answer from {0} within {1} s.', url.host, String(Math.round(timeoutMs / 1000))))));
    }, timeoutMs);
    const onAbort = (): void => {
      req.destroy();
      finish(() => reject(cancelledError()));
    };
    const stopWatching = request.signal === undefined ? noop : onAbortOf(request.signal, onAbort);
    req.on('error', (err) => finish(() => reject(networkError(err, url))));
    if (request.body !== undefined) {
      req.write(request.body);
    }
    req.end();
  });
}

function networkError(err: Error, url: URL): GdapError {
  const code = (err as NodeJS.ErrnoException).code;
  const detail = code ?? err.message;
  const tls = code !== undefined && /CERT|SSL|TLS/i.test(code);
  const message = tls
    ? msg(
        'Could not verify the TLS certificate of {0} ({1}). For the emulator, set GDAP_EMULATOR_CA to the PEM file it printed.',
        url.host,
        detail,
      )
    : msg('Could not reach {0} ({1}). Check the network connection and try again.', url.host, detail);
  return gdapErrorOf('network', message, { code, cause: err });
}
