import type { Clock } from '../http/clock';
import type { BackoffSchedule } from './backoff';

/** What one probe of a poll concluded. */
export type PollVerdict<R> =
  | { readonly done: true; readonly value: R }
  /** Not yet: wait `retryAfterMs` when the service said how long (Retry-After), else the schedule's interval. */
  | { readonly done: false; readonly retryAfterMs?: number };

export interface PollOptions<T, R> {
  readonly clock: Clock;
  /** One read of the thing being waited for; `attempt` counts from 1. Its errors end the poll. */
  readonly probe: (attempt: number) => Promise<T>;
  /** Decides after each probe whether the wait is over (may throw to fail the poll). */
  readonly verdict: (value: T, attempt: number) => PollVerdict<R>;
  /** Interval after probe `attempt` when the verdict gives no Retry-After. */
  readonly interval: BackoffSchedule;
  /** Deadline, from the call: a wait that would end after it is not started. */
  readonly timeoutMs: number;
  /** Wait before the first probe (e.g. the Retry-After of a 202). Default: probe at once. */
  readonly firstDelayMs?: number;
  /** Aborting rejects the pending wait (kind `cancelled`, from the clock). */
  readonly signal?: AbortSignal;
  /** The error to throw at the deadline; gets the last probe's value (undefined when none ran). */
  readonly onTimeout: (last: T | undefined) => Error;
}

/**
 * Poll until done: probe, ask the verdict, wait (Retry-After or the schedule), repeat until the verdict
 * says done, the deadline would pass during the next wait, or the signal aborts. All time comes from
 * `clock`, so tests drive it virtually.
 */
export async function pollUntil<T, R>(options: PollOptions<T, R>): Promise<R> {
  const { clock } = options;
  const deadline = clock.now() + options.timeoutMs;
  let delay = options.firstDelayMs;
  let last: T | undefined;
  for (let attempt = 1; ; attempt++) {
    if (delay !== undefined) {
      if (clock.now() + delay > deadline) {
        throw options.onTimeout(last);
      }
      await clock.sleep(delay, options.signal);
    }
    last = await options.probe(attempt);
    const verdict = options.verdict(last, attempt);
    if (verdict.done) {
      return verdict.value;
    }
    delay = verdict.retryAfterMs ?? options.interval(attempt);
  }
}
