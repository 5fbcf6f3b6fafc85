import type { Clock } from '../http/clock';
import { cancelledError, errorFromParsedResponse, getHeader, parseRetryAfter } from '../http/errorMapping';
import { GdapError, isGdapError } from '../http/gdapError';
import { redact } from '../http/redact';
import type { RequestLogger } from '../http/requestLog';
import { backoffDelayMs, type ResolvedRetryPolicy } from '../http/retryPolicy';
import type { ThrottleGate } from '../http/throttleGate';
import { batchResponseSchema } from './schemas';

/** Graph accepts at most 20 requests in one JSON batch (docs/api-notes.md §9.3). */
export const MAX_BATCH_SIZE = 20;

export interface BatchRead {
  /** Caller's key for this chain of reads (stable across follow-ups). */
  readonly key: string;
  /** Relative to the Graph version root, starting with `/` (e.g. `/tenantRelationships/…`). */
  readonly url: string;
}

export interface BatchSubResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/**
 * Called with each successful (2xx) sub-response. Return a follow-up read for the same key (the next
 * page of a nextLink chain: chains stay sequential), or undefined when the key is finished. Throw a
 * GdapError to fail the key.
 */
export type BatchContinuation = (key: string, response: BatchSubResponse) => BatchRead | undefined;

export type BatchOutcome = { readonly ok: true } | { readonly ok: false; readonly error: GdapError };

export interface BatchEngineOptions {
  /** POSTs one `$batch` body (the whole request retried by the caller's pipeline) and returns its parsed JSON. */
  readonly postBatch: (body: string, signal?: AbortSignal) => Promise<unknown>;
  readonly clock: Clock;
  readonly policy: ResolvedRetryPolicy;
  readonly gate?: ThrottleGate;
  readonly log?: RequestLogger;
  /** Parallel `$batch` requests. Default 4. */
  readonly concurrency?: number;
  /** ≤ 20. */
  readonly batchSize?: number;
}

interface Pending {
  readonly key: string;
  readonly url: string;
  attempts: number;
  /** Attempts counted against `maxAttempts` (see the throttling rule in handleItem). */
  charged: number;
  notBefore: number;
  readonly firstTriedAt: number;
}

const PER_ITEM_RETRY_STATUSES = new Set([429, 503, 504]);
/** Hard bound on sends of one item, however its throttled attempts were counted (the time budget bounds it too). */
const MAX_SENDS_FACTOR = 20;

function headersOf(raw: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (typeof v === 'string' || typeof v === 'number') {
      out[k.toLowerCase()] = String(v);
    }
  }
  return out;
}

