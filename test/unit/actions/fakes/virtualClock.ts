import { GdapError } from '../../../../src/core/http/gdapError';
import type { Clock } from '../../../../src/core/http/clock';

/**
 * A clock whose time only moves when someone sleeps: each sleep advances `now` by its length and resolves
 * on the next turn of the event loop. Waits of minutes take no real time; `slept` records them.
 */
export class InstantClock implements Clock {
  private time = Date.parse('2026-01-01T00:00:00Z');
  readonly slept: number[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) {
      return Promise.reject(new GdapError({ kind: 'cancelled', message: 'Cancelled.' }));
    }
    this.slept.push(ms);
    this.time += Math.max(0, ms);
    return new Promise((resolve) => setImmediate(resolve));
  }
}
