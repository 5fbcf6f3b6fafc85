import { type Clock, systemClock } from '../http/clock';
import { errorFromResponse } from '../http/errorMapping';
import { GdapError } from '../http/gdapError';
import type { RequestLogger } from '../http/requestLog';
import { isAmbiguousStatus, isIdempotentRequest, resolveRetryPolicy, type ResolvedRetryPolicy } from '../http/retryPolicy';
import type { ServiceClientOptions } from '../http/serviceClientOptions';
import { ThrottleGate } from '../http/throttleGate';
import type { HttpResponse } from '../http/transport';
import { createGraphPipeline, type GraphPipeline } from './graphPipeline';

export interface CallSpec {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** Statuses that count as success; any other becomes a GdapError. */
  readonly expect: readonly number[];
  /** Never re-send after an ambiguous failure (the caller reconciles by reading). */
  readonly noReplay?: boolean;
}

/**
 * The plumbing every part of the Graph client shares: one logical request through the middleware
 * pipeline, status to GdapError mapping, JSON decoding, and the rule that URLs the service hands back
 * (nextLink, Location) stay on the Graph origin we talk to.
 */
export class GraphRequester {
  readonly base: string;
  readonly clock: Clock;
  readonly policy: ResolvedRetryPolicy;
  readonly gate: ThrottleGate;
  readonly log?: RequestLogger;
  private readonly pipeline: GraphPipeline;

  constructor(options: ServiceClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.policy = resolveRetryPolicy(options.retry);
    this.gate = options.throttleGate ?? new ThrottleGate(this.clock);
    this.log = options.log;
    this.base = options.endpoints.graphBaseUrl.replace(/\/+$/, '');
    this.pipeline = createGraphPipeline({
      endpoints: options.endpoints,
      tokens: options.tokens,
      transport: options.transport,
      policy: this.policy,
      clock: this.clock,
      gate: this.gate,
      log: options.log,
      timeoutMs: options.timeoutMs,
    });
  }

  relationshipUrl(id: string): string {
    return `${this.base}/tenantRelationships/delegatedAdminRelationships/${encodeURIComponent(id)}`;
  }

  assignmentUrl(relationshipId: string, assignmentId: string): string {
    return `${this.relationshipUrl(relationshipId)}/accessAssignments/${encodeURIComponent(assignmentId)}`;
  }

  async call(method: string, url: string, spec: CallSpec): Promise<HttpResponse> {
    const headers: Record<string, string> = { Accept: 'application/json', ...(spec.headers ?? {}) };
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['Content-Type'] = 'application/json';
    }
    const replayable = spec.noReplay === true ? false : undefined;
    const { response, clientRequestId } = await this.pipeline.send({
      method,
      url,
      headers,
      body,
      signal: spec.signal,
      ...(replayable !== undefined ? { idempotent: replayable } : {}),
    });
    if (spec.expect.includes(response.status)) {
      return response;
    }
    const idempotent = replayable ?? isIdempotentRequest(method, headers);
    throw errorFromResponse(
      response,
      { service: 'graph', method, url, clientRequestId, ambiguous: isAmbiguousStatus(response.status, idempotent) },
      this.clock.now(),
    );
  }

  json(response: HttpResponse, what: string): unknown {
    if (response.body.trim() === '') {
      throw new GdapError({
        kind: 'invalidResponse',
        status: response.status,
        message: `Microsoft Graph sent ${what} with an empty body.`,
      });
    }
    try {
      return JSON.parse(response.body) as unknown;
    } catch (e) {
      throw new GdapError({
        kind: 'invalidResponse',
        status: response.status,
        message: `Microsoft Graph sent ${what} that is not valid JSON.`,
        cause: e,
      });
    }
  }

  async getOne<T>(url: string, what: string, normalise: (raw: unknown) => T, signal?: AbortSignal): Promise<T> {
    const response = await this.call('GET', url, { signal, expect: [200] });
    return normalise(this.json(response, what));
  }

  /** A URL the service handed us (nextLink, Location) must stay on the Graph origin we talk to. */
  checkServiceUrl(value: string, what: string): string {
    let url: URL;
    try {
      url = new URL(value, `${this.base}/`);
    } catch {
      throw new GdapError({ kind: 'invalidResponse', message: `Microsoft Graph sent an invalid ${what}.` });
    }
    if (url.origin !== new URL(this.base).origin) {
      throw new GdapError({
        kind: 'invalidResponse',
        message: `Microsoft Graph sent a ${what} to another host (${url.host}); it was not followed.`,
      });
    }
    return value.startsWith('http') ? value : url.href;
  }

  /** Relative form of a Graph URL for a `$batch` sub-request, or undefined when it is not under our base. */
  relative(url: string): string | undefined {
    return url.startsWith(`${this.base}/`) ? url.slice(this.base.length) : undefined;
  }

  /** POSTs one `$batch` of GETs; every sub-request is a read, so the whole `$batch` may be replayed safely. */
  async postBatch(body: string, signal?: AbortSignal): Promise<unknown> {
    const url = `${this.base}/$batch`;
    const { response, clientRequestId } = await this.pipeline.send({
      method: 'POST',
      url,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body,
      signal,
      idempotent: true,
    });
    if (response.status !== 200) {
      throw errorFromResponse(response, { service: 'graph', method: 'POST', url, clientRequestId }, this.clock.now());
    }
    return this.json(response, 'a $batch response');
  }
}
