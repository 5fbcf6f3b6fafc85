import { strict as assert } from 'node:assert';
import { BATCH_DONE, type BatchRead, runBatchedReads } from '../../../../src/core/graph/batchEngine';
import { GdapError, isGdapError } from '../../../../src/core/http/gdapError';
import { resolveRetryPolicy } from '../../../../src/core/http/retryPolicy';
import { ThrottleGate } from '../../../../src/core/http/throttleGate';
import { VirtualClock } from '../helpers/testServer';

const reads = (from: number, n: number): BatchRead[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, url: `/items/${from + i}` }));
const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A source that hands on `groups` with a pause before each, recording what was sent by then. */
async function* paced(groups: BatchRead[][], sentSoFar: () => number, seen: number[]): AsyncGenerator<BatchRead[]> {
  for (const g of groups) {
    await tick(20);
    seen.push(sentSoFar());
    yield g;
  }
  await tick(20);
}

describe('batched reads from a streamed source', () => {
  it('sends only full batches while the source is open, carries the remainder and sends it at the end', async () => {
    const sent: string[][] = [];
    const seen: number[] = [];
    const postBatch = async (body: string): Promise<unknown> => {
      const { requests } = JSON.parse(body) as { requests: { id: string; url: string }[] };
      sent.push(requests.map((r) => r.url));
      await tick();
      return { responses: requests.map((r) => ({ id: r.id, status: 200, body: { ok: true } })) };
    };
    const source = paced([reads(0, 7), reads(7, 30), reads(37, 5)], () => sent.length, seen);
    const outcomes = await runBatchedReads(source, () => BATCH_DONE, {
      postBatch,
      clock: new VirtualClock(),
      policy: resolveRetryPolicy(),
      concurrency: 4,
    });
    assert.deepEqual(
      sent.map((b) => b.length),
      [20, 20, 2],
      'the same count as the 42 reads at once',
    );
    // Nothing before the source had 20; one full batch after 37 reads; the rest after it ended.
    assert.deepEqual(seen, [0, 0, 1]);
    assert.deepEqual(
      sent.flat(),
      reads(0, 42).map((r) => r.url),
      'in arrival order',
    );
    assert.equal(outcomes.size, 42);
    assert.ok([...outcomes.values()].every((o) => o.ok));
  });

  it('rejects with the source error and sends nothing more', async () => {
    const sent: number[] = [];
    const postBatch = async (body: string): Promise<unknown> => {
      const { requests } = JSON.parse(body) as { requests: { id: string }[] };
      sent.push(requests.length);
      await tick();
      return { responses: requests.map((r) => ({ id: r.id, status: 200, body: {} })) };
    };
    async function* failing(): AsyncGenerator<BatchRead[]> {
      yield reads(0, 25);
      await tick(30);
      throw new GdapError({ kind: 'forbidden', message: 'page 2 refused' });
    }
    await assert.rejects(
      runBatchedReads(failing(), () => BATCH_DONE, { postBatch, clock: new VirtualClock(), policy: resolveRetryPolicy(), concurrency: 4 }),
      (e: unknown) => isGdapError(e) && e.kind === 'forbidden',
    );
    await tick(30);
    assert.deepEqual(sent, [20], 'the 5 carried reads were never sent');
  });

  it('tells each key its final outcome once, while the source is still open', async () => {
    const settled: { key: string; ok: boolean; sourceOpen: boolean }[] = [];
    let sourceOpen = true;
    const postBatch = async (body: string): Promise<unknown> => {
      const { requests } = JSON.parse(body) as { requests: { id: string; url: string }[] };
      await tick();
      // /items/3 fails for good (404 is not retried); every other read is answered.
      return {
        responses: requests.map((r) =>
          r.url === '/items/3'
            ? { id: r.id, status: 404, body: { error: { code: 'NotFound', message: 'gone' } } }
            : { id: r.id, status: 200, body: {} },
        ),
      };
    };
    async function* source(): AsyncGenerator<BatchRead[]> {
      yield reads(0, 20);
      await tick(40);
      yield reads(20, 5);
      await tick(20);
      sourceOpen = false;
    }
    const outcomes = await runBatchedReads(source(), () => BATCH_DONE, {
      postBatch,
      clock: new VirtualClock(),
      policy: resolveRetryPolicy(),
      concurrency: 4,
      onSettled: (key, outcome) => settled.push({ key, ok: outcome.ok, sourceOpen }),
    });
    assert.equal(settled.length, 25, 'once per key');
    assert.equal(new Set(settled.map((s) => s.key)).size, 25);
    for (const s of settled) {
      assert.equal(s.ok, outcomes.get(s.key)?.ok, s.key);
    }
    assert.equal(settled.find((s) => s.key === 'k3')?.ok, false, 'a failure is told too');
    assert.ok(
      settled.filter((s) => Number(s.key.slice(1)) < 20).every((s) => s.sourceOpen),
      'the first batch was told before the source ended',
    );
  });

  it('stops when cancelled while waiting for the source', async () => {
    const controller = new AbortController();
    let release: () => void = () => undefined;
    async function* stalled(): AsyncGenerator<BatchRead[]> {
      yield reads(0, 3);
      await new Promise<void>((r) => (release = r));
    }
    const postBatch = (): Promise<unknown> => Promise.reject(new Error('nothing should be sent'));
    const run = runBatchedReads(
      stalled(),
      () => BATCH_DONE,
      { postBatch, clock: new VirtualClock(), policy: resolveRetryPolicy(), concurrency: 2 },
      controller.signal,
    );
    await tick(20);
    controller.abort();
    await assert.rejects(run, (e: unknown) => isGdapError(e) && e.kind === 'cancelled');
    release();
  });
});

describe('batched reads from a streamed source under throttling', () => {
  it('holds further batches while the source is open once anything was throttled, then sends them', async () => {
    const sent: number[] = [];
    const seen: number[] = [];
    const clock = new VirtualClock();
    const gate = new ThrottleGate(clock);
    const postBatch = async (body: string): Promise<unknown> => {
      const { requests } = JSON.parse(body) as { requests: { id: string }[] };
      sent.push(requests.length);
      // Someone else (e.g. the list being read) was throttled meanwhile.
      gate.notifyThrottled(1);
      await tick();
      return { responses: requests.map((r) => ({ id: r.id, status: 200, body: {} })) };
    };
    async function* source(): AsyncGenerator<BatchRead[]> {
      yield reads(0, 20);
      await tick(20);
      yield reads(20, 40);
      await tick(40);
      seen.push(sent.length);
    }
    await runBatchedReads(source(), () => BATCH_DONE, { postBatch, clock, policy: resolveRetryPolicy(), gate, concurrency: 4 });
    // One batch before the throttling; the 40 that came after it waited for the end of the source.
    assert.deepEqual(seen, [1]);
    assert.deepEqual(sent, [20, 20, 20]);
  });
});
