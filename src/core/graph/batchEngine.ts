import { getMaxListeners, setMaxListeners } from 'node:events';
import type { Clock } from '../http/clock';
import { cancelledError, errorFromParsedResponse, getHeader } from '../http/errorMapping';
import { GdapError, isGdapError } from '../http/gdapError';
import { redact } from '../http/redact';
import type { RequestLogger } from '../http/requestLog';
import { type ResolvedRetryPolicy, retryBackoff } from '../http/retryPolicy';
import type { ThrottleGate } from '../http/throttleGate';
import type { BackoffSchedule } from '../time/backoff';
import {
  batchSizeOf,
  holdForSource,
  judgeItemRetry,
  laneCount,
  packBatch,
  type QueuedRead,
  queuedRead,
  readyCount,
  untilNextDue,
  Wakeup,
} from './batchScheduler';
import { fastBatchResponse } from './fastSchemas';
import { batchResponseSchema } from './schemas';

export { MAX_BATCH_SIZE } from './batchScheduler';

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

/** What a key does after a successful sub-response: finish, read a follow-up (the next page), or fail. */
export type BatchStep =
  { readonly kind: 'done' } | { readonly kind: 'next'; readonly read: BatchRead } | { readonly kind: 'failed'; readonly error: GdapError };

export const BATCH_DONE: BatchStep = { kind: 'done' };

/**
 * Called with each successful (2xx) sub-response of `key`. A follow-up read keeps the same key (a
 * nextLink chain stays sequential); a `failed` step fails only this key.
 */
export type BatchContinuation = (key: string, response: BatchSubResponse) => BatchStep;

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
  /** Told each key's outcome once, as soon as it is final (before the run ends). */
  readonly onSettled?: (key: string, outcome: BatchOutcome) => void;
}

function headersOf(raw: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === null || raw === undefined) {
    return out;
  }
  // Keys by index rather than Object.entries: one sub-response each, thousands per inventory.
  const keys = Object.keys(raw);
  for (let i = 0; i < keys.length; i++) {
    const v = raw[keys[i]];
    if (typeof v === 'string') {
      out[keys[i].toLowerCase()] = v;
    } else if (typeof v === 'number') {
      out[keys[i].toLowerCase()] = String(v);
    }
  }
  return out;
}

function isAsyncIterable<T>(x: unknown): x is AsyncIterable<T> {
  return typeof (x as { [Symbol.asyncIterator]?: unknown } | null)?.[Symbol.asyncIterator] === 'function';
}

function asGdapError(e: unknown, kind: 'network' | 'invalidResponse'): GdapError {
  return isGdapError(e) ? e : new GdapError({ kind, message: e instanceof Error ? e.message : String(e) });
}

/** The state of one engine run, shared by its workers; the policies live in batchScheduler.ts. */
class BatchRun {
  readonly queue: QueuedRead[] = [];
  readonly outcomes = new Map<string, BatchOutcome>();
  readonly wakeup = new Wakeup();
  readonly size: number;
  sourceOpen = false;
  sourceError: GdapError | undefined;
  private readonly backoff: BackoffSchedule;
  private readonly throttledAtStart: number;
  /** Sub-responses served (2xx) so far, across all batches: tells a shared rate limit from a stuck item. */
  private served = 0;
  private inFlight = 0;

  constructor(
    private readonly continuation: BatchContinuation,
    private readonly options: BatchEngineOptions,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.size = batchSizeOf(options.batchSize);
    this.backoff = retryBackoff(options.policy);
    this.throttledAtStart = options.gate?.throttled ?? 0;
  }

  enqueue(read: BatchRead): void {
    this.queue.push(queuedRead(read.key, read.url, this.options.clock.now()));
  }

  private settle(key: string, outcome: BatchOutcome): void {
    if (!this.outcomes.has(key)) {
      this.outcomes.set(key, outcome);
      this.options.onSettled?.(key, outcome);
    }
  }

  private takeReady(): QueuedRead[] {
    const now = this.options.clock.now();
    const hold = holdForSource({
      sourceOpen: this.sourceOpen,
      // Only whether a full batch is due matters here: stop counting there.
      ready: readyCount(this.queue, now, this.size),
      batchSize: this.size,
      throttledSinceStart: (this.options.gate?.throttled ?? 0) > this.throttledAtStart,
    });
    return hold ? [] : packBatch(this.queue, now, this.size);
  }

  private handleItem(item: QueuedRead, sub: BatchSubResponse, durationMs: number, servedElsewhere: boolean): void {
    const { clock, log, gate, policy } = this.options;
    const requestId = getHeader(sub.headers, 'request-id');
    log?.({ method: 'GET', url: redact(item.url), status: sub.status, durationMs, attempt: item.attempts, requestId, note: '$batch item' });
    if (sub.status >= 200 && sub.status < 300) {
      this.served++;
      let step: BatchStep;
      try {
        step = this.continuation(item.key, sub);
      } catch (e) {
        step = { kind: 'failed', error: asGdapError(e, 'invalidResponse') };
      }
      if (step.kind === 'next') {
        this.enqueue(step.read);
      } else {
        this.settle(item.key, step.kind === 'done' ? { ok: true } : { ok: false, error: step.error });
      }
      return;
    }
    const decision = judgeItemRetry(item, { ...sub, servedElsewhere }, clock.now(), policy, this.backoff);
    if (decision.throttled && decision.delayMs !== undefined) {
      gate?.notifyThrottled(decision.delayMs);
    }
    if (decision.retry) {
      item.notBefore = clock.now() + decision.delayMs;
      this.queue.push(item);
      return;
    }
    const error = errorFromParsedResponse(
      sub.status,
      sub.headers,
      sub.body,
      { service: 'graph', method: 'GET', url: item.url },
      clock.now(),
    );
    this.settle(item.key, { ok: false, error });
  }

