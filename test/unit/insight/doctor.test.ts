import * as assert from 'node:assert/strict';
import { hasErrors, runDoctor, type DoctorInput, type Finding, type FindingCode } from '../../../src/core/insight/doctor';
import { liveRoleCatalog } from '../../../src/core/roles/roleLookup';
import { assignment, customer, daysFromNow, GA, HELPDESK, inventory, NOW, READER, relationship, UNKNOWN, USER_ADMIN } from './build';

const T1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const T2 = 'bbbbbbbb-0000-4000-8000-000000000002';
const G1 = '11111111-0000-4000-8000-00000000000a';
const G2 = '22222222-0000-4000-8000-00000000000b';

/** A healthy relationship: auto-extends, every role assigned, no GA. */
const healthy = (id: string, o: { roles?: string[]; name?: string } = {}): ReturnType<typeof relationship> =>
  relationship(id, {
    name: o.name ?? `Healthy ${id}`,
    roles: o.roles ?? [HELPDESK, READER],
    autoExtendDuration: 'P180D',
    assignments: [assignment(`${id}-a`, G1, o.roles ?? [HELPDESK, READER])],
  });

function doctor(partial: Omit<DoctorInput, 'now'>): Finding[] {
  return runDoctor({ now: NOW, ...partial });
}

const codes = (findings: readonly Finding[]): FindingCode[] => findings.map((f) => f.code);

