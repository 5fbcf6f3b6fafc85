/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access -- these tests read untyped JSON replies */
import * as assert from 'node:assert/strict';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { REL, call } from './emulatorClient';

/** Fields that must not change when someone else "touches" an entity: everything but the stamps. */
function withoutStamps(entity: any): any {
  const { '@odata.etag': _etag, lastModifiedDateTime: _modified, ...rest } = entity;
  return rest;
}

describe('emulator POST /_emulator/touch (a concurrent change by someone else)', () => {
  let emu: RunningEmulator;
  let token: string;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 5, timeScale: 100 });
    token = emu.issueToken({ audience: 'graph', kind: 'user' });
  });
  after(() => emu.close());

  async function activeAssignment(): Promise<{ relId: string; assignment: any }> {
    const state = (await call(emu, 'GET', '/_emulator/state')).json;
    for (const rel of state.relationships) {
      const a = (state.accessAssignments[rel.id] ?? []).find((x: any) => x.status === 'active');
      if (rel.status === 'active' && a !== undefined) {
        return { relId: rel.id, assignment: a };
      }
    }
    throw new Error('no active access assignment in the data set');
  }

  it('gives an access assignment a new ETag and lastModifiedDateTime, nothing else; the old ETag then gets 412', async () => {
    const { relId, assignment } = await activeAssignment();
    const url = `${REL}/${relId}/accessAssignments/${assignment.id}`;
    const before = (await call(emu, 'GET', url, { token })).json;

    const touched = await call(emu, 'POST', '/_emulator/touch', { body: { relationshipId: relId, assignmentId: assignment.id } });
    assert.equal(touched.status, 200, touched.text);
    assert.equal(touched.json.id, assignment.id);
    assert.notEqual(touched.json['@odata.etag'], before['@odata.etag']);

    const after = (await call(emu, 'GET', url, { token })).json;
    assert.equal(after['@odata.etag'], touched.json['@odata.etag'], 'the Graph route serves the new ETag');
    assert.notEqual(after['@odata.etag'], before['@odata.etag']);
    assert.ok(after.lastModifiedDateTime >= before.lastModifiedDateTime);
    assert.notEqual(after.lastModifiedDateTime, before.lastModifiedDateTime);
    assert.deepEqual(withoutStamps(after), withoutStamps(before), 'status, roles, container unchanged');

    const stale = await call(emu, 'DELETE', url, { token, headers: { 'if-match': before['@odata.etag'] } });
    assert.equal(stale.status, 412, stale.text);
    assert.equal(stale.json.error.code, 'resourceModified');
    const current = await call(emu, 'DELETE', url, { token, headers: { 'if-match': after['@odata.etag'] } });
    assert.equal(current.status, 204, current.text);
  });

  it('without assignmentId touches the relationship itself', async () => {
    const state = (await call(emu, 'GET', '/_emulator/state')).json;
    const rel = state.relationships.find((r: any) => r.status === 'active');
    const before = (await call(emu, 'GET', `${REL}/${rel.id}`, { token })).json;
    const touched = await call(emu, 'POST', '/_emulator/touch', { body: { relationshipId: rel.id } });
    assert.equal(touched.status, 200, touched.text);
    const after = (await call(emu, 'GET', `${REL}/${rel.id}`, { token })).json;
    assert.notEqual(after['@odata.etag'], before['@odata.etag']);
    assert.deepEqual(withoutStamps(after), withoutStamps(before));
    const stale = await call(emu, 'PATCH', `${REL}/${rel.id}`, {
      token,
      body: { autoExtendDuration: 'P0D' },
      headers: { 'if-match': before['@odata.etag'] },
    });
    assert.equal(stale.status, 412, stale.text);
  });

  it('refuses a bad body (400) and unknown ids (404); needs no token and is not logged as an API request', async () => {
    const { relId } = await activeAssignment();
    assert.equal((await call(emu, 'POST', '/_emulator/touch', { body: {} })).status, 400);
    assert.equal((await call(emu, 'POST', '/_emulator/touch', { body: { relationshipId: relId, assignmentId: 7 } })).status, 400);
    assert.equal((await call(emu, 'POST', '/_emulator/touch', { body: { relationshipId: 'nope' } })).status, 404);
    assert.equal((await call(emu, 'POST', '/_emulator/touch', { body: { relationshipId: relId, assignmentId: 'nope' } })).status, 404);
    const log = emu.requests();
    assert.ok(!log.some((e) => e.path.startsWith('/_emulator')), 'control routes stay out of the request log');
  });
});
