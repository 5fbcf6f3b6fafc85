import { strict as assert } from 'node:assert';
import { createCoreClients } from '../../../src/core/coreClients';
import type { RequestLogEntry } from '../../../src/core/http/requestLog';
import { emulatorEndpoints, exampleJson, FakeTokens, startTestServer, type TestServer } from './helpers/testServer';

describe('createCoreClients', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer((req) =>
      req.url.startsWith('/partnercenter/')
        ? { status: 200, body: exampleJson('partnercenter-get-a-customer-by-id.response.json') }
        : { status: 200, body: exampleJson('tenantrelationship-list-delegatedadmincustomers.response.json') },
    );
  });
  after(() => server.close());

  it('wires both clients to one transport with the right token audiences, and disposes it', async () => {
    const tokens = new FakeTokens();
    const log: RequestLogEntry[] = [];
    const core = createCoreClients({ endpoints: emulatorEndpoints(server), tokens, log: (e) => log.push(e), concurrency: 2 });
    try {
      assert.equal((await core.graph.listCustomers()).length, 2);
      assert.equal((await core.partnerCenter.getCustomer('eebd1b55-5360-4438-a11d-5c06918c3014')).allowDelegatedAccess, true);
    } finally {
      core.dispose();
      core.dispose();
    }
    assert.deepEqual(
      tokens.calls.map((c) => c.audience),
      ['graph', 'partnerCenter'],
    );
    assert.equal(log.length, 2);
    assert.ok(log.every((e) => e.clientRequestId !== undefined && !JSON.stringify(e).includes('token-')));
  });
});
