import { strict as assert } from 'node:assert';
import { GdapClient, type GdapClientOptions } from '../../../../src/core/graph/gdapClient';
import { assembleResults } from '../../../../src/core/graph/batchReads';
import { DEFAULT_FIXED_BATCH_LANES } from '../../../../src/core/graph/batchScheduler';
import type { BatchItemResult } from '../../../../src/core/graph/gdapApi';
import type { AccessAssignment } from '../../../../src/core/graph/models';
import { GdapError, isGdapError } from '../../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../../src/core/http/transport';
import {
  emulatorEndpoints,
  exampleJson,
  FakeTokens,
  type RecordedRequest,
  startTestServer,
  type TestServer,
  VirtualClock,
} from '../helpers/testServer';

interface SubRequest {
  id: string;
  method: string;
  url: string;
}

type SubHandler = (sub: SubRequest) => { status: number; headers?: Record<string, string>; body?: unknown };

const relBody = (id: string): unknown => ({ ...(exampleJson('delegatedadminrelationship-get.response.json') as object), id });
const aaList = exampleJson('delegatedadminrelationship-list-accessassignments.response.json') as { value: unknown[] };

describe('batched reads: the request engine (Graph $batch)', function () {
  this.timeout(10_000);
  let server: TestServer;
  let transport: HttpTransport;
  let clock: VirtualClock;
  let batches: SubRequest[][];
  let maxInFlight: number;

  before(async () => {
    server = await startTestServer(() => ({ status: 404 }));
  });
  after(() => server.close());
  afterEach(() => transport.close());

  function serveBatches(sub: SubHandler, delayMs = 0): void {
    batches = [];
    maxInFlight = 0;
    let inFlight = 0;
    server.requests.length = 0;
    server.handler = async (req: RecordedRequest) => {
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/v1.0/$batch');
      const { requests } = JSON.parse(req.body) as { requests: SubRequest[] };
      batches.push(requests);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, delayMs));
      inFlight--;
      return { status: 200, body: { responses: requests.map((r) => ({ id: r.id, ...sub(r) })) } };
    };
  }

  function client(extra: Partial<GdapClientOptions> = {}): GdapClient {
    transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
    clock = new VirtualClock();
    return new GdapClient({
      endpoints: emulatorEndpoints(server),
      tokens: new FakeTokens(),
      transport,
      clock,
      retry: { random: () => 0.5 },
      ...extra,
    });
  }

  const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `rel-${String(i).padStart(3, '0')}`);

  it('splits at 20 sub-requests per $batch with relative GET urls, and returns per-item results', async () => {
    serveBatches((r) =>
      r.url.endsWith('rel-044')
        ? { status: 404, body: { error: { code: 'itemNotFound', message: 'gone' } } }
        : { status: 200, body: relBody(r.url.split('/').pop() ?? '') },
    );
    const c = client();
    const out = await c.getRelationshipsMany(ids(45));
    assert.deepEqual(
      batches.map((b) => b.length).sort((a, b) => b - a),
      [20, 20, 5],
    );
    for (const b of batches) {
      assert.equal(new Set(b.map((r) => r.id)).size, b.length, 'ids unique within a batch');
      for (const r of b) {
        assert.equal(r.method, 'GET');
        assert.match(r.url, /^\/tenantRelationships\/delegatedAdminRelationships\/rel-\d{3}$/);
      }
    }
    assert.equal(out.size, 45);
    const bad = out.get('rel-044');
    assert.ok(bad !== undefined && !bad.ok && bad.error.kind === 'notFound');
    const good = out.get('rel-000');
    assert.ok(good !== undefined && good.ok && good.value.id === 'rel-000');
    assert.equal([...out.values()].filter((r) => r.ok).length, 44);
    assert.match(server.requests[0].headers.authorization, /^Bearer /);
  });

  it('promises one result per distinct key, in request order: duplicates collapse, a malformed item fails only itself', async () => {
    serveBatches((r) => {
      const id = r.url.split('/').pop() ?? '';
      return id === 'rel-002' ? { status: 200, body: { id, status: 'active' } } : { status: 200, body: relBody(id) };
    });
    const out = await client().getRelationshipsMany(['rel-003', 'rel-001', 'rel-003', 'rel-002', 'rel-001']);
    assert.deepEqual([...out.keys()], ['rel-003', 'rel-001', 'rel-002']);
    assert.equal(batches.flat().length, 3, 'each distinct id read once');
    const malformed = out.get('rel-002');
    assert.ok(malformed !== undefined && !malformed.ok && malformed.error.kind === 'invalidResponse', JSON.stringify(malformed));
    assert.ok([out.get('rel-003'), out.get('rel-001')].every((r) => r?.ok === true));
  });

  it('assembles engine outcomes honestly: a key the engine never answered is an error, not a gap', () => {
    const error = new GdapError({ kind: 'forbidden', message: 'no' });
    const out = assembleResults(
      ['a', 'b', 'c', 'd'],
      new Map([
        ['a', { ok: true as const }],
        ['b', { ok: false as const, error }],
        ['d', { ok: true as const }],
      ]),
      (k) => (k === 'a' || k === 'c' ? `value ${k}` : undefined),
    );
    assert.deepEqual([...out.keys()], ['a', 'b', 'c', 'd']);
    assert.deepEqual(out.get('a'), { ok: true, value: 'value a' });
    assert.equal(
      out.get('b')?.ok === false && out.get('b')?.ok === false ? (out.get('b') as { error: GdapError }).error : undefined,
      error,
    );
    for (const k of ['c', 'd']) {
      const r = out.get(k);
      assert.ok(r !== undefined && !r.ok && r.error.kind === 'invalidResponse', k);
    }
  });

  it('retries only the throttled sub-requests, honouring each item Retry-After, and slows every worker', async () => {
    const seen = new Map<string, number>();
    serveBatches((r) => {
      const n = (seen.get(r.url) ?? 0) + 1;
      seen.set(r.url, n);
      const id = r.url.split('/').pop() ?? '';
      if (n === 1 && (id === 'rel-003' || id === 'rel-017')) {
        return {
          status: 429,
          headers: { 'Retry-After': id === 'rel-003' ? '2' : '4' },
          body: { error: { code: 'TooManyRequests', message: 'later' } },
        };
      }
      if (n === 1 && id === 'rel-010') {
        return { status: 503, headers: { 'Retry-After': '1' } };
      }
      return { status: 200, body: relBody(id) };
    });
    const c = client();
    const out = await c.getRelationshipsMany(ids(20));
    assert.equal([...out.values()].filter((r) => r.ok).length, 20);
    assert.equal(batches[0].length, 20);
    const retried = batches
      .slice(1)
      .flat()
      .map((r) => r.url.split('/').pop());
    assert.deepEqual([...retried].sort(), ['rel-003', 'rel-010', 'rel-017']);
    assert.ok(
      clock.sleeps.some((ms) => ms >= 4000),
      `waited for the longest Retry-After: ${JSON.stringify(clock.sleeps)}`,
    );
    assert.ok(c.throttleGate.throttled >= 3);
  });

  it('fails an item after its retries are exhausted without failing the others', async () => {
    serveBatches((r) =>
      r.url.endsWith('rel-001')
        ? { status: 429, headers: { 'Retry-After': '1' } }
        : { status: 200, body: relBody(r.url.split('/').pop() ?? '') },
    );
    const out = await client({ retry: { maxAttempts: 3, random: () => 0.5 } }).getRelationshipsMany(ids(3));
    const r1 = out.get('rel-001');
    assert.ok(r1 !== undefined && !r1.ok && r1.error.kind === 'throttled');
    assert.ok(out.get('rel-000')?.ok && out.get('rel-002')?.ok);
    assert.equal(batches.flat().filter((r) => r.url.endsWith('rel-001')).length, 3);
  });

  it('bounds concurrency (configurable) and runs independent batches in parallel', async () => {
    serveBatches((r) => ({ status: 200, body: relBody(r.url.split('/').pop() ?? '') }), 30);
    await client({ concurrency: 2 }).getRelationshipsMany(ids(100));
    assert.equal(batches.length, 5);
    assert.equal(maxInFlight, 2);
    // Long enough that four TLS handshakes overlap even on a slow 2-core machine; 200 reads are 10
    // batches, more than the default lanes of a fixed list, so the bound (not the work) sets the figure.
    serveBatches((r) => ({ status: 200, body: relBody(r.url.split('/').pop() ?? '') }), 250);
    await client().getRelationshipsMany(ids(200));
    assert.equal(maxInFlight, DEFAULT_FIXED_BATCH_LANES, `default concurrency ${DEFAULT_FIXED_BATCH_LANES}`);
  });

  /**
   * rel-a's assignments in `pages` (each page's value; the first page's skiptoken is p2, and so on), rel-b
   * with none, any other relationship refused (403).
   */
  function serveAssignmentChains(pages: unknown[][]): void {
    const first = '/tenantRelationships/delegatedAdminRelationships/rel-a/accessAssignments?$top=300';
    const linkTo = (n: number): string => `${server.origin}/v1.0${first}&$skiptoken=p${n}`;
    serveBatches((r) => {
      const later = /\$skiptoken=p(\d+)$/.exec(r.url);
      const page = r.url === first ? 1 : later !== null ? Number(later[1]) : 0;
      if (page > 0) {
        const next = page < pages.length ? { '@odata.nextLink': linkTo(page + 1) } : {};
        return { status: 200, body: { value: pages[page - 1], ...next } };
      }
      if (r.url.includes('rel-b')) {
        return { status: 200, body: { value: [] } };
      }
      return { status: 403, body: { error: { code: 'Forbidden', message: 'no' } } };
    });
  }

  it('listAccessAssignmentsForMany follows each item nextLink sequentially', async () => {
    serveAssignmentChains([aaList.value.slice(0, 1), aaList.value.slice(1), aaList.value]);
    const out = await client().listAccessAssignmentsForMany(['rel-a', 'rel-b', 'rel-c']);
    const a = out.get('rel-a');
    assert.ok(a?.ok);
    assert.equal(a.value.length, 4);
    assert.ok(a.value.every((x) => x.relationshipId === 'rel-a'));
    const b = out.get('rel-b');
    assert.ok(b?.ok && b.value.length === 0);
    const cRes = out.get('rel-c');
    assert.ok(cRes !== undefined && !cRes.ok && cRes.error.kind === 'forbidden');
    assert.equal(batches.length, 3, 'first pages together, then one follow-up per round of the rel-a chain');
    assert.deepEqual(
      batches[1].map((r) => r.url),
      ['/tenantRelationships/delegatedAdminRelationships/rel-a/accessAssignments?$top=300&$skiptoken=p2'],
    );
  });

  it('the streamed read tells each relationship its result once it is whole: after its last page, a failure too', async () => {
    serveAssignmentChains([aaList.value.slice(0, 1), aaList.value.slice(1)]);
    async function* groups(): AsyncGenerator<readonly string[]> {
      await Promise.resolve();
      yield ['rel-a', 'rel-b', 'rel-c'];
    }
    const told: { key: string; result: BatchItemResult<AccessAssignment[]>; batchesSoFar: number }[] = [];
    const out = await client().listAccessAssignmentsForManyStreamed(groups(), {
      onResult: (key, result) => told.push({ key, result, batchesSoFar: batches.length }),
    });
    assert.deepEqual(told.map((t) => t.key).sort(), ['rel-a', 'rel-b', 'rel-c'], 'once per relationship');
    for (const t of told) {
      assert.deepEqual(t.result, out.get(t.key), `${t.key}: the same result as the returned map`);
    }
    const a = told.find((t) => t.key === 'rel-a');
    assert.ok(a?.result.ok && a.result.value.length === aaList.value.length, 'rel-a whole: both of its pages');
    assert.equal(a.batchesSoFar, 2, 'rel-a told after its second page');
    assert.equal(told.find((t) => t.key === 'rel-b')?.batchesSoFar, 1, 'rel-b told after the first batch, before rel-a');
    const c = told.find((t) => t.key === 'rel-c')?.result;
    assert.ok(c !== undefined && !c.ok && c.error.kind === 'forbidden');
  });

  it('with retainDelivered false, keeps only what did not succeed; an id named twice is read once', async () => {
    serveAssignmentChains([aaList.value.slice(0, 1), aaList.value.slice(1)]);
    async function* groups(): AsyncGenerator<readonly string[]> {
      yield ['rel-a', 'rel-b'];
      await Promise.resolve();
      // rel-b again (a page that shifted), and one more.
      yield ['rel-b', 'rel-c'];
    }
    const told: string[] = [];
    const values = new Map<string, number>();
    const out = await client().listAccessAssignmentsForManyStreamed(groups(), {
      retainDelivered: false,
      onResult: (key, result) => {
        told.push(key);
        if (result.ok) {
          values.set(key, result.value.length);
        }
      },
    });
    assert.deepEqual([...told].sort(), ['rel-a', 'rel-b', 'rel-c'], 'each told once');
    assert.equal(values.get('rel-a'), aaList.value.length, 'rel-a whole when told');
    assert.deepEqual([...out.keys()], ['rel-c'], 'only the failed key is kept');
    const c = out.get('rel-c');
    assert.ok(c !== undefined && !c.ok && c.error.kind === 'forbidden');
    const read = batches.flat().map((r) => r.url.split('/')[3]);
    assert.equal(read.filter((id) => id === 'rel-b').length, 1, 'rel-b read once');
  });

  it('getAccessAssignmentsMany keys results by relationship/assignment', async () => {
    serveBatches((r) =>
      r.url.endsWith('gone')
        ? { status: 404, body: { error: { code: 'notFound', message: 'x' } } }
        : { status: 200, body: exampleJson('delegatedadminaccessassignment-get.response.json') },
    );
    const out = await client().getAccessAssignmentsMany([
      { relationshipId: 'r1', assignmentId: 'a1' },
      { relationshipId: 'r1', assignmentId: 'gone' },
    ]);
    assert.ok(out.get('r1/a1')?.ok);
    const gone = out.get('r1/gone');
    assert.ok(gone !== undefined && !gone.ok && gone.error.kind === 'notFound');
  });

  it('replays the whole $batch after a lost response or a top-level 429 (every sub-request is a read)', async () => {
    let n = 0;
    server.requests.length = 0;
    server.handler = (req) => {
      n++;
      if (n === 1) {
        return { status: 0, drop: true };
      }
      if (n === 2) {
        return { status: 429, headers: { 'Retry-After': '3' } };
      }
      const { requests } = JSON.parse(req.body) as { requests: SubRequest[] };
      return {
        status: 200,
        body: { responses: requests.map((r) => ({ id: r.id, status: 200, body: relBody(r.url.split('/').pop() ?? '') })) },
      };
    };
    const c = client();
    const out = await c.getRelationshipsMany(ids(3));
    assert.ok([...out.values()].every((r) => r.ok));
    assert.equal(server.requests.length, 3);
    assert.equal(server.requests[0].headers['if-match'], undefined);
    assert.ok(clock.sleeps.includes(3000));
  });

  it('a failed $batch request fails its items; cancellation stops the engine', async () => {
    server.handler = () => ({ status: 400, body: { error: { code: 'BadRequest', message: 'bad batch' } } });
    const out = await client().getRelationshipsMany(ids(2));
    assert.ok([...out.values()].every((r) => !r.ok && r.error.kind === 'invalidInput'));
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      client().getRelationshipsMany(ids(2), { signal: ac.signal }),
      (e: unknown) => isGdapError(e) && e.kind === 'cancelled',
    );
  });
});
