/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- conformance tests read untyped JSON replies and compare their shapes */
import * as assert from 'node:assert/strict';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { CUSTOMERS, REL, call } from './emulatorClient';

describe('emulator OData paging, filters and $batch (docs/api-notes.md §5, §9.3)', () => {
  let emu: RunningEmulator;
  let token: string;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', customers: 60, seed: 11, pageSize: 25, timeScale: 100 });
    token = emu.issueToken({ audience: 'graph', kind: 'user' });
  });
  after(() => emu.close());

  it('default page size applies without $top; nextLinks walk every item exactly once', async () => {
    const total = emu.store.relationships.size;
    assert.ok(total > 50);
    let url: string | undefined = REL;
    const ids: string[] = [];
    let pages = 0;
    while (url !== undefined && pages < 20) {
      const r = await call(emu, 'GET', url, { token });
      assert.equal(r.status, 200);
      assert.ok(r.json.value.length <= 25);
      ids.push(...r.json.value.map((x: any) => x.id));
      url = r.json['@odata.nextLink'];
      pages++;
    }
    assert.equal(ids.length, total);
    assert.equal(new Set(ids).size, total);
    assert.equal(pages, Math.ceil(total / 25));
  });

  it('nextLink keeps the other options with an opaque $skiptoken; $count on each page', async () => {
    const r = await call(emu, 'GET', `${REL}?$top=5&$filter=status eq 'active'&$count=true&$select=displayName,status`, { token });
    assert.equal(r.status, 200);
    const next = new URL(r.json['@odata.nextLink']);
    assert.equal(next.searchParams.get('$top'), '5');
    assert.equal(next.searchParams.get('$filter'), "status eq 'active'");
    assert.equal(next.searchParams.get('$count'), 'true');
    assert.ok(next.searchParams.get('$skiptoken'));
    const activeCount = [...emu.store.relationships.values()].filter((x) => x.status === 'active').length;
    assert.equal(r.json['@odata.count'], activeCount);
    assert.deepEqual(Object.keys(r.json.value[0]), ['@odata.type', '@odata.etag', 'id', 'displayName', 'status']);
    const p2 = await call(emu, 'GET', r.json['@odata.nextLink'], { token });
    assert.ok(p2.json.value.every((x: any) => x.status === 'active'));
    const tampered = await call(emu, 'GET', `${REL}?$top=6&$skiptoken=${next.searchParams.get('$skiptoken')}`, { token });
    assert.equal(tampered.status, 400);
  });

  it('$top above 300 or not a number → 400; unsupported options → 400', async () => {
    assert.equal((await call(emu, 'GET', `${REL}?$top=301`, { token })).status, 400);
    assert.equal((await call(emu, 'GET', `${REL}?$top=abc`, { token })).status, 400);
    assert.equal((await call(emu, 'GET', `${REL}?$top=300`, { token })).status, 200);
    assert.equal((await call(emu, 'GET', `${REL}?$skip=5`, { token })).status, 400);
    assert.equal((await call(emu, 'GET', `${REL}?$filter=duration eq 'P30D'`, { token })).status, 400);
    assert.equal((await call(emu, 'GET', `${REL}?$orderby=duration`, { token })).status, 400);
    assert.equal((await call(emu, 'GET', `${REL}?$select=nope`, { token })).status, 400);
  });

  it('$filter on customer/tenantId and status joined with and; $orderby displayName/status', async () => {
    const rel = [...emu.store.relationships.values()].find((x) => x.status === 'active' && x.customer?.tenantId !== undefined)!;
    const tid = rel.customer!.tenantId!;
    const r = await call(emu, 'GET', `${REL}?$filter=customer/tenantId eq '${tid}' and status eq 'active'`, { token });
    const expected = [...emu.store.relationships.values()]
      .filter((x) => x.customer?.tenantId === tid && x.status === 'active')
      .map((x) => x.id);
    assert.deepEqual(
      r.json.value.map((x: any) => x.id),
      expected,
    );
    const sorted = await call(emu, 'GET', `${REL}?$orderby=displayName&$top=300`, { token });
    const names = sorted.json.value.map((x: any) => x.displayName);
    assert.deepEqual(
      names,
      [...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    const desc = await call(emu, 'GET', `${REL}?$orderby=status desc&$top=300`, { token });
    const st = desc.json.value.map((x: any) => x.status);
    assert.deepEqual(st, [...st].sort().reverse());
    const cust = await call(emu, 'GET', `${CUSTOMERS}?$orderby=displayName&$top=3&$count=true`, { token });
    assert.equal(cust.json.value.length, 3);
  });

  it('drafts without customer.tenantId are served with customer null', async () => {
    const drafts = [...emu.store.relationships.values()].filter((r) => r.customer === null);
    assert.ok(drafts.length > 0);
    const r = await call(emu, 'GET', `${REL}/${drafts[0].id}`, { token });
    assert.equal(r.json.customer, null);
    assert.ok(['created', 'approvalPending'].includes(r.json.status));
  });

  it('$batch: up to 20 requests, each evaluated on its own (status, headers, If-Match); 21 → 400', async () => {
    const rels = [...emu.store.relationships.values()].slice(0, 18);
    const created = [...emu.store.relationships.values()].find((r) => r.status === 'created')!;
    const requests: any[] = rels.map((r, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: `/tenantRelationships/delegatedAdminRelationships/${r.id}`,
    }));
    requests.push({ id: 'missing', method: 'GET', url: 'tenantRelationships/delegatedAdminRelationships/nope' });
    requests.push({
      id: 'patch',
      method: 'PATCH',
      url: `/tenantRelationships/delegatedAdminRelationships/${created.id}`,
      headers: { 'Content-Type': 'application/json', 'If-Match': 'W/"stale"' },
      body: { duration: 'P10D' },
    });
    const r = await call(emu, 'POST', '/v1.0/$batch', { token, body: { requests } });
    assert.equal(r.status, 200);
    assert.equal(r.json.responses.length, 20);
    const byId = new Map(r.json.responses.map((x: any) => [x.id, x]));
    assert.equal((byId.get('1') as any).status, 200);
    assert.equal((byId.get('1') as any).body.id, rels[0].id);
    assert.equal((byId.get('missing') as any).status, 404);
    assert.equal((byId.get('patch') as any).status, 412);
    const ok = await call(emu, 'POST', '/v1.0/$batch', {
      token,
      body: {
        requests: [
          {
            id: 'p',
            method: 'PATCH',
            url: `/tenantRelationships/delegatedAdminRelationships/${created.id}`,
            headers: { 'content-type': 'application/json', 'if-match': created.etag },
            body: { duration: 'P10D' },
          },
        ],
      },
    });
    assert.equal(ok.json.responses[0].status, 200);
    assert.equal(ok.json.responses[0].body.duration, 'P10D');
    const tooMany = Array.from({ length: 21 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: '/tenantRelationships/delegatedAdminCustomers',
    }));
    const bad = await call(emu, 'POST', '/v1.0/$batch', { token, body: { requests: tooMany } });
    assert.equal(bad.status, 400);
    assert.equal(typeof bad.json.error.code, 'string');
    const dup = await call(emu, 'POST', '/v1.0/$batch', {
      token,
      body: {
        requests: [
          { id: 'a', method: 'GET', url: '/x' },
          { id: 'a', method: 'GET', url: '/x' },
        ],
      },
    });
    assert.equal(dup.status, 400);
  });

  it('$batch sub-requests are throttled and logged individually (without Authorization)', async () => {
    const local = await startEmulator({ preset: 'demo', throttleRps: 3, timeScale: 100 });
    try {
      const t = local.issueToken({ audience: 'graph', kind: 'user' });
      const requests = Array.from({ length: 6 }, (_, i) => ({
        id: String(i),
        method: 'GET',
        url: '/tenantRelationships/delegatedAdminCustomers',
      }));
      const r = await call(local, 'POST', '/v1.0/$batch', { token: t, body: { requests } });
      const statuses = r.json.responses.map((x: any) => x.status);
      assert.ok(statuses.includes(200));
      assert.ok(statuses.includes(429));
      const throttled = r.json.responses.find((x: any) => x.status === 429);
      assert.equal(throttled.headers['retry-after'], '1');
      const log = (await call(local, 'GET', '/_emulator/requests')).json.requests;
      const subs = log.filter((e: any) => e.batchRequestId !== undefined);
      assert.equal(subs.length, 6);
      assert.ok(log.every((e: any) => !('authorization' in e.headers)));
      assert.ok(!JSON.stringify(log).includes(t));
    } finally {
      await local.close();
    }
  });
});
