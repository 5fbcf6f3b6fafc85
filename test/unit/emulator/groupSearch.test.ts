/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- these tests read untyped JSON replies */
import * as assert from 'node:assert/strict';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { REL, call } from './emulatorClient';

const search = (filter: string, extra = '&$select=id,displayName,securityEnabled&$top=25'): string =>
  `/v1.0/groups?$filter=${encodeURIComponent(filter)}${extra}`;

describe('emulator GET /v1.0/groups?$filter=… (search by name) and /_emulator/failNext', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 2, timeScale: 100 });
  });
  after(() => emu.close());
  const reader = (): string => emu.issueToken({ audience: 'graph', kind: 'user', permissions: ['GroupMember.Read.All'] });

  it('answers security groups whose name starts with the prefix, case-insensitively, with $select and $top', async () => {
    const g = emu.store.securityGroups[0];
    const prefix = g.displayName.slice(0, 6).toLowerCase();
    const expected = emu.store.securityGroups.filter((x) => x.displayName.toLowerCase().startsWith(prefix)).map((x) => x.id);
    const r = await call(emu, 'GET', search(`securityEnabled eq true and startswith(displayName,'${prefix}')`), { token: reader() });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      r.json.value.map((x: any) => x.id),
      expected,
    );
    assert.ok(expected.length >= 1);
    assert.deepEqual(Object.keys(r.json.value[0]).sort(), ['displayName', 'id', 'securityEnabled']);
    assert.equal(r.json.value[0].securityEnabled, true);
    const one = await call(emu, 'GET', search(`startswith(displayName,'${prefix}')`, '&$top=1'), { token: reader() });
    assert.equal(one.json.value.length, 1);
    const none = await call(emu, 'GET', search(`securityEnabled eq false and startswith(displayName,'${prefix}')`), { token: reader() });
    assert.deepEqual(none.json.value, [], 'the data set holds only security groups');
  });

  it('reads a doubled single quote as one, splits clauses only outside literals, and refuses other filters', async () => {
    emu.store.securityGroups.push({ id: '0a0b0c0d-0000-4000-8000-000000000001', displayName: "O'Brien and partners" });
    try {
      const r = await call(emu, 'GET', search("startswith(displayName,'o''brien and') and securityEnabled eq true"), { token: reader() });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        r.json.value.map((x: any) => x.displayName),
        ["O'Brien and partners"],
      );
    } finally {
      emu.store.securityGroups.pop();
    }
    const bad = await call(emu, 'GET', search("endswith(displayName,'x')"), { token: reader() });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'Request_UnsupportedQuery');
    assert.equal((await call(emu, 'GET', search("startswith(displayName,'ab')", '&$top=0'), { token: reader() })).status, 400);
  });

  it('needs a group-read permission (403 Authorization_RequestDenied)', async () => {
    const token = emu.issueToken({ audience: 'graph', kind: 'user', permissions: ['DelegatedAdminRelationship.ReadWrite.All'] });
    const r = await call(emu, 'GET', search("startswith(displayName,'GD')"), { token });
    assert.equal(r.status, 403);
    assert.equal(r.json.error.code, 'Authorization_RequestDenied');
  });

  it('failNext fails exactly the next N matching requests, leaves others alone, logs them, and can be cleared', async () => {
    const token = emu.issueToken({ audience: 'graph', kind: 'user', permissions: ['DelegatedAdminRelationship.ReadWrite.All'] });
    const set = await call(emu, 'POST', '/_emulator/failNext', {
      body: { method: 'get', pathPattern: 'delegatedAdminRelationships$', status: 503, count: 2 },
    });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.json.failNext, [{ method: 'GET', pathPattern: 'delegatedAdminRelationships$', status: 503, remaining: 2 }]);
    assert.equal((await call(emu, 'GET', '/v1.0/tenantRelationships/delegatedAdminCustomers', { token })).status, 200, 'not matching');
    assert.equal((await call(emu, 'GET', REL, { token })).status, 503);
    assert.equal((await call(emu, 'GET', REL, { token })).status, 503);
    assert.equal((await call(emu, 'GET', REL, { token })).status, 200, 'only the next 2');
    const failed = emu.requests().filter((e) => e.failNext === 503);
    assert.equal(failed.length, 2);
    await call(emu, 'POST', '/_emulator/failNext', { body: { method: 'GET', pathPattern: '.*', count: 5 } });
    assert.equal((await call(emu, 'GET', '/_emulator/failNext')).json.failNext.length, 1);
    assert.equal((await call(emu, 'POST', '/_emulator/failNext', { body: { clear: true } })).status, 200);
    assert.equal((await call(emu, 'GET', REL, { token })).status, 200);
    for (const body of [
      { pathPattern: 'x' },
      { method: 'GET' },
      { method: 'GET', pathPattern: '(' },
      { method: 'GET', pathPattern: 'x', status: 418 },
      { method: 'GET', pathPattern: 'x', count: 0 },
    ]) {
      assert.equal((await call(emu, 'POST', '/_emulator/failNext', { body })).status, 400, JSON.stringify(body));
    }
  });
});
