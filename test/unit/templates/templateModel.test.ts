import * as assert from 'node:assert/strict';
import { checkCustomers, jsonPath, parseTemplate } from '../../../src/core/templates/templateModel';

const C1 = '11111111-1111-4111-8111-111111111111';
const C2 = '22222222-2222-4222-8222-222222222222';
const G1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const G2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

const valid = {
  version: 1,
  relationships: [
    {
      name: 'Standard support',
      customers: [C1, C2.toUpperCase()],
      duration: 'P730D',
      autoExtend: true,
      roles: ['Helpdesk Administrator', 'user administrator', '29232cdf-9323-42fd-ade2-1d097af3e4de'],
      assignments: [
        { group: G1, roles: ['Helpdesk Administrator'] },
        { group: G2, roles: ['User Administrator', 'Exchange Administrator'] },
      ],
    },
  ],
};

describe('template parsing and validation', () => {
  it('parses a valid template: role names and ids to ids, tenant ids lower-case, defaults filled', () => {
    const r = parseTemplate(JSON.stringify(valid));
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    const e = r.template.relationships[0];
    assert.equal(e.name, 'Standard support');
    assert.deepEqual(e.customers, [C1, C2]);
    assert.deepEqual(e.roleDefinitionIds, [HELPDESK, USER_ADMIN, '29232cdf-9323-42fd-ade2-1d097af3e4de']);
    assert.deepEqual(e.assignments[0], { groupId: G1, roleDefinitionIds: [HELPDESK] });
    assert.equal(e.exclusive, false);
    const minimal = parseTemplate(JSON.stringify({ version: 1, relationships: [{ name: 'X', customers: '*', roles: ['Global Reader'] }] }));
    assert.ok(minimal.ok);
    assert.equal(minimal.template.relationships[0].duration, 'P730D');
    assert.equal(minimal.template.relationships[0].autoExtend, null);
    assert.equal(minimal.template.relationships[0].customers, '*');
  });

  it('lists every problem with its JSON path, in file order, and suggests the closest role name', () => {
    const bad = {
      version: 1,
      relationships: [
        {
          name: 'Standard support',
          customers: [C1, 'not-a-guid', C1],
          duration: 'P1000D',
          autoExtend: true,
          roles: ['Helpdesk Adminstrator', 'Global Administrator', 'User Administrator', 'User Administrator'],
          assignments: [
            { group: G1, roles: ['Global Reader'] },
            { group: G1, roles: ['User Administrator'] },
          ],
        },
      ],
    };
    const r = parseTemplate(JSON.stringify(bad));
    assert.ok(!r.ok);
    const paths = r.problems.map((p) => `${p.path} ${p.code}`);
    assert.deepEqual(paths, [
      '$.relationships[0].assignments[0].roles[0] roleNotInEntry',
      '$.relationships[0].assignments[1].group duplicate',
      '$.relationships[0].autoExtend schema',
      '$.relationships[0].customers[1] schema',
      '$.relationships[0].customers[2] duplicate',
      '$.relationships[0].duration invalidDuration',
      '$.relationships[0].roles[0] unknownRole',
      '$.relationships[0].roles[3] duplicate',
    ]);
    const unknown = r.problems.find((p) => p.code === 'unknownRole');
    assert.equal(unknown?.suggestions?.[0], 'Helpdesk Administrator');
    assert.deepEqual(unknown?.segments, ['relationships', 0, 'roles', 0]);
  });

  it('reports structural problems (missing, unknown and wrongly typed fields) with their paths', () => {
    const r = parseTemplate(
      JSON.stringify({ version: 2, relationships: [{ customers: [], roles: 'Global Reader', colour: 'red' }], extra: 1 }),
    );
    assert.ok(!r.ok);
    const byPath = new Map(r.problems.map((p) => [p.path, p.message]));
    assert.match(byPath.get('$.version') ?? '', /version must be 1/);
    assert.match(byPath.get('$.relationships[0].name') ?? '', /"name" is required/);
    assert.match(byPath.get('$.relationships[0].roles') ?? '', /array/i);
    assert.match(byPath.get('$.relationships[0]') ?? '', /Unknown field\(s\) "colour"/);
    assert.match(byPath.get('$') ?? '', /Unknown field\(s\) "extra"/);
    const syntax = parseTemplate('{ "version": 1, ');
    assert.ok(!syntax.ok);
    assert.equal(syntax.problems[0].code, 'syntax');
    assert.equal(syntax.problems[0].path, '$');
  });

  it('refuses entries that would manage the same relationship (equal names or one a prefix of the other, shared customers)', () => {
    const entry = (name: string, customers: string[] | '*'): object => ({ name, customers, roles: ['Global Reader'] });
    const overlapping = parseTemplate(
      JSON.stringify({ version: 1, relationships: [entry('Support', [C1]), entry('Support tier 2', [C1, C2])] }),
    );
    assert.ok(!overlapping.ok);
    assert.equal(overlapping.problems[0].path, '$.relationships[1].name');
    assert.equal(overlapping.problems[0].code, 'nameOverlap');
    const star = parseTemplate(JSON.stringify({ version: 1, relationships: [entry('Support', '*'), entry('support', [C2])] }));
    assert.ok(!star.ok);
    const disjoint = parseTemplate(JSON.stringify({ version: 1, relationships: [entry('Support', [C1]), entry('Support', [C2])] }));
    assert.ok(disjoint.ok);
  });

  it('names customers the partner does not have, with their paths', () => {
    const r = parseTemplate(JSON.stringify(valid));
    assert.ok(r.ok);
    const problems = checkCustomers(r.template, new Set([C1]));
    assert.deepEqual(
      problems.map((p) => [p.path, p.code]),
      [['$.relationships[0].customers[1]', 'unknownCustomer']],
    );
  });

  it('writes JSON paths with quoted keys where needed', () => {
    assert.equal(jsonPath(['relationships', 3, 'roles', 0]), '$.relationships[3].roles[0]');
    assert.equal(jsonPath(['a b']), '$["a b"]');
  });
});
