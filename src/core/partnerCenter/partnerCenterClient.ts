import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type Clock, systemClock } from '../http/clock';
import { mayAttachAuthorization } from '../http/clouds';
import { parseClaimsChallenge, withClaimsChallenge } from '../http/claimsChallenge';
import { errorFromResponse, getHeader } from '../http/errorMapping';
import { gdapErrorOf, type ClaimsChallenge } from '../http/gdapError';
import { executeWithRetry, isAmbiguousStatus, resolveRetryPolicy, type ResolvedRetryPolicy } from '../http/retryPolicy';
import { ThrottleGate } from '../http/throttleGate';
import type { ServiceClientOptions } from '../http/serviceClientOptions';
import type { HttpResponse } from '../http/transport';
import type { CallOptions } from '../graph/gdapApi';
import { msg, type Message } from '../messages';
import { assertGuid, isGuid } from '../graph/preconditions';
import type { PartnerCenterApi, PartnerCenterCustomer, RemoveDapResult } from './partnerCenterApi';

export interface PartnerCenterClientOptions extends ServiceClientOptions {
  /** `size` of customer pages (docs/api-notes.md §8.4: required, no documented maximum). Default 500. */
  readonly pageSize?: number;
}

/**
 * The exact remove-DAP body of docs/api-notes.md §8.6 (PascalCase `AllowDelegatedAccess`, §12.15). Sent as
 * this string, byte for byte; nothing else about the customer (never `relationshipToPartner`) is sent.
 */
export const REMOVE_DAP_BODY = '{"AllowDelegatedAccess":false,"attributes":{"objectType":"Customer"}}';

