/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- these tests read untyped JSON replies */
import * as assert from 'node:assert/strict';
import { GLOBAL_ADMINISTRATOR_ROLE_ID, ROLE_CATALOG } from '../../../src/core/roles/roleCatalog';
import { parseEmulatorArgs, resolveOptions } from '../../../src/emulator/options';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { EmulatorStore } from '../../../src/emulator/store';
import { CUSTOMERS, REL, call, eventually } from './emulatorClient';

const DAY_S = 86_400;

describe('emulator fidelity: lapse, enum opt-in, $count, singleton, $expand, activatedDateTime', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeEach(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 3, timeScale: 1 });
    token = emu.issueToken({ audience: 'graph', kind: 'user' });
  });
  afterEach(() => emu.close());

  const create = async (name: string, roles = ['88d8e3e3-8f55-4a1e-953a-9b9898b8876b']): Promise<any> => {
    const tenantId = [...emu.store.customers.values()][0].tenantId;
    const r = await call(emu, 'POST', REL, {
      token,
      body: {
        displayName: name,
        duration: 'P30D',
        customer: { tenantId },
        accessDetails: { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
      },
    });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const skip = async (seconds: number): Promise<void> => {
    const r = await call(emu, 'POST', '/_emulator/clock', { body: { advanceSeconds: seconds } });
    assert.equal(r.status, 200, r.text);
  };

  it('an invitation left in approvalPending lapses to expired after 90 days (seeded ones too); approved ones do not', async () => {
    const rel = await create('Lapse test');
    assert.equal((await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'lockForApproval' } })).status, 201);
    const other = await create('Approved in time');
    await call(emu, 'POST', `${REL}/${other.id}/requests`, { token, body: { action: 'lockForApproval' } });
    assert.equal((await call(emu, 'POST', `/_emulator/relationships/${other.id}/approve`)).status, 200);
    const seeded = [...emu.store.relationships.values()].filter((r) => r.status === 'approvalPending' && r.id !== rel.id);
    assert.ok(seeded.length > 0, 'the demo data has pending invitations');
    await skip(89 * DAY_S);
    assert.equal((await call(emu, 'GET', `${REL}/${rel.id}`, { token })).json.status, 'approvalPending');
    await skip(DAY_S + 1);
    const lapsed = await call(emu, 'GET', `${REL}/${rel.id}`, { token });
    assert.equal(lapsed.json.status, 'expired');
    assert.notEqual(lapsed.json['@odata.etag'], rel['@odata.etag']);
    assert.equal(typeof lapsed.json.endDateTime, 'string');
    assert.equal((await call(emu, 'GET', `${REL}/${other.id}`, { token })).json.status, 'active');
    for (const s of seeded) {
      assert.equal((await call(emu, 'GET', `${REL}/${s.id}`, { token })).json.status, 'expired', s.id);
    }
    assert.equal((await call(emu, 'POST', '/_emulator/clock', { body: { advanceSeconds: -1 } })).status, 400);
  });

  it('the lapse is scaled by --time-scale', async () => {
    const fast = await startEmulator({ preset: 'empty', timeScale: 90 * DAY_S * 5 });
    try {
      const t = fast.issueToken({ audience: 'graph', kind: 'user' });
      const r = await call(fast, 'POST', REL, {
        token: t,
        body: {
          displayName: 'Fast lapse',
          duration: 'P30D',
          accessDetails: { unifiedRoles: [{ roleDefinitionId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b' }] },
        },
      });
      await call(fast, 'POST', `${REL}/${r.json.id}/requests`, { token: t, body: { action: 'lockForApproval' } });
      // 90 days at this scale is 0.2 s of wall-clock time.
      const after = await eventually(
        () => call(fast, 'GET', `${REL}/${r.json.id}`, { token: t }),
        (x) => x.json.status === 'expired',
      );
      assert.equal(after.json.status, 'expired');
    } finally {
      await fast.close();
    }
  });

  it('GA removal operation: unknownFutureValue, or delegatedAdminRelationshipUpdate with Prefer: include-unknown-enum-members', async () => {
    const rel = [...emu.store.relationships.values()].find(
      (r) => r.status === 'active' && r.roles.includes(GLOBAL_ADMINISTRATOR_ROLE_ID) && r.roles.length > 1,
    );
    assert.ok(rel, 'the demo data has an active relationship with Global Administrator');
    const current = await call(emu, 'GET', `${REL}/${rel.id}`, { token });
    const rest = rel.roles.filter((r) => r !== GLOBAL_ADMINISTRATOR_ROLE_ID).map((roleDefinitionId) => ({ roleDefinitionId }));
    const patch = await call(emu, 'PATCH', `${REL}/${rel.id}`, {
      token,
      headers: { 'if-match': current.json['@odata.etag'] },
      body: { accessDetails: { unifiedRoles: rest } },
    });
    assert.equal(patch.status, 202, patch.text);
    const plain = await call(emu, 'GET', patch.headers.location, { token });
    assert.equal(plain.json.operationType, 'unknownFutureValue');
    const opted = await call(emu, 'GET', patch.headers.location, { token, headers: { prefer: 'include-unknown-enum-members' } });
    assert.equal(opted.json.operationType, 'delegatedAdminRelationshipUpdate');
    const list = await call(emu, 'GET', `${REL}/${rel.id}/operations`, { token, headers: { prefer: 'include-unknown-enum-members' } });
    assert.equal(list.json.value.find((o: any) => o.id === opted.json.id).operationType, 'delegatedAdminRelationshipUpdate');
  });

  it('GET …/$count answers a plain-text count on every collection, honouring $filter', async () => {
    const state = (await call(emu, 'GET', '/_emulator/state')).json;
    const all = await call(emu, 'GET', `${REL}/$count`, { token });
    assert.equal(all.status, 200);
    assert.match(all.headers['content-type'], /^text\/plain/);
    assert.equal(all.text, String(state.relationships.length));
    const active = state.relationships.filter((r: any) => r.status === 'active');
    assert.equal((await call(emu, 'GET', `${REL}/%24count?$filter=status eq 'active'`, { token })).text, String(active.length));
    assert.equal((await call(emu, 'GET', `${CUSTOMERS}/$count`, { token })).text, String(state.customers.length));
    const rel = active[0];
    assert.equal(
      (await call(emu, 'GET', `${REL}/${rel.id}/accessAssignments/$count`, { token })).text,
      String(state.accessAssignments[rel.id].length),
    );
    assert.equal((await call(emu, 'GET', `${REL}/${rel.id}/operations/$count`, { token })).text, '0');
    assert.equal((await call(emu, 'GET', `${REL}/${rel.id}/requests/$count`, { token })).text, '0');
    assert.equal((await call(emu, 'GET', `${REL}/$count?$top=2`, { token })).status, 400);
    assert.equal((await call(emu, 'POST', `${REL}/$count`, { token, body: {} })).status, 405);
    const batch = await call(emu, 'POST', '/v1.0/$batch', {
      token,
      body: { requests: [{ id: '1', method: 'GET', url: '/tenantRelationships/delegatedAdminCustomers/$count' }] },
    });
    assert.equal(batch.json.responses[0].body, String(state.customers.length));
  });

  it('GET /v1.0/tenantRelationships answers the singleton with its navigation links', async () => {
    const r = await call(emu, 'GET', '/v1.0/tenantRelationships', { token });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json['@odata.context'], `${emu.url}/v1.0/$metadata#tenantRelationships`);
    assert.equal(r.json['delegatedAdminRelationships@odata.navigationLink'], `${emu.url}${REL}`);
    assert.equal(r.json['delegatedAdminCustomers@odata.navigationLink'], `${emu.url}${CUSTOMERS}`);
    const next = await call(emu, 'GET', r.json['delegatedAdminRelationships@odata.navigationLink'], { token });
    assert.equal(next.status, 200);
    assert.equal((await call(emu, 'PATCH', '/v1.0/tenantRelationships', { token, body: {} })).status, 405);
    assert.equal((await call(emu, 'GET', '/v1.0/tenantRelationships')).status, 401);
  });

  it('$expand is answered the same way on lists and single entities; unknown navigations are 400 on both', async () => {
    const rel = [...emu.store.relationships.values()].find((r) => r.status === 'active' && r.assignments.length > 0);
    assert.ok(rel);
    const one = await call(emu, 'GET', `${REL}/${rel.id}?$expand=accessAssignments`, { token });
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(
      one.json.accessAssignments.map((a: any) => a.id),
      rel.assignments.map((a) => a.id),
    );
    const tenantId = rel.customer?.tenantId ?? '';
    const list = await call(emu, 'GET', `${REL}?$expand=accessAssignments,requests&$filter=customer/tenantId eq '${tenantId}'`, { token });
    assert.equal(list.status, 200, list.text);
    const same = list.json.value.find((x: any) => x.id === rel.id);
    assert.deepEqual(same.accessAssignments, one.json.accessAssignments);
    assert.deepEqual(same.requests, []);
    const sel = await call(emu, 'GET', `${REL}/${rel.id}?$select=displayName&$expand=operations`, { token });
    assert.deepEqual(
      Object.keys(sel.json)
        .filter((k) => !k.startsWith('@'))
        .sort(),
      ['displayName', 'id', 'operations'],
    );
    for (const url of [
      `${REL}?$expand=nope`,
      `${REL}/${rel.id}?$expand=nope`,
      `${REL}/${rel.id}/accessAssignments?$expand=x`,
      `${REL}/${rel.id}/accessAssignments/${rel.assignments[0].id}?$expand=x`,
    ]) {
      const r = await call(emu, 'GET', url, { token });
      assert.equal(r.status, 400, url);
      assert.match(r.json.error.message, /navigation property/);
    }
    const cust = await call(emu, 'GET', `${CUSTOMERS}/${tenantId}?$expand=serviceManagementDetails`, { token });
    assert.equal(cust.json.serviceManagementDetails.length, 4);
  });

  it('activatedDateTime is "" only while created (as the create example), null once pending (as the list example)', async () => {
    const rel = await create('Dates');
    assert.equal(rel.activatedDateTime, '');
    await call(emu, 'POST', `${REL}/${rel.id}/requests`, { token, body: { action: 'lockForApproval' } });
    assert.equal((await call(emu, 'GET', `${REL}/${rel.id}`, { token })).json.activatedDateTime, null);
    const state = (await call(emu, 'GET', '/_emulator/state')).json;
    for (const r of state.relationships) {
      if (r.activatedDateTime === '') {
        assert.equal(r.status, 'created', r.id);
      }
      if (r.status === 'approvalPending') {
        assert.equal(r.activatedDateTime, null, r.id);
      }
    }
  });

  it('a reset never serves a list cached from the data before it', async () => {
    const q = `${REL}?$filter=status eq 'created'`;
    const before = await call(emu, 'GET', q, { token });
    await create('Cached before reset');
    const withNew = await call(emu, 'GET', q, { token });
    assert.equal(withNew.json.value.length, before.json.value.length + 1);
    // Same seed: the new data's change counter starts where the old one stood before the create.
    emu.reset({ preset: 'demo', seed: 3 });
    const after = await call(emu, 'GET', q, { token });
    const want = [...emu.store.relationships.values()].filter((r) => r.status === 'created').map((r) => r.id);
    assert.deepEqual(
      after.json.value.map((r: any) => r.id),
      want,
    );
  });

  it('$filter on customer/tenantId (answered from the index) returns what a scan finds', async () => {
    const state = (await call(emu, 'GET', '/_emulator/state')).json;
    for (const c of [...emu.store.customers.values()].slice(0, 6)) {
      const want = state.relationships.filter((r: any) => r.customer?.tenantId === c.tenantId).map((r: any) => r.id);
      const got = await call(emu, 'GET', `${REL}?$filter=customer/tenantId eq '${c.tenantId.toUpperCase()}'`, { token });
      assert.deepEqual(
        got.json.value.map((r: any) => r.id),
        want,
      );
    }
  });
});

