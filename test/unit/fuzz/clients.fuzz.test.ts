import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { GdapClient } from '../../../src/core/graph/gdapClient';
import { parseEmulatorUrl } from '../../../src/core/http/clouds';
import { isGdapError } from '../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../src/core/http/transport';
import { PartnerCenterClient } from '../../../src/core/partnerCenter/partnerCenterClient';
import { RoleDefinitionsClient } from '../../../src/core/graph/roleDefinitionsClient';
import { parseClaimsChallenge } from '../../../src/core/http/claimsChallenge';
import { emulatorEndpoints, exampleJson, FakeTokens, startTestServer, type TestServer, VirtualClock } from '../core/helpers/testServer';
import { bodyTextFrom } from './mutate';

// The real clients over a loopback server that answers with mutated documented examples: paging,
// $batch, LRO polling and Partner Center paths end in a value or a GdapError, never anything else.
const REL = 'a1b2c3d4-0000-0000-0000-000000000001-b2c3d4e5-0000-0000-0000-000000000002';
const TENANT = 'eebd1b55-5360-4438-a11d-5c06918c3014';
const ROLE = '62e90394-69f5-4237-9190-012177145e10';
const RUNS = { numRuns: 60, seed: 777 };

describe('fuzz: the clients over a loopback server with hostile bodies', function () {
  this.timeout(20_000);
  let server: TestServer;
  let transport: HttpTransport;

  before(async () => {
    server = await startTestServer(() => ({ status: 404 }));
    transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
  });
  after(async () => {
    transport.close();
    await server.close();
  });

  const clients = (): { graph: GdapClient; pc: PartnerCenterClient } => {
    const clock = new VirtualClock();
    const common = {
      endpoints: emulatorEndpoints(server),
      tokens: new FakeTokens(),
      transport,
      clock,
      retry: { maxAttempts: 2, random: () => 0.5 },
    };
    return { graph: new GdapClient({ ...common, waitTimeoutMs: 20_000 }), pc: new PartnerCenterClient(common) };
  };
  const settles = async (p: Promise<unknown>): Promise<void> => {
    try {
      await p;
    } catch (e) {
      assert.ok(isGdapError(e), `not a GdapError: ${String(e)}`);
      assert.ok(e.message.length > 10, e.message);
    }
  };

  it('paging: relationship lists with mutated pages and nextLinks', async () => {
    const page = exampleJson('tenantrelationship-list-delegatedadminrelationships.response.json');
    await fc.assert(
      fc.asyncProperty(bodyTextFrom(page), fc.constantFrom(200, 200, 200, 400, 429, 500), async (body, status) => {
        server.handler = () => ({ status, headers: { 'Content-Type': 'application/json', 'Retry-After': '0' }, body });
        await settles(clients().graph.listAllRelationships());
      }),
      RUNS,
    );
  });

  it('$batch: mutated batch envelopes and sub-responses', async () => {
    const rel = exampleJson('delegatedadminrelationship-get.response.json');
    const envelope = { responses: [{ id: '1', status: 200, headers: {}, body: rel }] };
    await fc.assert(
      fc.asyncProperty(bodyTextFrom(envelope), async (body) => {
        server.handler = () => ({ status: 200, body });
        await settles(clients().graph.getRelationshipsMany([REL]));
      }),
      RUNS,
    );
  });

  it('LRO: a 202 and then mutated operations', async () => {
    const op = exampleJson('delegatedadminrelationshipoperation-get.response.json');
    await fc.assert(
      fc.asyncProperty(bodyTextFrom(op), fc.option(fc.string({ maxLength: 20 })), async (body, location) => {
        server.handler = (req) =>
          req.method === 'PATCH'
            ? {
                status: 202,
                headers: {
                  Location: location ?? `${server.origin}/v1.0/tenantRelationships/delegatedAdminRelationships/${REL}/operations/op1`,
                  'Retry-After': '1',
                },
                body: {},
              }
            : { status: 200, body };
        await settles(clients().graph.updateAccessAssignment(REL, 'assignment-1', 'W/"1"', [ROLE]));
      }),
      RUNS,
    );
  });

  it('Partner Center: mutated customer pages and customers', async () => {
    const list = exampleJson('partnercenter-get-a-list-of-customers.response.json');
    const one = exampleJson('partnercenter-get-a-customer-by-id.response.json');
    await fc.assert(
      fc.asyncProperty(bodyTextFrom(list), bodyTextFrom(one), async (listBody, oneBody) => {
        server.handler = (req) => ({ status: 200, body: req.url.includes('size=') ? listBody : oneBody });
        const { pc } = clients();
        await settles(pc.listCustomers());
        await settles(pc.getCustomer(TENANT));
        await settles(pc.removeDap(TENANT));
      }),
      RUNS,
    );
  });
  it('history: mutated request and operation lists', async () => {
    const requests = exampleJson('delegatedadminrelationship-list-requests.response.json');
    const operations = exampleJson('delegatedadminrelationship-list-operations.response.json');
    await fc.assert(
      fc.asyncProperty(bodyTextFrom(requests), bodyTextFrom(operations), async (requestsBody, operationsBody) => {
        server.handler = (req) => ({ status: 200, body: req.url.includes('/operations') ? operationsBody : requestsBody });
        const { graph } = clients();
        await settles(graph.listRequests(REL));
        await settles(graph.listOperations(REL));
      }),
      RUNS,
    );
  });

  it('Global Administrator removal: a 202 and then mutated operations, or a mutated 200', async () => {
    const op = exampleJson('delegatedadminrelationshipoperation-get.response.json');
    const updated = exampleJson('delegatedadminrelationship-update.response.json');
    await fc.assert(
      fc.asyncProperty(bodyTextFrom(op), bodyTextFrom(updated), fc.boolean(), async (opBody, updatedBody, longRunning) => {
        server.handler = (req) =>
          req.method === 'PATCH'
            ? longRunning
              ? {
                  status: 202,
                  headers: {
                    Location: `${server.origin}/v1.0/tenantRelationships/delegatedAdminRelationships/${REL}/operations/op1`,
                    'Retry-After': '1',
                  },
                  body: {},
                }
              : { status: 200, body: updatedBody }
            : { status: 200, body: opBody };
        await settles(clients().graph.updateRelationship(REL, 'W/"1"', { roleDefinitionIds: [ROLE] }));
      }),
      RUNS,
    );
  });

  it('create: mutated answers to a new relationship and a new access assignment', async () => {
    const created = exampleJson('tenantrelationship-post-delegatedadminrelationships.response.json');
    const assignment = exampleJson('delegatedadminrelationship-post-accessassignments.response.json');
    await fc.assert(
      fc.asyncProperty(bodyTextFrom(created), bodyTextFrom(assignment), async (createdBody, assignmentBody) => {
        server.handler = (req) => ({ status: 201, body: req.url.includes('/accessAssignments') ? assignmentBody : createdBody });
        const { graph } = clients();
        await settles(
          graph.createRelationship({ displayName: 'Fuzz', duration: 'P730D', roleDefinitionIds: [ROLE], customer: { tenantId: TENANT } }),
        );
        await settles(graph.createAccessAssignment(REL, { securityGroupId: TENANT, roleDefinitionIds: [ROLE] }));
      }),
      RUNS,
    );
  });

  it("group members: mutated pages of a group's transitive members", async () => {
    const page = {
      '@odata.nextLink': 'https://graph.microsoft.com/v1.0/groups/g/transitiveMembers?$skiptoken=2',
      value: [
        { '@odata.type': '#microsoft.graph.user', id: TENANT, displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.com' },
        { '@odata.type': '#microsoft.graph.group', id: ROLE, displayName: 'Nested helpdesk' },
      ],
    };
    await fc.assert(
      fc.asyncProperty(bodyTextFrom(page), async (body) => {
        let served = 0;
        // A nextLink that always answers the same page would never end: the second page is empty.
        server.handler = () => ({ status: 200, body: served++ === 0 ? body : '{"value":[]}' });
        await settles(clients().graph.listGroupMembers(TENANT));
      }),
      RUNS,
    );
  });

  it("role definitions: mutated pages of the directory's roles", async () => {
    const page = {
      value: [
        { id: ROLE, templateId: ROLE, displayName: 'Global Administrator', isPrivileged: true, isBuiltIn: true },
        {
          id: 'c0ffee00-0000-4000-8000-000000000001',
          templateId: null,
          displayName: 'Custom reader',
          isPrivileged: false,
          isBuiltIn: false,
        },
      ],
    };
    await fc.assert(
      fc.asyncProperty(bodyTextFrom(page), async (body) => {
        server.handler = () => ({ status: 200, body });
        const clock = new VirtualClock();
        const roles = new RoleDefinitionsClient({
          endpoints: emulatorEndpoints(server),
          tokens: new FakeTokens(),
          transport,
          clock,
          retry: { maxAttempts: 2, random: () => 0.5 },
        });
        await settles(roles.catalog());
      }),
      RUNS,
    );
  });
});

describe('fuzz: user input is validated before any request', function () {
  this.timeout(20_000);
  let server: TestServer;
  let transport: HttpTransport;

  before(async () => {
    server = await startTestServer(() => ({ status: 500 }));
    transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
  });
  after(async () => {
    transport.close();
    await server.close();
  });

  const clients = (): { graph: GdapClient; pc: PartnerCenterClient } => {
    const common = {
      endpoints: emulatorEndpoints(server),
      tokens: new FakeTokens(),
      transport,
      clock: new VirtualClock(),
      retry: { maxAttempts: 1 },
    };
    return { graph: new GdapClient(common), pc: new PartnerCenterClient(common) };
  };
  const refusedLocally = async (p: Promise<unknown>): Promise<void> => {
    const before = server.requests.length;
    await assert.rejects(p, (e: unknown) => isGdapError(e) && e.kind === 'invalidInput' && e.message.length > 10);
    assert.equal(server.requests.length, before, 'no request reached the server');
  };
  // Ids with anything outside the URL-safe set: path or query injection, whitespace, control characters.
  const badId = fc.oneof(
    fc.constant(''),
    fc.constant('..'),
    fc
      .tuple(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('/', '?', '#', '%', ' ', '\n', '&', '\u0000', '\\', '"'),
        fc.string({ maxLength: 10 }),
      )
      .map(([a, c, b]) => a + c + b),
  );
  const notGuid = fc.string({ maxLength: 40 }).filter((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s));

  it('relationship and assignment ids', async () => {
    await fc.assert(
      fc.asyncProperty(badId, async (id) => {
        const { graph } = clients();
        await refusedLocally(graph.getRelationship(id));
        await refusedLocally(graph.createRequest(id, 'terminate'));
        await refusedLocally(graph.deleteAccessAssignment(REL, id, 'W/"1"'));
        await refusedLocally(graph.deleteAccessAssignment(id, 'a1', 'W/"1"'));
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('customer tenant ids (GUIDs only)', async () => {
    await fc.assert(
      fc.asyncProperty(notGuid, async (id) => {
        const { graph, pc } = clients();
        await refusedLocally(pc.getCustomer(id));
        await refusedLocally(pc.removeDap(id));
        await refusedLocally(graph.listAllRelationships({ customerTenantId: id }));
      }),
      { numRuns: 100, seed: 6 },
    );
  });

  it('durations, names, statuses and role ids of new relationships', async () => {
    const good = { displayName: 'Contoso', duration: 'P730D', roleDefinitionIds: [ROLE] };
    const badDuration = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer({ min: 731, max: 100000 }).map((d) => `P${d}D`),
      fc.constantFrom('P0D', 'P3Y', 'PT1H', 'P', 'PT', '-P1D', 'P1.5D'),
    );
    await fc.assert(
      fc.asyncProperty(
        badDuration,
        fc.string({ minLength: 51, maxLength: 80 }),
        notGuid,
        fc.string({ maxLength: 20 }),
        async (duration, longName, role, status) => {
          const { graph } = clients();
          await refusedLocally(graph.createRelationship({ ...good, duration }));
          await refusedLocally(graph.createRelationship({ ...good, displayName: longName }));
          await refusedLocally(graph.createRelationship({ ...good, roleDefinitionIds: [role] }));
          await refusedLocally(graph.updateRelationship(REL, '', { displayName: 'x' }));
          // Status words are an evolvable enum (new values are passed through), but only letters reach $filter.
          if (!/^[A-Za-z]{1,64}$/.test(status)) {
            await refusedLocally(graph.listAllRelationships({ status }));
          }
        },
      ),
      { numRuns: 100, seed: 8 },
    );
  });

  it('emulator URLs: only a loopback origin is accepted', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.webUrl(),
          fc.string({ maxLength: 40 }),
          fc.constantFrom(
            'https://127.0.0.1.evil.example:8443',
            'https://user:pw@127.0.0.1:1',
            'file:///etc/passwd',
            'https://127.0.0.1:8443/path',
            'https://[::2]:1',
          ),
        ),
        (url) => {
          try {
            const origin = parseEmulatorUrl(url);
            const host = new URL(origin).hostname;
            assert.ok(host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host), `accepted ${url}`);
          } catch (e) {
            assert.ok(isGdapError(e) && e.kind === 'invalidInput', String(e));
          }
        },
      ),
      { numRuns: 200, seed: 9 },
    );
  });
});

describe('fuzz: claims challenges in WWW-Authenticate headers', () => {
  it('any header gives a challenge or nothing, never an exception', () => {
    const claims = Buffer.from('{"access_token":{"amr":{"essential":true,"values":["mfa"]}}}').toString('base64');
    const valid = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${claims}"`;
    const mutated = fc
      .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 40 }), fc.string({ maxLength: 40 }))
      .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(Math.min(valid.length, at + cut)));
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ maxLength: 300 }), fc.constant(undefined)), (header) => {
        const challenge = parseClaimsChallenge(header);
        assert.ok(challenge === undefined || typeof challenge === 'object');
      }),
      { numRuns: 2000, seed: 778 },
    );
    assert.ok(parseClaimsChallenge(valid) !== undefined, 'the unmutated header is a challenge');
  });
});
