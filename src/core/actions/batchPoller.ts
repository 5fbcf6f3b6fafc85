import type { BatchItemResult } from '../graph/gdapApi';
import { systemClock, type Clock } from '../http/clock';
import { isGdapError, type GdapErrorKind } from '../http/gdapError';
import type { Message } from '../messages';

/** What one polled item says: reached its end state, still on its way, or failed for good. */
export interface PollVerdict {
  readonly state: 'done' | 'pending' | 'failed';
  readonly status: string | null;
  readonly message?: string;
  /** `message` as a code with parameters, for a face that translates it. */
  readonly messageCode?: Message;
  /** Kind of error to report when `failed`. */
  readonly errorKind?: GdapErrorKind;
}

export interface WaitOutcome {
  readonly state: 'done' | 'failed' | 'timeout' | 'cancelled';
  /** Last observed status (null when never observed). */
  readonly status: string | null;
  readonly message?: string;
  readonly messageCode?: Message;
  readonly errorKind?: GdapErrorKind;
}

export interface BatchPollerOptions {
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  /** Time source (default: the system clock). */
  readonly clock?: Clock;
  /** Called when a target's observed status changes. */
  readonly onStatus?: (key: string, status: string) => void;
}

interface Waiter<V> {
  readonly judge: (item: BatchItemResult<V>) => PollVerdict;
  readonly deadline: number;
  status: string | null;
  resolve(outcome: WaitOutcome): void;
}

/** Sleeps on `clock`; an abort ends the sleep early (the loop then settles everyone as cancelled). */
function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return clock.sleep(ms, signal).catch(() => undefined);
}

/**
 * Waits for many targets' terminal states with one batched read per tick for all of them (bulk
 * mutations poll in batches), instead of one polling loop per target.
 * Targets join whenever their mutation is accepted; the loop runs while anyone waits.
 */
export class BatchPoller<V> {
  private readonly waiters = new Map<string, Waiter<V>>();
  private running = false;
  private readonly clock: Clock;

  constructor(
    private readonly readMany: (keys: string[], signal: AbortSignal | undefined) => Promise<Map<string, BatchItemResult<V>>>,
    private readonly options: BatchPollerOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  waitFor(
    key: string,
    judge: (item: BatchItemResult<V>) => PollVerdict,
    timeoutMs: number,
    initialStatus: string | null = null,
  ): Promise<WaitOutcome> {
    if (this.options.signal?.aborted === true) {
      return Promise.resolve({ state: 'cancelled', status: initialStatus });
    }
    return new Promise<WaitOutcome>((resolve) => {
      this.waiters.set(key, { judge, deadline: this.clock.now() + timeoutMs, status: initialStatus, resolve });
      if (!this.running) {
        this.running = true;
        void this.loop();
      }
    });
  }

  private settle(key: string, outcome: WaitOutcome): void {
    const waiter = this.waiters.get(key);
    if (waiter !== undefined) {
      this.waiters.delete(key);
      waiter.resolve(outcome);
    }
  }

  private async loop(): Promise<void> {
    const { signal } = this.options;
    try {
      while (this.waiters.size > 0) {
        await sleep(this.clock, this.options.intervalMs, signal);
        if (signal?.aborted === true) {
          for (const [key, w] of [...this.waiters]) {
            this.settle(key, { state: 'cancelled', status: w.status });
          }
          break;
        }
        const keys = [...this.waiters.keys()];
        let results: Map<string, BatchItemResult<V>> | undefined;
        try {
          results = await this.readMany(keys, signal);
        } catch (error) {
          // A failed poll is not a failed target: try again next tick until the deadline.
          if (isGdapError(error) && error.kind === 'cancelled') {
            continue;
          }
        }
        for (const key of keys) {
          const waiter = this.waiters.get(key);
          const item = results?.get(key);
          if (waiter === undefined || item === undefined) {
            continue;
          }
          const verdict = waiter.judge(item);
          if (verdict.status !== null && verdict.status !== waiter.status) {
            waiter.status = verdict.status;
            this.options.onStatus?.(key, verdict.status);
          }
          if (verdict.state === 'done') {
            this.settle(key, { state: 'done', status: verdict.status });
          } else if (verdict.state === 'failed') {
            this.settle(key, {
              state: 'failed',
              status: verdict.status ?? waiter.status,
              ...(verdict.message !== undefined ? { message: verdict.message } : {}),
              ...(verdict.messageCode !== undefined ? { messageCode: verdict.messageCode } : {}),
              ...(verdict.errorKind !== undefined ? { errorKind: verdict.errorKind } : {}),
            });
          }
        }
        const now = this.clock.now();
        for (const [key, w] of [...this.waiters]) {
          if (now >= w.deadline) {
            this.settle(key, { state: 'timeout', status: w.status });
          }
        }
      }
    } finally {
      this.running = false;
      // A waiter may have joined between the last check and here.
      if (this.waiters.size > 0) {
        this.running = true;
        void this.loop();
      }
    }
  }
}
