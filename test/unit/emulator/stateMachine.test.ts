/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- conformance tests read untyped JSON replies and compare their shapes */
import * as assert from 'node:assert/strict';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../../src/core/roles/roleCatalog';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { REL, call, eventually } from './emulatorClient';

const ROLES = {
  unifiedRoles: [{ roleDefinitionId: '29232cdf-9323-42fd-ade2-1d097af3e4de' }, { roleDefinitionId: GLOBAL_ADMINISTRATOR_ROLE_ID }],
};

describe('emulator state machine and ETags (docs/api-notes.md §4, §6)', () => {
  let emu: RunningEmulator;
  let token: string;
  let n = 0;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 3, timeScale: 100 });
    token = emu.issueToken({ audience: 'graph', kind: 'user' });
  });
  after(() => emu.close());

  const create = async (extra: Record<string, unknown> = {}): Promise<any> => {
    const r = await call(emu, 'POST', REL, {
      token,
      body: { displayName: `SM test ${++n}`, duration: 'P730D', accessDetails: ROLES, ...extra },
    });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const get = async (id: string): Promise<any> => (await call(emu, 'GET', `${REL}/${id}`, { token })).json;
  /** created → lock → customer approval → active */
  const activeRel = async (): Promise<any> => {
    const rel = await create();
    await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'lockForApproval' } });
    assert.equal((await call(emu, 'POST', `/_emulator/relationships/${rel.id}/approve`)).status, 200);
    return eventually(
      () => get(rel.id),
      (r) => r.status === 'active',
    );
  };

  it('validates create: name length/uniqueness, duration range, auto-extend values, GA blocks P180D', async () => {
    const bad = [
      { displayName: 'x'.repeat(51), duration: 'P30D', accessDetails: ROLES },
      { displayName: 'ok', duration: 'P731D', accessDetails: ROLES },
      { displayName: 'ok', duration: 'P30D', accessDetails: { unifiedRoles: [] } },
      { displayName: 'ok', duration: 'P30D', accessDetails: ROLES, autoExtendDuration: 'P90D' },
      { displayName: 'ok', duration: 'P30D', accessDetails: ROLES, autoExtendDuration: 'P180D' },
      { displayName: 'ok', duration: 'P30D', accessDetails: ROLES, status: 'active' },
    ];
    for (const body of bad) {
      const r = await call(emu, 'POST', REL, { token, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(typeof r.json.error.code, 'string');
    }
    const first = await create();
    const dup = await call(emu, 'POST', REL, { token, body: { displayName: first.displayName, duration: 'P1D', accessDetails: ROLES } });
    assert.equal(dup.status, 409);
    assert.equal((await create({ duration: 'P2Y' })).duration, 'P2Y');
  });

  it('If-Match: missing → 400, stale → 412, current → success with a new ETag', async () => {
    const rel = await create();
    assert.equal((await call(emu, 'PATCH', `${REL}/${rel.id}`, { token, body: { duration: 'P60D' } })).status, 400);
    const ok = await call(emu, 'PATCH', `${REL}/${rel.id}`, {
      token,
      body: { duration: 'P60D' },
      headers: { 'if-match': rel['@odata.etag'] },
    });
    assert.equal(ok.status, 200);
    assert.notEqual(ok.json['@odata.etag'], rel['@odata.etag']);
    const stale = await call(emu, 'PATCH', `${REL}/${rel.id}`, {
      token,
      body: { duration: 'P90D' },
      headers: { 'if-match': rel['@odata.etag'] },
    });
    assert.equal(stale.status, 412);
    assert.equal((await call(emu, 'DELETE', `${REL}/${rel.id}`, { token })).status, 400);
    assert.equal((await call(emu, 'DELETE', `${REL}/${rel.id}`, { token, headers: { 'if-match': rel['@odata.etag'] } })).status, 412);
    const del = await call(emu, 'DELETE', `${REL}/${rel.id}`, { token, headers: { 'if-match': ok.json['@odata.etag'] } });
    assert.equal(del.status, 204);
    assert.equal(del.text, '');
    assert.equal((await call(emu, 'GET', `${REL}/${rel.id}`, { token })).status, 404);
  });

  it('lockForApproval only from created; DELETE and PATCH refused once approvalPending', async () => {
    const rel = await create();
    const lock = await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'lockForApproval' } });
    assert.equal(lock.status, 201);
    const pending = await get(rel.id);
    assert.equal(pending.status, 'approvalPending');
    assert.equal((await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'lockForApproval' } })).status, 400);
    assert.equal((await call(emu, 'DELETE', `${REL}/${rel.id}`, { token, headers: { 'if-match': pending['@odata.etag'] } })).status, 400);
    assert.equal(
      (
        await call(emu, 'PATCH', `${REL}/${rel.id}`, {
          token,
          body: { autoExtendDuration: 'PT0S' },
          headers: { 'if-match': pending['@odata.etag'] },
        })
      ).status,
      400,
    );
    assert.equal((await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'terminate' } })).status, 400);
    assert.equal(
      (await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'approve' } })).status,
      400,
      'approve is for reseller items only',
    );
    const req = await eventually(
      () => call(emu, 'GET', `${REL}/${rel.id}/requests/${lock.json.id}`, { token }),
      (r) => r.json.status === 'succeeded',
    );
    assert.equal(req.json.status, 'succeeded');
  });

  it('terminate only from active, then terminationRequested → terminating → terminated', async () => {
    const rel = await activeRel();
    assert.equal(rel.status, 'active');
    assert.notEqual(rel.activatedDateTime, '');
    const t = await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'terminate' } });
    assert.equal(t.status, 201);
    assert.equal(t.json.action, 'terminate');
    // The steps in between are checked on a clock the test drives, in "progress steps" below.
    const final = await eventually(
      () => get(rel.id),
      (r) => r.status === 'terminated',
    );
    assert.equal(final.status, 'terminated');
    assert.equal((await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'terminate' } })).status, 400);
  });

  it('active: autoExtendDuration PATCH → 200; other fields → 400; GA removal → 202 LRO that removes GA', async () => {
    const rel = await activeRel();
    const ext = await call(emu, 'PATCH', `${REL}/${rel.id}`, {
      token,
      body: { autoExtendDuration: 'P180D' },
      headers: { 'if-match': rel['@odata.etag'] },
    });
    assert.equal(ext.status, 400, 'GA blocks auto-extend');
    const ext2 = await call(emu, 'PATCH', `${REL}/${rel.id}`, {
      token,
      body: { autoExtendDuration: 'P0D' },
      headers: { 'if-match': rel['@odata.etag'] },
    });
    assert.equal(ext2.status, 200);
    assert.equal(ext2.json.autoExtendDuration, 'P0D');
    const etag = ext2.json['@odata.etag'];
    assert.equal(
      (await call(emu, 'PATCH', `${REL}/${rel.id}`, { token, body: { displayName: 'nope' }, headers: { 'if-match': etag } })).status,
      400,
    );
    const same = await call(emu, 'PATCH', `${REL}/${rel.id}`, { token, body: { accessDetails: ROLES }, headers: { 'if-match': etag } });
    assert.equal(same.status, 200);
    const lro = await call(emu, 'PATCH', `${REL}/${rel.id}`, {
      token,
      body: { accessDetails: { unifiedRoles: [ROLES.unifiedRoles[0]] } },
      headers: { 'if-match': etag },
    });
    assert.equal(lro.status, 202);
    assert.deepEqual(lro.json, {});
    const op = await eventually(
      () => call(emu, 'GET', lro.headers.location, { token }),
      (r) => r.json.status === 'succeeded',
    );
    assert.equal(op.json.status, 'succeeded');
    const after = await get(rel.id);
    assert.deepEqual(after.accessDetails, { unifiedRoles: [ROLES.unifiedRoles[0]] });
    assert.notEqual(after['@odata.etag'], etag);
  });

  it('access assignments: pending → active; roles must be in the relationship; PATCH 202/200; DELETE 204 → deleting → 404', async () => {
    const rel = await activeRel();
    const path = `${REL}/${rel.id}/accessAssignments`;
    const group = emu.store.securityGroups[0].id;
    const notInRel = await call(emu, 'POST', path, {
      token,
      body: {
        accessContainer: { accessContainerId: group, accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: 'fe930be7-5e62-47db-91af-98c3a49a38b1' }] },
      },
    });
    assert.equal(notInRel.status, 400);
    const a = await call(emu, 'POST', path, {
      token,
      body: { accessContainer: { accessContainerId: group, accessContainerType: 'securityGroup' }, accessDetails: ROLES },
    });
    assert.equal(a.status, 201);
    assert.equal(a.json.status, 'pending');
    const active = await eventually(
      () => call(emu, 'GET', `${path}/${a.json.id}`, { token }),
      (r) => r.json.status === 'active',
    );
    assert.equal(active.json.status, 'active');
    const noIf = await call(emu, 'PATCH', `${path}/${a.json.id}`, { token, body: { accessDetails: ROLES } });
    assert.equal(noIf.status, 400);
    const same = await call(emu, 'PATCH', `${path}/${a.json.id}`, {
      token,
      body: { accessDetails: ROLES },
      headers: { 'if-match': active.json['@odata.etag'] },
    });
    assert.equal(same.status, 200);
    const upd = await call(emu, 'PATCH', `${path}/${a.json.id}`, {
      token,
      body: { accessDetails: { unifiedRoles: [ROLES.unifiedRoles[0]] } },
      headers: { 'if-match': active.json['@odata.etag'] },
    });
    assert.equal(upd.status, 202);
    await eventually(
      () => call(emu, 'GET', upd.headers.location, { token }),
      (r) => r.json.status === 'succeeded',
    );
    const updated = (await call(emu, 'GET', `${path}/${a.json.id}`, { token })).json;
    assert.equal(updated.accessDetails.unifiedRoles.length, 1);
    assert.equal(
      (await call(emu, 'DELETE', `${path}/${a.json.id}`, { token, headers: { 'if-match': active.json['@odata.etag'] } })).status,
      412,
    );
    const del = await call(emu, 'DELETE', `${path}/${a.json.id}`, { token, headers: { 'if-match': updated['@odata.etag'] } });
    assert.equal(del.status, 204);
    const gone = await eventually(
      () => call(emu, 'GET', `${path}/${a.json.id}`, { token }),
      (r) => r.status === 404,
    );
    assert.equal(gone.status, 404);
  });

  it('reseller approvalPending: reject shows unknownFutureValue unless Prefer opts in', async () => {
    const rel = [...emu.store.relationships.values()].find((r) => r.reseller && r.status === 'approvalPending');
    assert.ok(rel);
    const r = await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'reject' } });
    assert.equal(r.status, 201);
    assert.equal(r.json.action, 'unknownFutureValue');
    const opted = await call(emu, 'GET', `${REL}/${rel.id}/requests/${r.json.id}`, {
      token,
      headers: { prefer: 'include-unknown-enum-members' },
    });
    assert.equal(opted.json.action, 'reject');
  });
});

