import * as assert from 'node:assert/strict';
import { accessRows, assignmentGroupIds } from '../../../src/core/insight/accessRows';
import { assignment, customer, GA, HELPDESK, inventory, READER, relationship, UNKNOWN, USER_ADMIN } from './build';

const T1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const T2 = 'bbbbbbbb-0000-4000-8000-000000000002';
const G1 = '11111111-0000-4000-8000-00000000000a';
const G2 = '22222222-0000-4000-8000-00000000000b';

function state(): ReturnType<typeof inventory> {
  return inventory([
    customer(T2, 'Zeta Ltd', [
      relationship('r-z', {
        name: 'Zeta Helpdesk',
        roles: [HELPDESK, UNKNOWN],
        autoExtendDuration: 'P180D',
        assignments: [assignment('a-z', G1, [HELPDESK, UNKNOWN])],
      }),
    ]),
    customer(T1, 'Alpha Inc', [
      relationship('r-a1', {
        name: 'Alpha Admin',
        roles: [GA, USER_ADMIN, READER],
        autoExtendDuration: 'P180D',
        assignments: [assignment('a-1', G2, [USER_ADMIN, READER]), assignment('a-2', G1, [GA]), assignment('a-3', G1, [READER], 'deleted')],
      }),
      relationship('r-a2', { name: 'Alpha Old', status: 'terminated', roles: [READER], assignments: [assignment('a-4', G1, [READER])] }),
      relationship('r-a3', { name: 'Alpha Pending', status: 'approvalPending', roles: [READER], assignments: null }),
    ]),
  ]);
}

describe('access rows: one per customer × relationship × group × role', () => {
  it('only active relationships and active assignments, sorted, with names, tri-state privilege and auto-extend', () => {
    const rows = accessRows(
      state(),
      {},
      {
        groups: {
          names: new Map([
            [G1, 'Helpdesk Agents'],
            [G2, G2],
          ]),
        },
      },
    );
    assert.deepEqual(
      rows.map((r) => [r.customerName, r.relationshipId, r.groupName, r.roleName, r.privileged, r.autoExtends]),
      [
        ['Alpha Inc', 'r-a1', null, 'Directory Readers', false, false],
        ['Alpha Inc', 'r-a1', null, 'User Administrator', true, false],
        ['Alpha Inc', 'r-a1', 'Helpdesk Agents', 'Global Administrator', true, false],
        ['Zeta Ltd', 'r-z', 'Helpdesk Agents', 'Helpdesk Administrator', true, true],
        ['Zeta Ltd', 'r-z', 'Helpdesk Agents', `Unknown role (${UNKNOWN}) · privilege unknown`, null, true],
      ],
    );
    // A group whose lookup failed maps to its own id: no name, and the id is still there.
    assert.equal(rows[0].groupId, G2);
    assert.equal(rows[0].customerTenantId, T1);
    assert.equal(rows[0].relationshipName, 'Alpha Admin');
  });

  it('filters by customer, group and role (name or id, case-insensitive); values OR, filters AND', () => {
    const inv = state();
    assert.deepEqual(
      accessRows(inv, { customers: [T2.toUpperCase()] }).map((r) => r.relationshipId),
      ['r-z', 'r-z'],
    );
    assert.deepEqual(
      accessRows(inv, { groups: [G2] }).map((r) => r.roleName),
      ['Directory Readers', 'User Administrator'],
    );
    assert.deepEqual(
      accessRows(inv, { roles: ['helpdesk administrator', GA.toUpperCase()] }).map((r) => r.roleName),
      ['Global Administrator', 'Helpdesk Administrator'],
    );
    assert.deepEqual(accessRows(inv, { groups: [G1], roles: [READER] }), [], 'the deleted and the terminated readers grant nothing');
  });

  it('lists every group id assignments name, once', () => {
    assert.deepEqual(assignmentGroupIds(state()).sort(), [G1, G2].sort());
  });
});
