import { strict as assert } from 'node:assert';
import { GdapClient } from '../../../src/core/graph/gdapClient';
import { CLOUD_HOSTS, mayAttachAuthorization, resolveEndpoints } from '../../../src/core/http/clouds';
import { isGdapError } from '../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../src/core/http/transport';
import { PartnerCenterClient } from '../../../src/core/partnerCenter/partnerCenterClient';
import { emulatorEndpoints, exampleJson, FakeTokens, startTestServer, type TestServer, VirtualClock } from '../core/helpers/testServer';

// docs/architecture.md §3: Authorization goes only to the cloud table's hosts or the loopback emulator.
// Two recording servers: the configured "emulator", and a foreign origin (another port on the same
// machine, so only the allow-list — not DNS or TLS — can keep the token from it).
const REL = 'a1b2c3d4-0000-0000-0000-000000000001-b2c3d4e5-0000-0000-0000-000000000002';

describe('Authorization allow-list: the token never leaves the cloud table or the emulator', function () {
  this.timeout(10_000);
  let home: TestServer;
  let foreign: TestServer;
  let transport: HttpTransport;

  before(async () => {
    home = await startTestServer(() => ({ status: 404 }));
    foreign = await startTestServer(() => ({ status: 200, body: { value: [] } }));
  });
  after(async () => {
    await home.close();
    await foreign.close();
  });
  beforeEach(() => {
    home.requests.length = 0;
    foreign.requests.length = 0;
    transport = createHttpTransport({ endpoints: emulatorEndpoints(home) });
  });
  afterEach(() => transport.close());

  const graph = (): GdapClient =>
    new GdapClient({ endpoints: emulatorEndpoints(home), tokens: new FakeTokens(), transport, clock: new VirtualClock() });
  const refusedSafely = (e: unknown): boolean =>
    isGdapError(e) && e.kind === 'invalidResponse' && /another host/.test(e.message) && !/token-/.test(e.message);
  const foreignSawNoToken = (): void => {
    assert.equal(foreign.requests.length, 0, 'the foreign host received no request at all');
    for (const r of home.requests) {
      assert.ok(r.headers.authorization?.startsWith('Bearer token-'), 'the home host did get the token (the test is live)');
    }
  };

  it('does not follow an @odata.nextLink to another port', async () => {
    home.handler = () => ({
      status: 200,
      body: { value: [], '@odata.nextLink': `${foreign.origin}/v1.0/tenantRelationships/delegatedAdminRelationships?$skiptoken=x` },
    });
    await assert.rejects(graph().listAllRelationships(), refusedSafely);
    assert.equal(home.requests.length, 1);
    foreignSawNoToken();
  });

  it('does not follow a nextLink to another host inside a $batch sub-response', async () => {
    home.handler = (req) => {
      const body = JSON.parse(req.body) as { requests: { id: string }[] };
      return {
        status: 200,
        body: {
          responses: body.requests.map((r) => ({
            id: r.id,
            status: 200,
            headers: {},
            body: { value: [], '@odata.nextLink': `${foreign.origin}/v1.0/x` },
          })),
        },
      };
    };
    const result = await graph().listAccessAssignmentsForMany([REL]);
    const item = result.get(REL);
    assert.ok(item !== undefined && !item.ok && refusedSafely(item.error), JSON.stringify(item));
    foreignSawNoToken();
  });

  it('does not poll an operation Location on another host', async () => {
    home.handler = (req) =>
      req.method === 'PATCH'
        ? {
            status: 202,
            headers: {
              Location: `${foreign.origin}/v1.0/tenantRelationships/delegatedAdminRelationships/${REL}/operations/op1`,
              'Retry-After': '1',
            },
            body: {},
          }
        : { status: 404 };
    await assert.rejects(
      graph().updateAccessAssignment(REL, 'assignment-1', 'W/"1"', ['62e90394-69f5-4237-9190-012177145e10']),
      refusedSafely,
    );
    foreignSawNoToken();
  });

  it('does not follow a Partner Center next link to another host', async () => {
    const page = exampleJson('partnercenter-get-a-list-of-customers.response.json') as Record<string, unknown>;
    home.handler = () => ({
      status: 200,
      body: { ...page, links: { next: { uri: `${foreign.origin}/v1/customers?size=40`, method: 'GET', headers: [] } } },
    });
    const pc = new PartnerCenterClient({
      endpoints: emulatorEndpoints(home),
      tokens: new FakeTokens(),
      transport,
      clock: new VirtualClock(),
    });
    await assert.rejects(pc.listCustomers(), refusedSafely);
    foreignSawNoToken();
  });

  it('the transport itself refuses to attach Authorization to a foreign origin', async () => {
    await assert.rejects(
      transport.send({ method: 'GET', url: `${foreign.origin}/v1.0/x`, headers: { Authorization: 'Bearer token-graph-1' } }),
      (e: unknown) =>
        isGdapError(e) &&
        e.kind === 'invalidInput' &&
        /Refusing to send credentials/.test(e.message) &&
        !e.message.includes('token-graph-1'),
    );
    assert.equal(foreign.requests.length, 0);
  });

  it('allows exactly the cloud table hosts over https, nothing that merely looks like them', () => {
    const cloud = resolveEndpoints({ cloud: 'global' });
    for (const hosts of Object.values(CLOUD_HOSTS)) {
      assert.ok(mayAttachAuthorization(`${hosts.graph}/v1.0/me`, cloud), hosts.graph);
      assert.ok(mayAttachAuthorization(`${hosts.partnerCenter}/v1/customers`, cloud), hosts.partnerCenter);
    }
    for (const bad of [
      'http://graph.microsoft.com/v1.0/x',
      'https://graph.microsoft.com.evil.example/v1.0/x',
      'https://graph.microsoft.com:8443/v1.0/x',
      'https://evil.example/?u=https://graph.microsoft.com',
      'https://user@evil.example/graph.microsoft.com',
      'https://login.microsoftonline.com/common',
      'https://127.0.0.1:8443/v1.0/x',
      'not a url',
    ]) {
      assert.equal(mayAttachAuthorization(bad, cloud), false, bad);
    }
    // In emulator mode, only the emulator's own origin (scheme, host and port).
    const emu = emulatorEndpoints(home);
    assert.ok(mayAttachAuthorization(`${home.origin}/v1.0/x`, emu));
    assert.equal(mayAttachAuthorization(`${foreign.origin}/v1.0/x`, emu), false);
    assert.equal(mayAttachAuthorization('https://graph.microsoft.com/v1.0/x', emu), false);
  });
});
