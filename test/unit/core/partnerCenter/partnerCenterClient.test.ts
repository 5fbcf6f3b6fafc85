import { strict as assert } from 'node:assert';
import { joinPartnerCenterLink, PartnerCenterClient, REMOVE_DAP_BODY } from '../../../../src/core/partnerCenter/partnerCenterClient';
import { isGdapError } from '../../../../src/core/http/gdapError';
import type { HttpTransport } from '../../../../src/core/http/transport';
import {
  emulatorEndpoints,
  example,
  exampleJson,
  FakeTokens,
  type Reply,
  useTestServer,
  type TestServer,
  VirtualClock,
} from '../helpers/testServer';

const TENANT = 'eebd1b55-5360-4438-a11d-5c06918c3014';
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const customer = (allow: boolean): unknown => ({
  ...(exampleJson('partnercenter-get-a-customer-by-id.response.json') as object),
  allowDelegatedAccess: allow,
});

describe('PartnerCenterClient (docs/api-notes.md §8)', function () {
  this.timeout(10_000);
  let server: TestServer;
  let transport: HttpTransport;
  let clock: VirtualClock;
  let tokens: FakeTokens;

  useTestServer((s) => ({ server, transport } = s));
  beforeEach(() => {
    clock = new VirtualClock();
    tokens = new FakeTokens();
  });

  const client = (pageSize?: number): PartnerCenterClient =>
    new PartnerCenterClient({ endpoints: emulatorEndpoints(server), tokens, transport, clock, pageSize, retry: { random: () => 0.5 } });

  it('removes DAP with the exact documented request, then re-reads the customer', async () => {
    let dap = true;
    server.handler = (req) => {
      if (req.method === 'PATCH') {
        dap = false;
        return {
          status: 200,
          headers: { 'MS-RequestId': req.headers['ms-requestid'], 'MS-CorrelationId': req.headers['ms-correlationid'] },
          body: customer(false),
        };
      }
      return { status: 200, body: customer(dap) };
    };
    const result = await client().removeDap(TENANT);
    assert.equal(result.customer.allowDelegatedAccess, false);
    const [patch, get] = server.requests;
    assert.equal(patch.method, 'PATCH');
    assert.equal(patch.url, `/partnercenter/v1/customers/${TENANT}`);
    // Byte for byte, and the same JSON as the documented example body.
    assert.equal(patch.body, '{"AllowDelegatedAccess":false,"attributes":{"objectType":"Customer"}}');
    assert.equal(patch.body, REMOVE_DAP_BODY);
    assert.deepEqual(JSON.parse(patch.body), exampleJson('partnercenter-remove-dap.request.json'));
    assert.equal(Buffer.byteLength(patch.body), 69);
    assert.equal(patch.headers['content-length'], '69');
    assert.equal(patch.headers['content-type'], 'application/json');
    assert.equal(patch.headers.authorization, 'Bearer token-partnerCenter-1');
    assert.match(patch.headers['ms-requestid'], GUID_RE);
    assert.match(patch.headers['ms-correlationid'], GUID_RE);
    assert.ok(!patch.body.includes('relationshipToPartner'));
    assert.equal(result.requestId, patch.headers['ms-requestid']);
    assert.equal(result.correlationId, patch.headers['ms-correlationid']);
    // The documented request line and headers.
    const doc = example('partnercenter-remove-dap.request.http');
    assert.match(doc, /^PATCH https:\/\/api\.partnercenter\.microsoft\.com\/v1\/customers\//m);
    for (const h of ['MS-CorrelationId', 'MS-RequestId', 'Content-Type']) {
      assert.match(doc, new RegExp(`^${h}:`, 'm'));
    }
    assert.equal(get.method, 'GET');
    assert.equal(get.url, `/partnercenter/v1/customers/${TENANT}`);
    assert.notEqual(get.headers['ms-requestid'], patch.headers['ms-requestid'], 'a new MS-RequestId for the next call');
    assert.deepEqual(
      tokens.calls.map((c) => c.audience),
      ['partnerCenter', 'partnerCenter'],
    );
  });

  it('fails when the re-read still shows allowDelegatedAccess', async () => {
    server.handler = () => ({ status: 200, body: customer(true) });
    await assert.rejects(
      client().removeDap(TENANT),
      (e: unknown) => isGdapError(e) && e.kind === 'conflict' && /still shows delegated admin access/.test(e.message),
    );
  });

  it('accepts the documented 200 response of the PATCH (no body shown, stray "}")', async () => {
    const status = Number(/^HTTP\/1\.1 (\d+)/m.exec(example('partnercenter-remove-dap.response.http'))?.[1]);
    server.handler = (req) => (req.method === 'PATCH' ? { status, body: '}' } : { status: 200, body: customer(false) });
    assert.equal((await client().removeDap(TENANT)).customer.allowDelegatedAccess, false);
  });

  it('reuses the same MS-RequestId when retrying after a timeout-like failure or 429 (§8.2)', async () => {
    let n = 0;
    server.handler = (req): Reply => {
      if (req.method === 'PATCH') {
        n++;
        if (n === 1) {
          return { status: 0, drop: true };
        }
        if (n === 2) {
          return {
            status: 429,
            headers: { 'Retry-After': '57' },
            body: example('partnercenter-api-throttling-guidance.response-429.json'),
          };
        }
        return { status: 200, body: customer(false) };
      }
      return { status: 200, body: customer(false) };
    };
    await client().removeDap(TENANT);
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 3);
    assert.equal(new Set(patches.map((p) => p.headers['ms-requestid'])).size, 1);
    assert.ok(clock.sleeps.includes(57_000));
  });

  it('with reconcileByReading, a lost or 5xx answer to the DAP PATCH fails ambiguous after one PATCH', async () => {
    server.handler = (req) => (req.method === 'PATCH' ? { status: 0, drop: true } : { status: 200, body: customer(true) });
    await assert.rejects(client().removeDap(TENANT, { reconcileByReading: true }), (e: unknown) => isGdapError(e) && e.ambiguous === true);
    assert.equal(server.requests.filter((r) => r.method === 'PATCH').length, 1);
    server.requests.length = 0;
    server.handler = (req) =>
      req.method === 'PATCH'
        ? { status: 504, body: { code: 504, description: 'gateway', source: 'x' } }
        : { status: 200, body: customer(true) };
    await assert.rejects(
      client().removeDap(TENANT, { reconcileByReading: true }),
      (e: unknown) => isGdapError(e) && e.kind === 'server' && e.ambiguous === true,
    );
    assert.equal(server.requests.filter((r) => r.method === 'PATCH').length, 1);
  });

  it('maps the Partner Center error shapes (numeric code, throttling body)', async () => {
    server.handler = () => ({ status: 400, body: { code: 900118, description: 'Invalid Customer Id', data: [], source: 'PartnerFD' } });
    await assert.rejects(
      client().getCustomer(TENANT),
      (e: unknown) => isGdapError(e) && e.kind === 'invalidInput' && e.code === '900118' && e.serviceMessage === 'Invalid Customer Id',
    );
    server.handler = () => ({
      status: 429,
      headers: { 'Retry-After': '57' },
      body: example('partnercenter-api-throttling-guidance.response-429.json'),
    });
    const c = new PartnerCenterClient({ endpoints: emulatorEndpoints(server), tokens, transport, clock, retry: { maxAttempts: 1 } });
    await assert.rejects(c.getCustomer(TENANT), (e: unknown) => isGdapError(e) && e.kind === 'throttled' && e.retryAfterSeconds === 57);
    server.handler = () => ({
      status: 403,
      body: { code: '20002', description: 'no commerce relationship', data: [], source: 'PartnerFD' },
    });
    await assert.rejects(
      client().getCustomer(TENANT),
      (e: unknown) => isGdapError(e) && e.kind === 'forbidden' && /Admin Agent/.test(e.message),
    );
  });

  it('refreshes the token once on 401', async () => {
    server.handler = (req) =>
      req.headers.authorization === 'Bearer token-partnerCenter-2'
        ? { status: 200, body: customer(true) }
        : { status: 401, body: { code: 800001, description: 'Partner Token missing', source: 'x' } };
    assert.equal((await client().getCustomer(TENANT)).allowDelegatedAccess, true);
    assert.deepEqual(
      tokens.calls.map((c) => c.forceRefresh),
      [false, true],
    );
  });

  it('gets a customer (documented example) with allowDelegatedAccess, and validates the id first', async () => {
    server.handler = () => ({ status: 200, body: exampleJson('partnercenter-get-a-customer-by-id.response.json') });
    const c = await client().getCustomer(TENANT);
    assert.deepEqual(c, {
      id: TENANT,
      tenantId: TENANT,
      companyName: '1kl as kjk',
      domain: 'abcdefgh1234.ccsctp.net',
      allowDelegatedAccess: true,
      relationshipToPartner: 'reseller',
    });
    const req = server.requests[0];
    assert.equal(req.headers.accept, 'application/json');
    assert.match(
      example('partnercenter-get-a-customer-by-id.request.http'),
      /^GET https:\/\/api\.partnercenter\.microsoft\.com\/v1\/customers\/<customer-tenant-id>/,
    );
    server.requests.length = 0;
    await assert.rejects(client().getCustomer('contoso'), (e: unknown) => isGdapError(e) && e.kind === 'invalidInput');
    await assert.rejects(client().removeDap('../x'), (e: unknown) => isGdapError(e) && e.kind === 'invalidInput');
    assert.equal(server.requests.length, 0);
  });

  it('lists customers over 3 pages: relative links.next (with and without /v1) and MS-ContinuationToken', async () => {
    const list = exampleJson('partnercenter-get-a-list-of-customers.response.json') as { items: unknown[] };
    server.handler = (req) => {
      if (req.url === '/partnercenter/v1/customers?size=2') {
        return {
          status: 200,
          body: {
            ...list,
            links: {
              next: {
                uri: '/v1/customers?size=2&seekOperation=Next',
                method: 'GET',
                headers: [{ key: 'MS-ContinuationToken', value: 'tok1' }],
              },
            },
          },
        };
      }
      if (req.url === '/partnercenter/v1/customers?size=2&seekOperation=Next' && req.headers['ms-continuationtoken'] === 'tok1') {
        return {
          status: 200,
          body: {
            totalCount: 1,
            items: [list.items[0]],
            links: {
              next: {
                uri: '/customers?size=2&seekOperation=Next',
                method: 'GET',
                headers: [{ key: 'MS-ContinuationToken', value: 'tok2' }],
              },
            },
          },
        };
      }
      if (req.url === '/partnercenter/v1/customers?size=2&seekOperation=Next' && req.headers['ms-continuationtoken'] === 'tok2') {
        return { status: 200, body: { totalCount: 1, items: [list.items[1]], links: {} } };
      }
      return { status: 400, body: { code: 800002, description: `unexpected ${req.url}`, source: 't' } };
    };
    const customers = await client(2).listCustomers();
    assert.equal(customers.length, 4);
    assert.equal(server.requests.length, 3);
    // List items never carry allowDelegatedAccess (§8.3); "<guid>" placeholders fall back to the id (§12.15).
    assert.ok(customers.every((c) => c.allowDelegatedAccess === null));
    assert.equal(customers[0].tenantId, 'b44bb1fb-c595-45b0-9e09-d657365580bf');
    assert.equal(server.requests[0].headers['ms-continuationtoken'], undefined);
  });

  it('joins relative Partner Center links with the base carefully (§8.4)', () => {
    const frag = exampleJson('partnercenter-paging-links.fragment.json') as {
      links: { next: { uri: string; headers: { key: string; value: string }[] } };
    };
    assert.equal(
      joinPartnerCenterLink('https://api.partnercenter.microsoft.com/v1', frag.links.next.uri),
      `https://api.partnercenter.microsoft.com/v1${frag.links.next.uri}`,
    );
    assert.deepEqual(frag.links.next.headers, [{ key: 'MS-ContinuationToken', value: 'AQAAAA==' }]);
    assert.equal(
      joinPartnerCenterLink('https://api.partnercenter.microsoft.com/v1', '/v1/customers?size=40'),
      'https://api.partnercenter.microsoft.com/v1/customers?size=40',
    );
    assert.equal(
      joinPartnerCenterLink('https://127.0.0.1:9/partnercenter/v1/', '/v1/customers?size=40'),
      'https://127.0.0.1:9/partnercenter/v1/customers?size=40',
    );
    assert.equal(
      joinPartnerCenterLink('https://127.0.0.1:9/partnercenter/v1', 'customers?size=1'),
      'https://127.0.0.1:9/partnercenter/v1/customers?size=1',
    );
    assert.throws(
      () => joinPartnerCenterLink('https://api.partnercenter.microsoft.com/v1', 'https://evil.example/v1/customers'),
      (e: unknown) => isGdapError(e) && e.kind === 'invalidResponse',
    );
  });
});
