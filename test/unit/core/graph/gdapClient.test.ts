import { strict as assert } from 'node:assert';
import { classifyRelationship } from '../../../../src/core/actions/relationshipFacts';
import { GdapClient, type GdapClientOptions } from '../../../../src/core/graph/gdapClient';
import { isGdapError, type GdapError } from '../../../../src/core/http/gdapError';
import type { RequestLogEntry } from '../../../../src/core/http/requestLog';
import { createHttpTransport } from '../../../../src/core/http/transport';
import type { HttpTransport } from '../../../../src/core/http/transport';
import {
  emulatorEndpoints,
  example,
  exampleJson,
  FakeTokens,
  type Reply,
  startTestServer,
  type TestServer,
  VirtualClock,
} from '../helpers/testServer';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REL = '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836';
const ETAG = 'W/"JyI0NzAwNjg0NS0wMDAwLTE5MDAtMDAwMC02MGY0Yjg4MzAwMDAiJw=="';
const RELS_PATH = '/v1.0/tenantRelationships/delegatedAdminRelationships';

function relationship(id: string, status = 'active'): Record<string, unknown> {
  return { ...(exampleJson('delegatedadminrelationship-get.response.json') as object), id, status };
}

function isErr(kind: string, extra: (e: GdapError) => boolean = () => true): (e: unknown) => boolean {
  return (e: unknown) => isGdapError(e) && e.kind === kind && extra(e);
}