const linkSchema = z.object({
  uri: z.string(),
  method: z.string().optional(),
  headers: z
    .array(z.object({ key: z.string(), value: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
});

const customerSchema = z.object({
  id: z.string().min(1),
  companyProfile: z
    .object({
      tenantId: z.string().nullish(),
      domain: z.string().nullish(),
      companyName: z.string().nullish(),
    })
    .nullish(),
  relationshipToPartner: z.string().nullish(),
  allowDelegatedAccess: z.boolean().nullish(),
});

const customerPageSchema = z.object({
  totalCount: z.number().optional(),
  items: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
  links: z.object({ next: linkSchema.nullish() }).passthrough().nullish(),
  continuationToken: z.string().nullish(),
});

const MAX_PAGES = 10_000;

/** The claims challenge of a 401 (docs/api-notes.md §15.6), if it carries one. */
function challengeOf(response: HttpResponse): ClaimsChallenge | undefined {
  return response.status === 401 ? parseClaimsChallenge(getHeader(response.headers, 'www-authenticate')) : undefined;
}

function normaliseCustomer(raw: unknown, fromList: boolean): PartnerCenterCustomer {
  const parsed = customerSchema.safeParse(raw);
  if (!parsed.success) {
    throw gdapErrorOf('invalidResponse', msg('Partner Center sent a customer in an unexpected shape.'), { cause: parsed.error });
  }
  const c = parsed.data;
  const profileTenant = c.companyProfile?.tenantId ?? null;
  return {
    id: c.id,
    // The list example carries a "<guid>" placeholder (§12.15); the customer id is the tenant id.
    tenantId: profileTenant !== null && isGuid(profileTenant) ? profileTenant : c.id,
    companyName: c.companyProfile?.companyName ?? null,
    domain: c.companyProfile?.domain ?? null,
    // Only GET by id carries it (§8.3); list items never do.
    allowDelegatedAccess: fromList ? null : (c.allowDelegatedAccess ?? null),
    relationshipToPartner: c.relationshipToPartner ?? null,
  };
}

/**
 * Joins a Partner Center relative link with the base URL. Links are relative and sometimes include
 * `/v1` (`/v1/customers?size=40`) and sometimes not (`/invoices/…`) (docs/api-notes.md §8.4).
 */
export function joinPartnerCenterLink(baseUrl: string, uri: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const root = base.replace(/\/v1$/i, '');
  if (/^https?:\/\//i.test(uri)) {
    if (new URL(uri).origin !== new URL(base).origin) {
      throw gdapErrorOf('invalidResponse', msg('Partner Center sent a next-page link to another host; it was not followed.'));
    }
    return uri;
  }
  const path = uri.startsWith('/') ? uri : `/${uri}`;
  if (/^\/v1(?:[/?]|$)/i.test(path)) {
    return `${root}${path}`;
  }
  return `${base}${path}`;
}

/** Partner Center REST (docs/api-notes.md §8) over core's HttpTransport, with the same retry, error and log machinery as Graph. */
export class PartnerCenterClient implements PartnerCenterApi {
  private readonly base: string;
  private readonly clock: Clock;
  private readonly policy: ResolvedRetryPolicy;
  private readonly gate: ThrottleGate;

  constructor(private readonly options: PartnerCenterClientOptions) {
    this.base = options.endpoints.partnerCenterBaseUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    this.policy = resolveRetryPolicy(options.retry);
    this.gate = options.throttleGate ?? new ThrottleGate(this.clock);
  }

  /**
   * One logical call. MS-RequestId is kept across retries so a replay after a timeout is recognised
   * as the same call (docs/api-notes.md §8.2), which makes every call here safe to retry; MS-CorrelationId is
   * fresh per call.
   */
  private async call(
    method: string,
    url: string,
    options: { body?: string; extraHeaders?: Record<string, string>; signal?: AbortSignal; noReplay?: boolean },
  ): Promise<{ response: HttpResponse; requestId: string; correlationId: string }> {
    const requestId = randomUUID();
    const correlationId = randomUUID();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'MS-RequestId': requestId,
      'MS-CorrelationId': correlationId,
      ...(options.extraHeaders ?? {}),
    };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const attach = mayAttachAuthorization(url, this.options.endpoints);
    const sendOnce = async (forceRefresh: boolean): Promise<HttpResponse> => {
      const h = { ...headers };
      if (attach) {
        h.Authorization = `Bearer ${await this.options.tokens.getToken('partnerCenter', { signal: options.signal, forceRefresh })}`;
      }
      return this.options.transport.send({
        method,
        url,
        headers: h,
        body: options.body,
        signal: options.signal,
        timeoutMs: this.options.timeoutMs,
      });
    };
    const response = await executeWithRetry(
      async () => {
        const first = await sendOnce(false);
        // One silent retry with a fresh token before asking the user to sign in again; not after a claims
        // challenge: a refreshed token has the same claims, and only a new sign-in answers it (§15.6).
        return first.status === 401 && attach && challengeOf(first) === undefined ? sendOnce(true) : first;
      },
      {
        method,
        url,
        idempotent: options.noReplay !== true,
        clientRequestId: correlationId,
        signal: options.signal,
        policy: this.policy,
        clock: this.clock,
        gate: this.gate,
        log: this.options.log,
      },
    );
    if (response.status < 200 || response.status >= 300) {
      const error = errorFromResponse(
        response,
        {
          service: 'partnerCenter',
          method,
          url,
          clientRequestId: correlationId,
          ambiguous: isAmbiguousStatus(response.status, options.noReplay !== true),
        },
        this.clock.now(),
      );
      const challenge = challengeOf(response);
      if (challenge !== undefined && attach) {
        // The token source learns what the service asked for, so a face can offer the sign-in that satisfies it.
        this.options.tokens.noteClaimsChallenge?.('partnerCenter', challenge);
        throw withClaimsChallenge(error, 'partnerCenter', challenge);
      }
      throw error;
    }
    return { response, requestId, correlationId };
  }

  /** `notJson` is the whole sentence for a body that does not parse (one literal per kind of body, for translation). */
  private json(response: HttpResponse, notJson: Message): unknown {
    try {
      return JSON.parse(response.body) as unknown;
    } catch (e) {
      throw gdapErrorOf('invalidResponse', notJson, { status: response.status, cause: e });
    }
  }

  async listCustomers(options: CallOptions = {}): Promise<PartnerCenterCustomer[]> {
    const out: PartnerCenterCustomer[] = [];
    let url: string | undefined = `${this.base}/customers?size=${this.options.pageSize ?? 500}`;
    let extraHeaders: Record<string, string> = {};
    const seen = new Set<string>();
    for (let page = 0; url !== undefined; page++) {
      const key = `${url}\n${JSON.stringify(extraHeaders)}`;
      if (page >= MAX_PAGES || seen.has(key)) {
        throw gdapErrorOf('invalidResponse', msg('Partner Center kept returning the same page of customers; stopped.'));
      }
      seen.add(key);
      const { response } = await this.call('GET', url, { extraHeaders, signal: options.signal });
      const parsed = customerPageSchema.safeParse(this.json(response, msg('Partner Center sent a customer page that is not valid JSON.')));
      if (!parsed.success) {
        throw gdapErrorOf('invalidResponse', msg('Partner Center sent a customer page in an unexpected shape.'), { cause: parsed.error });
      }
      out.push(...parsed.data.items.map((raw) => normaliseCustomer(raw, true)));
      const next = parsed.data.links?.next ?? undefined;
      if (next === null || next === undefined) {
        url = undefined;
      } else {
        url = joinPartnerCenterLink(this.base, next.uri);
        // The continuation token travels as a header of the link (§8.4: MS-ContinuationToken).
        extraHeaders = {};
        for (const h of next.headers) {
          if (/^[A-Za-z0-9-]+$/.test(h.key) && !/^(authorization|host|content-length)$/i.test(h.key)) {
            extraHeaders[h.key] = h.value;
          }
        }
      }
    }
    return out;
  }

  async getCustomer(customerTenantId: string, options: CallOptions = {}): Promise<PartnerCenterCustomer> {
    assertGuid(customerTenantId, 'The customer tenant id');
    const { response } = await this.call('GET', `${this.base}/customers/${customerTenantId}`, { signal: options.signal });
    return normaliseCustomer(this.json(response, msg('Partner Center sent a customer that is not valid JSON.')), false);
  }

  async removeDap(customerTenantId: string, options: CallOptions = {}): Promise<RemoveDapResult> {
    assertGuid(customerTenantId, 'The customer tenant id');
    const { requestId, correlationId } = await this.call('PATCH', `${this.base}/customers/${customerTenantId}`, {
      body: REMOVE_DAP_BODY,
      signal: options.signal,
      noReplay: options.reconcileByReading === true,
    });
    // The PATCH response body is undocumented (§8.6): confirm by reading the customer again.
    const customer = await this.getCustomer(customerTenantId, options);
    if (customer.allowDelegatedAccess !== false) {
      const message = msg(
        'Partner Center accepted the request but the customer still shows delegated admin access (allowDelegatedAccess is {0}). Refresh later to check, then try again.',
        String(customer.allowDelegatedAccess),
      );
      throw gdapErrorOf('conflict', message, { requestId, clientRequestId: correlationId });
    }
    return { customer, requestId, correlationId };
  }
}
