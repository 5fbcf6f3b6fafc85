import { randomUUID } from 'node:crypto';
import type { Client, Context, Middleware, MiddlewareOptions, ResponseType } from '@microsoft/microsoft-graph-client';
import type { TokenProvider } from '../auth/tokenProvider';
import type { Clock } from '../http/clock';
import { mayAttachAuthorization, type ServiceEndpoints } from '../http/clouds';
import { gdapErrorOf, isGdapError, type GdapError } from '../http/gdapError';
import { msg } from '../messages';
import type { RequestLogger } from '../http/requestLog';
import { executeWithRetry, isIdempotentRequest, type ResolvedRetryPolicy } from '../http/retryPolicy';
import type { ThrottleGate } from '../http/throttleGate';
import type { HttpResponse, HttpTransport } from '../http/transport';
import { loadGraphSdk } from './graphSdkLoader';

/**
 * Per-request state carried through the Graph SDK's middleware chain (as a MiddlewareOptions entry,
 * the SDK's own mechanism). The SDK wraps any error thrown inside its chain in a GraphError, so the
 * chain stores the original GdapError here and the caller re-throws it.
 */
export class GdapRequestState implements MiddlewareOptions {
  response?: HttpResponse;
  error?: GdapError;
  clientRequestId: string = randomUUID();

  constructor(
    /** The URL exactly as the caller built it or the service sent it (nextLink, Location), sent verbatim. */
    readonly url: string,
    readonly method: string,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string | undefined,
    readonly signal: AbortSignal | undefined,
    readonly timeoutMs: number | undefined,
    /** Overrides the method/If-Match rule, e.g. a `$batch` of GETs is safe to replay. */
    readonly idempotent?: boolean,
  ) {}
}

/** A failure below the pipeline that is not a GdapError yet; the inner error's text stays a plain argument. */
function requestFailed(e: unknown, clientRequestId: string | undefined): GdapError {
  return gdapErrorOf('network', msg('Request failed: {0}', e instanceof Error ? e.message : String(e)), { clientRequestId, cause: e });
}

function stateOf(context: Context): GdapRequestState {
  const state = context.middlewareControl?.getMiddlewareOptions(GdapRequestState) as GdapRequestState | undefined;
  if (state === undefined) {
    throw gdapErrorOf('invalidInput', msg('Internal error: a Graph request was sent without its request state.'));
  }
  return state;
}

abstract class ChainLink implements Middleware {
  protected next?: Middleware;
  setNext(middleware: Middleware): void {
    this.next = middleware;
  }
  protected async callNext(context: Context): Promise<void> {
    if (this.next === undefined) {
      throw gdapErrorOf('invalidInput', msg('Internal error: the Graph middleware chain is incomplete.'));
    }
    await this.next.execute(context);
  }
  abstract execute(context: Context): Promise<void>;
}

/** Outermost: stamps `client-request-id` and captures errors before the SDK rewraps them. */
class ClientRequestIdMiddleware extends ChainLink {
  async execute(context: Context): Promise<void> {
    const state = stateOf(context);
    const given = Object.entries(state.headers).find(([k]) => k.toLowerCase() === 'client-request-id');
    if (given !== undefined) {
      state.clientRequestId = given[1];
    }
    try {
      await this.callNext(context);
    } catch (e) {
      state.error = isGdapError(e) ? e : requestFailed(e, state.clientRequestId);
      throw state.error;
    }
  }
}