describe('GdapClient against a loopback https server (emulator-mode trust path)', function () {
  this.timeout(10_000);
  let server: TestServer;
  let other: TestServer;
  let transport: HttpTransport;
  let clock: VirtualClock;
  let tokens: FakeTokens;
  let log: RequestLogEntry[];

  before(async () => {
    server = await startTestServer(() => ({ status: 404 }));
    other = await startTestServer(() => ({ status: 200, body: { value: [] } }));
  });
  after(async () => {
    await server.close();
    await other.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    other.requests.length = 0;
    transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
    clock = new VirtualClock();
    tokens = new FakeTokens();
    log = [];
  });
  afterEach(() => transport.close());

  function client(extra: Partial<GdapClientOptions> = {}): GdapClient {
    return new GdapClient({
      endpoints: emulatorEndpoints(server),
      tokens,
      transport,
      clock,
      log: (e) => log.push(e),
      retry: { random: () => 0.5 },
      ...extra,
    });
  }

  describe('reads and paging', () => {
    it('follows @odata.nextLink verbatim over 3 pages with $top=300, as an async iterable and collect-all', async () => {
      const link2 = `${server.origin}${RELS_PATH}?$top=300&$skiptoken=Zm9v%2Bbar%3D%3D==&custom=1`;
      const link3 = `${server.origin}${RELS_PATH}?$top=300&$skiptoken=page3`;
      const page = exampleJson('tenantrelationship-list-delegatedadminrelationships.response.json') as { value: unknown[] };
      server.handler = (req) => {
        if (req.url === `${RELS_PATH}?$top=300`) {
          return { status: 200, body: { value: page.value.slice(0, 1), '@odata.nextLink': link2 } };
        }
        if (req.url === link2.slice(server.origin.length)) {
          return { status: 200, body: { value: [], '@odata.nextLink': link3 } };
        }
        if (req.url === link3.slice(server.origin.length)) {
          return { status: 200, body: { value: page.value.slice(1) } };
        }
        return { status: 400, body: { error: { code: 'badRequest', message: req.url } } };
      };
      const all = await client().listAllRelationships();
      assert.equal(all.length, 3);
      assert.deepEqual(
        server.requests.map((r) => r.url),
        [`${RELS_PATH}?$top=300`, link2.slice(server.origin.length), link3.slice(server.origin.length)],
      );
      for (const r of server.requests) {
        assert.equal(r.headers.authorization, `Bearer ${'token-graph-'}${server.requests.indexOf(r) + 1}`);
        assert.match(r.headers['client-request-id'], GUID_RE);
      }
      assert.equal(new Set(server.requests.map((r) => r.headers['client-request-id'])).size, 3, 'a fresh client-request-id per request');
      // Lazy iteration: stopping early sends no further request.
      server.requests.length = 0;
      for await (const r of client().listRelationships()) {
        assert.equal(r.id, REL);
        break;
      }
      assert.equal(server.requests.length, 1);
    });

    it('reads the next page while the consumer works through this one, and only once it reads past the first item', async () => {
      const link2 = `${server.origin}${RELS_PATH}?$top=300&$skiptoken=next`;
      const page = exampleJson('tenantrelationship-list-delegatedadminrelationships.response.json') as { value: unknown[] };
      assert.ok(page.value.length >= 2);
      let secondPageAsked: () => void = () => undefined;
      const secondPage = new Promise<void>((resolve) => (secondPageAsked = resolve));
      server.handler = (req) => {
        if (req.url === `${RELS_PATH}?$top=300`) {
          return { status: 200, body: { value: page.value, '@odata.nextLink': link2 } };
        }
        secondPageAsked();
        return { status: 200, body: { value: page.value.slice(0, 1) } };
      };
      let seen = 0;
      for await (const r of client().listRelationships()) {
        assert.ok(r.id.length > 0);
        seen += 1;
        if (seen === 2) {
          // Still on the first page: without the read-ahead this wait would never end.
          await Promise.race([
            secondPage,
            new Promise((_, reject) => setTimeout(() => reject(new Error('the second page was not asked for')), 5000)),
          ]);
        }
      }
      assert.equal(seen, page.value.length + 1);
      assert.equal(server.requests.length, 2);
    });

    it('reading every page: asks for the next one as soon as its link leads the page text, before any item is handed on', async () => {
      const link2 = `${server.origin}${RELS_PATH}?$top=300&$skiptoken=next`;
      const page = exampleJson('tenantrelationship-list-delegatedadminrelationships.response.json') as { value: unknown[] };
      let secondPageAsked: () => void = () => undefined;
      const secondPage = new Promise<void>((resolve) => (secondPageAsked = resolve));
      server.handler = (req) => {
        if (req.url === `${RELS_PATH}?$top=300`) {
          // Graph's order: the annotations, then value.
          return { status: 200, body: JSON.stringify({ '@odata.context': 'x', '@odata.nextLink': link2, value: page.value }) };
        }
        secondPageAsked();
        return { status: 200, body: { value: page.value.slice(0, 1) } };
      };
      for await (const r of client().listRelationships({ readAll: true })) {
        assert.ok(r.id.length > 0);
        // The first item of the first page: the second page is already on its way.
        await Promise.race([
          secondPage,
          new Promise((_, reject) => setTimeout(() => reject(new Error('the second page was not asked for early')), 5000)),
        ]);
        break;
      }
      assert.equal(server.requests.length, 2);
      // Read to the end, the items are the same as without the early request.
      server.requests.length = 0;
      const all = await client().listAllRelationships();
      assert.equal(all.length, page.value.length + 1);
      assert.deepEqual(
        server.requests.map((r) => r.url),
        [`${RELS_PATH}?$top=300`, link2.slice(server.origin.length)],
      );
    });

    it('reading every page: a link at the start that the parsed page contradicts is not followed; the parsed one is', async () => {
      const early = `${server.origin}${RELS_PATH}?$top=300&$skiptoken=early`;
      const parsed = `${server.origin}${RELS_PATH}?$top=300&$skiptoken=parsed`;
      const page = exampleJson('tenantrelationship-list-delegatedadminrelationships.response.json') as { value: unknown[] };
      const value = JSON.stringify(page.value.slice(0, 1));
      server.handler = (req) => {
        if (req.url === `${RELS_PATH}?$top=300`) {
          // A repeated key: JSON.parse keeps the last one.
          return { status: 200, body: `{"@odata.nextLink":"${early}","value":${value},"@odata.nextLink":"${parsed}"}` };
        }
        if (req.url === early.slice(server.origin.length)) {
          // Had it been followed, this page would name the parsed link as its next and the items would repeat.
          return { status: 200, body: { value: page.value.slice(0, 1), '@odata.nextLink': parsed } };
        }
        return { status: 200, body: { value: page.value.slice(1) } };
      };
      const all = await client().listAllRelationships();
      assert.deepEqual(
        all.map((r) => r.id),
        page.value.map((r) => (r as { id: string }).id),
      );
      assert.ok(server.requests.some((r) => r.url === parsed.slice(server.origin.length)));
    });

    it('reading every page: a link at the start to another host is never asked for; the read fails after the items', async () => {
      const page = exampleJson('tenantrelationship-list-delegatedadminrelationships.response.json') as { value: unknown[] };
      const away = `${other.origin}${RELS_PATH}?$skiptoken=x`;
      server.handler = () => ({ status: 200, body: JSON.stringify({ '@odata.nextLink': away, value: page.value }) });
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const r of client().listRelationships({ readAll: true })) {
            seen.push(r.id);
          }
        })(),
        isErr('invalidResponse', (e) => e.message.includes(other.origin.replace('https://', ''))),
      );
      assert.equal(seen.length, page.value.length, 'the items of the page came first');
      assert.equal(other.requests.length, 0);
    });

    it('keeps a relationship or an assignment whose status is null as an unknown status instead of failing the page', async () => {
      const page = exampleJson('tenantrelationship-list-delegatedadminrelationships.response.json') as { value: Record<string, unknown>[] };
      const aaPage = exampleJson('delegatedadminrelationship-list-accessassignments.response.json') as { value: Record<string, unknown>[] };
      server.handler = (req) =>
        req.url.includes('/accessAssignments')
          ? { status: 200, body: { value: [{ ...aaPage.value[0], status: null }, ...aaPage.value.slice(1)] } }
          : { status: 200, body: { value: [{ ...page.value[0], status: null }, ...page.value.slice(1)] } };
      const all = await client().listAllRelationships();
      assert.equal(all.length, page.value.length, 'every relationship of the page is kept');
      assert.equal(all[0].status, 'unknownFutureValue');
      assert.deepEqual(
        all.slice(1).map((r) => r.status),
        page.value.slice(1).map((r) => r.status),
      );
      assert.equal(classifyRelationship(all[0], new Date('2024-01-01T00:00:00Z')), 'unknown');
      const assignments = await client().listAccessAssignments(REL);
      assert.equal(assignments.length, aaPage.value.length);
      assert.equal(assignments[0].status, 'unknownFutureValue');
      // A missing status is treated alike; a missing id still fails (it cannot be acted upon).
      const { status: _omitted, ...withoutStatus } = page.value[0];
      server.handler = () => ({ status: 200, body: { value: [withoutStatus] } });
      assert.equal((await client().listAllRelationships())[0].status, 'unknownFutureValue');
      server.handler = () => ({ status: 200, body: { value: [{ ...page.value[0], id: null }] } });
      await assert.rejects(client().listAllRelationships(), isErr('invalidResponse'));
    });

    it('pager: stops a nextLink loop with invalidResponse, and clamps $top to 1…300', async () => {
      const again = `${server.origin}${RELS_PATH}?$top=300&$skiptoken=same`;
      server.handler = () => ({ status: 200, body: { value: [], '@odata.nextLink': again } });
      await assert.rejects(
        client().listAllRelationships(),
        isErr('invalidResponse', (e) => e.message.includes('nextLink loop')),
      );
      assert.deepEqual(
        server.requests.map((r) => r.url),
        [`${RELS_PATH}?$top=300`, again.slice(server.origin.length)],
        'the repeated link is not read twice',
      );
      server.requests.length = 0;
      server.handler = () => ({ status: 200, body: { value: [] } });
      await client().listAllRelationships({ top: 1000 });
      await client().listAllRelationships({ top: 0 });
      await client({ pageSize: 50 }).listAccessAssignments(REL);
      assert.deepEqual(
        server.requests.map((r) => r.url),
        [`${RELS_PATH}?$top=300`, `${RELS_PATH}?$top=1`, `${RELS_PATH}/${REL}/accessAssignments?$top=50`],
      );
    });

    it('filters by customer and status, and validates the customer id', async () => {
      server.handler = () => ({ status: 200, body: { value: [] } });
      await client().listAllRelationships({ customerTenantId: '4fdbff88-9d6b-42e0-9713-45c922ba8001', status: 'active' });
      const url = decodeURIComponent(server.requests[0].url);
      assert.equal(url, `${RELS_PATH}?$top=300&$filter=customer/tenantId eq '4fdbff88-9d6b-42e0-9713-45c922ba8001' and status eq 'active'`);
      assert.throws(() => client().listRelationships({ customerTenantId: "x' or 1 eq 1" }), isErr('invalidInput'));
    });

    it('reads every other resource with $top=300 where documented and none on serviceManagementDetails', async () => {
      const routes: Record<string, unknown> = {
        [`${RELS_PATH}/${REL}`]: exampleJson('delegatedadminrelationship-get.response.json'),
        [`${RELS_PATH}/${REL}/accessAssignments?$top=300`]: exampleJson('delegatedadminrelationship-list-accessassignments.response.json'),
        [`${RELS_PATH}/${REL}/accessAssignments/da9d6cf90-083a-47dc-ace2-1da98be3f344`]: exampleJson(
          'delegatedadminaccessassignment-get.response.json',
        ),
        [`${RELS_PATH}/${REL}/operations?$top=300`]: exampleJson('delegatedadminrelationship-list-operations.response.json'),
        [`${RELS_PATH}/${REL}/operations/57e4479a-aafb-4d00-ab0f-8ce6027466cf`]: exampleJson(
          'delegatedadminrelationshipoperation-get.response.json',
        ),
        [`${RELS_PATH}/${REL}/requests`]: exampleJson('delegatedadminrelationship-list-requests.response.json'),
        [`${RELS_PATH}/${REL}/requests/cf4a23c7-070c-4d1c-8be8-1e86085ac9d1`]: exampleJson(
          'delegatedadminrelationshiprequest-get.response.json',
        ),
        '/v1.0/tenantRelationships/delegatedAdminCustomers?$top=300': exampleJson(
          'tenantrelationship-list-delegatedadmincustomers.response.json',
        ),
        '/v1.0/tenantRelationships/delegatedAdminCustomers/4fdbff88-9d6b-42e0-9713-45c922ba8001': exampleJson(
          'delegatedadmincustomer-get.response.json',
        ),
        '/v1.0/tenantRelationships/delegatedAdminCustomers/4fdbff88-9d6b-42e0-9713-45c922ba8001/serviceManagementDetails': exampleJson(
          'delegatedadmincustomer-list-servicemanagementdetails.response.json',
        ),
      };
      server.handler = (req) =>
        req.url in routes
          ? { status: 200, body: routes[req.url] }
          : { status: 404, body: { error: { code: 'itemNotFound', message: req.url } } };
      const c = client();
      assert.equal((await c.getRelationship(REL)).status, 'active');
      assert.equal((await c.listAccessAssignments(REL)).length, 2);
      assert.equal((await c.getAccessAssignment(REL, 'da9d6cf90-083a-47dc-ace2-1da98be3f344')).status, 'active');
      assert.equal((await c.listOperations(REL)).length, 2);
      assert.equal((await c.getOperation(REL, '57e4479a-aafb-4d00-ab0f-8ce6027466cf')).status, 'succeeded');
      assert.equal((await c.listRequests(REL))[1].status, 'running');
      assert.equal((await c.getRequest(REL, 'cf4a23c7-070c-4d1c-8be8-1e86085ac9d1')).action, 'lockForApproval');
      assert.equal((await c.listCustomers()).length, 2);
      assert.equal((await c.getCustomer('4fdbff88-9d6b-42e0-9713-45c922ba8001')).displayName, 'Contoso Inc');
      assert.equal((await c.listServiceManagementDetails('4fdbff88-9d6b-42e0-9713-45c922ba8001')).length, 4);
      assert.equal(server.requests.length, 10);
    });

    it('maps a response that fails its schema, or is not JSON, to invalidResponse', async () => {
      server.handler = (req) =>
        req.url.includes('accessAssignments') ? { status: 200, body: '<html>' } : { status: 200, body: { value: 'nope' } };
      await assert.rejects(client().listAllRelationships(), isErr('invalidResponse'));
      await assert.rejects(client().listAccessAssignments(REL), isErr('invalidResponse'));
    });

    it('retries a throttled read after Retry-After and logs every attempt without tokens', async () => {
      let n = 0;
      server.handler = () =>
        ++n === 1
          ? {
              status: 429,
              headers: { 'Retry-After': '2' },
              body: { error: { code: 'TooManyRequests', message: 'Please retry again later.' } },
            }
          : { status: 200, body: relationship(REL) };
      await client().getRelationship(REL);
      assert.equal(server.requests.length, 2);
      assert.ok(clock.sleeps.includes(2000), `slept ${JSON.stringify(clock.sleeps)}`);
      assert.equal(log.length, 2);
      assert.equal(log[0].status, 429);
      assert.equal(log[1].status, 200);
      assert.ok(!JSON.stringify(log).includes('token-graph'));
      assert.equal(
        log[0].clientRequestId,
        server.requests[0].headers['client-request-id'],
        'the same logical request keeps its client-request-id across retries',
      );
    });

    it('refreshes the token once silently on 401, then reports "sign in again"', async () => {
      server.handler = (req) =>
        req.headers.authorization === 'Bearer token-graph-2'
          ? { status: 200, body: relationship(REL) }
          : { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'expired' } } };
      await client().getRelationship(REL);
      assert.deepEqual(
        tokens.calls.map((c) => [c.audience, c.forceRefresh]),
        [
          ['graph', false],
          ['graph', true],
        ],
      );
      server.handler = () => ({ status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'expired' } } });
      await assert.rejects(
        client().getRelationship(REL),
        isErr('auth', (e) => /Sign in again/.test(e.message)),
      );
    });

    it('maps 403 to forbidden naming the roles, with request ids', async () => {
      server.handler = () => ({
        status: 403,
        headers: { 'request-id': 'srv-1' },
        body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } },
      });
      await assert.rejects(client().getRelationship(REL), (e: unknown) => {
        assert.ok(isGdapError(e));
        assert.equal(e.kind, 'forbidden');
        assert.match(e.message, /Admin Agent/);
        assert.equal(e.requestId, 'srv-1');
        assert.equal(e.clientRequestId, server.requests[0].headers['client-request-id']);
        assert.equal(e.code, 'Authorization_RequestDenied');
        return true;
      });
    });

    it('is cancellable: an aborted signal sends nothing', async () => {
      const ac = new AbortController();
      ac.abort();
      await assert.rejects(client().getRelationship(REL, { signal: ac.signal }), isErr('cancelled'));
      assert.equal(server.requests.length, 0);
    });
  });

  describe('the Authorization allow-list', () => {
    it('never follows a nextLink to another host (no token leaves)', async () => {
      server.handler = () => ({ status: 200, body: { value: [], '@odata.nextLink': `${other.origin}${RELS_PATH}?$skiptoken=x` } });
      await assert.rejects(
        client().listAllRelationships(),
        isErr('invalidResponse', (e) => e.message.includes(other.origin.replace('https://', ''))),
      );
      assert.equal(other.requests.length, 0);
    });

    it('never follows an LRO Location to another host', async () => {
      server.handler = () => ({ status: 202, headers: { Location: `${other.origin}/v1.0/x/operations/1`, 'Retry-After': '1' }, body: {} });
      await assert.rejects(
        client().updateAccessAssignment(REL, 'a9d6cf90-083a-47dc-ace2-1da98be3f344', ETAG, ['29232cdf-9323-42fd-ade2-1d097af3e4de']),
        isErr('invalidResponse'),
      );
      assert.equal(other.requests.length, 0);
    });

    it('the transport refuses to send a token to a host outside the allow-list (a local recording server)', async () => {
      await assert.rejects(
        transport.send({ method: 'GET', url: `${other.origin}/v1.0/me`, headers: { Authorization: 'Bearer secret' } }),
        isErr('invalidInput'),
      );
      const global = createHttpTransport({ endpoints: { ...emulatorEndpoints(server), emulator: undefined } });
      try {
        await assert.rejects(
          global.send({ method: 'GET', url: `${server.origin}/v1.0/me`, headers: { Authorization: 'Bearer secret' } }),
          isErr('invalidInput'),
        );
      } finally {
        global.close();
      }
      assert.equal(other.requests.length, 0);
      assert.equal(server.requests.length, 0);
    });
  });

  describe('mutations', () => {
    it('creates with the documented request bodies', async () => {
      server.handler = (req) => {
        if (req.url === RELS_PATH) {
          return {
            status: 201,
            headers: { Location: `${server.origin}${RELS_PATH}/${REL}` },
            body: exampleJson('tenantrelationship-post-delegatedadminrelationships.response.json'),
          };
        }
        if (req.url.endsWith('/accessAssignments')) {
          return { status: 201, body: exampleJson('delegatedadminrelationship-post-accessassignments.response.json') };
        }
        return { status: 201, body: exampleJson('delegatedadminrelationship-post-requests.response.json') };
      };
      const c = client();
      const created = await c.createRelationship({
        displayName: 'Contoso admin relationship',
        duration: 'P730D',
        customer: { tenantId: '4b827261-d21f-4aa9-b7db-7fa1f56fb163', displayName: 'Contoso subsidiary Inc' },
        roleDefinitionIds: ['29232cdf-9323-42fd-ade2-1d097af3e4de', '3a2c62db-5318-420d-8d74-23affee5d9d5'],
        autoExtendDuration: 'P180D',
      });
      assert.equal(created.status, 'created');
      assert.deepEqual(
        JSON.parse(server.requests[0].body),
        exampleJson('tenantrelationship-post-delegatedadminrelationships.request.json'),
      );
      assert.match(server.requests[0].headers['content-type'], /application\/json/);
      await c.createAccessAssignment(REL, {
        securityGroupId: '869713c9-0b28-4d08-8949-ae07ae1bf528',
        roleDefinitionIds: [
          '29232cdf-9323-42fd-ade2-1d097af3e4de',
          'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
          '729827e3-9c14-49f7-bb1b-9608f156bbb8',
          '3a2c62db-5318-420d-8d74-23affee5d9d5',
        ],
      });
      assert.deepEqual(JSON.parse(server.requests[1].body), exampleJson('delegatedadminrelationship-post-accessassignments.request.json'));
      await c.createRequest(REL, 'lockForApproval', { currentStatus: 'created' });
      assert.deepEqual(JSON.parse(server.requests[2].body), exampleJson('delegatedadminrelationship-post-requests.request.json'));
      assert.equal(server.requests[2].headers.prefer, 'include-unknown-enum-members');
      assert.equal(server.requests[2].headers['if-match'], undefined, 'no If-Match on requests (§6)');
      assert.equal(server.requests.length, 3, 'currentStatus given: no read before the request');
    });

    it('sends If-Match with the ETag verbatim on the four routes of §6', async () => {
      server.handler = (req) => {
        if (req.method === 'DELETE') {
          return { status: 204 };
        }
        if (req.url.includes('/accessAssignments/')) {
          return { status: 200, body: exampleJson('delegatedadminaccessassignment-get.response.json') };
        }
        return { status: 200, body: exampleJson('delegatedadminrelationship-update.response.json') };
      };
      const c = client();
      const upd = await c.updateRelationship(REL, ETAG, {
        displayName: 'Updated Contoso admin relationship',
        duration: 'P31D',
        customer: { tenantId: '52eaad04-13a2-4a2f-9ce8-93a294fadf36' },
        roleDefinitionIds: [
          '44367163-eba1-44c3-98af-f5787879f96a',
          '29232cdf-9323-42fd-ade2-1d097af3e4de',
          '69091246-20e8-4a56-aa4d-066075b2a7a8',
          '3a2c62db-5318-420d-8d74-23affee5d9d5',
        ],
        autoExtendDuration: 'P180D',
      });
      assert.equal(upd.kind, 'updated');
      assert.deepEqual(JSON.parse(server.requests[0].body), exampleJson('delegatedadminrelationship-update.request.json'));
      await c.deleteRelationship(REL, ETAG, { currentStatus: 'created' });
      const aa = 'a9d6cf90-083a-47dc-ace2-1da98be3f344';
      const aaUpd = await c.updateAccessAssignment(REL, aa, ETAG, [
        '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
        '44367163-eba1-44c3-98af-f5787879f96a',
        '729827e3-9c14-49f7-bb1b-9608f156bbb8',
      ]);
      assert.equal(aaUpd.kind, 'updated');
      assert.deepEqual(JSON.parse(server.requests[2].body), exampleJson('delegatedadminaccessassignment-update.request.json'));
      await c.deleteAccessAssignment(REL, aa, ETAG);
      assert.deepEqual(
        server.requests.map((r) => [r.method, r.url, r.headers['if-match']]),
        [
          ['PATCH', `${RELS_PATH}/${REL}`, ETAG],
          ['DELETE', `${RELS_PATH}/${REL}`, ETAG],
          ['PATCH', `${RELS_PATH}/${REL}/accessAssignments/${aa}`, ETAG],
          ['DELETE', `${RELS_PATH}/${REL}/accessAssignments/${aa}`, ETAG],
        ],
      );
      // The documented request lines, host aside.
      for (const [file, i] of [
        ['delegatedadminrelationship-delete.request.http', 1],
        ['delegatedadminaccessassignment-delete.request.http', 3],
      ] as const) {
        const [line, ifMatch] = example(file).trim().split('\n');
        const path = new URL(line.split(' ')[1]).pathname;
        assert.equal(server.requests[i].method, line.split(' ')[0]);
        assert.equal(path.split('/').slice(0, 4).join('/'), server.requests[i].url.split('/').slice(0, 4).join('/'));
        assert.match(ifMatch, /^If-Match: W\/".*"$/);
      }
    });

    it('maps 412 to preconditionFailed ("changed since it was read")', async () => {
      server.handler = () => ({ status: 412, body: { error: { code: 'resourceModified', message: 'etag mismatch' } } });
      await assert.rejects(
        client().deleteAccessAssignment(REL, 'a', ETAG),
        isErr('preconditionFailed', (e) => /changed since it was read/.test(e.message)),
      );
    });

    it('follows a 202 to the operation at the absolute Location, honouring Retry-After, until succeeded', async () => {
      const opPath = `${RELS_PATH}/${REL}/operations/d8dbb27b-7fe7-4523-a3df-f766355fe0f2`;
      const accepted = example('delegatedadminaccessassignment-update.response-202.http');
      const retryAfter = /Retry-After: (\d+)/.exec(accepted)?.[1] ?? '';
      let polls = 0;
      server.handler = (req): Reply => {
        if (req.method === 'PATCH') {
          return {
            status: 202,
            headers: { Location: `${server.origin}${opPath}`, 'Retry-After': retryAfter },
            body: example('delegatedadminrelationship-update.response-202.json'),
          };
        }
        polls++;
        const op = exampleJson('delegatedadminrelationshipoperation-get.response.json') as Record<string, unknown>;
        return polls < 3
          ? { status: 200, headers: { 'Retry-After': '3' }, body: { ...op, status: polls === 1 ? 'notStarted' : 'running' } }
          : { status: 200, body: op };
      };
      const progress: string[] = [];
      const result = await client().updateAccessAssignment(
        REL,
        'da9d6cf90-083a-47dc-ace2-1da98be3f344',
        ETAG,
        ['e3973bdf-4987-49ae-837a-ba8e231c7286'],
        { onProgress: (s) => progress.push(s) },
      );
      assert.equal(result.kind, 'operation');
      assert.equal(result.kind === 'operation' ? result.operation.status : '', 'succeeded');
      assert.deepEqual(progress, ['notStarted', 'running', 'succeeded']);
      assert.deepEqual(clock.sleeps, [10_000, 3000, 3000]);
      assert.deepEqual(
        server.requests.slice(1).map((r) => r.url),
        [opPath, opPath, opPath],
      );
    });

    it('gives up waiting for an operation at the deadline (kind timeout)', async () => {
      server.handler = (req) =>
        req.method === 'PATCH'
          ? { status: 202, headers: { Location: `${server.origin}${RELS_PATH}/${REL}/operations/x`, 'Retry-After': '10' }, body: {} }
          : {
              status: 200,
              body: { ...(exampleJson('delegatedadminrelationshipoperation-get.response.json') as object), status: 'running' },
            };
      await assert.rejects(
        client().updateRelationship(
          REL,
          ETAG,
          { roleDefinitionIds: ['729827e3-9c14-49f7-bb1b-9608f156bbb8'] },
          { timeoutMs: 60_000, pollIntervalMs: 10_000 },
        ),
        isErr('timeout'),
      );
      assert.ok(server.requests.length <= 8);
    });

    it('waitForRelationship polls until done, with a deadline', async () => {
      const states = ['terminationRequested', 'terminating', 'terminated'];
      let i = 0;
      server.handler = () => ({ status: 200, body: relationship(REL, states[Math.min(i++, 2)]) });
      const r = await client().waitForRelationship(REL, (x) => x.status === 'terminated', { pollIntervalMs: 1000 });
      assert.equal(r.status, 'terminated');
      assert.equal(server.requests.length, 3);
      assert.deepEqual(clock.sleeps, [1000, 1500]);
      server.handler = () => ({ status: 200, body: relationship(REL, 'terminating') });
      await assert.rejects(
        client().waitForRelationship(REL, (x) => x.status === 'terminated', { pollIntervalMs: 1000, timeoutMs: 5000 }),
        isErr('timeout'),
      );
    });

    it('never re-sends a POST after a lost response: ambiguous error, one request', async () => {
      server.handler = () => ({ status: 0, drop: true });
      await assert.rejects(
        client().createRequest(REL, 'terminate', { currentStatus: 'active' }),
        isErr('network', (e) => e.ambiguous === true),
      );
      assert.equal(server.requests.length, 1);
      server.requests.length = 0;
      server.handler = () => ({ status: 504, body: { error: { code: 'GatewayTimeout', message: 'x' } } });
      await assert.rejects(
        client().createRequest(REL, 'terminate', { currentStatus: 'active' }),
        isErr('server', (e) => e.ambiguous === true),
      );
      assert.equal(server.requests.length, 1);
    });

    it('re-sends a POST on 429/503 (the service did not act)', async () => {
      let n = 0;
      server.handler = () =>
        ++n === 1
          ? { status: 503, headers: { 'Retry-After': '1' } }
          : { status: 201, body: exampleJson('delegatedadminrelationship-post-requests.response.json') };
      await client().createRequest(REL, 'terminate', { currentStatus: 'active' });
      assert.equal(server.requests.length, 2);
    });

    it('re-sends an If-Match write after a lost response (idempotent)', async () => {
      let n = 0;
      server.handler = () => (++n === 1 ? { status: 0, drop: true } : { status: 204 });
      await client().deleteAccessAssignment(REL, 'a', ETAG);
      assert.equal(server.requests.length, 2);
    });
  });

  describe('reconcileByReading: If-Match writes are not replayed either', () => {
    for (const [name, run] of [
      [
        'PATCH relationship',
        (c: GdapClient) => c.updateRelationship(REL, ETAG, { autoExtendDuration: 'PT0S' }, { reconcileByReading: true }),
      ],
      ['DELETE relationship', (c: GdapClient) => c.deleteRelationship(REL, ETAG, { currentStatus: 'created', reconcileByReading: true })],
      [
        'PATCH access assignment',
        (c: GdapClient) => c.updateAccessAssignment(REL, 'a', ETAG, ['62e90394-69f5-4237-9190-012177145e10'], { reconcileByReading: true }),
      ],
      ['DELETE access assignment', (c: GdapClient) => c.deleteAccessAssignment(REL, 'a', ETAG, { reconcileByReading: true })],
    ] as const) {
      it(`${name}: a lost answer fails ambiguous after one request`, async () => {
        server.handler = () => ({ status: 0, drop: true });
        await assert.rejects(
          (async () => run(client()))(),
          isErr('network', (e) => e.ambiguous === true),
        );
        assert.equal(server.requests.length, 1);
      });
    }
  });

  describe('client-side preconditions fail fast: no request is sent', () => {
    const roles = ['62e90394-69f5-4237-9190-012177145e10'];
    const good = { displayName: 'Contoso', duration: 'P730D', roleDefinitionIds: roles };
    const cases: [string, (c: GdapClient) => Promise<unknown>, RegExp][] = [
      ['displayName empty', (c) => c.createRelationship({ ...good, displayName: '' }), /1 to 50/],
      ['displayName 51 chars', (c) => c.createRelationship({ ...good, displayName: 'x'.repeat(51) }), /1 to 50/],
      ['duration P0D', (c) => c.createRelationship({ ...good, duration: 'P0D' }), /P1D and P2Y/],
      ['duration P731D', (c) => c.createRelationship({ ...good, duration: 'P731D' }), /P1D and P2Y/],
      ['duration P3Y', (c) => c.createRelationship({ ...good, duration: 'P3Y' }), /P1D and P2Y/],
      ['duration not ISO', (c) => c.createRelationship({ ...good, duration: '730 days' }), /ISO-8601/],
      ['autoExtendDuration P90D', (c) => c.createRelationship({ ...good, autoExtendDuration: 'P90D' }), /PT0S, P0D, P180D/],
      ['no roles', (c) => c.createRelationship({ ...good, roleDefinitionIds: [] }), /role/],
      ['role id not a GUID', (c) => c.createRelationship({ ...good, roleDefinitionIds: ['admin'] }), /GUID/],
      ['customer tenant not a GUID', (c) => c.createRelationship({ ...good, customer: { tenantId: 'contoso.com' } }), /GUID/],
      ['update with nothing', (c) => c.updateRelationship(REL, ETAG, {}), /Nothing to change/],
      ['update autoExtend P1D', (c) => c.updateRelationship(REL, ETAG, { autoExtendDuration: 'P1D' }), /PT0S/],
      ['update without ETag', (c) => c.updateRelationship(REL, '', { displayName: 'x' }), /ETag/],
      ['relationship id with a slash', (c) => c.getRelationship('a/../b'), /id/],
      ['empty relationship id', (c) => c.getRelationship(''), /id/],
      ['assignment id with a query', (c) => c.deleteAccessAssignment(REL, 'a?x=1', ETAG), /id/],
      ['security group not a GUID', (c) => c.createAccessAssignment(REL, { securityGroupId: 'admins', roleDefinitionIds: roles }), /GUID/],
      ['customer id not a GUID', (c) => c.getCustomer('contoso'), /GUID/],
      [
        'terminate a created relationship',
        (c) => c.createRequest(REL, 'terminate', { currentStatus: 'created' }),
        /only an active relationship/,
      ],
      ['delete an active relationship', (c) => c.deleteRelationship(REL, ETAG, { currentStatus: 'active' }), /created state/],
      ['unknown action', (c) => c.createRequest(REL, 'explode' as 'terminate'), /Unknown request action/],
    ];
    for (const [name, run, message] of cases) {
      it(name, async () => {
        server.handler = () => ({ status: 200, body: {} });
        await assert.rejects(
          (async () => run(client()))(),
          isErr('invalidInput', (e) => message.test(e.message)),
        );
        assert.equal(server.requests.length, 0);
      });
    }

    it('accepts the documented bounds (P1D, P2Y, PT0S, P0D, P180D, 50 chars)', async () => {
      server.handler = () => ({ status: 201, body: exampleJson('tenantrelationship-post-delegatedadminrelationships.response.json') });
      for (const [duration, autoExtendDuration] of [
        ['P1D', 'PT0S'],
        ['P2Y', 'P0D'],
        ['P730D', 'P180D'],
      ]) {
        await client().createRelationship({ ...good, displayName: 'x'.repeat(50), duration, autoExtendDuration });
      }
      assert.equal(server.requests.length, 3);
    });

    it('without a known status, terminate reads the relationship first and refuses before any POST', async () => {
      server.handler = () => ({ status: 200, body: relationship(REL, 'approvalPending') });
      await assert.rejects(client().createRequest(REL, 'terminate'), isErr('invalidInput'));
      assert.deepEqual(
        server.requests.map((r) => r.method),
        ['GET'],
      );
    });
  });
});
