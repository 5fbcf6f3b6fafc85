import { getHeader, parseRetryAfter } from '../http/errorMapping';
import type { ResolvedRetryPolicy } from '../http/retryPolicy';
import type { BackoffSchedule } from '../time/backoff';

/**
 * The scheduling policies of the `$batch` request engine (docs/api-notes.md §9.2, §9.3), each a small
 * pure function so it can be tested on its own: what goes into the next batch, how many batches run
 * at once, when a streamed source holds batches back, and whether a failed sub-request is retried.
 * The engine (batchEngine.ts) only wires them to the network and the clock.
 */

/** Graph accepts at most 20 requests in one JSON batch (docs/api-notes.md §9.3). */
export const MAX_BATCH_SIZE = 20;

/** One read waiting in the engine's queue. */
export interface QueuedRead {
  readonly key: string;
  readonly url: string;
  /** Sends so far. */
  attempts: number;
  /** Sends counted against `maxAttempts` (see the shared-rate-limit rule in judgeItemRetry). */
  charged: number;
  /** Not to be sent before this clock time (a Retry-After or backoff). */
  notBefore: number;
  /** Clock time of the first send of this read: the time budget counts from it. */
  readonly firstTriedAt: number;
}

export function queuedRead(key: string, url: string, now: number): QueuedRead {
  return { key, url, attempts: 0, charged: 0, notBefore: 0, firstTriedAt: now };
}

/** Batch packing: the requested size clamped to 1…20. */
export function batchSizeOf(requested: number | undefined): number {
  return Math.max(1, Math.min(MAX_BATCH_SIZE, requested ?? MAX_BATCH_SIZE));
}

/**
 * Batches in flight at once for a streamed read when the caller does not say: one relationship page's
 * worth (300 ÷ 20 = 15). No GDAP-specific limit is published (docs/api-notes.md §9.2, §9.3); every
 * sub-request is throttled on its own and a 429 slows all lanes through the shared gate. The
 * inventory's assignment batches overlap the relationship pages, and each page brings up to 15 batches
 * of reads: with fewer lanes the batches fell behind the pages (at 10,000 customers, with 8 lanes, the
 * last batch came back 0.75 s after the last page), with 15 they keep pace (BENCHMARKS.md, "Batch lanes"
 * and "Inventory, fifth pass").
 */
export const DEFAULT_BATCH_LANES = 15;

/**
 * Batches in flight at once for a fixed list (a bulk action's reads and its polls). Under a rate limit the
 * polls of a 1,000-relationship terminate at 8 lanes came round faster, charged 38 % more requests and
 * took the sends' share of the limit: 300 s instead of 224 s (scenario 8). Polls are paced by their
 * interval, not by how many batches fly, so these keep 4.
 */
export const DEFAULT_FIXED_BATCH_LANES = 4;

/**
 * Concurrency: how many workers to start. A fixed list needs no more lanes than it has batches; a
 * streamed source may grow, so it gets all of them.
 */
export function laneCount(options: { concurrency?: number; streamed: boolean; queued: number; batchSize: number }): number {
  const concurrency = Math.max(1, options.concurrency ?? (options.streamed ? DEFAULT_BATCH_LANES : DEFAULT_FIXED_BATCH_LANES));
  return options.streamed ? concurrency : Math.min(concurrency, Math.max(1, Math.ceil(options.queued / options.batchSize)));
}

/**
 * Stream hold: while a streamed source is still producing, hold a batch back when it would not be
 * full (the remainder is carried, so the `$batch` count equals that of the whole list at once), and
 * hold everything once anything was throttled (those batches would take the rate limit from the
 * source's own reads, e.g. a list's next pages, which must finish first).
 */
export function holdForSource(state: { sourceOpen: boolean; ready: number; batchSize: number; throttledSinceStart: boolean }): boolean {
  return state.sourceOpen && (state.ready < state.batchSize || state.throttledSinceStart);
}

/**
 * Batch packing: removes and returns up to `size` reads that are due at `now`, in queue order. One pass
 * and one splice: at 10,000 customers the queue holds ≈ 12,000 reads, and removing them one splice at a
 * time moved the whole queue for every item.
 */