/*
 * The service's own progress, step by step, on a clock the test drives: at --time-scale 1 each step
 * takes whole seconds, so a read right after the request sees the first state however busy the machine
 * is, and `POST /_emulator/clock` moves to the next one without waiting.
 */
describe('emulator state machine: progress steps on a driven clock (docs/emulator.md)', () => {
  let emu: RunningEmulator;
  let token: string;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 4, timeScale: 1 });
    token = emu.issueToken({ audience: 'graph', kind: 'user' });
  });
  after(() => emu.close());

  const advance = async (seconds: number): Promise<void> => {
    assert.equal((await call(emu, 'POST', '/_emulator/clock', { body: { advanceSeconds: seconds } })).status, 200);
  };
  const get = async (id: string): Promise<any> => (await call(emu, 'GET', `${REL}/${id}`, { token })).json;
  const activeRel = async (name: string): Promise<any> => {
    const created = await call(emu, 'POST', REL, { token, body: { displayName: name, duration: 'P730D', accessDetails: ROLES } });
    assert.equal(created.status, 201, created.text);
    const id = created.json.id;
    await call(emu, 'POST', `${REL}/${id}/requests`, { token, body: { action: 'lockForApproval' } });
    await advance(5);
    assert.equal((await call(emu, 'POST', `/_emulator/relationships/${id}/approve`)).status, 200);
    await advance(10);
    const rel = await get(id);
    assert.equal(rel.status, 'active');
    return rel;
  };

  it('terminate: terminationRequested, then terminating after 1 s, then terminated after 2 s more', async () => {
    const rel = await activeRel('Driven clock terminate');
    const t = await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'terminate' } });
    assert.equal(t.status, 201);
    assert.equal((await get(rel.id)).status, 'terminationRequested');
    await advance(1);
    assert.equal((await get(rel.id)).status, 'terminating');
    await advance(2);
    assert.equal((await get(rel.id)).status, 'terminated');
  });

  it('GA removal: the operation is notStarted, then running after 1 s, then succeeded after 2 s more', async () => {
    const rel = await activeRel('Driven clock GA removal');
    const lro = await call(emu, 'PATCH', `${REL}/${rel.id}`, {
      token,
      body: { accessDetails: { unifiedRoles: [ROLES.unifiedRoles[0]] } },
      headers: { 'if-match': rel['@odata.etag'] },
    });
    assert.equal(lro.status, 202);
    const operation = async (): Promise<string> => (await call(emu, 'GET', lro.headers.location, { token })).json.status;
    assert.equal(await operation(), 'notStarted');
    await advance(1);
    assert.equal(await operation(), 'running');
    await advance(2);
    assert.equal(await operation(), 'succeeded');
    assert.deepEqual((await get(rel.id)).accessDetails, { unifiedRoles: [ROLES.unifiedRoles[0]] });
  });
});
