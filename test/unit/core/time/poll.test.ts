import { strict as assert } from 'node:assert';
import { isGdapError } from '../../../../src/core/http/gdapError';
import { backoffSchedule } from '../../../../src/core/time/backoff';
import { pollUntil } from '../../../../src/core/time/poll';
import { VirtualClock } from '../helpers/testServer';

describe('backoffSchedule', () => {
  it('grows by the factor from the initial delay and stops at the cap', () => {
    const s = backoffSchedule({ initialMs: 1000, maxMs: 5000, factor: 1.5 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(s), [1000, 1500, 2250, 3375, 5000, 5000]);
    const doubling = backoffSchedule({ initialMs: 100, maxMs: 10_000 });
    assert.deepEqual([1, 2, 3, 4].map(doubling), [100, 200, 400, 800]);
  });

  it('applies equal jitter from the injected source: half fixed, half random', () => {
    const low = backoffSchedule({ initialMs: 1000, maxMs: 30_000, random: () => 0 });
    const high = backoffSchedule({ initialMs: 1000, maxMs: 30_000, random: () => 0.999 });
    assert.deepEqual([1, 2, 3].map(low), [500, 1000, 2000]);
    assert.deepEqual([1, 2, 3].map(high), [1000, 1999, 3998]);
    // The cap applies before the jitter: never above maxMs, never below half of it.
    const capped = backoffSchedule({ initialMs: 1000, maxMs: 4000, random: () => 0.5 });
    assert.equal(capped(20), 3000);
  });

  it('never returns a negative or non-finite delay, even for attempt 0 or a huge attempt', () => {
    const s = backoffSchedule({ initialMs: 1000, maxMs: 30_000, random: () => 0.5 });
    for (const attempt of [0, -3, 1, 2000]) {
      const d = s(attempt);
      assert.ok(Number.isFinite(d) && d >= 0, `attempt ${attempt} gave ${d}`);
    }
  });
});

describe('pollUntil (virtual clock)', () => {
  const interval = backoffSchedule({ initialMs: 1000, maxMs: 4000, factor: 2 });

  it('probes until the verdict says done, waiting the schedule between probes', async () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const result = await pollUntil({
      clock,
      probe: (attempt) => Promise.resolve(attempt),
      verdict: (n) => {
        seen.push(n);
        return n === 4 ? { done: true, value: `done after ${n}` } : { done: false };
      },
      interval,
      timeoutMs: 60_000,
      onTimeout: () => new Error('timeout'),
    });
    assert.equal(result, 'done after 4');
    assert.deepEqual(seen, [1, 2, 3, 4]);
    assert.deepEqual(clock.sleeps, [1000, 2000, 4000], 'no wait before the first probe, none after the last');
  });

  it('honours a first delay and the Retry-After the verdict reports over the schedule', async () => {
    const clock = new VirtualClock();
    await pollUntil({
      clock,
      probe: (attempt) => Promise.resolve(attempt),
      verdict: (n) => (n === 3 ? { done: true, value: n } : { done: false, retryAfterMs: n === 1 ? 7000 : undefined }),
      interval,
      timeoutMs: 60_000,
      firstDelayMs: 10_000,
      onTimeout: () => new Error('timeout'),
    });
    assert.deepEqual(clock.sleeps, [10_000, 7000, 2000]);
  });

  it('stops before a wait that would pass the deadline, with the last value for the message', async () => {
    const clock = new VirtualClock();
    const started = clock.now();
    let probes = 0;
    await assert.rejects(
      pollUntil({
        clock,
        probe: () => Promise.resolve(`state ${++probes}`),
        verdict: () => ({ done: false }),
        interval,
        timeoutMs: 10_000,
        onTimeout: (last) => new Error(`still ${String(last)}`),
      }),
      /still state 4/,
    );
    // 1000 + 2000 + 4000 = 7000 slept; the next 4000 would end at 11000 > 10000.
    assert.deepEqual(clock.sleeps, [1000, 2000, 4000]);
    assert.equal(clock.now() - started, 7000);
    assert.equal(probes, 4);
  });

  it('times out without probing when even the first delay passes the deadline', async () => {
    const clock = new VirtualClock();
    let probes = 0;
    await assert.rejects(
      pollUntil({
        clock,
        probe: () => Promise.resolve(++probes),
        verdict: () => ({ done: true, value: 1 }),
        interval,
        timeoutMs: 5000,
        firstDelayMs: 6000,
        onTimeout: (last) => new Error(`timeout, last ${String(last)}`),
      }),
      /timeout, last undefined/,
    );
    assert.equal(probes, 0);
  });

  it('is cancelled while waiting, and probe or verdict errors end the poll as they are', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    await assert.rejects(
      pollUntil({
        clock,
        probe: () => Promise.resolve(0),
        verdict: () => {
          controller.abort();
          return { done: false };
        },
        interval,
        timeoutMs: 60_000,
        signal: controller.signal,
        onTimeout: () => new Error('timeout'),
      }),
      (e: unknown) => isGdapError(e) && e.kind === 'cancelled',
    );
    await assert.rejects(
      pollUntil({
        clock,
        probe: () => Promise.reject(new Error('read failed')),
        verdict: () => ({ done: true, value: 0 }),
        interval,
        timeoutMs: 60_000,
        onTimeout: () => new Error('timeout'),
      }),
      /read failed/,
    );
    await assert.rejects(
      pollUntil({
        clock,
        probe: () => Promise.resolve(0),
        verdict: () => {
          throw new Error('bad state');
        },
        interval,
        timeoutMs: 60_000,
        onTimeout: () => new Error('timeout'),
      }),
      /bad state/,
    );
  });
});