  private async sendBatch(items: QueuedRead[]): Promise<void> {
    const byId = new Map<string, QueuedRead>();
    const requests = items.map((item, i) => {
      const id = String(i + 1);
      item.attempts++;
      item.charged++;
      byId.set(id, item);
      return { id, method: 'GET', url: item.url };
    });
    const t0 = this.options.clock.now();
    const servedAtSend = this.served;
    let raw: unknown;
    try {
      raw = await this.options.postBatch(JSON.stringify({ requests }), this.signal);
    } catch (e) {
      if (isGdapError(e) && e.kind === 'cancelled') {
        throw e;
      }
      items.forEach((item) => this.settle(item.key, { ok: false, error: asGdapError(e, 'network') }));
      return;
    }
    const durationMs = this.options.clock.now() - t0;
    // Other batches were served while this one was out (before any of its own items are counted).
    const servedElsewhere = this.served > servedAtSend;
    // The usual shape is checked by hand (fastSchemas.ts); anything else goes through the zod schema.
    let responses = fastBatchResponse(raw)?.responses;
    if (responses === undefined) {
      const parsed = batchResponseSchema.safeParse(raw);
      if (!parsed.success) {
        const message = 'Microsoft Graph sent a $batch response in an unexpected shape.';
        const error = new GdapError({ kind: 'invalidResponse', message, cause: parsed.error });
        items.forEach((item) => this.settle(item.key, { ok: false, error }));
        return;
      }
      responses = parsed.data.responses;
    }
    for (const r of responses) {
      const item = byId.get(r.id);
      if (item !== undefined) {
        byId.delete(r.id);
        this.handleItem(item, { status: r.status, headers: headersOf(r.headers), body: r.body }, durationMs, servedElsewhere);
      }
    }
    // A sub-request the service left out of the answer: treat as transiently failed.
    for (const item of byId.values()) {
      this.handleItem(item, { status: 503, headers: {}, body: undefined }, durationMs, servedElsewhere);
    }
  }

  async worker(): Promise<void> {
    for (;;) {
      if (this.signal?.aborted) {
        throw cancelledError();
      }
      if (this.sourceError !== undefined) {
        throw this.sourceError;
      }
      await this.options.gate?.wait(this.signal);
      const batch = this.takeReady();
      if (batch.length > 0) {
        this.inFlight++;
        try {
          await this.sendBatch(batch);
        } finally {
          this.inFlight--;
          this.wakeup.notify();
        }
      } else if (this.sourceOpen || (this.queue.length === 0 && this.inFlight > 0)) {
        // Woken by the source (more reads, its end) or by a finished batch (retries, follow-ups).
        await this.wakeup.wait();
      } else if (this.queue.length === 0) {
        return;
      } else {
        await this.options.clock.sleep(untilNextDue(this.queue, this.options.clock.now()), this.signal);
      }
    }
  }

  /** Feeds a streamed source into the queue; its failure stops the run. */
  async pump(source: AsyncIterable<readonly BatchRead[]>): Promise<void> {
    this.sourceOpen = true;
    try {
      for await (const group of source) {
        group.forEach((r) => this.enqueue(r));
        this.wakeup.notify();
        if (this.sourceError !== undefined || this.signal?.aborted) {
          break;
        }
      }
    } catch (e) {
      this.sourceError = asGdapError(e, 'invalidResponse');
    } finally {
      this.sourceOpen = false;
      this.wakeup.notify();
    }
  }
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
 * open, batches wait for the source to end (it is usually a paged list that must complete).
 *
 * Resolves with exactly one outcome per key it was given (a failing key never fails the others);
 * rejects only when cancelled or when the source throws (with that error; no new batches start).
 */
export async function runBatchedReads(
  reads: readonly BatchRead[] | AsyncIterable<readonly BatchRead[]>,
  continuation: BatchContinuation,
  options: BatchEngineOptions,
  signal?: AbortSignal,
): Promise<Map<string, BatchOutcome>> {
  const run = new BatchRun(continuation, options, signal);
  const streamed = isAsyncIterable<readonly BatchRead[]>(reads);
  const onAbort = (): void => run.wakeup.notify();
  if (streamed) {
    // Workers waiting for the source must notice a cancellation without it.
    signal?.addEventListener('abort', onAbort, { once: true });
    void run.pump(reads);
  } else {
    reads.forEach((r) => run.enqueue(r));
  }
  const lanes = laneCount({ concurrency: options.concurrency, streamed, queued: run.queue.length, batchSize: run.size });
  if (signal !== undefined) {
    // Each lane's request listens on the caller's signal next to the caller's own requests (e.g. the next
    // relationship page): room for all of them, so Node does not warn of a listener leak.
    setMaxListeners(Math.max(getMaxListeners(signal), lanes + 10), signal);
  }
  try {
    await Promise.all(Array.from({ length: lanes }, () => run.worker()));
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (run.sourceError !== undefined) {
    throw run.sourceError;
  }
  return run.outcomes;
}
