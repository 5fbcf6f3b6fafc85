import { type Clock, systemClock } from './clock';
import { cancelledError, getHeader, markAmbiguous, parseRetryAfter } from './errorMapping';
import { GdapError, isGdapError } from './gdapError';
import { redact } from './redact';
import type { RequestLogger } from './requestLog';
import type { ThrottleGate } from './throttleGate';
import type { HttpResponse } from './transport';

export interface RetryPolicyOptions {
  /** Attempts including the first. Default 5. */
  readonly maxAttempts?: number;
  /** First backoff step when the service gives no Retry-After. Default 1000 ms. */
  readonly baseDelayMs?: number;
  /** Cap of one backoff step (without Retry-After). Default 30 s. */
  readonly maxDelayMs?: number;
  /** Longest Retry-After honoured; a longer one ends the retries (kind `throttled`). Default 120 s. */
  readonly maxRetryAfterMs?: number;
  /** Total time budget of one logical request, all attempts and waits included. Default 180 s. */
  readonly budgetMs?: number;
  /** Jitter source in [0, 1). Default Math.random. */
  readonly random?: () => number;
}

export interface ResolvedRetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly budgetMs: number;
  readonly random: () => number;
}

export function resolveRetryPolicy(options: RetryPolicyOptions = {}): ResolvedRetryPolicy {
  return {
    maxAttempts: Math.max(1, options.maxAttempts ?? 5),
    baseDelayMs: options.baseDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
    budgetMs: options.budgetMs ?? 180_000,
    random: options.random ?? Math.random,
  };
}

/** Capped exponential backoff with "equal jitter": half fixed, half random, so waits never collapse to 0. */
export function backoffDelayMs(attempt: number, policy: ResolvedRetryPolicy): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * policy.random());
}

/** Statuses after which the service certainly did not act (docs/api-notes.md §9.2): safe to re-send even a POST. */
const NOT_ACTED_STATUSES = new Set([429, 503]);
/** Statuses worth retrying for idempotent requests. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Socket errors raised before the request left this machine: the service never saw it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

export interface RetryContext {
  readonly method: string;
  readonly url: string;
  /**
   * True for GET/HEAD, writes carrying If-Match and Partner Center calls carrying a reused
   * MS-RequestId: these may be re-sent after a timeout, reset or 5xx. False for a plain POST, which is
   * re-sent only on 429/503 or when the connection was never made.
   */
  readonly idempotent: boolean;
  readonly clientRequestId?: string;
  readonly signal?: AbortSignal;
  readonly policy: ResolvedRetryPolicy;
  readonly clock?: Clock;
  readonly gate?: ThrottleGate;
  readonly log?: RequestLogger;
}

/** Whether a request may be replayed after an ambiguous failure. */
export function isIdempotentRequest(method: string, headers: Readonly<Record<string, string>> = {}): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') {
    return true;
  }
  return getHeader(headers, 'if-match') !== undefined;
}

function withIds(error: GdapError, clientRequestId: string | undefined): GdapError {
  if (clientRequestId === undefined || error.clientRequestId !== undefined) {
    return error;
  }
  return new GdapError({ ...error, message: error.message, kind: error.kind, clientRequestId, cause: error.cause ?? error });
}

/**
 * Runs one logical request: `attempt` sends it once (the transport); this loop decides whether and
 * when to send it again. Returns the last response (success or a final error status, mapped by the
 * caller); throws GdapError for transport failures, flagged `ambiguous` when a non-idempotent request
 * may have reached the service.
 */
export async function executeWithRetry(
  attempt: (attemptNumber: number) => Promise<HttpResponse>,
  ctx: RetryContext,
): Promise<HttpResponse> {
  const clock = ctx.clock ?? systemClock;
  const { policy } = ctx;
  const started = clock.now();
  const logUrl = redact(ctx.url);
  for (let n = 1; ; n++) {
    if (ctx.signal?.aborted) {
      throw cancelledError();
    }
    await ctx.gate?.wait(ctx.signal);
    const t0 = clock.now();
    let response: HttpResponse;
    try {
      response = await attempt(n);
    } catch (e) {
      const durationMs = clock.now() - t0;
      if (!isGdapError(e)) {
        throw e;
      }
      const err = withIds(e, ctx.clientRequestId);
      if (err.kind !== 'network' && err.kind !== 'timeout') {
        ctx.log?.({
          method: ctx.method,
          url: logUrl,
          durationMs,
          attempt: n,
          clientRequestId: ctx.clientRequestId,
          note: redact(err.message),
        });
        throw err;
      }
      const notSent = err.code !== undefined && NOT_SENT_CODES.has(err.code);
      const mayResend = ctx.idempotent || notSent;
      const delay = backoffDelayMs(n, policy);
      const canRetry = mayResend && n < policy.maxAttempts && clock.now() + delay - started <= policy.budgetMs;
      ctx.log?.({
        method: ctx.method,
        url: logUrl,
        durationMs,
        attempt: n,
        clientRequestId: ctx.clientRequestId,
        note: `${err.kind}: ${redact(err.message)}${canRetry ? `; retrying in ${delay} ms` : mayResend ? '; giving up' : '; not re-sent (the service may have acted on it)'}`,
      });
      if (!canRetry) {
        throw mayResend ? err : markAmbiguous(err);
      }
      await clock.sleep(delay, ctx.signal);
      continue;
    }
    const durationMs = clock.now() - t0;
    const requestId = getHeader(response.headers, 'request-id') ?? getHeader(response.headers, 'ms-requestid');
    const retryable = ctx.idempotent ? RETRYABLE_STATUSES.has(response.status) : NOT_ACTED_STATUSES.has(response.status);
    if (!retryable) {
      ctx.log?.({
        method: ctx.method,
        url: logUrl,
        status: response.status,
        durationMs,
        attempt: n,
        clientRequestId: ctx.clientRequestId,
        requestId,
      });
      return response;
    }
    const retryAfterMs = parseRetryAfter(getHeader(response.headers, 'retry-after'), clock.now());
    const throttled = response.status === 429 || response.status === 503;
    const delay = retryAfterMs ?? backoffDelayMs(n, policy);
    if (throttled) {
      ctx.gate?.notifyThrottled(delay);
    }
    const withinRetryAfterCap = retryAfterMs === undefined || retryAfterMs <= policy.maxRetryAfterMs;
    const canRetry = n < policy.maxAttempts && withinRetryAfterCap && clock.now() + delay - started <= policy.budgetMs;
    ctx.log?.({
      method: ctx.method,
      url: logUrl,
      status: response.status,
      durationMs,
      attempt: n,
      clientRequestId: ctx.clientRequestId,
      requestId,
      note: canRetry ? `retrying in ${delay} ms${retryAfterMs !== undefined ? ' (Retry-After)' : ''}` : 'retries exhausted',
    });
    if (!canRetry) {
      return response;
    }
    await clock.sleep(delay, ctx.signal);
  }
}

/** For non-idempotent requests, a final 500/502/504 leaves the outcome unknown. */
export function isAmbiguousStatus(status: number, idempotent: boolean): boolean {
  return !idempotent && (status === 500 || status === 502 || status === 504);
}
