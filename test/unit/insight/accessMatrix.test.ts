import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { accessMatrix, cellRelationships, groupLabel, matrixCell, shortGroupId } from '../../../src/core/insight/accessMatrix';
import { accessRows } from '../../../src/core/insight/accessRows';
import { assignment, customer, GA, HELPDESK, inventory, READER, relationship, UNKNOWN, USER_ADMIN } from './build';

const G1 = '11111111-0000-4000-8000-00000000000a';
const G2 = '22222222-0000-4000-8000-00000000000b';
const G3 = '33333333-0000-4000-8000-00000000000c';
const T1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const T2 = 'bbbbbbbb-0000-4000-8000-000000000002';

describe('accessMatrix: customers × roles, each cell the groups holding the role', () => {
  const inv = inventory([
    customer(T2, 'Zeta Ltd', [relationship('r-z', { roles: [READER], assignments: [assignment('a-z', G1, [READER])] })]),
    customer(T1, 'Alpha Inc', [
      relationship('r-a1', {
        name: 'Alpha helpdesk',
        roles: [HELPDESK, READER, GA],
        assignments: [assignment('a-1', G2, [HELPDESK, READER]), assignment('a-2', G1, [READER, GA])],
      }),
      relationship('r-a2', {
        name: 'Alpha 2026',
        roles: [READER, UNKNOWN],
        assignments: [assignment('a-3', G2, [READER, UNKNOWN])],
      }),
      relationship('r-a3', { status: 'terminated', roles: [USER_ADMIN], assignments: [assignment('a-4', G3, [USER_ADMIN])] }),
    ]),
  ]);
  const names = new Map([
    [G1, 'Helpdesk Agents'],
    [G2, 'Admins'],
  ]);
  const rows = accessRows(inv, {}, { groups: { names } });
  const m = accessMatrix(rows);

  it('has one row per customer by name and one column per role any customer has, by name', () => {
    assert.deepEqual(
      m.customers.map((c) => c.name),
      ['Alpha Inc', 'Zeta Ltd'],
    );
    const roleNames = m.roles.map((r) => r.name);
    assert.deepEqual(
      roleNames,
      [...roleNames].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true })),
    );
    assert.equal(m.roles.length, 4, 'GA, Helpdesk, Reader and the unknown role; the terminated relationship grants nothing');
    assert.ok(!m.roles.some((r) => r.roleDefinitionId === USER_ADMIN));
    assert.equal(m.roles.find((r) => r.roleDefinitionId === GA)?.privileged, true);
    assert.equal(m.roles.find((r) => r.roleDefinitionId === READER)?.privileged, false);
    assert.equal(m.roles.find((r) => r.roleDefinitionId === UNKNOWN)?.privileged, null);
  });

  it('a cell lists the groups holding the role and the relationships they hold it through', () => {
    const reader = m.roles.findIndex((r) => r.roleDefinitionId === READER);
    const ga = m.roles.findIndex((r) => r.roleDefinitionId === GA);
    const cell = matrixCell(m, 0, reader);
    assert.ok(cell);
    assert.deepEqual(
      cell.holdings.map((h) => groupLabel(m.groups[h.group])),
      ['Admins', 'Helpdesk Agents'],
    );
    const admins = cell.holdings[0];
    assert.deepEqual(admins.relationships.map((i) => m.relationships[i].id).sort(), ['r-a1', 'r-a2']);
    assert.equal(admins.rows.length, 2);
    assert.equal(matrixCell(m, 1, ga), undefined, 'Zeta has no Global Administrator: an empty cell');
    assert.deepEqual(
      cellRelationships(m, 0, reader).map((r) => r.name),
      ['Alpha 2026', 'Alpha helpdesk'],
      'several relationships, by name',
    );
    const helpdeskAgents = m.groups.findIndex((g) => g.groupId === G1);
    assert.deepEqual(
      cellRelationships(m, 0, reader, [helpdeskAgents]).map((r) => r.id),
      ['r-a1'],
      'only the groups shown',
    );
    assert.deepEqual(cellRelationships(m, 1, ga), []);
  });

  it('an unnamed group shows a short id', () => {
    const bare = accessMatrix(accessRows(inv));
    assert.ok(bare.groups.every((g) => g.name === null));
    assert.equal(groupLabel(bare.groups[0]), shortGroupId(bare.groups[0].groupId));
    assert.equal(shortGroupId(G1), '11111111…');
    assert.equal(shortGroupId('abc'), 'abc');
  });

  it('an empty list gives an empty grid', () => {
    assert.deepEqual(accessMatrix([]), { customers: [], roles: [], groups: [], relationships: [], cells: [] });
  });

  it('property: every flat access row is in exactly one cell, under its own customer, role and group', () => {
    const roleIds = [GA, HELPDESK, READER, USER_ADMIN, UNKNOWN];
    const groupIds = [G1, G2, G3];
    const tenants = [T1, T2, 'cccccccc-0000-4000-8000-000000000003'];
    const relationshipArb = fc.record({
      tenant: fc.constantFrom(...tenants),
      status: fc.constantFrom('active', 'active', 'terminated'),
      assignments: fc.array(
        fc.record({
          group: fc.constantFrom(...groupIds),
          roles: fc.subarray(roleIds, { minLength: 1 }),
          status: fc.constantFrom('active', 'active', 'error'),
        }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(relationshipArb, { maxLength: 8 }), fc.boolean(), (rels, named) => {
        const world = inventory(
          tenants.map((t, ti) =>
            customer(
              t,
              `Customer ${ti % 2}`,
              rels.flatMap((r, ri) =>
                r.tenant !== t
                  ? []
                  : [
                      relationship(`r-${ri}`, {
                        status: r.status,
                        roles: roleIds,
                        assignments: r.assignments.map((a, ai) => assignment(`a-${ri}-${ai}`, a.group, a.roles, a.status)),
                      }),
                    ],
              ),
            ),
          ),
        );
        const flat = accessRows(world, {}, named ? { groups: { names } } : {});
        const grid = accessMatrix(flat);
        const seen = new Array<number>(flat.length).fill(0);
        grid.cells.forEach((cells, c) => {
          assert.ok(cells.length > 0, 'a customer row comes from its rows');
          cells.forEach((cell, i) => {
            assert.ok(i === 0 || cells[i - 1].role < cell.role, 'cells by role, each role once');
            assert.ok(cell.holdings.length > 0, 'no empty cell is stored');
            for (const h of cell.holdings) {
              for (const r of h.rows) {
                seen[r] += 1;
                const row = flat[r];
                assert.equal(row.customerTenantId, grid.customers[c].tenantId);
                assert.equal(row.roleDefinitionId, grid.roles[cell.role].roleDefinitionId);
                assert.equal(row.groupId, grid.groups[h.group].groupId);
                assert.ok(h.relationships.some((x) => grid.relationships[x].id === row.relationshipId));
              }
            }
          });
        });
        assert.ok(
          seen.every((n) => n === 1),
          `each row in exactly one cell: ${seen.join(',')}`,
        );
        const columns = new Set(grid.cells.flatMap((cells) => cells.map((cell) => cell.role)));
        assert.equal(columns.size, grid.roles.length, 'every column has a non-empty cell');
      }),
      { numRuns: 200 },
    );
  });
});