describe('access doctor', () => {
  it('a healthy inventory has no findings', () => {
    assert.deepEqual(doctor({ inventory: inventory([customer(T1, 'Alpha', [healthy('r-1')])]) }), []);
  });

  it('endsSoon: warning within 30 days without auto-extend, error within 7, nothing when it auto-extends', () => {
    const inv = inventory([
      customer(T1, 'Alpha', [
        relationship('r-20', { roles: [READER], endDateTime: daysFromNow(20), assignments: [assignment('a', G1, [READER])] }),
        relationship('r-5', { roles: [READER], endDateTime: daysFromNow(5), assignments: [assignment('b', G1, [READER])] }),
        relationship('r-40', { roles: [READER], endDateTime: daysFromNow(40), assignments: [assignment('c', G1, [READER])] }),
        relationship('r-ext', {
          roles: [READER],
          endDateTime: daysFromNow(5),
          autoExtendDuration: 'P180D',
          assignments: [assignment('d', G1, [READER])],
        }),
      ]),
    ]);
    const found = doctor({ inventory: inv }).filter((f) => f.code === 'endsSoon');
    assert.deepEqual(
      found.map((f) => [f.relationshipId, f.severity]),
      [
        ['r-5', 'error'],
        ['r-20', 'warning'],
      ],
    );
    assert.equal(found[0].customerTenantId, T1);
    assert.match(found[0].message, /ends in 5 days and will not auto-extend: turn auto-extend on, or renew it/);
  });

  it('gaBlocksAutoExtend: an active relationship with Global Administrator, even if it asks to auto-extend', () => {
    const inv = inventory([
      customer(T1, 'Alpha', [relationship('r-ga', { roles: [GA], autoExtendDuration: 'P180D', assignments: [assignment('a', G1, [GA])] })]),
    ]);
    const found = doctor({ inventory: inv });
    assert.deepEqual(codes(found), ['gaBlocksAutoExtend']);
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /remove Global Administrator/);
  });

  it('noActiveAssignments: active, assignments loaded, none active; not when they were not loaded', () => {
    const inv = inventory([
      customer(T1, 'Alpha', [
        relationship('r-none', { roles: [READER], autoExtendDuration: 'P180D', assignments: [assignment('a', G1, [READER], 'deleted')] }),
        relationship('r-unloaded', { roles: [HELPDESK], autoExtendDuration: 'P180D', assignments: null }),
      ]),
    ]);
    const found = doctor({ inventory: inv });
    assert.deepEqual(
      found.map((f) => [f.code, f.relationshipId, f.severity]),
      [['noActiveAssignments', 'r-none', 'warning']],
    );
  });

  it('assignmentError: an assignment in status error is an error finding', () => {
    const r = healthy('r-1');
    const inv = inventory([
      customer(T1, 'Alpha', [{ ...r, accessAssignments: [...(r.accessAssignments ?? []), assignment('bad', G2, [READER], 'error')] }]),
    ]);
    const found = doctor({ inventory: inv });
    assert.deepEqual(
      found.map((f) => [f.code, f.severity]),
      [['assignmentError', 'error']],
    );
    assert.match(found[0].message, /bad.*remove it and assign the group again/);
    assert.ok(hasErrors(found));
  });

  it('groupNotFound: only when names were resolved and the group answered 404', () => {
    const inv = inventory([customer(T1, 'Alpha', [healthy('r-1')])]);
    assert.deepEqual(doctor({ inventory: inv }), []);
    assert.deepEqual(doctor({ inventory: inv, groups: { names: new Map([[G1, G1]]), notFound: new Set() } }), []);
    const found = doctor({ inventory: inv, groups: { names: new Map([[G1, G1]]), notFound: new Set([G1]) } });
    assert.deepEqual(
      found.map((f) => [f.code, f.severity, f.relationshipId]),
      [['groupNotFound', 'error', 'r-1']],
    );
  });

  it('inviteAging after 14 days pending, inviteLapsing within 10 days of the 90-day lapse (and past it)', () => {
    const pending = (id: string, ageDays: number): ReturnType<typeof relationship> =>
      relationship(id, { status: 'approvalPending', roles: [READER], createdDateTime: daysFromNow(-ageDays), assignments: null });
    const inv = inventory([customer(T1, 'Alpha', [pending('p-10', 10), pending('p-20', 20), pending('p-85', 85)])], [pending('p-95', 95)]);
    const found = doctor({ inventory: inv });
    assert.deepEqual(
      found.map((f) => [f.code, f.relationshipId, f.severity, f.customerTenantId]),
      [
        ['inviteLapsing', 'p-85', 'warning', T1],
        ['inviteLapsing', 'p-95', 'warning', null],
        ['inviteAging', 'p-20', 'info', T1],
      ],
    );
    assert.match(found[0].message, /lapses in 5 days/);
    assert.match(found[1].message, /past the 90-day approval window/);
  });

  it('duplicateRoles: two active relationships of one customer with the same roles', () => {
    const inv = inventory([
      customer(T1, 'Alpha', [healthy('r-1', { name: 'One' }), healthy('r-2', { name: 'Two' }), healthy('r-3', { roles: [READER] })]),
      customer(T2, 'Beta', [healthy('r-4')]),
    ]);
    const found = doctor({ inventory: inv });
    assert.deepEqual(
      found.map((f) => [f.code, f.severity, f.customerTenantId, f.relationshipId]),
      [['duplicateRoles', 'info', T1, 'r-1']],
    );
    assert.match(found[0].message, /"One", "Two"/);
  });

  it('privilegedRoleUnused: a privileged role no active assignment uses (not a non-privileged one)', () => {
    const inv = inventory([
      customer(T1, 'Alpha', [
        relationship('r-1', {
          roles: [USER_ADMIN, HELPDESK, READER],
          autoExtendDuration: 'P180D',
          assignments: [assignment('a', G1, [HELPDESK]), assignment('b', G2, [USER_ADMIN], 'deleted')],
        }),
      ]),
    ]);
    const found = doctor({ inventory: inv });
    assert.deepEqual(
      found.map((f) => [f.code, f.severity]),
      [['privilegedRoleUnused', 'warning']],
    );
    assert.match(found[0].message, /User Administrator/);
  });

  it('unknownRole: an id no catalog names; the live catalog makes it known', () => {
    const inv = inventory([customer(T1, 'Alpha', [healthy('r-1', { roles: [READER, UNKNOWN] })])]);
    const found = doctor({ inventory: inv });
    assert.deepEqual(
      found.map((f) => [f.code, f.severity]),
      [['unknownRole', 'warning']],
    );
    assert.match(found[0].message, new RegExp(UNKNOWN));
    const live = liveRoleCatalog([{ templateId: UNKNOWN, displayName: 'Brand New Reader', isPrivileged: false }]);
    assert.deepEqual(doctor({ inventory: inv, roles: live }), []);
  });

  it('dapStillOn and noGdap: only when the Partner Center list was read, DAP only when its state is known', () => {
    const inv = inventory([
      customer(T1, 'Alpha', [healthy('r-1')]),
      customer(T2, 'Beta', [relationship('r-2', { status: 'terminated', roles: [READER], assignments: null })]),
    ]);
    assert.deepEqual(doctor({ inventory: inv }), [], 'nothing assumed without Partner Center');
    const T3 = 'cccccccc-0000-4000-8000-000000000003';
    const found = doctor({
      inventory: inv,
      partnerCenterCustomers: [
        { tenantId: T1, companyName: 'Alpha', allowDelegatedAccess: true },
        { tenantId: T2, companyName: 'Beta', allowDelegatedAccess: null },
        { tenantId: T3, companyName: 'Gamma', allowDelegatedAccess: false },
      ],
    });
    assert.deepEqual(
      found.map((f) => [f.code, f.customerTenantId, f.severity, f.relationshipId]),
      [
        ['dapStillOn', T1, 'warning', null],
        ['noGdap', T2, 'warning', null],
        ['noGdap', T3, 'warning', null],
      ],
    );
    assert.match(found[0].message, new RegExp(`gdap remove-dap ${T1}`));
    // DAP unknown (null) is never reported as on.
    const unknownDap = doctor({
      inventory: inv,
      partnerCenterCustomers: [{ tenantId: T1, companyName: 'Alpha', allowDelegatedAccess: null }],
    });
    assert.deepEqual(unknownDap, []);
  });

  it('errors come first and every finding says what to do', () => {
    const inv = inventory([
      customer(T1, 'Alpha', [
        relationship('r-5', { roles: [READER], endDateTime: daysFromNow(5), assignments: [assignment('b', G1, [READER], 'error')] }),
      ]),
    ]);
    const found = doctor({ inventory: inv });
    assert.deepEqual(
      found.map((f) => f.severity),
      ['error', 'error', 'warning'],
    );
    assert.ok(found.every((f) => /: [a-z]/.test(f.message)));
  });
});
