import { strict as assert } from 'node:assert';
import type { ApiRequest } from '../../../src/emulator/apiTypes';
import { RequestLog } from '../../../src/emulator/requestLog';

function request(query: string, headers: Record<string, string>): ApiRequest {
  return {
    method: 'GET',
    path: '/v1.0/tenantRelationships/delegatedAdminRelationships',
    query: new URLSearchParams(query),
    headers,
    body: undefined,
  };
}

describe('emulator request log', () => {
  it('shows each request as it arrived: its time, its query, its headers without credentials', () => {
    const log = new RequestLog();
    const before = Date.now();
    const entry = log.add(
      request("$top=300&$filter=status eq 'active'", {
        authorization: 'Bearer secret-token',
        cookie: 'a=b',
        'client-request-id': 'c-1',
        accept: 'application/json',
      }),
    );
    const after = Date.now();
    const at = Date.parse(entry.time);
    assert.match(entry.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(at >= before && at <= after, 'the time of the add, not of the reading');
    assert.equal(entry.query, '%24top=300&%24filter=status+eq+%27active%27');
    assert.deepEqual(entry.headers, { 'client-request-id': 'c-1', accept: 'application/json' });
    assert.equal(entry.status, 0);
  });

  it('serialises as /_emulator/requests shows it: fixed fields first, the optional ones only when set', () => {
    const log = new RequestLog();
    const plain = log.add(request('', { authorization: 'Bearer x' }));
    plain.status = 200;
    const sub = log.add(request('$top=1', {}), { batchRequestId: '7', batchIndex: 0 });
    sub.status = 429;
    sub.fault = '429';
    sub.failNext = 429;
    const cut = log.add(request('', {}));
    cut.fault = 'schema';
    delete cut.fault;
    const shown = JSON.parse(JSON.stringify({ requests: log.list() })) as { requests: Record<string, unknown>[] };
    assert.deepEqual(
      shown.requests.map((e) => Object.keys(e)),
      [
        ['time', 'method', 'path', 'query', 'status', 'headers'],
        ['time', 'method', 'path', 'query', 'status', 'headers', 'fault', 'failNext', 'batchRequestId', 'batchIndex'],
        ['time', 'method', 'path', 'query', 'status', 'headers'],
      ],
    );
    assert.equal(shown.requests[0].status, 200, 'a status set after the add is shown');
    assert.deepEqual(shown.requests[1], {
      time: sub.time,
      method: 'GET',
      path: '/v1.0/tenantRelationships/delegatedAdminRelationships',
      query: '%24top=1',
      status: 429,
      headers: {},
      fault: '429',
      failNext: 429,
      batchRequestId: '7',
      batchIndex: 0,
    });
    assert.ok(!JSON.stringify(shown).includes('Bearer'), 'no credential in what is shown');
    assert.equal(log.indexOf(sub), 1);
  });
});
