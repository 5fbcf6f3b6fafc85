import { strict as assert } from 'node:assert';
import {
  batchSizeOf,
  holdForSource,
  judgeItemRetry,
  DEFAULT_BATCH_LANES,
  DEFAULT_FIXED_BATCH_LANES,
  laneCount,
  MAX_BATCH_SIZE,
  MAX_SENDS_FACTOR,
  packBatch,
  type QueuedRead,
  queuedRead,
  readyCount,
  untilNextDue,
  Wakeup,
} from '../../../../src/core/graph/batchScheduler';
import { resolveRetryPolicy, retryBackoff } from '../../../../src/core/http/retryPolicy';

const NOW = 1_700_000_000_000;
const queue = (n: number, notBefore: (i: number) => number = () => 0): QueuedRead[] =>
  Array.from({ length: n }, (_, i) => ({ ...queuedRead(`k${i}`, `/x/${i}`, NOW), notBefore: notBefore(i) }));

describe('batch scheduler policies', () => {
  describe('batch packing', () => {
    it('clamps the batch size to 1…20 (Graph $batch limit)', () => {
      assert.equal(MAX_BATCH_SIZE, 20);
      assert.deepEqual([undefined, 0, 7, 20, 50].map(batchSizeOf), [20, 1, 7, 20, 20]);
    });

    it('takes up to `size` due reads in queue order and leaves the rest (and the not-yet-due) queued', () => {
      const q = queue(30, (i) => (i % 3 === 0 ? NOW + 5000 : 0));
      assert.equal(readyCount(q, NOW), 20);
      const picked = packBatch(q, NOW, 20);
      assert.equal(picked.length, 20);
      assert.ok(picked.every((p) => p.notBefore <= NOW));
      assert.deepEqual(
        picked.slice(0, 4).map((p) => p.key),
        ['k1', 'k2', 'k4', 'k5'],
      );
      assert.equal(q.length, 10);
      assert.ok(q.every((p) => p.notBefore > NOW));
      assert.deepEqual(packBatch(q, NOW, 20), []);
      assert.equal(packBatch(q, NOW + 5000, 4).length, 4);
    });

    it('keeps the reads it passes over and the ones after, in queue order', () => {
      const q = queue(50, (i) => (i % 4 === 1 ? NOW + 5000 : 0));
      const before = q.map((p) => p.key);
      const picked = packBatch(q, NOW, 20);
      const pickedKeys = new Set(picked.map((p) => p.key));
      assert.deepEqual(
        picked.map((p) => p.key),
        before.filter((k, i) => i % 4 !== 1).slice(0, 20),
      );
      assert.deepEqual(
        q.map((p) => p.key),
        before.filter((k) => !pickedKeys.has(k)),
      );
    });

    it('counts due reads up to a limit', () => {
      const q = queue(30, (i) => (i % 3 === 0 ? NOW + 5000 : 0));
      assert.equal(readyCount(q, NOW, 5), 5);
      assert.equal(readyCount(q, NOW, 100), 20);
    });
  });

  describe('concurrency', () => {
    it('starts no more workers than a fixed list has batches, all of them for a stream', () => {
      assert.equal(laneCount({ concurrency: 4, streamed: false, queued: 30, batchSize: 20 }), 2);
      assert.equal(laneCount({ concurrency: 4, streamed: false, queued: 500, batchSize: 20 }), 4);
      assert.equal(laneCount({ concurrency: 4, streamed: false, queued: 0, batchSize: 20 }), 1);
      assert.equal(laneCount({ streamed: false, queued: 1000, batchSize: 20 }), 4, 'a fixed list: default 4');
      assert.equal(laneCount({ streamed: true, queued: 0, batchSize: 20 }), 15, 'a streamed read: default 15');
      assert.equal(DEFAULT_BATCH_LANES, 15, "one relationship page's worth of batches (300 / 20)");
      assert.equal(DEFAULT_FIXED_BATCH_LANES, 4);
      assert.equal(laneCount({ concurrency: 6, streamed: true, queued: 0, batchSize: 20 }), 6);
      assert.equal(laneCount({ concurrency: 0, streamed: true, queued: 0, batchSize: 20 }), 1);
    });
  });

  describe('stream hold', () => {
    it('holds partial batches while the source is open, and everything once throttled; never after it ends', () => {
      const base = { batchSize: 20, throttledSinceStart: false };
      assert.equal(holdForSource({ ...base, sourceOpen: true, ready: 19 }), true);
      assert.equal(holdForSource({ ...base, sourceOpen: true, ready: 20 }), false);
      assert.equal(holdForSource({ ...base, sourceOpen: true, ready: 40, throttledSinceStart: true }), true);
      assert.equal(holdForSource({ ...base, sourceOpen: false, ready: 1, throttledSinceStart: true }), false);
    });
  });

  describe('throttle hold', () => {
    it('sleeps until the earliest queued read is due, at least 1 ms', () => {
      assert.equal(
        untilNextDue(
          queue(3, (i) => NOW + 1000 * (3 - i)),
          NOW,
        ),
        1000,
      );
      assert.equal(untilNextDue(queue(2), NOW), 1);
    });

    it('handles a queue far longer than a call can take arguments', () => {
      assert.equal(
        untilNextDue(
          queue(300_000, (i) => NOW + 10 + (i % 7)),
          NOW,
        ),
        10,
      );
    });
  });

  describe('per-item retry', () => {
    const policy = resolveRetryPolicy({ random: () => 0.5, maxAttempts: 3 });
    const backoff = retryBackoff(policy);
    const sent = (item: QueuedRead): QueuedRead => {
      item.attempts++;
      item.charged++;
      return item;
    };

    it('retries 429/503/504 after the item Retry-After, else the backoff; 429/503 close the shared gate', () => {
      const item = sent(queue(1)[0]);
      assert.deepEqual(
        judgeItemRetry(item, { status: 429, headers: { 'retry-after': '7' }, servedElsewhere: false }, NOW, policy, backoff),
        {
          retry: true,
          delayMs: 7000,
          throttled: true,
        },
      );
      assert.deepEqual(judgeItemRetry(item, { status: 504, headers: {}, servedElsewhere: false }, NOW, policy, backoff), {
        retry: true,
        delayMs: backoff(1),
        throttled: false,
      });
      assert.deepEqual(judgeItemRetry(item, { status: 404, headers: {}, servedElsewhere: false }, NOW, policy, backoff), {
        retry: false,
        throttled: false,
      });
    });

    it('gives up after maxAttempts charged sends, past the time budget or beyond the Retry-After cap', () => {
      const item = queue(1)[0];
      for (let i = 0; i < 3; i++) {
        sent(item);
      }
      assert.equal(judgeItemRetry(item, { status: 503, headers: {}, servedElsewhere: false }, NOW, policy, backoff).retry, false);
      const fresh = sent(queue(1)[0]);
      const late = NOW + policy.budgetMs;
      assert.equal(judgeItemRetry(fresh, { status: 503, headers: {}, servedElsewhere: false }, late, policy, backoff).retry, false);
      const longWait = { status: 429, headers: { 'retry-after': String(policy.maxRetryAfterMs / 1000 + 1) }, servedElsewhere: false };
      assert.equal(judgeItemRetry(fresh, longWait, NOW, policy, backoff).retry, false);
    });

    it('does not charge a 429 while other batches were served (a shared rate limit), within a hard cap on sends', () => {
      const item = queue(1)[0];
      let retries = 0;
      for (;;) {
        sent(item);
        const d = judgeItemRetry(item, { status: 429, headers: { 'retry-after': '1' }, servedElsewhere: true }, NOW, policy, backoff);
        if (!d.retry) {
          break;
        }
        retries++;
      }
      assert.equal(item.attempts, policy.maxAttempts * MAX_SENDS_FACTOR);
      assert.equal(retries, item.attempts - 1);
      assert.equal(item.charged, 0, 'none of the shared-limit attempts was charged');
    });
  });

  describe('wakeup', () => {
    it('wakes every waiter at the next notify, and later waiters wait for the next one', async () => {
      const w = new Wakeup();
      const woken: string[] = [];
      const a = w.wait().then(() => woken.push('a'));
      const b = w.wait().then(() => woken.push('b'));
      w.notify();
      await Promise.all([a, b]);
      let c = false;
      void w.wait().then(() => (c = true));
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(woken.sort(), ['a', 'b']);
      assert.equal(c, false);
      w.notify();
      await new Promise((r) => setImmediate(r));
      assert.equal(c, true);
    });
  });
});
