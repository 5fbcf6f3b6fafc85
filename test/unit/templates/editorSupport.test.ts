import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLE_CATALOG } from '../../../src/core/roles/roleCatalog';
import { planDocuments } from '../../../src/core/templates/planDocuments';
import { planTemplate } from '../../../src/core/templates/planner';
import { locateProblems } from '../../../src/core/templates/templateLocations';
import { parseTemplate } from '../../../src/core/templates/templateModel';
import { assignment, group, inventory, relationship, ROLE, tenant } from './fixtures';

const ROOT = join(__dirname, '..', '..', '..');

describe('template editor support (diagnostic locations, plan documents, schema)', () => {
  it('locates each problem at its value, a missing field at its object key, and syntax errors where the parser stopped', () => {
    const text = [
      '{',
      '  "version": 1,',
      '  "relationships": [',
      '    { "name": "A", "customers": "*", "roles": ["Helpdesk Adminstrator"] },',
      '    { "customers": "*", "roles": ["Global Reader"] }',
      '  ]',
      '}',
    ].join('\n');
    const parsed = parseTemplate(text);
    assert.ok(!parsed.ok);
    const located = locateProblems(text, parsed.problems);
    const at = (path: string): string => {
      const l = located.find((x) => x.problem.path === path);
      assert.ok(l, path);
      return text.slice(l.offset, l.offset + l.length);
    };
    assert.equal(at('$.relationships[0].roles[0]'), '"Helpdesk Adminstrator"');
    // "name" is missing from entry 1: the entry object itself is what exists.
    assert.match(at('$.relationships[1].name'), /^\{ "customers": "\*", "roles": \["Global Reader"\] \}$/);
    const broken = locateProblems('{ "version": 1, }', [{ path: '$', segments: [], code: 'syntax', message: 'x' }]);
    assert.equal(broken[0].problem.code, 'syntax');
    assert.equal(broken[0].offset, 16, 'where the parser stopped (the closing brace after a trailing comma)');
    // Escaped quotes and nested arrays do not throw the offsets off.
    const tricky = '{"version":1,"relationships":[{"name":"a \\"b\\"","customers":"*","roles":[["x"]]}]}';
    const t = locateProblems(tricky, [{ path: '', segments: ['relationships', 0, 'customers'], code: 'schema', message: 'x' }]);
    assert.equal(tricky.slice(t[0].offset, t[0].offset + t[0].length), '"*"');
  });

  it('plan documents show the customers the plan is about, current and desired in the same layout', () => {
    const c1 = tenant(1);
    const c2 = tenant(2);
    const r1 = relationship(c1, 'Support', [ROLE.helpdesk, ROLE.userAdmin], { autoExtendDuration: 'P180D' });
    const r2 = relationship(c2, 'Support', [ROLE.helpdesk, ROLE.userAdmin], { autoExtendDuration: 'P180D' });
    const inv = inventory([
      { tenantId: c1, relationships: [{ ...r1, accessAssignments: [assignment(group(1), [ROLE.helpdesk])] }] },
      { tenantId: c2, relationships: [{ ...r2, accessAssignments: [assignment(group(1), [ROLE.userAdmin])] }] },
    ]);
    const parsed = parseTemplate(
      JSON.stringify({
        version: 1,
        relationships: [
          {
            name: 'Support',
            customers: '*',
            autoExtend: true,
            roles: ['Helpdesk Administrator', 'User Administrator'],
            assignments: [{ group: group(1), roles: ['Helpdesk Administrator'] }],
          },
        ],
      }),
    );
    assert.ok(parsed.ok);
    const plan = planTemplate(parsed.template, inv);
    const docs = planDocuments(parsed.template, inv, plan);
    const current = JSON.parse(docs.current) as { customers: { tenantId: string; relationships: { assignments: object }[] }[] };
    const desired = JSON.parse(docs.desired) as typeof current;
    // Customer 1 already matches: left out of both sides.
    assert.deepEqual(
      current.customers.map((c) => c.tenantId),
      [c2],
    );
    assert.deepEqual(current.customers[0].relationships[0].assignments, { [group(1)]: ['User Administrator'] });
    assert.deepEqual(desired.customers[0].relationships[0].assignments, { [group(1)]: ['Helpdesk Administrator'] });
    assert.equal(docs.current.split('\n').length, docs.desired.split('\n').length, 'same layout, line for line');
  });

  it('the JSON schema offers exactly the catalog role names and requires what the parser requires', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'gdap-template.schema.json'), 'utf8')) as {
      required: string[];
      properties: { relationships: { items: { required: string[]; properties: { roles: { items: { anyOf: { enum?: string[] }[] } } } } } };
    };
    const entry = schema.properties.relationships.items;
    assert.deepEqual(
      entry.properties.roles.items.anyOf[0].enum,
      ROLE_CATALOG.map((r) => r.name),
    );
    assert.deepEqual(schema.required, ['version', 'relationships']);
    assert.deepEqual(entry.required, ['name', 'customers', 'roles']);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation: { fileMatch: string; url: string }[] };
    };
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '*.gdap.json', url: './schemas/gdap-template.schema.json' }]);
  });
});