export function packBatch(queue: QueuedRead[], now: number, size: number): QueuedRead[] {
  const picked: QueuedRead[] = [];
  let kept = 0;
  let i = 0;
  for (; i < queue.length && picked.length < size; i++) {
    const read = queue[i];
    if (read.notBefore <= now) {
      picked.push(read);
    } else {
      queue[kept++] = read;
    }
  }
  // queue[0, kept) are the passed-over reads in order, queue[i, …) untouched: drop the gap between.
  queue.splice(kept, i - kept);
  return picked;
}

/** How many queued reads are due at `now`, counting no further than `limit` (the caller's threshold). */
export function readyCount(queue: readonly QueuedRead[], now: number, limit = Infinity): number {
  let n = 0;
  for (let i = 0; i < queue.length && n < limit; i++) {
    if (queue[i].notBefore <= now) {
      n++;
    }
  }
  return n;
}

/** Throttle hold: how long an idle worker sleeps until the earliest queued read is due (at least 1 ms). */
export function untilNextDue(queue: readonly QueuedRead[], now: number): number {
  // A loop, not Math.min(...queue): a spread of tens of thousands of arguments can overflow the stack.
  let earliest = Infinity;
  for (const p of queue) {
    earliest = Math.min(earliest, p.notBefore);
  }
  return Math.max(1, earliest - now);
}

/** Sub-request statuses retried per item. */
export const PER_ITEM_RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);
/** Hard bound on sends of one item, however its throttled attempts were counted (the time budget bounds it too). */
export const MAX_SENDS_FACTOR = 20;

export type ItemRetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly throttled: boolean }
  | { readonly retry: false; readonly throttled: boolean; readonly delayMs?: number };

/**
 * Per-item retry: whether a failed sub-request goes back into the queue, and after how long
 * (its own Retry-After, else the policy's backoff). `throttled` tells the engine to close the shared
 * throttle gate for `delayMs`. A 429 while other batches were being served is the caller's shared
 * rate limit (docs/api-notes.md §9.2), not a problem with this item: under a sustained limit every
 * item would otherwise run out of attempts while the service keeps serving others, so such an attempt
 * is not charged; the time budget and a hard cap on sends still bound the retries. Mutates
 * `item.charged` accordingly.
 */
export function judgeItemRetry(
  item: QueuedRead,
  sub: { status: number; headers: Readonly<Record<string, string>>; servedElsewhere: boolean },
  now: number,
  policy: ResolvedRetryPolicy,
  backoff: BackoffSchedule,
): ItemRetryDecision {
  if (!PER_ITEM_RETRY_STATUSES.has(sub.status)) {
    return { retry: false, throttled: false };
  }
  const retryAfterMs = parseRetryAfter(getHeader(sub.headers, 'retry-after'), now);
  const delayMs = retryAfterMs ?? backoff(item.attempts);
  const throttled = sub.status === 429 || sub.status === 503;
  if (sub.status === 429 && sub.servedElsewhere) {
    item.charged--;
  }
  const withinBudget = now + delayMs - item.firstTriedAt <= policy.budgetMs;
  const withinCap = retryAfterMs === undefined || retryAfterMs <= policy.maxRetryAfterMs;
  const withinAttempts = item.charged < policy.maxAttempts && item.attempts < policy.maxAttempts * MAX_SENDS_FACTOR;
  return withinAttempts && withinBudget && withinCap ? { retry: true, delayMs, throttled } : { retry: false, delayMs, throttled };
}

/** Lets idle workers wait for "something changed" (a finished batch, more reads, the source's end) instead of polling. */
export class Wakeup {
  private wake: () => void = () => undefined;
  private pending: Promise<void>;

  constructor() {
    this.pending = this.next();
  }

  private next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }

  /** Resolves at the next notify(). */
  wait(): Promise<void> {
    return this.pending;
  }

  notify(): void {
    const wake = this.wake;
    this.pending = this.next();
    wake();
  }
}
