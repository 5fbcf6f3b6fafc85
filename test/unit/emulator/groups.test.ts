/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- these tests read untyped JSON replies */
import * as assert from 'node:assert/strict';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { REL, call } from './emulatorClient';

function claims(token: string): any {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('emulator GET /v1.0/groups/{id} (security group names)', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 2, timeScale: 100 });
  });
  after(() => emu.close());

  const groups = (): { id: string; displayName: string }[] => emu.store.securityGroups;

  it('serves a security group of the data set with GroupMember.Read.All, Group.Read.All or Directory.Read.All; $select keeps id and the named fields', async () => {
    const g = groups()[0];
    for (const perm of ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All']) {
      const token = emu.issueToken({ audience: 'graph', kind: 'user', permissions: ['DelegatedAdminRelationship.ReadWrite.All', perm] });
      const r = await call(emu, 'GET', `/v1.0/groups/${g.id}?$select=id,displayName`, { token });
      assert.equal(r.status, 200, `${perm}: ${r.text}`);
      assert.equal(r.json.id, g.id);
      assert.equal(r.json.displayName, g.displayName);
      assert.match(r.json['@odata.context'], /\/v1\.0\/\$metadata#groups\(id,displayName\)\/\$entity$/);
      assert.deepEqual(Object.keys(r.json).sort(), ['@odata.context', 'displayName', 'id']);
    }
    const token = emu.issueToken({ audience: 'graph', kind: 'user', permissions: ['GroupMember.Read.All'] });
    const full = await call(emu, 'GET', `/v1.0/groups/${g.id}`, { token });
    assert.equal(full.status, 200);
    assert.equal(full.json.securityEnabled, true);
    assert.equal((await call(emu, 'GET', `/v1.0/groups/${g.id}?$select=nope`, { token })).status, 400);
  });

  it('answers 403 Authorization_RequestDenied in the Graph error shape without a group-read permission', async () => {
    const token = emu.issueToken({ audience: 'graph', kind: 'user', permissions: ['DelegatedAdminRelationship.ReadWrite.All'] });
    const r = await call(emu, 'GET', `/v1.0/groups/${groups()[0].id}?$select=id,displayName`, { token });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.error.code, 'Authorization_RequestDenied');
    assert.equal(typeof r.json.error.message, 'string');
    assert.ok(r.json.error.innerError['request-id']);
    assert.ok(r.headers['request-id']);
    const app = emu.issueToken({ audience: 'graph', kind: 'app' });
    assert.equal(
      (await call(emu, 'GET', `/v1.0/groups/${groups()[0].id}`, { token: app })).status,
      403,
      'app token with only the GDAP role',
    );
    assert.equal((await call(emu, 'GET', `/v1.0/groups/${groups()[0].id}`)).status, 401, 'no token');
  });

  it('404 Request_ResourceNotFound for an unknown id, 405 for writes, 400 for other navigations', async () => {
    const token = emu.issueToken({ audience: 'graph', kind: 'user', permissions: ['GroupMember.Read.All'] });
    const missing = await call(emu, 'GET', '/v1.0/groups/00000000-0000-0000-0000-000000000001', { token });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.error.code, 'Request_ResourceNotFound');
    assert.equal((await call(emu, 'PATCH', `/v1.0/groups/${groups()[0].id}`, { token, body: {} })).status, 405);
    assert.equal((await call(emu, 'GET', `/v1.0/groups/${groups()[0].id}/owners`, { token })).status, 400);
  });

  it('works inside $batch, one sub-response per group, with per-item 403/404', async () => {
    const [a, b] = groups();
    const withScope = emu.issueToken({
      audience: 'graph',
      kind: 'user',
      permissions: ['DelegatedAdminRelationship.ReadWrite.All', 'GroupMember.Read.All'],
    });
    const body = {
      requests: [
        { id: '1', method: 'GET', url: `/groups/${a.id}?$select=id,displayName` },
        { id: '2', method: 'GET', url: `groups/${b.id}?$select=id,displayName` },
        { id: '3', method: 'GET', url: '/groups/00000000-0000-0000-0000-000000000002?$select=id,displayName' },
      ],
    };
    const r = await call(emu, 'POST', '/v1.0/$batch', { token: withScope, body });
    assert.equal(r.status, 200, r.text);
    const byId = new Map(r.json.responses.map((x: any) => [x.id, x]));
    assert.equal((byId.get('1') as any).status, 200);
    assert.equal((byId.get('1') as any).body.displayName, a.displayName);
    assert.equal((byId.get('2') as any).body.displayName, b.displayName);
    assert.equal((byId.get('3') as any).status, 404);

    const without = emu.issueToken({ audience: 'graph', kind: 'user' });
    const denied = await call(emu, 'POST', '/v1.0/$batch', { token: without, body });
    assert.equal(denied.status, 200);
    assert.deepEqual(
      denied.json.responses.map((x: any) => x.status),
      [403, 403, 403],
    );
    assert.equal(denied.json.responses[0].body.error.code, 'Authorization_RequestDenied');
  });

  it('the token endpoint grants a requested GroupMember.Read.All next to the GDAP scope (device code, then refresh)', async () => {
    const scope =
      'https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All https://graph.microsoft.com/GroupMember.Read.All offline_access';
    const dc = await call(emu, 'POST', '/common/oauth2/v2.0/devicecode', { form: { client_id: 'cli', scope } });
    const form = { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: 'cli', device_code: dc.json.device_code };
    assert.equal((await call(emu, 'POST', '/common/oauth2/v2.0/token', { form })).status, 400, 'authorization_pending first');
    const tok = await call(emu, 'POST', '/common/oauth2/v2.0/token', { form });
    assert.equal(tok.status, 200, tok.text);
    assert.deepEqual(String(claims(tok.json.access_token).scp).split(' ').sort(), [
      'DelegatedAdminRelationship.ReadWrite.All',
      'GroupMember.Read.All',
    ]);
    assert.equal((await call(emu, 'GET', `/v1.0/groups/${groups()[0].id}`, { token: tok.json.access_token })).status, 200);
    assert.equal((await call(emu, 'GET', REL, { token: tok.json.access_token })).status, 200, 'the GDAP scope still works');

    const narrower = await call(emu, 'POST', '/common/oauth2/v2.0/token', {
      form: {
        grant_type: 'refresh_token',
        client_id: 'cli',
        refresh_token: tok.json.refresh_token,
        scope: 'https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All',
      },
    });
    assert.equal(claims(narrower.json.access_token).scp, 'DelegatedAdminRelationship.ReadWrite.All', 'only what was asked');
    assert.equal((await call(emu, 'GET', `/v1.0/groups/${groups()[0].id}`, { token: narrower.json.access_token })).status, 403);
  });
});