/** Retry honouring Retry-After with capped, jittered backoff, a time budget and the shared throttle gate. */
class RetryMiddleware extends ChainLink {
  constructor(private readonly deps: { policy: ResolvedRetryPolicy; clock: Clock; gate?: ThrottleGate; log?: RequestLogger }) {
    super();
  }
  async execute(context: Context): Promise<void> {
    const state = stateOf(context);
    const response = await executeWithRetry(
      async () => {
        state.response = undefined;
        await this.callNext(context);
        if (state.response === undefined) {
          throw gdapErrorOf('invalidResponse', msg('Internal error: no response was recorded.'));
        }
        return state.response;
      },
      {
        method: state.method,
        url: state.url,
        idempotent: state.idempotent ?? isIdempotentRequest(state.method, state.headers),
        clientRequestId: state.clientRequestId,
        signal: state.signal,
        policy: this.deps.policy,
        clock: this.deps.clock,
        gate: this.deps.gate,
        log: this.deps.log,
      },
    );
    state.response = response;
  }
}

/**
 * Bearer token from the TokenProvider (audience `graph`), attached only where the allow-list permits
 * (docs/architecture.md §3). A 401 gets one silent retry with a force-refreshed token.
 */
class AuthMiddleware extends ChainLink {
  constructor(private readonly deps: { tokens: TokenProvider; endpoints: ServiceEndpoints }) {
    super();
  }
  async execute(context: Context): Promise<void> {
    const state = stateOf(context);
    if (!mayAttachAuthorization(state.url, this.deps.endpoints)) {
      await this.callNext(context);
      return;
    }
    const send = async (forceRefresh: boolean): Promise<void> => {
      const token = await this.deps.tokens.getToken('graph', { signal: state.signal, forceRefresh });
      setHeader(context, 'Authorization', `Bearer ${token}`);
      await this.callNext(context);
    };
    await send(false);
    if (state.response?.status === 401) {
      await send(true);
    }
  }
}

/**
 * Last link: sends through core's HttpTransport. The response stays in the request state, where `send`
 * reads it: every request asks the SDK for `ResponseType.RAW`, which hands back `context.response`
 * untouched, so no fetch Response is built. Building one copied every header and body once more and,
 * on the first request, loaded Node's fetch implementation (≈ 40 ms of the CLI's start-up,
 * BENCHMARKS.md "No fetch Response").
 */
class TransportMiddleware implements Middleware {
  constructor(private readonly deps: { transport: HttpTransport; timeoutMs?: number }) {}
  async execute(context: Context): Promise<void> {
    const state = stateOf(context);
    const headers = collectHeaders(context);
    headers['client-request-id'] = state.clientRequestId;
    state.response = await this.deps.transport.send({
      method: state.method,
      url: state.url,
      headers,
      body: state.body,
      signal: state.signal,
      timeoutMs: state.timeoutMs ?? this.deps.timeoutMs,
    });
  }
}

/** The request's headers as a plain record. The SDK passes a plain object; `Headers` is only looked at
 * for anything else, since touching that global loads Node's fetch implementation. */
function collectHeaders(context: Context): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = context.options?.headers;
  if (raw === undefined) {
    return out;
  }
  if (Array.isArray(raw)) {
    for (const [k, v] of raw) {
      out[k] = v;
    }
  } else if (isPlainRecord(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      out[k] = String(v);
    }
  } else if (raw instanceof Headers) {
    raw.forEach((v, k) => {
      out[k] = v;
    });
  }
  return out;
}

function isPlainRecord(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function setHeader(context: Context, name: string, value: string): void {
  const headers = collectHeaders(context);
  for (const k of Object.keys(headers)) {
    if (k.toLowerCase() === name.toLowerCase()) {
      delete headers[k];
    }
  }
  headers[name] = value;
  context.options = { ...(context.options ?? {}), headers };
}

export interface GraphPipelineOptions {
  readonly endpoints: ServiceEndpoints;
  readonly tokens: TokenProvider;
  readonly transport: HttpTransport;
  readonly policy: ResolvedRetryPolicy;
  readonly clock: Clock;
  readonly gate?: ThrottleGate;
  readonly log?: RequestLogger;
  readonly timeoutMs?: number;
}

export interface GraphPipeline {
  /** One logical request (retries included). Returns the final response, error statuses included. */
  send(request: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    timeoutMs?: number;
    idempotent?: boolean;
  }): Promise<{ response: HttpResponse; clientRequestId: string }>;
}

