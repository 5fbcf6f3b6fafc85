import type { Clock } from './clock';

/**
 * Shared back-pressure: when any request or `$batch` sub-request is throttled, every worker that
 * passes this gate waits until the service's Retry-After has elapsed, instead of each worker
 * discovering the limit on its own (docs/api-notes.md §9.2).
 */
export class ThrottleGate {
  private resumeAt = 0;
  private throttledCount = 0;

  constructor(private readonly clock: Clock) {}

  /** Waits while the gate is closed. */
  async wait(signal?: AbortSignal): Promise<void> {
    // Loop: the gate may be pushed further out while we sleep.
    for (let i = 0; i < 1000; i++) {
      const delay = this.resumeAt - this.clock.now();
      if (delay <= 0) {
        return;
      }
      await this.clock.sleep(delay, signal);
    }
  }

  /** Closes the gate for `delayMs` (never shortens an existing pause). */
  notifyThrottled(delayMs: number): void {
    this.throttledCount++;
    this.resumeAt = Math.max(this.resumeAt, this.clock.now() + Math.max(0, delayMs));
  }

  /** How many throttling signals were seen (for logs and benchmarks). */
  get throttled(): number {
    return this.throttledCount;
  }

  /** Milliseconds until the gate opens (0 when open). */
  pendingMs(): number {
    return Math.max(0, this.resumeAt - this.clock.now());
  }
}
