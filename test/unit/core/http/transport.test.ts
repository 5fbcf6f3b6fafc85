import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { isGdapError } from '../../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../../src/core/http/transport';
import { emulatorEndpoints, startTestServer, type TestServer } from '../helpers/testServer';

/** About `length` UTF-16 units of text mixing 1- to 4-byte UTF-8 characters, so chunk boundaries fall inside some. */
function text(length: number): string {
  const unit = 'a\u00e9\u20ac\u{1d11e}-';
  return unit.repeat(Math.ceil(length / unit.length));
}

/** Equal texts, without printing a megabyte when they are not. */
function sameText(actual: string, expected: string, what: string): void {
  if (actual === expected) {
    return;
  }
  let at = 0;
  while (actual[at] === expected[at]) {
    at++;
  }
  assert.fail(`${what}: lengths ${actual.length} and ${expected.length}, first difference at ${at}`);
}

describe('the HTTP transport and cancellation', () => {
  let server: TestServer;
  let transport: HttpTransport;
  /** Answers held back until the test releases them. */
  let held: Array<() => void>;

  beforeEach(async () => {
    held = [];
    server = await startTestServer((req) =>
      req.url.startsWith('/hold')
        ? new Promise((resolve) => held.push(() => resolve({ status: 200, body: { ok: true } })))
        : req.url.startsWith('/text/')
          ? { status: 200, body: text(Number(req.url.slice('/text/'.length))) }
          : { status: 200, body: { url: req.url } },
    );
    transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
  });

  afterEach(async () => {
    held.forEach((release) => release());
    transport.close();
    await server.close();
  });

  const get = (path: string, signal?: AbortSignal) => transport.send({ method: 'GET', url: `${server.origin}${path}`, signal });

  it('cancels every request in flight under a signal when it aborts, and only those', async () => {
    const ac = new AbortController();
    const done = await get('/done', ac.signal);
    assert.equal(done.status, 200);
    const first = get('/hold/1', ac.signal);
    const second = get('/hold/2', ac.signal);
    const other = get('/hold/3');
    while (held.length < 3) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    ac.abort();
    for (const p of [first, second]) {
      await assert.rejects(p, (e: unknown) => isGdapError(e) && e.kind === 'cancelled');
    }
    held.forEach((release) => release());
    assert.equal((await other).status, 200);
  });

  it('keeps one abort listener on a signal however many requests it carries', async () => {
    const ac = new AbortController();
    for (let i = 0; i < 30; i++) {
      assert.equal((await get(`/r/${i}`, ac.signal)).status, 200);
    }
    const inFlight = Array.from({ length: 10 }, (_, i) => get(`/hold/${i}`, ac.signal));
    while (held.length < 10) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
    held.forEach((release) => release());
    await Promise.all(inFlight);
    assert.ok(getEventListeners(ac.signal, 'abort').length <= 1);
    // Nothing is in flight: aborting now touches no finished request, and a later one is not sent.
    ac.abort();
    await assert.rejects(get('/after', ac.signal), (e: unknown) => isGdapError(e) && e.kind === 'cancelled');
    assert.equal(server.requests.filter((r) => r.url === '/after').length, 0);
  });

  it('decodes bodies that arrive in many chunks, of every size, one after another and at once', async () => {
    // 5 KB arrives in one chunk; 300 KB in many (joined in the buffer kept between answers); 3 MB is
    // over that buffer's size. The same sizes again after a larger one, and several at once.
    for (const n of [5_000, 300_000, 3_000_000, 300_000, 40_000, 5_000]) {
      sameText((await get(`/text/${n}`)).body, text(n), `${n} characters`);
    }
    const sizes = [200_000, 90_000, 700_000, 1_000];
    const answers = await Promise.all(sizes.map((n) => get(`/text/${n}`)));
    answers.forEach((a, i) => sameText(a.body, text(sizes[i]), `${sizes[i]} characters at once`));
  });
});
