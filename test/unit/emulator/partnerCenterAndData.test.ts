/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- conformance tests read untyped JSON replies and compare their shapes */
import * as assert from 'node:assert/strict';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { call } from './emulatorClient';

describe('emulator Partner Center rules, data presets and reset', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', customers: 30, seed: 5 });
  });
  after(() => emu.close());

  it('customers list pages with size + MS-ContinuationToken and relative links.next.uri', async () => {
    const token = emu.issueToken({ audience: 'partnerCenter', kind: 'app' });
    const ids: string[] = [];
    let r = await call(emu, 'GET', '/partnercenter/v1/customers?size=7', { token });
    for (let i = 0; i < 10; i++) {
      assert.equal(r.status, 200);
      ids.push(...r.json.items.map((x: any) => x.id));
      const next = r.json.links.next;
      if (next === undefined) {
        break;
      }
      assert.ok(next.uri.startsWith('/v1/customers?'));
      const hdr = next.headers.find((h: any) => h.key === 'MS-ContinuationToken');
      r = await call(emu, 'GET', `/partnercenter${next.uri}`, { token, headers: { 'MS-ContinuationToken': hdr.value } });
    }
    assert.equal(ids.length, 30);
    assert.equal(new Set(ids).size, 30);
    assert.equal((await call(emu, 'GET', '/partnercenter/v1/customers?size=7&seekOperation=Next', { token })).status, 400);
    assert.equal((await call(emu, 'GET', '/partnercenter/v1/customers/00000000-0000-0000-0000-000000000000', { token })).status, 404);
  });

  it('remove DAP: user tokens only (app-only → 403 in the PC error shape); camelCase accepted', async () => {
    const dap = [...emu.store.customers.values()].filter((c) => c.allowDelegatedAccess);
    assert.ok(dap.length >= 2);
    const app = emu.issueToken({ audience: 'partnerCenter', kind: 'app' });
    const denied = await call(emu, 'PATCH', `/partnercenter/v1/customers/${dap[0].tenantId}`, {
      token: app,
      body: { AllowDelegatedAccess: false },
    });
    assert.equal(denied.status, 403);
    assert.deepEqual(Object.keys(denied.json).sort(), ['code', 'data', 'description', 'source']);
    const user = emu.issueToken({ audience: 'partnerCenter', kind: 'user' });
    const ok = await call(emu, 'PATCH', `/partnercenter/v1/customers/${dap[1].tenantId}`, {
      token: user,
      body: { allowDelegatedAccess: false },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.allowDelegatedAccess, false);
    assert.equal(
      (await call(emu, 'PATCH', `/partnercenter/v1/customers/${dap[0].tenantId}`, { token: user, body: { AllowDelegatedAccess: true } }))
        .status,
      400,
    );
  });

  it('data is deterministic from the seed and varied', async () => {
    const other = await startEmulator({ preset: 'demo', customers: 30, seed: 5 });
    const third = await startEmulator({ preset: 'demo', customers: 30, seed: 6 });
    try {
      const names = (e: RunningEmulator): string[] =>
        [...e.store.relationships.values()].map((r) => `${r.id} ${r.displayName} ${r.status}`);
      assert.deepEqual(names(other), names(emu));
      assert.notDeepEqual(names(third), names(emu));
      const statuses = new Set([...emu.store.relationships.values()].map((r) => r.status));
      for (const s of ['active', 'approvalPending']) {
        assert.ok(statuses.has(s as never), s);
      }
    } finally {
      await other.close();
      await third.close();
    }
  });

  it('presets: empty has nothing; large is ~2,000 customers / ~3,500 relationships / ~9,000 assignments and starts fast', async () => {
    const empty = await startEmulator({ preset: 'empty' });
    assert.equal(empty.store.relationships.size, 0);
    await empty.close();
    const t0 = Date.now();
    const large = await startEmulator({ preset: 'large' });
    const ms = Date.now() - t0;
    try {
      const rels = [...large.store.relationships.values()];
      const assignments = rels.reduce((n, r) => n + r.assignments.length, 0);
      assert.equal(large.store.customers.size, 2000);
      assert.ok(rels.length > 3000 && rels.length < 4000, String(rels.length));
      assert.ok(assignments > 8000 && assignments < 10500, String(assignments));
      // Start-up includes key generation; the data build alone is what grows with the preset.
      const t1 = Date.now();
      large.reset({ preset: 'large' });
      const rebuild = Date.now() - t1;
      assert.ok(ms < 3000 || rebuild < 1500, `start ${ms} ms, rebuild ${rebuild} ms`);
      assert.ok(rels.some((r) => r.displayName.startsWith('MLT_')));
      assert.ok(rels.some((r) => r.reseller));
    } finally {
      await large.close();
    }
  });

  it('POST /_emulator/reset rebuilds the data from preset/seed/customers', async () => {
    const r = await call(emu, 'POST', '/_emulator/reset', { body: { preset: 'demo', seed: 9, customers: 4 } });
    assert.equal(r.status, 200);
    assert.equal(emu.store.customers.size, 4);
    assert.equal((await call(emu, 'POST', '/_emulator/reset', { body: { preset: 'nope' } })).status, 400);
    await call(emu, 'POST', '/_emulator/reset', { body: { preset: 'empty' } });
    assert.equal((await call(emu, 'GET', '/_emulator/state')).json.relationships.length, 0);
  });
});
