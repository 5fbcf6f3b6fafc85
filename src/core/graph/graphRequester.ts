import { type Clock, systemClock } from '../http/clock';
import { errorFromResponse } from '../http/errorMapping';
import { gdapErrorOf } from '../http/gdapError';
import type { RequestLogger } from '../http/requestLog';
import { isAmbiguousStatus, isIdempotentRequest, resolveRetryPolicy, type ResolvedRetryPolicy } from '../http/retryPolicy';
import type { ServiceClientOptions } from '../http/serviceClientOptions';
import { ThrottleGate } from '../http/throttleGate';
import type { HttpResponse } from '../http/transport';
import { msg, type Message } from '../messages';
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

  /** `what` names the body (e.g. `msg('a relationship')`), a message itself so that it reads in the face's language. */
  json(response: HttpResponse, what: Message): unknown {
    if (response.body.trim() === '') {
      throw gdapErrorOf('invalidResponse', msg('Microsoft Graph sent {0} with an empty body.', what), { status: response.status });
    }
    try {
      return JSON.parse(response.body) as unknown;
    } catch (e) {
      throw gdapErrorOf('invalidResponse', msg('Microsoft Graph sent {0} that is not valid JSON.', what), {
        status: response.status,
        cause: e,
      });
    }
  }

  async getOne<T>(url: string, what: Message, normalise: (raw: unknown) => T, signal?: AbortSignal): Promise<T> {
    const response = await this.call('GET', url, { signal, expect: [200] });
    return normalise(this.json(response, what));
  }

  /**
   * A URL the service handed us (nextLink, Location) must stay on the Graph origin we talk to. `what` is the
   * protocol's name of the link, the same in every language.
   */
  checkServiceUrl(value: string, what: 'nextLink' | 'Location'): string {
    let url: URL;
    try {
      url = new URL(value, `${this.base}/`);
    } catch {
      throw gdapErrorOf('invalidResponse', msg('Microsoft Graph sent an invalid {0}.', what));
    }
    if (url.origin !== new URL(this.base).origin) {
      throw gdapErrorOf('invalidResponse', msg('Microsoft Graph sent a {0} to another host ({1}); it was not followed.', what, url.host));
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
    return this.json(response, msg('a $batch response'));
  }
}
