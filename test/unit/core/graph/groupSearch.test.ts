import { strict as assert } from 'node:assert';
import { GdapClient } from '../../../../src/core/graph/gdapClient';
import { groupSearchPath } from '../../../../src/core/graph/groupSearch';
import { isGdapError } from '../../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../../src/core/http/transport';
import { emulatorEndpoints, FakeTokens, type RecordedRequest, startTestServer, type TestServer, VirtualClock } from '../helpers/testServer';

describe('GdapClient.searchSecurityGroups: security groups by name prefix', function () {
  this.timeout(10_000);
  let server: TestServer;
  let transport: HttpTransport;
  let seen: RecordedRequest[];

  before(async () => {
    server = await startTestServer(() => ({ status: 404 }));
  });
  after(() => server.close());
  afterEach(() => transport.close());

  function client(reply: (r: RecordedRequest) => { status: number; body?: unknown }): GdapClient {
    seen = [];
    server.handler = (r) => {
      seen.push(r);
      return reply(r);
    };
    transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
    return new GdapClient({
      endpoints: emulatorEndpoints(server),
      tokens: new FakeTokens(),
      transport,
      clock: new VirtualClock(),
      retry: { random: () => 0.5 },
    });
  }

  it('sends one GET with the filter, single quotes doubled, no ConsistencyLevel, and maps the groups', async () => {
    const c = client(() => ({
      status: 200,
      body: {
        value: [
          { id: 'a', displayName: "O'Brien admins", securityEnabled: true },
          { id: 'b', displayName: null, securityEnabled: false },
        ],
      },
    }));
    const found = await c.searchSecurityGroups("  O'Brien ");
    assert.deepEqual(found, [
      { id: 'a', displayName: "O'Brien admins", securityEnabled: true },
      { id: 'b', displayName: 'b', securityEnabled: false },
    ]);
    assert.equal(seen.length, 1);
    const url = new URL(seen[0].url, 'https://x');
    assert.equal(url.pathname, '/v1.0/groups');
    assert.equal(url.searchParams.get('$filter'), "securityEnabled eq true and startswith(displayName,'O''Brien')");
    assert.equal(url.searchParams.get('$select'), 'id,displayName,securityEnabled');
    assert.equal(url.searchParams.get('$top'), '25');
    assert.equal(seen[0].headers.consistencylevel, undefined);
    assert.equal(
      groupSearchPath("a'b"),
      `/groups?$filter=${encodeURIComponent("securityEnabled eq true and startswith(displayName,'a''b')")}&$select=id,displayName,securityEnabled&$top=25`,
    );
  });

  it('refuses fewer than 2 characters before any request, and reports a 403 as forbidden', async () => {
    const c = client(() => ({
      status: 403,
      body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } },
    }));
    await assert.rejects(
      c.searchSecurityGroups(' a '),
      (e: unknown) => isGdapError(e) && e.kind === 'invalidInput' && /at least 2/.test(e.message),
    );
    assert.equal(seen.length, 0);
    await assert.rejects(c.searchSecurityGroups('ab'), (e: unknown) => isGdapError(e) && e.kind === 'forbidden');
  });

  it('refuses a malformed answer as invalidResponse', async () => {
    const c = client(() => ({ status: 200, body: { value: [{ displayName: 'no id' }] } }));
    await assert.rejects(c.searchSecurityGroups('ab'), (e: unknown) => isGdapError(e) && e.kind === 'invalidResponse');
  });
});
