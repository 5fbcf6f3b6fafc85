import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { systemClock } from '../../../../src/core/http/clock';
import { GdapError, isGdapError } from '../../../../src/core/http/gdapError';
import type { RequestLogEntry } from '../../../../src/core/http/requestLog';
import { backoffDelayMs, executeWithRetry, isIdempotentRequest, resolveRetryPolicy } from '../../../../src/core/http/retryPolicy';
import { ThrottleGate } from '../../../../src/core/http/throttleGate';
import type { HttpResponse } from '../../../../src/core/http/transport';

const ok: HttpResponse = { status: 200, headers: {}, body: '{}' };
const status = (s: number, headers: Record<string, string> = {}): HttpResponse => ({ status: s, headers, body: '' });

describe('retry policy (docs/api-notes.md §9.2)', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.parse('2024-01-01T00:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.restore());

  const policy = resolveRetryPolicy({ random: () => 0.5 });

  it('honours Retry-After seconds on 429 before retrying (fake timers)', async () => {
    const times: number[] = [];
    const replies = [status(429, { 'retry-after': '57' }), ok];
    const log: RequestLogEntry[] = [];
    const p = executeWithRetry(
      () => {
        times.push(Date.now());
        return Promise.resolve(replies.shift() ?? ok);
      },
      {
        method: 'GET',
        url: 'https://graph.microsoft.com/v1.0/x',
        idempotent: true,
        policy,
        clock: systemClock,
        log: (e) => log.push(e),
        clientRequestId: 'cid',
      },
    );
    await clock.tickAsync(56_999);
    assert.equal(times.length, 1, 'no retry before Retry-After elapsed');
    await clock.tickAsync(1);
    const res = await p;
    assert.equal(res.status, 200);
    assert.equal(times[1] - times[0], 57_000);
    assert.equal(log.length, 2);
    assert.equal(log[0].status, 429);
    assert.equal(log[0].clientRequestId, 'cid');
    assert.match(log[0].note ?? '', /Retry-After/);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const times: number[] = [];
    const replies = [status(503, { 'retry-after': at }), ok];
    const p = executeWithRetry(
      () => {
        times.push(Date.now());
        return Promise.resolve(replies.shift() ?? ok);
      },
      { method: 'GET', url: 'u', idempotent: true, policy, clock: systemClock },
    );
    await clock.tickAsync(30_000);
    assert.equal((await p).status, 200);
    assert.equal(times[1] - times[0], 30_000);
  });

  it('backs off exponentially with a cap and jitter when there is no Retry-After', async () => {
    const p0 = resolveRetryPolicy({ baseDelayMs: 1000, maxDelayMs: 4000, random: () => 0 });
    const p1 = resolveRetryPolicy({ baseDelayMs: 1000, maxDelayMs: 4000, random: () => 0.999 });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, p0)),
      [500, 1000, 2000, 2000, 2000],
    );
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, p1)),
      [1000, 1999, 3998, 3998, 3998],
    );
    const times: number[] = [];
    const p = executeWithRetry(
      () => {
        times.push(Date.now());
        return Promise.resolve(times.length < 3 ? status(504) : ok);
      },
      { method: 'GET', url: 'u', idempotent: true, policy: p0, clock: systemClock },
    );
    await clock.tickAsync(10_000);
    assert.equal((await p).status, 200);
    assert.deepEqual([times[1] - times[0], times[2] - times[1]], [500, 1000]);
  });

  it('stops at the attempt limit and returns the last response', async () => {
    let n = 0;
    const p = executeWithRetry(
      () => {
        n++;
        return Promise.resolve(status(503, { 'retry-after': '1' }));
      },
      { method: 'GET', url: 'u', idempotent: true, policy: resolveRetryPolicy({ maxAttempts: 3 }), clock: systemClock },
    );
    await clock.tickAsync(10_000);
    assert.equal((await p).status, 503);
    assert.equal(n, 3);
  });

  it('stops when the total time budget would be exceeded or Retry-After is too long', async () => {
    let n = 0;
    const p = executeWithRetry(
      () => {
        n++;
        return Promise.resolve(status(429, { 'retry-after': '20' }));
      },
      { method: 'GET', url: 'u', idempotent: true, policy: resolveRetryPolicy({ budgetMs: 45_000, maxAttempts: 10 }), clock: systemClock },
    );
    await clock.tickAsync(100_000);
    assert.equal((await p).status, 429);
    assert.equal(n, 3, '0 s, 20 s, 40 s; a 4th at 60 s would exceed the 45 s budget');
    let m = 0;
    const q = executeWithRetry(
      () => {
        m++;
        return Promise.resolve(status(429, { 'retry-after': '3600' }));
      },
      { method: 'GET', url: 'u', idempotent: true, policy, clock: systemClock },
    );
    assert.equal((await q).status, 429);
    assert.equal(m, 1);
  });

  it('re-sends a non-idempotent POST on 429 and 503 only', async () => {
    const sent: number[] = [];
    const replies = [status(429, { 'retry-after': '1' }), status(503, { 'retry-after': '1' }), status(201)];
    const p = executeWithRetry(
      () => {
        sent.push(Date.now());
        return Promise.resolve(replies.shift() ?? ok);
      },
      { method: 'POST', url: 'u', idempotent: false, policy, clock: systemClock },
    );
    await clock.tickAsync(5000);
    assert.equal((await p).status, 201);
    assert.equal(sent.length, 3);
    for (const s of [500, 502, 504]) {
      let n = 0;
      const r = await executeWithRetry(
        () => {
          n++;
          return Promise.resolve(status(s));
        },
        { method: 'POST', url: 'u', idempotent: false, policy, clock: systemClock },
      );
      assert.equal(r.status, s);
      assert.equal(n, 1, `POST not re-sent after ${s}`);
    }
  });

  it('never re-sends a POST after a timeout or reset: the error is flagged ambiguous', async () => {
    for (const kind of ['timeout', 'network'] as const) {
      let n = 0;
      await assert.rejects(
        executeWithRetry(
          () => {
            n++;
            return Promise.reject(new GdapError({ kind, message: 'lost', code: kind === 'network' ? 'ECONNRESET' : undefined }));
          },
          { method: 'POST', url: 'u', idempotent: false, policy, clock: systemClock, clientRequestId: 'c1' },
        ),
        (e: unknown) => isGdapError(e) && e.kind === kind && e.ambiguous === true && e.clientRequestId === 'c1',
      );
      assert.equal(n, 1);
    }
  });

  it('re-sends a POST when the connection was never made (ECONNREFUSED)', async () => {
    let n = 0;
    const p = executeWithRetry(
      () => {
        n++;
        return n === 1
          ? Promise.reject(new GdapError({ kind: 'network', message: 'refused', code: 'ECONNREFUSED' }))
          : Promise.resolve(status(201));
      },
      { method: 'POST', url: 'u', idempotent: false, policy, clock: systemClock },
    );
    await clock.tickAsync(5000);
    assert.equal((await p).status, 201);
    assert.equal(n, 2);
  });

  it('retries GET and If-Match writes after timeouts and resets', async () => {
    assert.equal(isIdempotentRequest('GET'), true);
    assert.equal(isIdempotentRequest('PATCH', { 'If-Match': 'W/"x"' }), true);
    assert.equal(isIdempotentRequest('DELETE', { 'if-match': 'W/"x"' }), true);
    assert.equal(isIdempotentRequest('POST'), false);
    let n = 0;
    const p = executeWithRetry(
      () => {
        n++;
        return n < 3
          ? Promise.reject(new GdapError({ kind: n === 1 ? 'timeout' : 'network', message: 'x', code: 'ECONNRESET' }))
          : Promise.resolve(ok);
      },
      { method: 'PATCH', url: 'u', idempotent: true, policy, clock: systemClock },
    );
    await clock.tickAsync(10_000);
    assert.equal((await p).status, 200);
    assert.equal(n, 3);
  });

  it('is cancellable while waiting', async () => {
    const ac = new AbortController();
    let n = 0;
    const p = executeWithRetry(
      () => {
        n++;
        return Promise.resolve(status(429, { 'retry-after': '60' }));
      },
      { method: 'GET', url: 'u', idempotent: true, policy, clock: systemClock, signal: ac.signal },
    );
    const assertion = assert.rejects(p, (e: unknown) => isGdapError(e) && e.kind === 'cancelled');
    await clock.tickAsync(1000);
    ac.abort();
    await assertion;
    assert.equal(n, 1);
  });

  it('closes the shared throttle gate for every caller when one is throttled', async () => {
    const gate = new ThrottleGate(systemClock);
    const sentB: number[] = [];
    const start = Date.now();
    const a = executeWithRetry(
      (() => {
        const replies = [status(429, { 'retry-after': '10' }), ok];
        return () => Promise.resolve(replies.shift() ?? ok);
      })(),
      { method: 'GET', url: 'a', idempotent: true, policy, clock: systemClock, gate },
    );
    await clock.tickAsync(1);
    const b = executeWithRetry(
      () => {
        sentB.push(Date.now() - start);
        return Promise.resolve(ok);
      },
      { method: 'GET', url: 'b', idempotent: true, policy, clock: systemClock, gate },
    );
    await clock.tickAsync(20_000);
    await Promise.all([a, b]);
    assert.ok(sentB[0] >= 10_000, `b waited for the gate (${sentB[0]} ms)`);
    assert.equal(gate.throttled, 1);
  });
});
