import { type BackoffSchedule, backoffSchedule } from '../time/backoff';
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

/** The policy's backoff schedule: capped exponential with "equal jitter" (half fixed, half random). */
export function retryBackoff(policy: ResolvedRetryPolicy): BackoffSchedule {
  return backoffSchedule({ initialMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, factor: 2, random: policy.random });
}

/** Delay before retry `attempt + 1` under `policy` (see retryBackoff). */
export function backoffDelayMs(attempt: number, policy: ResolvedRetryPolicy): number {
  return retryBackoff(policy)(attempt);
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

/** The retry loop's verdict on one attempt: hand back this response, or wait and send again. */
type AttemptVerdict = { readonly done: true; readonly response: HttpResponse } | { readonly done: false; readonly delayMs: number };

interface AttemptFacts {
  readonly n: number;
  readonly started: number;
  readonly durationMs: number;
  readonly logUrl: string;
  readonly clock: Clock;
}

/** Whether a wait of `delay` before attempt `n + 1` stays within the attempt count and the time budget. */
function mayRetryAfter(delay: number, facts: AttemptFacts, policy: ResolvedRetryPolicy): boolean {
  return facts.n < policy.maxAttempts && facts.clock.now() + delay - facts.started <= policy.budgetMs;
}

/** A transport failure: retry only when it is a network/timeout failure and re-sending is safe. */
function judgeFailure(e: unknown, ctx: RetryContext, facts: AttemptFacts): AttemptVerdict {
  if (!isGdapError(e)) {
    throw e;
  }
  const err = withIds(e, ctx.clientRequestId);
  const entry = {
    method: ctx.method,
    url: facts.logUrl,
    durationMs: facts.durationMs,
    attempt: facts.n,
    clientRequestId: ctx.clientRequestId,
  };
  if (err.kind !== 'network' && err.kind !== 'timeout') {
    ctx.log?.({ ...entry, note: redact(err.message) });
    throw err;
  }
  const notSent = err.code !== undefined && NOT_SENT_CODES.has(err.code);
  const mayResend = ctx.idempotent || notSent;
  const delay = backoffDelayMs(facts.n, ctx.policy);
  const canRetry = mayResend && mayRetryAfter(delay, facts, ctx.policy);
  const outcome = canRetry ? `; retrying in ${delay} ms` : mayResend ? '; giving up' : '; not re-sent (the service may have acted on it)';
  ctx.log?.({ ...entry, note: `${err.kind}: ${redact(err.message)}${outcome}` });
  if (!canRetry) {
    throw mayResend ? err : markAmbiguous(err);
  }
  return { done: false, delayMs: delay };
}

/** A response: final unless its status is retryable for this request and Retry-After/budget allow another try. */
function judgeResponse(response: HttpResponse, ctx: RetryContext, facts: AttemptFacts): AttemptVerdict {
  const requestId = getHeader(response.headers, 'request-id') ?? getHeader(response.headers, 'ms-requestid');
  const entry = {
    method: ctx.method,
    url: facts.logUrl,
    status: response.status,
    durationMs: facts.durationMs,
    attempt: facts.n,
    clientRequestId: ctx.clientRequestId,
    requestId,
  };
  const retryable = ctx.idempotent ? RETRYABLE_STATUSES.has(response.status) : NOT_ACTED_STATUSES.has(response.status);
  if (!retryable) {
    ctx.log?.(entry);
    return { done: true, response };
  }
  const retryAfterMs = parseRetryAfter(getHeader(response.headers, 'retry-after'), facts.clock.now());
  const delay = retryAfterMs ?? backoffDelayMs(facts.n, ctx.policy);
  if (response.status === 429 || response.status === 503) {
    ctx.gate?.notifyThrottled(delay);
  }
  const withinRetryAfterCap = retryAfterMs === undefined || retryAfterMs <= ctx.policy.maxRetryAfterMs;
  const canRetry = withinRetryAfterCap && mayRetryAfter(delay, facts, ctx.policy);
  const note = canRetry ? `retrying in ${delay} ms${retryAfterMs !== undefined ? ' (Retry-After)' : ''}` : 'retries exhausted';
  ctx.log?.({ ...entry, note });
  return canRetry ? { done: false, delayMs: delay } : { done: true, response };
}

/**
 * Runs one logical request: `attempt` sends it once (the transport); this loop decides whether and
 * when to send it again. Returns the last response (success or a final error status, mapped by the
 * caller); throws GdapError for transport failures, flagged `ambiguous` when a non-idempotent request
 * may have reached the service. Waits go through the injected clock and the shared throttle gate.
 */
export async function executeWithRetry(
  attempt: (attemptNumber: number) => Promise<HttpResponse>,
  ctx: RetryContext,
): Promise<HttpResponse> {
  const clock = ctx.clock ?? systemClock;
  const started = clock.now();
  const logUrl = redact(ctx.url);
  for (let n = 1; ; n++) {
    if (ctx.signal?.aborted) {
      throw cancelledError();
    }
    await ctx.gate?.wait(ctx.signal);
    const t0 = clock.now();
    const sent = await attempt(n).then(
      (response) => ({ ok: true as const, response }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const facts: AttemptFacts = { n, started, durationMs: clock.now() - t0, logUrl, clock };
    const verdict = sent.ok ? judgeResponse(sent.response, ctx, facts) : judgeFailure(sent.error, ctx, facts);
    if (verdict.done) {
      return verdict.response;
    }
    await clock.sleep(verdict.delayMs, ctx.signal);
  }
}

/** For non-idempotent requests, a final 500/502/504 leaves the outcome unknown. */
export function isAmbiguousStatus(status: number, idempotent: boolean): boolean {
  return !idempotent && (status === 500 || status === 502 || status === 504);
}
