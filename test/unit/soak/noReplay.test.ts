import { strict as assert } from 'node:assert';
import { GdapClient } from '../../../src/core/graph/gdapClient';
import { isGdapError } from '../../../src/core/http/gdapError';
import type { HttpTransport } from '../../../src/core/http/transport';
import { PartnerCenterClient } from '../../../src/core/partnerCenter/partnerCenterClient';
import { emulatorEndpoints, exampleJson, FakeTokens, useTestServer, type TestServer, VirtualClock } from '../core/helpers/testServer';

// Found by the soak: a DELETE with If-Match and the Partner Center PATCH were replayed by the retry
// layer after a lost answer, although the service had applied the first send. With
// `reconcileByReading` (set by the actions) the client fails with `ambiguous` instead, and the action
// reads the target to learn the outcome.
const REL = 'a1b2c3d4-0000-0000-0000-000000000001-b2c3d4e5-0000-0000-0000-000000000002';
const TENANT = 'eebd1b55-5360-4438-a11d-5c06918c3014';

describe('mutations are not replayed after a lost answer when the caller reconciles by reading', function () {
  this.timeout(10_000);
  let server: TestServer;
  let transport: HttpTransport;

  useTestServer((s) => ({ server, transport } = s));

  const ambiguous = (e: unknown): boolean => isGdapError(e) && e.ambiguous === true;

  it('DELETE access assignment: one send, then an ambiguous error', async () => {
    server.handler = () => ({ status: 0, drop: true });
    const graph = new GdapClient({ endpoints: emulatorEndpoints(server), tokens: new FakeTokens(), transport, clock: new VirtualClock() });
    await assert.rejects(graph.deleteAccessAssignment(REL, 'assignment-1', 'W/"1"', { reconcileByReading: true }), ambiguous);
    assert.equal(server.requests.filter((r) => r.method === 'DELETE').length, 1);
  });

  it('DELETE access assignment: a 429 (service did not act) is still re-sent', async () => {
    let n = 0;
    server.handler = () => (++n === 1 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 204 });
    const graph = new GdapClient({ endpoints: emulatorEndpoints(server), tokens: new FakeTokens(), transport, clock: new VirtualClock() });
    await graph.deleteAccessAssignment(REL, 'assignment-1', 'W/"1"', { reconcileByReading: true });
    assert.equal(server.requests.length, 2);
  });

  it('Partner Center remove DAP: one PATCH, then an ambiguous error', async () => {
    server.handler = (req) =>
      req.method === 'PATCH'
        ? { status: 0, drop: true }
        : { status: 200, body: exampleJson('partnercenter-get-a-customer-by-id.response.json') };
    const pc = new PartnerCenterClient({
      endpoints: emulatorEndpoints(server),
      tokens: new FakeTokens(),
      transport,
      clock: new VirtualClock(),
    });
    await assert.rejects(pc.removeDap(TENANT, { reconcileByReading: true }), ambiguous);
    assert.equal(server.requests.filter((r) => r.method === 'PATCH').length, 1);
  });
});