describe('emulator directory: roleDefinitions, transitiveMembers, group deletion', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 4 });
  });
  after(() => emu.close());

  it('roleDefinitions need RoleManagement.Read.Directory or Directory.Read.All and include roles the static catalog lacks', async () => {
    const plain = emu.issueToken({ audience: 'graph', kind: 'user' });
    const denied = await call(emu, 'GET', '/v1.0/roleManagement/directory/roleDefinitions', { token: plain });
    assert.equal(denied.status, 403);
    assert.equal(denied.json.error.code, 'Authorization_RequestDenied');
    for (const perm of ['RoleManagement.Read.Directory', 'Directory.Read.All']) {
      const t = emu.issueToken({ audience: 'graph', kind: 'user', permissions: [perm] });
      const r = await call(
        emu,
        'GET',
        '/v1.0/roleManagement/directory/roleDefinitions?$select=id,templateId,displayName,isPrivileged,isBuiltIn',
        { token: t },
      );
      assert.equal(r.status, 200, r.text);
      const ga = r.json.value.find((x: any) => x.id === GLOBAL_ADMINISTRATOR_ROLE_ID);
      assert.deepEqual(ga, {
        id: GLOBAL_ADMINISTRATOR_ROLE_ID,
        templateId: GLOBAL_ADMINISTRATOR_ROLE_ID,
        displayName: 'Global Administrator',
        isPrivileged: true,
        isBuiltIn: true,
      });
      const known = new Set(ROLE_CATALOG.map((x) => x.id));
      assert.ok(r.json.value.filter((x: any) => !known.has(x.id)).length >= 3, 'roles the catalog does not know');
    }
    const t = emu.issueToken({ audience: 'graph', kind: 'user', permissions: ['RoleManagement.Read.Directory'] });
    const one = await call(emu, 'GET', '/v1.0/roleManagement/directory/roleDefinitions/92ed04bf-c94a-4b82-9729-b799a7a4c178', { token: t });
    assert.equal(one.status, 200);
    assert.equal(one.json.displayName, 'Organizational Branding Administrator');
    for (const k of ['id', 'displayName', 'description', 'isBuiltIn', 'isPrivileged', 'templateId']) {
      assert.ok(k in one.json, k);
    }
    assert.equal(
      (await call(emu, 'GET', '/v1.0/roleManagement/directory/roleDefinitions/00000000-0000-0000-0000-000000000009', { token: t })).status,
      404,
    );
  });

  it('transitiveMembers: consent-gated, users with displayName and userPrincipalName, paged with @odata.nextLink, deterministic', async () => {
    const group = emu.store.securityGroups[0];
    const plain = emu.issueToken({ audience: 'graph', kind: 'user' });
    assert.equal((await call(emu, 'GET', `/v1.0/groups/${group.id}/transitiveMembers`, { token: plain })).status, 403);
    const t = emu.issueToken({ audience: 'graph', kind: 'user', permissions: ['GroupMember.Read.All'] });
    const first = await call(emu, 'GET', `/v1.0/groups/${group.id}/transitiveMembers`, { token: t });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.json.value.length, 100);
    const u = first.json.value[0];
    assert.equal(u['@odata.type'], '#microsoft.graph.user');
    assert.equal(typeof u.displayName, 'string');
    assert.match(u.userPrincipalName, /@contosopartner\.onmicrosoft\.com$/);
    const second = await call(emu, 'GET', first.json['@odata.nextLink'], { token: t });
    assert.equal(second.json.value.length, 20);
    assert.equal(second.json['@odata.nextLink'], undefined);
    const ids = [...first.json.value, ...second.json.value].map((x: any) => x.id);
    assert.equal(new Set(ids).size, 120);
    const twin = await startEmulator({ preset: 'demo', seed: 4 });
    try {
      assert.deepEqual(
        twin.store.groupMembers.get(group.id)?.map((x) => x.id),
        emu.store.groupMembers.get(group.id)?.map((x) => x.id),
      );
    } finally {
      await twin.close();
    }
  });

  it('control API: delete a group (its assignments keep the id), fail an assignment, reject an invitation as the customer', async () => {
    const t = emu.issueToken({
      audience: 'graph',
      kind: 'user',
      permissions: ['DelegatedAdminRelationship.ReadWrite.All', 'GroupMember.Read.All'],
    });
    const rel = [...emu.store.relationships.values()].find((r) => r.status === 'active' && r.assignments.length > 0);
    assert.ok(rel);
    const a = rel.assignments[0];
    assert.equal((await call(emu, 'DELETE', `/_emulator/groups/${a.containerId}`)).status, 200);
    assert.equal((await call(emu, 'GET', `/v1.0/groups/${a.containerId}`, { token: t })).status, 404);
    assert.equal((await call(emu, 'GET', `/v1.0/groups/${a.containerId}/transitiveMembers`, { token: t })).status, 404);
    const still = await call(emu, 'GET', `${REL}/${rel.id}/accessAssignments/${a.id}`, { token: t });
    assert.equal(still.json.accessContainer.accessContainerId, a.containerId);
    assert.equal((await call(emu, 'DELETE', `/_emulator/groups/${a.containerId}`)).status, 404);

    const failed = await call(emu, 'POST', `/_emulator/relationships/${rel.id}/accessAssignments/${a.id}/fail`);
    assert.equal(failed.status, 200, failed.text);
    assert.equal((await call(emu, 'GET', `${REL}/${rel.id}/accessAssignments/${a.id}`, { token: t })).json.status, 'error');
    assert.equal((await call(emu, 'POST', `/_emulator/relationships/${rel.id}/accessAssignments/nope/fail`)).status, 404);

    const pending = [...emu.store.relationships.values()].find((r) => r.status === 'approvalPending');
    assert.ok(pending);
    const rejected = await call(emu, 'POST', `/_emulator/relationships/${pending.id}/reject`);
    assert.equal(rejected.json.status, 'terminated');
    assert.equal((await call(emu, 'POST', `/_emulator/relationships/${pending.id}/reject`)).status, 400);
  });
});

