import * as assert from 'node:assert/strict';
import { BUILT_IN_ROLES, GLOBAL_ADMINISTRATOR_ROLE_ID, ROLE_CATALOG } from '../../../src/core/roles/roleCatalog';
import { liveRoleCatalog, resolveRole, unknownRoleName } from '../../../src/core/roles/roleLookup';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('role catalog', () => {
  it('holds every built-in role once, by template id, with unique names', () => {
    assert.ok(BUILT_IN_ROLES.length >= 120, `only ${BUILT_IN_ROLES.length} roles`);
    for (const r of BUILT_IN_ROLES) {
      assert.match(r.id, GUID, r.name);
    }
    assert.equal(new Set(BUILT_IN_ROLES.map((r) => r.id)).size, BUILT_IN_ROLES.length);
    assert.equal(new Set(BUILT_IN_ROLES.map((r) => r.name.toLowerCase())).size, BUILT_IN_ROLES.length);
  });

  it('knows the roles new in 2025–2026 and the privileged flags of the reference', () => {
    const byId = new Map(BUILT_IN_ROLES.map((r) => [r.id, r]));
    for (const [id, name, privileged] of [
      ['d2562ede-74db-457e-a7b6-544e236ebb61', 'AI Administrator', false],
      ['92ed04bf-c94a-4b82-9729-b799a7a4c178', 'Organizational Branding Administrator', false],
      ['e48398e2-f4bb-4074-8f31-4586725e205b', 'Organizational Messages Approver', false],
      ['11648597-926c-4cf3-9c36-bcebb0ba8dcc', 'Power Platform Administrator', false],
      ['db506228-d27e-4b7d-95e5-295956d6615f', 'Agent ID Administrator', true],
      [GLOBAL_ADMINISTRATOR_ROLE_ID, 'Global Administrator', true],
      ['25a516ed-2fa0-40ea-a2d0-12923a21473a', 'Authentication Extensibility Administrator', true],
      ['59d46f88-662b-457b-bceb-5c3809e5908f', 'Lifecycle Workflows Administrator', true],
      ['29232cdf-9323-42fd-ade2-1d097af3e4de', 'Exchange Administrator', false],
    ] as const) {
      assert.equal(byId.get(id)?.name, name);
      assert.equal(byId.get(id)?.privileged, privileged, name);
    }
    assert.equal(BUILT_IN_ROLES.filter((r) => r.privileged).length, 29);
  });

  it('the common list is a subset, in its fixed order, starting with Global Administrator', () => {
    const ids = new Set(BUILT_IN_ROLES.map((r) => r.id));
    assert.ok(ROLE_CATALOG.every((r) => ids.has(r.id)));
    assert.equal(ROLE_CATALOG[0].id, GLOBAL_ADMINISTRATOR_ROLE_ID);
    assert.equal(ROLE_CATALOG.length, 52);
  });
});

describe('resolveRole: tri-state privilege and the live merge', () => {
  const unknownId = 'dd4db9a0-cc4a-4213-9f9f-70242232d97e';

  it('an unknown id is "privilege unknown" and handled as privileged, never assumed harmless', () => {
    const r = resolveRole(unknownId);
    assert.equal(r.name, `Unknown role (${unknownId}) · privilege unknown`);
    assert.equal(r.name, unknownRoleName(unknownId));
    assert.equal(r.privilege, 'unknown');
    assert.equal(r.privileged, true);
    assert.equal(r.known, false);
  });

  it('static roles resolve case-insensitively with their flag', () => {
    const helpdesk = resolveRole('729827E3-9C14-49F7-BB1B-9608F156BBB8');
    assert.deepEqual(
      [helpdesk.name, helpdesk.privilege, helpdesk.privileged, helpdesk.known],
      ['Helpdesk Administrator', 'privileged', true, true],
    );
    const reader = resolveRole('88d8e3e3-8f55-4a1e-953a-9b9898b8876b');
    assert.deepEqual([reader.privilege, reader.privileged], ['notPrivileged', false]);
  });

  it('live wins for names and privilege; static fills what live leaves out', () => {
    const live = liveRoleCatalog([
      { templateId: unknownId.toUpperCase(), displayName: 'Brand New Role', isPrivileged: true },
      { templateId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', displayName: 'Directory Readers (renamed)', isPrivileged: null },
      { templateId: '729827e3-9c14-49f7-bb1b-9608f156bbb8', displayName: null, isPrivileged: false },
      { templateId: '11111111-2222-4333-8444-555555555555', displayName: 'Named Only', isPrivileged: null },
    ]);
    const fresh = resolveRole(unknownId, live);
    assert.deepEqual([fresh.name, fresh.privilege, fresh.known], ['Brand New Role', 'privileged', true]);
    const renamed = resolveRole('88d8e3e3-8f55-4a1e-953a-9b9898b8876b', live);
    assert.deepEqual([renamed.name, renamed.privilege], ['Directory Readers (renamed)', 'notPrivileged']);
    const flagOnly = resolveRole('729827e3-9c14-49f7-bb1b-9608f156bbb8', live);
    assert.deepEqual([flagOnly.name, flagOnly.privilege, flagOnly.privileged], ['Helpdesk Administrator', 'notPrivileged', false]);
    const namedOnly = resolveRole('11111111-2222-4333-8444-555555555555', live);
    assert.deepEqual([namedOnly.name, namedOnly.privilege, namedOnly.privileged], ['Named Only', 'unknown', true]);
  });
});
