/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- conformance tests read untyped JSON replies and compare their shapes */
import * as assert from 'node:assert/strict';
import { parseFaultSpec } from '../../../src/emulator/faults';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { CUSTOMERS, REL, call } from './emulatorClient';

describe('emulator faults, throttling and latency', () => {
  let emu: RunningEmulator;
  let token: string;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', timeScale: 100 });
    token = emu.issueToken({ audience: 'graph', kind: 'user' });
  });
  afterEach(() => emu.setFaults(''));
  after(() => emu.close());

  const lastLog = (): any =>
    emu
      .requests()
      .filter((e) => !e.path.startsWith('/_emulator'))
      .at(-1);

  it('parses SPECs and rejects bad ones', () => {
    assert.deepEqual(parseFaultSpec('429:0.1, reset:0.2'), [
      { kind: '429', probability: 0.1 },
      { kind: 'reset', probability: 0.2 },
    ]);
    assert.deepEqual(parseFaultSpec(''), []);
    for (const bad of ['nope:0.1', '500', '500:2', '500:0.6,502:0.6', '500:x']) {
      assert.throws(() => parseFaultSpec(bad), Error, bad);
    }
  });

  it('status faults: 429/503 with Retry-After, 500/502/504 in the Graph error shape', async () => {
    for (const s of [429, 500, 502, 503, 504]) {
      emu.setFaults(`${s}:1`);
      const r = await call(emu, 'GET', CUSTOMERS, { token });
      assert.equal(r.status, s);
      assert.equal(typeof r.json.error.code, 'string');
      assert.ok(r.headers['request-id']);
      assert.equal(r.headers['retry-after'], s === 429 || s === 503 ? '1' : undefined);
      assert.equal(lastLog().fault, String(s));
    }
  });

  it('reset: socket destroyed before processing (nothing applied, logged with status 0)', async () => {
    emu.setFaults('reset:1');
    const before = emu.store.relationships.size;
    await assert.rejects(
      call(emu, 'POST', REL, {
        token,
        body: {
          displayName: 'reset test',
          duration: 'P1D',
          accessDetails: { unifiedRoles: [{ roleDefinitionId: '29232cdf-9323-42fd-ade2-1d097af3e4de' }] },
        },
      }),
    );
    assert.equal(emu.store.relationships.size, before);
    assert.equal(lastLog().fault, 'reset');
    assert.equal(lastLog().status, 0);
  });

  it('lost: the request is applied, then the socket is destroyed', async () => {
    emu.setFaults('lost:1');
    await assert.rejects(
      call(emu, 'POST', REL, {
        token,
        body: {
          displayName: 'lost test',
          duration: 'P1D',
          accessDetails: { unifiedRoles: [{ roleDefinitionId: '29232cdf-9323-42fd-ade2-1d097af3e4de' }] },
        },
      }),
    );
    assert.ok([...emu.store.relationships.values()].some((r) => r.displayName === 'lost test'));
    assert.equal(lastLog().fault, 'lost');
    assert.equal(lastLog().status, 201);
  });

  it('timeout: no answer (client gives up); close() does not wait for the 60 s hold', async () => {
    const local = await startEmulator({ preset: 'empty', faults: 'timeout:1' });
    const t = local.issueToken({ audience: 'graph', kind: 'user' });
    await assert.rejects(call(local, 'GET', CUSTOMERS, { token: t, timeoutMs: 150 }), /client timeout|socket hang up/);
    const pending = call(local, 'GET', CUSTOMERS, { token: t }).catch((e: unknown) => e);
    // Close only once the second request is held by the server (its log entry exists), however busy the machine.
    while (local.requests().filter((e) => e.fault === 'timeout').length < 2) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const started = Date.now();
    await local.close();
    assert.ok(Date.now() - started < 1500, 'close() returned promptly');
    assert.ok((await pending) instanceof Error);
    assert.equal(local.requests().filter((e) => e.fault === 'timeout').length, 2);
  });

  it('malformed: 200 with truncated JSON; schema: 200 with a wrongly typed field', async () => {
    emu.setFaults('malformed:1');
    const m = await call(emu, 'GET', REL, { token });
    assert.equal(m.status, 200);
    assert.throws(() => JSON.parse(m.text));
    emu.setFaults('schema:1');
    const s = await call(emu, 'GET', REL, { token });
    assert.equal(s.status, 200);
    assert.equal(typeof s.json.value[0].status, 'number');
  });

  it('faults are reproducible with the fault seed and apply to API routes only', async () => {
    const run = async (): Promise<number[]> => {
      await call(emu, 'POST', '/_emulator/faults', { body: { faults: '500:0.5', faultSeed: 42 } });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) {
        out.push((await call(emu, 'GET', CUSTOMERS, { token })).status);
        assert.equal((await call(emu, 'GET', '/_emulator/state')).status, 200);
      }
      return out;
    };
    const a = await run();
    const b = await run();
    assert.deepEqual(a, b);
    assert.ok(a.includes(500) && a.includes(200));
    const text = await call(emu, 'POST', '/_emulator/faults', { body: '503:1' });
    assert.equal(text.json.faults, '503:1');
    const tok = await call(emu, 'POST', '/common/oauth2/v2.0/token', {
      form: { grant_type: 'client_credentials', client_id: 'x', client_secret: 'y', scope: 'https://graph.microsoft.com/.default' },
    });
    assert.equal(tok.status, 200, 'token endpoint is not faulted');
    assert.equal((await call(emu, 'POST', '/_emulator/faults', { body: { faults: 'bogus:1' } })).status, 400);
    assert.equal((await call(emu, 'POST', '/_emulator/faults', { body: { faults: '' } })).json.faults, '');
  });

  it('throttle token bucket: 429 + Retry-After past the rate (Graph and Partner Center shapes)', async () => {
    const local = await startEmulator({ preset: 'demo', throttleRps: 2, retryAfterSeconds: 7 });
    try {
      const g = local.issueToken({ audience: 'graph', kind: 'user' });
      const statuses: number[] = [];
      let throttled: any;
      for (let i = 0; i < 5; i++) {
        const r = await call(local, 'GET', CUSTOMERS, { token: g });
        statuses.push(r.status);
        throttled = r.status === 429 ? r : throttled;
      }
      assert.ok(statuses.filter((s) => s === 429).length >= 2, statuses.join(','));
      assert.equal(throttled.headers['retry-after'], '7');
      assert.equal(throttled.json.error.code, 'TooManyRequests');
      const pc = local.issueToken({ audience: 'partnerCenter', kind: 'user' });
      const p = await call(local, 'GET', '/partnercenter/v1/customers?size=1', { token: pc });
      assert.equal(p.status, 429);
      assert.deepEqual(Object.keys(p.json).sort(), ['message', 'statusCode']);
    } finally {
      await local.close();
    }
  });

  it('latency is added to API responses', async () => {
    const local = await startEmulator({ preset: 'empty', latencyMs: 150 });
    try {
      const g = local.issueToken({ audience: 'graph', kind: 'user' });
      const t0 = Date.now();
      assert.equal((await call(local, 'GET', CUSTOMERS, { token: g })).status, 200);
      assert.ok(Date.now() - t0 >= 140);
    } finally {
      await local.close();
    }
  });
});