describe('emulator Partner Center: customers without GDAP, MFA claim challenge', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 6, requirePcMfa: true });
  });
  after(() => emu.close());

  it('some Partner Center customers have no GDAP relationship at all and are not delegatedAdminCustomers', async () => {
    const state = (await call(emu, 'GET', '/_emulator/state')).json;
    const withRel = new Set(state.relationships.map((r: any) => r.customer?.tenantId));
    const pcOnly = state.partnerCenterCustomers.filter((c: any) => !withRel.has(c.id));
    assert.ok(pcOnly.length >= 2, String(pcOnly.length));
    const graphIds = new Set(state.customers.map((c: any) => c.tenantId));
    assert.ok(pcOnly.every((c: any) => !graphIds.has(c.id)));
  });

  it('--require-pc-mfa: a user token without mfa in amr gets 401 + insufficient_claims; asking with the claims parameter gets one', async () => {
    const dc = await call(emu, 'POST', '/common/oauth2/v2.0/devicecode', {
      form: { client_id: 'cli', scope: 'https://api.partnercenter.microsoft.com/user_impersonation offline_access' },
    });
    const form = { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: 'cli', device_code: dc.json.device_code };
    await call(emu, 'POST', '/common/oauth2/v2.0/token', { form });
    const signedIn = await call(emu, 'POST', '/common/oauth2/v2.0/token', { form });
    assert.equal(signedIn.status, 200, signedIn.text);
    const refused = await call(emu, 'GET', '/partnercenter/v1/customers?size=2', { token: signedIn.json.access_token });
    assert.equal(refused.status, 401);
    const header = refused.headers['www-authenticate'];
    assert.match(header, /error="insufficient_claims"/);
    const claims = /claims="([^"]+)"/.exec(header)?.[1] ?? '';
    const decoded = Buffer.from(claims, 'base64').toString('utf8');
    assert.deepEqual(JSON.parse(decoded), { access_token: { amr: { values: ['mfa'] } } });

    const mfa = await call(emu, 'POST', '/common/oauth2/v2.0/token', {
      form: {
        grant_type: 'refresh_token',
        client_id: 'cli',
        refresh_token: signedIn.json.refresh_token,
        scope: 'https://api.partnercenter.microsoft.com/user_impersonation',
        claims: decoded,
      },
    });
    assert.equal(mfa.status, 200, mfa.text);
    const amr = JSON.parse(Buffer.from(mfa.json.access_token.split('.')[1], 'base64url').toString('utf8')).amr;
    assert.ok(amr.includes('mfa'));
    assert.equal((await call(emu, 'GET', '/partnercenter/v1/customers?size=2', { token: mfa.json.access_token })).status, 200);

    const app = emu.issueToken({ audience: 'partnerCenter', kind: 'app' });
    assert.equal(
      (await call(emu, 'GET', '/partnercenter/v1/customers?size=2', { token: app })).status,
      200,
      'app-only is not a user sign-in',
    );
    assert.equal((await call(emu, 'POST', '/_emulator/partner-center', { body: { requireMfa: false } })).status, 200);
    assert.equal((await call(emu, 'GET', '/partnercenter/v1/customers?size=2', { token: signedIn.json.access_token })).status, 200);
    assert.equal((await call(emu, 'POST', '/_emulator/partner-center', { body: { requireMfa: 'yes' } })).status, 400);
    await call(emu, 'POST', '/_emulator/partner-center', { body: { requireMfa: true } });
    const graphUser = emu.issueToken({ audience: 'graph', kind: 'user' });
    assert.equal((await call(emu, 'GET', REL, { token: graphUser })).status, 200, 'Graph is not gated');
  });
});

describe('emulator preset xl and new command-line flags', () => {
  it('xl: 10,000 customers, ≈20,000 relationships, ≈50,000 assignments', function () {
    this.timeout(60_000);
    const store = new EmulatorStore(1, { preset: 'xl', seed: 1 });
    const rels = store.relationshipList();
    const assignments = rels.reduce((n, r) => n + r.assignments.length, 0);
    assert.equal(store.customers.size, 10_000);
    assert.ok(rels.length > 18_000 && rels.length < 22_000, String(rels.length));
    assert.ok(assignments > 45_000 && assignments < 60_000, String(assignments));
    const c = [...store.customers.values()][1];
    assert.deepEqual(
      store.relationshipsOfCustomer(c.tenantId).map((r) => r.id),
      rels.filter((r) => r.customer?.tenantId === c.tenantId).map((r) => r.id),
    );
  });

  it('--preset xl and --require-pc-mfa parse', () => {
    const { options } = parseEmulatorArgs(['--preset', 'xl', '--require-pc-mfa']);
    assert.equal(options.preset, 'xl');
    assert.equal(options.requirePcMfa, true);
    assert.equal(resolveOptions({}).requirePcMfa, false);
  });
});
