import { strict as assert } from 'node:assert';
import { loadInventory } from '../../../src/core/actions/inventory';
import type { GdapApi } from '../../../src/core/graph/gdapApi';
import { GdapClient } from '../../../src/core/graph/gdapClient';
import { isGdapError } from '../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../src/core/http/transport';
import {
  emulatorEndpoints,
  exampleJson,
  FakeTokens,
  type RecordedRequest,
  startTestServer,
  type TestServer,
  VirtualClock,
} from '../core/helpers/testServer';

interface SubRequest {
  id: string;
  method: string;
  url: string;
}

const relExample = exampleJson('delegatedadminrelationship-get.response.json') as Record<string, unknown>;
const aaExample = (exampleJson('delegatedadminrelationship-list-accessassignments.response.json') as { value: Record<string, unknown>[] })
  .value[0];

/** Relationship i: every third one terminated, the rest active or expiring (so they have assignments). */
function relationship(i: number): Record<string, unknown> {
  const status = i % 3 === 0 ? 'terminated' : i % 3 === 1 ? 'active' : 'expiring';
  return {
    ...relExample,
    id: `rel-${String(i).padStart(3, '0')}`,
    displayName: `Relationship ${String(i).padStart(3, '0')}`,
    status,
    customer: { tenantId: `tenant-${i % 40}`, displayName: `Customer ${i % 40}` },
  };
}

const PAGE1 = Array.from({ length: 300 }, (_, i) => relationship(i));
const PAGE2 = Array.from({ length: 130 }, (_, i) => relationship(300 + i));
const ACTIVE = [...PAGE1, ...PAGE2].filter((r) => r.status !== 'terminated').length;

