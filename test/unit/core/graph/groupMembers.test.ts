import { strict as assert } from 'node:assert';
import { resolveEndpoints } from '../../../../src/core/http/clouds';
import { createStaticTokenProvider } from '../../../../src/core/auth/staticTokenProvider';
import { GdapClient } from '../../../../src/core/graph/gdapClient';
import { normaliseGroupMember } from '../../../../src/core/graph/groupMembers';
import { isGdapError } from '../../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../../src/core/http/transport';
import { type RunningEmulator, startEmulator } from '../../../../src/emulator/server';

describe('GdapClient.listGroupMembers: a security group’s members against the emulator', function () {
  this.timeout(20_000);
  let emu: RunningEmulator;
  let transport: HttpTransport;

  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 5, timeScale: 100 });
  });
  after(() => emu.close());
  afterEach(() => transport.close());

  function client(permissions?: string[], pageSize = 50): GdapClient {
    const endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: emu.url, emulatorCaPem: emu.caPem });
    transport = createHttpTransport({ endpoints });
    const graph = emu.issueToken({ audience: 'graph', kind: 'user', ...(permissions !== undefined ? { permissions } : {}) });
    return new GdapClient({ endpoints, tokens: createStaticTokenProvider({ graph }), transport, pageSize });
  }

  const memberReads = (): string[] => emu.requests().flatMap((r) => (r.path.endsWith('/transitiveMembers') ? [r.path] : []));

  it('reads every page with $select and $top, following @odata.nextLink', async () => {
    const group = emu.store.securityGroups[0];
    const expected = emu.store.groupMembers.get(group.id) ?? [];
    assert.ok(expected.length > 100, 'the first group spans several pages');
    const before = memberReads().length;
    const members = await client(['GroupMember.Read.All']).listGroupMembers(group.id);
    assert.deepEqual(
      members.map((m) => m.id),
      expected.map((u) => u.id),
    );
    assert.deepEqual(members[0], {
      id: expected[0].id,
      displayName: expected[0].displayName,
      userPrincipalName: expected[0].userPrincipalName,
      kind: 'user',
    });
    assert.equal(memberReads().length - before, Math.ceil(expected.length / 50), 'one request per page of 50');
    const first = emu.requests().find((r) => r.path.endsWith(`/groups/${group.id}/transitiveMembers`));
    assert.ok(first);
    const query = new URLSearchParams(first.query.replace(/^\?/, ''));
    assert.equal(query.get('$select'), 'id,displayName,userPrincipalName');
    assert.equal(query.get('$top'), '50');
  });

  it('needs a group-read consent: without one the read fails as forbidden', async () => {
    const group = emu.store.securityGroups[1];
    await assert.rejects(
      client(['DelegatedAdminRelationship.ReadWrite.All']).listGroupMembers(group.id),
      (e: unknown) => isGdapError(e) && e.kind === 'forbidden',
    );
  });

  it('a group that is gone is notFound; an id that is not a GUID is refused before any request', async () => {
    const c = client(['GroupMember.Read.All']);
    await assert.rejects(
      c.listGroupMembers('0a0b0c0d-0000-4000-8000-00000000ffff'),
      (e: unknown) => isGdapError(e) && e.kind === 'notFound',
    );
    const before = emu.requests().length;
    await assert.rejects(c.listGroupMembers('../users'), (e: unknown) => isGdapError(e) && e.kind === 'invalidInput');
    assert.equal(emu.requests().length, before);
  });

  it('normalises other directory objects and refuses an item without an id', () => {
    assert.deepEqual(normaliseGroupMember({ '@odata.type': '#microsoft.graph.group', id: 'g', displayName: 'Nested' }), {
      id: 'g',
      displayName: 'Nested',
      userPrincipalName: null,
      kind: 'group',
    });
    assert.deepEqual(normaliseGroupMember({ id: 'x', displayName: null }), {
      id: 'x',
      displayName: null,
      userPrincipalName: null,
      kind: 'unknown',
    });
    assert.throws(
      () => normaliseGroupMember({ displayName: 'no id' }),
      (e: unknown) => isGdapError(e) && e.kind === 'invalidResponse',
    );
  });
});
