import { strict as assert } from 'node:assert';
import { RoleDefinitionsClient } from '../../../src/core/graph/roleDefinitionsClient';
import { isGdapError } from '../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../src/core/http/transport';
import { resolveRole } from '../../../src/core/roles/roleLookup';
import { emulatorEndpoints, FakeTokens, startTestServer, type TestServer, VirtualClock } from '../core/helpers/testServer';

describe('RoleDefinitionsClient: the live role catalog over real HTTPS', function () {
  this.timeout(10_000);
  let server: TestServer;
  let transport: HttpTransport;

  before(async () => {
    server = await startTestServer(() => ({ status: 404 }));
  });
  after(() => server.close());
  afterEach(() => transport.close());

  function client(): RoleDefinitionsClient {
    transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
    return new RoleDefinitionsClient({
      endpoints: emulatorEndpoints(server),
      tokens: new FakeTokens(),
      transport,
      clock: new VirtualClock(),
      retry: { random: () => 0.5 },
    });
  }

  it('reads every page with $select, keys by template id, skips odd entries, and caches the catalog', async () => {
    server.requests.length = 0;
    server.handler = (req) => {
      if (req.url.includes('skiptoken')) {
        return {
          status: 200,
          body: {
            value: [
              { id: 'custom-1', templateId: 'AAAAAAAA-0000-4000-8000-000000000001', displayName: 'Custom Helpdesk', isPrivileged: null },
            ],
          },
        };
      }
      return {
        status: 200,
        body: {
          '@odata.nextLink': `${server.origin}/v1.0/roleManagement/directory/roleDefinitions?$skiptoken=2`,
          value: [
            {
              id: 'd2562ede-74db-457e-a7b6-544e236ebb61',
              templateId: 'd2562ede-74db-457e-a7b6-544e236ebb61',
              displayName: 'AI Administrator',
              isPrivileged: true,
              isBuiltIn: true,
            },
            { id: 'ffffffff-0000-4000-8000-000000000009', displayName: 'Role From 2027', isPrivileged: false },
            { displayName: 'no id at all' },
          ],
        },
      };
    };
    const c = client();
    const catalog = await c.catalog();
    assert.equal(
      server.requests[0].url,
      '/v1.0/roleManagement/directory/roleDefinitions?$select=id,templateId,displayName,isPrivileged,isBuiltIn',
    );
    assert.equal(server.requests.length, 2);
    assert.equal(catalog.size, 3);
    // Live wins: the directory says AI Administrator is privileged, the static reference did not.
    assert.equal(resolveRole('d2562ede-74db-457e-a7b6-544e236ebb61', catalog).privilege, 'privileged');
    assert.equal(resolveRole('ffffffff-0000-4000-8000-000000000009', catalog).name, 'Role From 2027');
    assert.equal(resolveRole('aaaaaaaa-0000-4000-8000-000000000001', catalog).privilege, 'unknown');
    await c.catalog();
    assert.equal(server.requests.length, 2, 'the second call is served from the cache');
  });

  it('without consent: a forbidden GdapError, not cached; a nextLink to another host is refused', async () => {
    server.handler = () => ({ status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } } });
    const c = client();
    await assert.rejects(c.catalog(), (e: unknown) => isGdapError(e) && e.kind === 'forbidden');
    server.handler = () => ({
      status: 200,
      body: { value: [], '@odata.nextLink': 'https://evil.example/v1.0/roleManagement/directory/roleDefinitions' },
    });
    await assert.rejects(c.catalog(), (e: unknown) => isGdapError(e) && e.kind === 'invalidResponse' && /another host/.test(e.message));
  });
});
