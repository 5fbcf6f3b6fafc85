import * as assert from 'node:assert/strict';
import { parseTemplate, validateTemplate, type TemplateProblem } from '../../../src/core/templates/templateModel';
import { findSecrets, secretShape } from '../../../src/core/templates/templateSecrets';

const C1 = '11111111-1111-4111-8111-111111111111';
const G1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
// Made-up values of the shapes that must never be in a template (none of them is a real credential).
const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.c2lnbmF0dXJlLXBsYWNlaG9sZGVy';
const ENTRA = 'abc8Q~ExampleOnlyNotARealSecretValue0123';
const BASE64 = 'QmFzZTY0RXhhbXBsZVZhbHVlVGhhdElzTm90QVNlY3JldDEyMzQ1Njc4OTA=';

function template(entry: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: 1, relationships: [{ name: 'Support', customers: [C1], roles: ['Helpdesk Administrator'], ...entry }], ...extra };
}

function credentialProblems(json: unknown): TemplateProblem[] {
  const r = validateTemplate(json);
  assert.ok(!r.ok, 'the template is refused');
  return r.problems.filter((p) => p.code === 'credential');
}

describe('templates never carry credentials', () => {
  it('tells the shapes of secrets from ordinary template values', () => {
    assert.equal(secretShape(JWT), 'a token (JWT)');
    assert.equal(secretShape(`Bearer ${JWT}`), 'a token (JWT)');
    assert.equal(secretShape('password=hunter2'), 'a password, secret or token assignment');
    assert.equal(secretShape('client_secret: abc'), 'a password, secret or token assignment');
    assert.equal(secretShape('Token = x1'), 'a password, secret or token assignment');
    assert.equal(secretShape(ENTRA), 'an application client secret');
    assert.equal(secretShape(BASE64), 'a long base64 value (a key or secret)');
    for (const ordinary of [
      'Helpdesk Administrator',
      'Standard support — Contoso (EU) 2026',
      C1,
      'P730D',
      './schemas/gdapTemplate.schema.json',
      'https://example.com/schemas/gdapTemplate.schema.json',
      'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz',
      '0123456789012345678901234567890123456789012345',
    ]) {
      assert.equal(secretShape(ordinary), undefined, ordinary);
    }
  });

  it('a JWT in a name is a credential problem at its path, and the message does not repeat it', () => {
    const problems = credentialProblems(template({ name: `Support ${JWT}` }));
    assert.equal(problems.length, 1);
    assert.equal(problems[0].path, '$.relationships[0].name');
    assert.match(problems[0].message, /looks like a token \(JWT\).*never carry credentials/);
    assert.ok(!problems[0].message.includes('eyJ'));
  });

  it('a client_secret field (anywhere, any spelling) is a credential problem, and no message quotes its value', () => {
    for (const [key, where] of [
      ['client_secret', '$.client_secret'],
      ['clientSecret', '$.clientSecret'],
      ['Password', '$.Password'],
      ['access-token', '$["access-token"]'],
    ] as const) {
      const r = parseTemplate(JSON.stringify(template({}, { [key]: 'value-that-must-not-leak' })));
      assert.ok(!r.ok);
      const credential = r.problems.filter((p) => p.code === 'credential');
      assert.deepEqual(
        credential.map((p) => p.path),
        [where],
        key,
      );
      assert.match(credential[0].message, new RegExp(`The field "${key}" holds a credential`));
      assert.ok(
        r.problems.every((p) => !p.message.includes('value-that-must-not-leak')),
        key,
      );
    }
    const nested = credentialProblems(template({ assignments: [{ group: G1, roles: ['Helpdesk Administrator'], secret: 'x' }] }));
    assert.deepEqual(
      nested.map((p) => p.path),
      ['$.relationships[0].assignments[0].secret'],
    );
  });

  it('a key=value with password, secret or token, an Entra client secret or a long base64 run in any field is a problem', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'Support password=hunter2' }, '$.relationships[0].name'],
      [{ customers: [C1, `token=${BASE64.slice(0, 10)}`] }, '$.relationships[0].customers[1]'],
      [{ roles: ['Helpdesk Administrator', ENTRA] }, '$.relationships[0].roles[1]'],
      [{ assignments: [{ group: BASE64, roles: ['Helpdesk Administrator'] }] }, '$.relationships[0].assignments[0].group'],
      [{ duration: BASE64 }, '$.relationships[0].duration'],
    ];
    for (const [entry, path] of cases) {
      const r = validateTemplate(template(entry));
      assert.ok(!r.ok, path);
      assert.deepEqual(
        r.problems.filter((p) => p.code === 'credential').map((p) => p.path),
        [path],
      );
      // The other checks of that place ("… is not a GUID", "unknown role") would quote the value: only the credential problem is there.
      assert.deepEqual(
        r.problems.filter((p) => p.path === path).map((p) => p.code),
        ['credential'],
        path,
      );
    }
  });

  it('an ordinary template has no credential findings', () => {
    const ok = template(
      { duration: 'P365D', assignments: [{ group: G1, roles: ['Helpdesk Administrator'] }] },
      { $schema: './schemas/gdapTemplate.schema.json' },
    );
    assert.deepEqual(findSecrets(ok), []);
    assert.ok(validateTemplate(ok).ok);
  });
});