function isAsyncIterable<T>(x: unknown): x is AsyncIterable<T> {
  return typeof (x as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function';
}

/**
 * The request engine for independent reads: groups of ≤ 20 in Graph `$batch`, a bounded number of
 * batches in flight, per-sub-request retry on 429/503/504 honouring each item's Retry-After, and the
 * shared throttle gate so one throttled item slows every worker (docs/api-notes.md §9.2, §9.3).
 *
 * `reads` may also arrive over time (an async iterable of groups, e.g. one group per page of a list
 * still being read), so batches go out while the source is still producing. While the source is open
 * only full batches are sent and the remainder is carried to the next group; when it ends, the rest
 * goes out. The number of `$batch` requests is therefore the same as for the whole list at once
 * (⌈reads / 20⌉ without retries or follow-ups). Once anything is throttled while the source is
 * open, batches wait for the source to end (it is usually a paged list that must complete). If the
 * source throws, the engine stops taking new batches and rejects with that error.
 */
export async function runBatchedReads(
  reads: readonly BatchRead[] | AsyncIterable<readonly BatchRead[]>,
  continuation: BatchContinuation,
  options: BatchEngineOptions,
  signal?: AbortSignal,
): Promise<Map<string, BatchOutcome>> {
  const { clock, policy } = options;
  const size = Math.max(1, Math.min(MAX_BATCH_SIZE, options.batchSize ?? MAX_BATCH_SIZE));
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const outcomes = new Map<string, BatchOutcome>();
  const fresh = (key: string, url: string): Pending => ({ key, url, attempts: 0, charged: 0, notBefore: 0, firstTriedAt: clock.now() });
  const streamed = isAsyncIterable<readonly BatchRead[]>(reads);
  const queue: Pending[] = streamed ? [] : reads.map((r) => fresh(r.key, r.url));
  // A streamed source still producing: only full batches go out meanwhile.
  let sourceOpen = streamed;
  let sourceError: GdapError | undefined;
  const throttledAtStart = options.gate?.throttled ?? 0;
  // Sub-responses served (2xx) so far, across all batches: tells a shared rate limit from a stuck item.
  let served = 0;
  let inFlight = 0;
  // Idle workers wait for a batch to finish (it may queue retries or follow-ups) instead of polling.
  let wakeIdle: () => void = () => undefined;
  let idle = new Promise<void>((resolve) => {
    wakeIdle = resolve;
  });
  const notifyIdle = (): void => {
    const wake = wakeIdle;
    idle = new Promise<void>((resolve) => {
      wakeIdle = resolve;
    });
    wake();
  };

  const fail = (key: string, error: GdapError): void => {
    if (!outcomes.has(key)) {
      outcomes.set(key, { ok: false, error });
    }
  };

  const takeReady = (): Pending[] => {
    const now = clock.now();
    if (sourceOpen && queue.filter((p) => p.notBefore <= now).length < size) {
      // Carry the remainder until the source sends more or ends (keeps every batch full).
      return [];
    }
    if (sourceOpen && (options.gate?.throttled ?? 0) > throttledAtStart) {
      // Throttled while the source (e.g. a list's next pages) is still being read: our batches would
      // take the rate limit from those reads, which must finish. Hold them until the source ends.
      return [];
    }
    const picked: Pending[] = [];
    for (let i = 0; i < queue.length && picked.length < size;) {
      if (queue[i].notBefore <= now) {
        picked.push(queue[i]);
        queue.splice(i, 1);
      } else {
        i++;
      }
    }
    return picked;
  };

  const handleItem = (
    item: Pending,
    status: number,
    headers: Record<string, string>,
    body: unknown,
    durationMs: number,
    servedElsewhere: boolean,
  ): void => {
    options.log?.({
      method: 'GET',
      url: redact(item.url),
      status,
      durationMs,
      attempt: item.attempts,
      requestId: getHeader(headers, 'request-id'),
      note: '$batch item',
    });
    if (status >= 200 && status < 300) {
      served++;
      try {
        const next = continuation(item.key, { status, headers, body });
        if (next === undefined) {
          if (!outcomes.has(item.key)) {
            outcomes.set(item.key, { ok: true });
          }
        } else {
          queue.push(fresh(next.key, next.url));
        }
      } catch (e) {
        fail(item.key, isGdapError(e) ? e : new GdapError({ kind: 'invalidResponse', message: String(e) }));
      }
      return;
    }
    if (PER_ITEM_RETRY_STATUSES.has(status)) {
      const retryAfterMs = parseRetryAfter(getHeader(headers, 'retry-after'), clock.now());
      const delay = retryAfterMs ?? backoffDelayMs(item.attempts, policy);
      if (status === 429 || status === 503) {
        options.gate?.notifyThrottled(delay);
      }
      const withinBudget = clock.now() + delay - item.firstTriedAt <= policy.budgetMs;
      const withinCap = retryAfterMs === undefined || retryAfterMs <= policy.maxRetryAfterMs;
      // A 429 while other batches were being served is the caller's shared rate limit (docs/api-notes.md §9.2),
      // not a problem with this item: under a sustained limit every item would otherwise run out of
      // attempts while the service keeps serving others. Such throttled attempts are not charged; the
      // time budget and a hard cap on sends still bound the retries.
      if (status === 429 && servedElsewhere) {
        item.charged--;
      }
      if (item.charged < policy.maxAttempts && item.attempts < policy.maxAttempts * MAX_SENDS_FACTOR && withinBudget && withinCap) {
        item.notBefore = clock.now() + delay;
        queue.push(item);
        return;
      }
    }
    fail(item.key, errorFromParsedResponse(status, headers, body, { service: 'graph', method: 'GET', url: item.url }, clock.now()));
  };

  const sendBatch = async (items: Pending[]): Promise<void> => {
    const byId = new Map<string, Pending>();
    const requests = items.map((item, i) => {
      const id = String(i + 1);
      item.attempts++;
      item.charged++;
      byId.set(id, item);
      return { id, method: 'GET', url: item.url };
    });
    const t0 = clock.now();
    const servedAtSend = served;
    let raw: unknown;
    try {
      raw = await options.postBatch(JSON.stringify({ requests }), signal);
    } catch (e) {
      if (isGdapError(e) && e.kind === 'cancelled') {
        throw e;
      }
      const error = isGdapError(e) ? e : new GdapError({ kind: 'network', message: String(e) });
      for (const item of items) {
        fail(item.key, error);
      }
      return;
    }
    const durationMs = clock.now() - t0;
    // Other batches were served while this one was out (before any of its own items are counted).
    const servedElsewhere = served > servedAtSend;
    const parsed = batchResponseSchema.safeParse(raw);
    if (!parsed.success) {
      for (const item of items) {
        fail(
          item.key,
          new GdapError({
            kind: 'invalidResponse',
            message: 'Microsoft Graph sent a $batch response in an unexpected shape.',
            cause: parsed.error,
          }),
        );
      }
      return;
    }
    for (const r of parsed.data.responses) {
      const item = byId.get(r.id);
      if (item === undefined) {
        continue;
      }
      byId.delete(r.id);
      handleItem(item, r.status, headersOf(r.headers), r.body, durationMs, servedElsewhere);
    }
    // A sub-request the service left out of the answer: treat as transiently failed.
    for (const item of byId.values()) {
      handleItem(item, 503, {}, undefined, durationMs, servedElsewhere);
    }
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) {
        throw cancelledError();
      }
      if (sourceError !== undefined) {
        throw sourceError;
      }
      await options.gate?.wait(signal);
      const batch = takeReady();
      if (batch.length > 0) {
        inFlight++;
        try {
          await sendBatch(batch);
        } finally {
          inFlight--;
          notifyIdle();
        }
        continue;
      }
      if (sourceOpen) {
        // Woken by the source (more reads, its end) or by a finished batch (retries, follow-ups).
        await idle;
        continue;
      }
      if (queue.length === 0) {
        if (inFlight === 0) {
          return;
        }
        // Another worker's batch may still re-queue items or follow-ups.
        await idle;
        continue;
      }
      const wait = Math.max(1, Math.min(...queue.map((p) => p.notBefore)) - clock.now());
      await clock.sleep(wait, signal);
    }
  };

  if (streamed) {
    // Workers waiting for the source must notice a cancellation without it.
    signal?.addEventListener('abort', notifyIdle, { once: true });
    void (async (): Promise<void> => {
      try {
        for await (const group of reads) {
          for (const r of group) {
            queue.push(fresh(r.key, r.url));
          }
          notifyIdle();
          if (sourceError !== undefined || signal?.aborted) {
            break;
          }
        }
      } catch (e) {
        sourceError = isGdapError(e) ? e : new GdapError({ kind: 'invalidResponse', message: String(e) });
      } finally {
        sourceOpen = false;
        notifyIdle();
      }
    })();
  }
  const lanes = streamed ? concurrency : Math.min(concurrency, Math.max(1, Math.ceil(queue.length / size)));
  const workers = Array.from({ length: lanes }, () => worker());
  try {
    await Promise.all(workers);
  } finally {
    signal?.removeEventListener('abort', notifyIdle);
  }
  if (sourceError !== undefined) {
    throw sourceError;
  }
  return outcomes;
}