interface SdkClient {
  readonly client: Client;
  /** `ResponseType.RAW`: the SDK hands back the fetch Response untouched (the body is read from state.response). */
  readonly raw: ResponseType;
}

/**
 * The SDK client over our chain, built on the first request: the SDK is loaded then (a separate bundle
 * in the extension, see graphSdkLoader.ts), so `createGraphPipeline` stays synchronous and cheap.
 */
function lazyClient(options: GraphPipelineOptions, chain: Middleware[]): () => Promise<SdkClient> {
  const graphBase = new URL(options.endpoints.graphBaseUrl);
  const version = graphBase.pathname.replace(/^\/+|\/+$/g, '') || 'v1.0';
  let client: Promise<SdkClient> | undefined;
  return () =>
    (client ??= loadGraphSdk().then(
      (sdk) => ({
        client: sdk.Client.initWithMiddleware({
          middleware: chain,
          baseUrl: graphBase.origin,
          defaultVersion: version,
          customHosts: options.endpoints.emulator !== undefined ? new Set([graphBase.hostname]) : undefined,
        }),
        raw: sdk.ResponseType.RAW,
      }),
      (e: unknown) => {
        client = undefined;
        const message = msg(
          'Internal error: the Microsoft Graph client library could not be loaded ({0}). Reinstall GDAP Explorer.',
          e instanceof Error ? e.message : String(e),
        );
        throw gdapErrorOf('invalidInput', message, { cause: e });
      },
    ));
}

/**
 * `@microsoft/microsoft-graph-client` with our own middleware chain. Measured trap: the SDK treats
 * only https:// URLs as Graph or custom hosts, so the emulator is served over https and its host is
 * registered as a custom host; URLs are sent verbatim (nextLink, Location) rather than rebuilt.
 */
export function createGraphPipeline(options: GraphPipelineOptions): GraphPipeline {
  const chain: Middleware[] = [
    new ClientRequestIdMiddleware(),
    new RetryMiddleware({ policy: options.policy, clock: options.clock, gate: options.gate, log: options.log }),
    new AuthMiddleware({ tokens: options.tokens, endpoints: options.endpoints }),
    new TransportMiddleware({ transport: options.transport, timeoutMs: options.timeoutMs }),
  ];
  const getClient = lazyClient(options, chain);

  return {
    async send(request) {
      const headers: Record<string, string> = { ...(request.headers ?? {}) };
      const state = new GdapRequestState(
        request.url,
        request.method.toUpperCase(),
        headers,
        request.body,
        request.signal,
        request.timeoutMs,
        request.idempotent,
      );
      try {
        const sdk = await getClient();
        let builder = sdk.client.api(request.url).middlewareOptions([state]).responseType(sdk.raw);
        if (Object.keys(headers).length > 0) {
          builder = builder.headers(headers);
        }
        switch (state.method) {
          case 'GET':
            await builder.get();
            break;
          case 'POST':
            await builder.post(request.body);
            break;
          case 'PATCH':
            await builder.patch(request.body);
            break;
          case 'PUT':
            await builder.put(request.body);
            break;
          case 'DELETE':
            await builder.delete();
            break;
          default:
            throw gdapErrorOf('invalidInput', msg('Unsupported method {0}.', state.method));
        }
      } catch (e) {
        if (state.error !== undefined) {
          throw state.error;
        }
        if (isGdapError(e)) {
          throw e;
        }
        throw requestFailed(e, state.clientRequestId);
      }
      if (state.response === undefined) {
        throw gdapErrorOf('invalidResponse', msg('Microsoft Graph returned no response.'), { clientRequestId: state.clientRequestId });
      }
      return { response: state.response, clientRequestId: state.clientRequestId };
    },
  };
}
