import { strict as assert } from 'node:assert';
import { GdapClient } from '../../../../src/core/graph/gdapClient';
import type { GdapError } from '../../../../src/core/http/gdapError';
import { isGdapError } from '../../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../../src/core/http/transport';
import { emulatorEndpoints, FakeTokens, type RecordedRequest, startTestServer, type TestServer, VirtualClock } from '../helpers/testServer';

interface SubRequest {
  id: string;
  method: string;
  url: string;
}

const guid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const graphError = (status: number, code: string): { status: number; body: unknown } => ({
  status,
  body: { error: { code, message: `${code} (test)` } },
});

describe('GdapClient.getGroupNames: security group names with a per-item fallback to the id', function () {
  this.timeout(10_000);
  let server: TestServer;
  let transport: HttpTransport;
  let batches: SubRequest[][];

  before(async () => {
    server = await startTestServer(() => ({ status: 404 }));
  });
  after(() => server.close());
  afterEach(() => transport.close());

  function serve(sub: (r: SubRequest) => { status: number; body?: unknown }): void {
    batches = [];
    server.handler = (req: RecordedRequest) => {
      assert.equal(req.url, '/v1.0/$batch');
      const { requests } = JSON.parse(req.body) as { requests: SubRequest[] };
      batches.push(requests);
      return {
        status: 200,
        body: { responses: requests.map((r) => ({ id: r.id, headers: { 'content-type': 'application/json' }, ...sub(r) })) },
      };
    };
  }

  function client(): GdapClient {
    transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
    return new GdapClient({
      endpoints: emulatorEndpoints(server),
      tokens: new FakeTokens(),
      transport,
      clock: new VirtualClock(),
      retry: { random: () => 0.5 },
    });
  }

  const idOf = (url: string): string => /^\/groups\/([^?]+)\?\$select=id,displayName$/.exec(url)?.[1] ?? 'bad-url';

  it('names what it can read; 403, 404, no displayName and non-GUID ids map to themselves, each reported once', async () => {
    serve((r) => {
      const id = idOf(r.url);
      if (id === guid(2)) {
        return graphError(403, 'Authorization_RequestDenied');
      }
      if (id === guid(3)) {
        return graphError(404, 'Request_ResourceNotFound');
      }
      if (id === guid(4)) {
        return { status: 200, body: { id, displayName: null } };
      }
      return { status: 200, body: { '@odata.context': 'x', id, displayName: `Group ${id.slice(-2)}` } };
    });
    const unresolved: [string, string][] = [];
    const ids = [guid(1), guid(2), guid(3), guid(4), 'not-a-guid', guid(1)];
    const names = await client().getGroupNames(ids, { onUnresolved: (id, e: GdapError) => unresolved.push([id, e.kind]) });
    assert.deepEqual(
      [...names],
      [
        [guid(1), 'Group 01'],
        [guid(2), guid(2)],
        [guid(3), guid(3)],
        [guid(4), guid(4)],
        ['not-a-guid', 'not-a-guid'],
      ],
    );
    assert.deepEqual(unresolved, [
      [guid(2), 'forbidden'],
      [guid(3), 'notFound'],
      [guid(4), 'invalidResponse'],
      ['not-a-guid', 'invalidInput'],
    ]);
    const sent = batches.flat();
    assert.deepEqual(
      sent.map((r) => r.url).sort(),
      [1, 2, 3, 4].map((n) => `/groups/${guid(n)}?$select=id,displayName`),
      'one GET per distinct GUID, none for the malformed id',
    );
    assert.ok(sent.every((r) => r.method === 'GET'));
  });

  it('batches 20 per $batch', async () => {
    serve((r) => ({ status: 200, body: { id: idOf(r.url), displayName: 'G' } }));
    const ids = Array.from({ length: 25 }, (_, i) => guid(i + 10));
    const names = await client().getGroupNames(ids);
    assert.equal(names.size, 25);
    assert.ok([...names.values()].every((n) => n === 'G'));
    assert.deepEqual(
      batches.map((b) => b.length).sort((a, b) => b - a),
      [20, 5],
    );
  });

  it('a failed $batch leaves every id as it is instead of failing', async () => {
    server.handler = () => graphError(400, 'BadRequest');
    const unresolved: string[] = [];
    const names = await client().getGroupNames([guid(1), guid(2)], { onUnresolved: (id, e) => unresolved.push(`${id}:${e.kind}`) });
    assert.deepEqual(
      [...names],
      [
        [guid(1), guid(1)],
        [guid(2), guid(2)],
      ],
    );
    assert.deepEqual(unresolved, [`${guid(1)}:invalidInput`, `${guid(2)}:invalidInput`]);
  });

  it('cancellation is not swallowed', async () => {
    serve((r) => ({ status: 200, body: { id: idOf(r.url), displayName: 'G' } }));
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      client().getGroupNames([guid(1)], { signal: ac.signal }),
      (e: unknown) => isGdapError(e) && e.kind === 'cancelled',
    );
  });

  it('sends nothing for an empty list', async () => {
    serve(() => ({ status: 500 }));
    assert.equal((await client().getGroupNames([])).size, 0);
    assert.equal(batches.length, 0);
  });
});