describe('loadInventory: assignment batches overlap the relationship pages', function () {
  this.timeout(10_000);
  let server: TestServer;
  let transport: HttpTransport;
  /** Sub-request urls of each $batch, in arrival order. */
  let batches: string[][];
  /** What the server saw, in order: 'page1', 'page2', 'batch'. */
  let events: string[];
  let page2Reply: () => { status: number; body: unknown };

  before(async () => {
    server = await startTestServer(() => ({ status: 404 }));
  });
  after(() => server.close());
  afterEach(() => transport.close());

  beforeEach(() => {
    batches = [];
    events = [];
    page2Reply = () => ({ status: 200, body: { value: PAGE2 } });
    server.handler = async (req: RecordedRequest) => {
      if (req.method === 'POST' && req.url === '/v1.0/$batch') {
        const { requests } = JSON.parse(req.body) as { requests: SubRequest[] };
        batches.push(requests.map((r) => r.url));
        events.push('batch');
        return {
          status: 200,
          body: {
            responses: requests.map((r) => {
              const rel = r.url.split('/')[3];
              return { id: r.id, status: 200, body: { value: [{ ...aaExample, id: `aa-of-${rel}` }] } };
            }),
          },
        };
      }
      if (req.url.startsWith('/v1.0/tenantRelationships/delegatedAdminCustomers')) {
        return { status: 200, body: { value: [] } };
      }
      if (req.url === '/v1.0/tenantRelationships/delegatedAdminRelationships?$top=300') {
        events.push('page1');
        return {
          status: 200,
          body: {
            value: PAGE1,
            '@odata.nextLink': `${server.origin}/v1.0/tenantRelationships/delegatedAdminRelationships?$top=300&$skiptoken=p2`,
          },
        };
      }
      if (req.url.endsWith('$skiptoken=p2')) {
        // The second page is slow: batches for the first page's relationships go out meanwhile.
        await new Promise((r) => setTimeout(r, 300));
        events.push('page2');
        return page2Reply();
      }
      return { status: 404 };
    };
  });

  function client(): GdapClient {
    transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
    return new GdapClient({
      endpoints: emulatorEndpoints(server),
      tokens: new FakeTokens(),
      transport,
      clock: new VirtualClock(),
      retry: { random: () => 0.5, maxAttempts: 1 },
    });
  }

  /** The same client without the streamed read: loadInventory collects every id first (the earlier path). */
  function withoutStreaming(c: GdapClient): GdapApi {
    return new Proxy(c, {
      get: (target, prop, receiver): unknown =>
        prop === 'listAccessAssignmentsForManyStreamed' ? undefined : Reflect.get(target, prop, receiver),
    });
  }

  it('sends full batches of 20 before the last page arrives and keeps ⌈active / 20⌉ batches', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const inventory = await loadInventory(client(), { includeAssignments: true, now });
    assert.equal(batches.length, Math.ceil(ACTIVE / 20));
    assert.ok(
      batches.slice(0, -1).every((b) => b.length === 20),
      `every batch but the last is full: ${batches.map((b) => b.length).join(',')}`,
    );
    assert.equal(batches.at(-1)?.length, ACTIVE - 20 * (batches.length - 1));
    // Overlap: batches for the first page were sent while the second page was still on its way.
    const beforePage2 = events.indexOf('page2');
    assert.ok(events.slice(0, beforePage2).filter((e) => e === 'batch').length >= 5, events.join(' '));
    // Each active relationship's assignment read is sent exactly once.
    const sent = batches.flat().map((u) => u.split('/')[3]);
    assert.equal(new Set(sent).size, ACTIVE);
    assert.equal(sent.length, ACTIVE);

    // Same inventory (content and order) as collecting every id first.
    const sequential = await loadInventory(withoutStreaming(client()), { includeAssignments: true, now });
    assert.deepEqual(inventory, sequential);
    const rels = inventory.customers.flatMap((c) => c.relationships);
    assert.equal(rels.length, PAGE1.length + PAGE2.length);
    for (const r of rels) {
      if (r.status === 'terminated') {
        assert.equal(r.accessAssignments, undefined);
      } else {
        assert.deepEqual(
          r.accessAssignments?.map((a) => a.id),
          [`aa-of-${r.id}`],
        );
      }
    }
  });

  it('a relationship listed again after its assignments came in takes its latest listing, still with them', async () => {
    // rel-001 and rel-002 are on the first page (active, expiring); the slow second page lists them again:
    // rel-001 renamed, rel-002 terminated. Their assignment reads were answered before the second page came.
    const renamed = { ...relationship(1), displayName: 'Relationship 001 (renamed)' };
    const ended = { ...relationship(2), status: 'terminated' };
    page2Reply = () => ({ status: 200, body: { value: [...PAGE2, renamed, ended] } });
    const now = new Date('2026-01-01T00:00:00Z');
    const inventory = await loadInventory(client(), { includeAssignments: true, now });
    const beforePage2 = events.indexOf('page2');
    assert.ok(events.slice(0, beforePage2).includes('batch'), 'the first batches were answered before the second page');
    const rels = inventory.customers.flatMap((c) => c.relationships);
    assert.equal(rels.filter((r) => r.id === 'rel-001').length, 1);
    const one = rels.find((r) => r.id === 'rel-001');
    assert.equal(one?.displayName, 'Relationship 001 (renamed)');
    assert.deepEqual(
      one?.accessAssignments?.map((a) => a.id),
      ['aa-of-rel-001'],
    );
    const two = rels.find((r) => r.id === 'rel-002');
    assert.equal(two?.status, 'terminated');
    assert.equal(two?.accessAssignments, undefined, 'a relationship listed as ended holds no assignments');
    assert.deepEqual(inventory, await loadInventory(withoutStreaming(client()), { includeAssignments: true, now }));
  });

  it('a failed relationship page fails the inventory with its own error and sends no batch after it', async () => {
    page2Reply = () => ({ status: 403, body: { error: { code: 'Forbidden', message: 'no access' } } });
    await assert.rejects(loadInventory(client(), { includeAssignments: true }), (e: unknown) => isGdapError(e) && e.kind === 'forbidden');
    const failedAt = events.indexOf('page2');
    assert.ok(failedAt > 0);
    assert.deepEqual(events.slice(failedAt + 1), [], 'nothing sent after the failure');
    assert.ok(batches.length <= Math.floor(PAGE1.filter((r) => r.status !== 'terminated').length / 20));
  });
});
