import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePlan } from '../../../src/cli/commands/plan';
import type { CliIo } from '../../../src/cli/cliIo';
import { FilePlannedAssignmentStore, invalidPlannedAssignment } from '../../../src/core/actions/plannedAssignments';
import { formatMessage } from '../../../src/core/actions/confirmations';
import { isGdapError } from '../../../src/core/http/gdapError';
import { english, type Message } from '../../../src/core/messages';
import { parseRoleList } from '../../../src/core/roles/roleNames';
import { planTemplate } from '../../../src/core/templates/planner';
import { driftLine, planJson } from '../../../src/core/templates/planOutput';
import { locateProblems } from '../../../src/core/templates/templateLocations';
import { parseTemplate, problemText, type TemplateProblem } from '../../../src/core/templates/templateModel';
import { assignment, group, inventory, relationship, ROLE, tenant } from './fixtures';

/*
 * Template problems, drift and planned-assignment refusals are codes with parameters (src/core/messages.ts):
 * the CLI's English stays word for word (golden texts below, as `gdap plan` printed them before), and the
 * extension renders the same codes through its `t` in the display language.
 */

const ROOT = join(__dirname, '..', '..', '..');
const bundles = (['de', 'fr', 'ja'] as const).map(
  (lang) => [lang, JSON.parse(readFileSync(join(ROOT, 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, string>] as const,
);
const englishBundle = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;

/** A `t` in one language, as `vscode.l10n.t` behaves with that bundle; a missing message shows up as MISSING. */
const fakeT =
  (bundle: Record<string, string>) =>
  (template: string, ...args: (string | number | boolean)[]): string =>
    formatMessage(bundle[template] ?? `MISSING ${template}`, ...args);

/** Every template a message uses, its nested ones too. */
function templatesOf(message: Message): string[] {
  return [message.template, ...(message.nested ?? []).flatMap((m) => (m === null ? [] : templatesOf(m)))];
}

/** The message is the text's code, and every language (English bundle included) has each of its templates. */
function checkCode(where: string, text: string, message: Message | undefined): void {
  assert.ok(message !== undefined, `${where}: a code beside the text`);
  assert.equal(english(message), text, `${where}: the code reads as the English text`);
  for (const template of templatesOf(message)) {
    assert.equal(typeof englishBundle[template], 'string', `${where}: the bundle has ${template}`);
    for (const [lang, bundle] of bundles) {
      assert.equal(typeof bundle[template], 'string', `${where}: ${lang} has ${template}`);
    }
  }
}

const C1 = '11111111-1111-4111-8111-111111111111';
const G1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';

/** One template with every kind of problem the parser reports. */
const BROKEN = JSON.stringify({
  $schema: JWT,
  version: 2,
  extra: 1,
  relationships: [
    {
      name: 'x'.repeat(51),
      customers: ['nope', C1, C1, 'password=hunter2'],
      duration: 'P9999D',
      autoExtend: true,
      roles: ['Global Administrator', 'Helpdesk Adminstrator', 'Global Reader, Helpdesk Administrator', 'Global Administrator'],
      assignments: [
        { group: 'x', roles: [] },
        { group: G1, roles: ['Security Reader'] },
        { group: G1, roles: ['Global Administrator'] },
      ],
    },
    { name: 'Support', customers: [], roles: [] },
    { name: 'Support desk', customers: '*', roles: ['Global Reader'] },
    { customers: 5, roles: 'x', apiKey: 'k', more: true },
    { name: 'Z', customers: ['a'], roles: ['Global Reader'], exclusive: 'yes' },
  ],
});

/** [code, path, message] as the CLI has always printed them. */
const GOLDEN: [string, string, string][] = [
  ['schema', '$', 'Unknown field(s) "extra"; see the template schema.'],
  [
    'credential',
    '$.$schema',
    'The value of this field looks like a token (JWT). Templates never carry credentials: remove it (GDAP Explorer signs in by itself).',
  ],
  ['schema', '$.relationships[0].assignments[0].group', '"x" is not a security group id (a GUID).'],
  ['schema', '$.relationships[0].assignments[0].roles', 'Name at least one role.'],
  [
    'roleNotInEntry',
    '$.relationships[0].assignments[1].roles[0]',
    '"Security Reader" is not among this entry\'s roles; an assignment can only grant roles of its relationship.',
  ],
  [
    'duplicate',
    '$.relationships[0].assignments[2].group',
    'The group aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa is listed twice in this entry; give it one list of roles.',
  ],
  [
    'schema',
    '$.relationships[0].autoExtend',
    'Auto-extend is not available with Global Administrator among the roles: set autoExtend to false or drop the role.',
  ],
  ['schema', '$.relationships[0].customers[0]', '"nope" is not a customer tenant id (a GUID); use "*" alone for every customer.'],
  ['duplicate', '$.relationships[0].customers[2]', 'The customer 11111111-1111-4111-8111-111111111111 is listed twice.'],
  [
    'credential',
    '$.relationships[0].customers[3]',
    'The value of this item looks like a password, secret or token assignment. Templates never carry credentials: remove it (GDAP Explorer signs in by itself).',
  ],
  [
    'invalidDuration',
    '$.relationships[0].duration',
    'The duration must be an ISO-8601 duration from P1D to P2Y (730 days), e.g. P730D (got "P9999D").',
  ],
  ['schema', '$.relationships[0].name', 'The name must be 1 to 50 characters (got 51).'],
  [
    'unknownRole',
    '$.relationships[0].roles[1]',
    'Unknown role "Helpdesk Adminstrator". Did you mean "Helpdesk Administrator", "People Administrator", "Places Administrator"? Use a role name or a role template id (GUID).',
  ],
  [
    'unknownRole',
    '$.relationships[0].roles[2]',
    'One role per entry: split "Global Reader, Helpdesk Administrator" into separate strings.',
  ],
  ['duplicate', '$.relationships[0].roles[3]', '"Global Administrator" is listed twice; each role once.'],
  ['schema', '$.relationships[1].customers', 'Name at least one customer tenant id, or "*" for every customer.'],
  ['schema', '$.relationships[1].roles', 'Name at least one role.'],
  [
    'nameOverlap',
    '$.relationships[2].name',
    '"Support desk" and "Support" (entry 2) would manage the same relationships of a customer: an entry manages the newest active relationship whose name starts with its name. Make neither name start with the other.',
  ],
  ['schema', '$.relationships[3]', 'Unknown field(s) "apiKey", "more"; see the template schema.'],
  [
    'credential',
    '$.relationships[3].apiKey',
    'The field "apiKey" holds a credential. Templates never carry credentials: remove it (GDAP Explorer signs in by itself).',
  ],
  ['schema', '$.relationships[3].customers', 'Must be "*" or a list of customer tenant ids.'],
  ['schema', '$.relationships[3].name', '"name" is required.'],
  ['schema', '$.relationships[3].roles', 'Expected array, received string'],
  ['schema', '$.relationships[4].exclusive', 'Expected boolean, received string'],
  ['schema', '$.version', 'The template version must be 1.'],
];

function problemsOf(text: string): readonly TemplateProblem[] {
  const parsed = parseTemplate(text);
  assert.ok(!parsed.ok, 'the template has problems');
  return parsed.problems;
}

describe('template problems, drift and planned assignments as codes with parameters', () => {
  it('the CLI reads every template problem exactly as before (golden)', () => {
    assert.deepEqual(
      problemsOf(BROKEN).map((p) => [p.code, p.path, p.message]),
      GOLDEN,
    );
    assert.deepEqual(
      problemsOf(JSON.stringify(JWT)).map((p) => p.message),
      [
        'The value of the template looks like a token (JWT). Templates never carry credentials: remove it (GDAP Explorer signs in by itself).',
      ],
    );
    const notJson = problemsOf('{"version": 1,');
    assert.equal(notJson.length, 1);
    assert.match(notJson[0].message, /^The template is not valid JSON: \S/);
    // The editor's locator reports text it cannot parse with the same words, the parser's own as the argument.
    const located = locateProblems('{"a":', []);
    assert.equal(located[0].problem.message, `The template is not valid JSON: ${jsonError('{"a":')}`);
    checkCode('located syntax problem', located[0].problem.message, located[0].problem.messageCode);
  });

  it('every template problem carries its code, with translations in every language', () => {
    const all = [...problemsOf(BROKEN), ...problemsOf(JSON.stringify(JWT)), ...problemsOf('{"version": 1,')];
    for (const p of all) {
      checkCode(`${p.code} ${p.path}`, p.message, p.messageCode);
    }
  });

  it("the extension renders each problem through its t: translated, the JSON parser's words kept as the argument", () => {
    const all = [...problemsOf(BROKEN), ...problemsOf('{"version": 1,')];
    for (const [lang, bundle] of bundles) {
      const t = fakeT(bundle);
      for (const p of all) {
        const text = problemText(p, t);
        assert.doesNotMatch(text, /MISSING/, `${lang} ${p.path}: ${text}`);
        assert.notEqual(text, p.message, `${lang} ${p.path} is translated: ${text}`);
      }
      const syntax = problemText(problemsOf('{"version": 1,')[0], t);
      assert.ok(syntax.includes(jsonError('{"version": 1,')), `${lang}: ${syntax}`);
    }
    // Without a t (the CLI) and for a problem without a code (the schema library's own words), the English text.
    const [first] = problemsOf(BROKEN);
    assert.equal(problemText(first), first.message);
    const plain: TemplateProblem = { path: '$', segments: [], code: 'schema', message: 'Invalid input' };
    assert.equal(problemText(plain, fakeT(bundles[0][1])), 'Invalid input');
  });

  it('role list problems carry their codes too (the CLI text unchanged)', () => {
    const parsed = parseRoleList('Global Raeder, ');
    assert.ok(!parsed.ok);
    assert.equal(
      parsed.problems[0].message,
      'Unknown role "Global Raeder". Did you mean "Global Reader", "Reports Reader", "Teams Reader"? Use a role name or a role template id (GUID).',
    );
    checkCode('unknown role', parsed.problems[0].message, parsed.problems[0].messageCode);
    const empty = parseRoleList(' , ');
    assert.ok(!empty.ok);
    assert.equal(empty.problems[0].message, 'Name at least one role, e.g. "Global Reader,Helpdesk Administrator".');
    checkCode('no role', empty.problems[0].message, empty.problems[0].messageCode);
  });

  describe('drift (an extra assignment left in place)', () => {
    const C = tenant(1);
    const [listed, extra] = [group(1), group(2)];
    const parsed = parseTemplate(
      JSON.stringify({
        version: 1,
        relationships: [
          {
            name: 'Support',
            customers: [C],
            roles: ['Helpdesk Administrator'],
            assignments: [{ group: listed, roles: ['Helpdesk Administrator'] }],
          },
        ],
      }),
    );
    assert.ok(parsed.ok);
    const inv = inventory([
      {
        tenantId: C,
        relationships: [
          relationship(C, 'Support', [ROLE.helpdesk], {
            id: 'r1',
            accessAssignments: [assignment(listed, [ROLE.helpdesk]), assignment(extra, [ROLE.helpdesk])],
          }),
        ],
      },
    ]);
    const plan = planTemplate(parsed.template, inv);
    const LINE = `[Support] ${C}: group ${extra} (Helpdesk Administrator) on r1 — Not in the template; left in place (set "exclusive": true on the entry to remove it).`;

    it('the CLI prints it and its JSON exactly as before (golden)', () => {
      const out: string[] = [];
      const io = { stdout: { write: (s: string) => out.push(s) } } as unknown as CliIo;
      writePlan(io, plan, 'text');
      assert.equal(
        out.join(''),
        ['No changes: the live state matches the template.', 'Drift (left in place):', `  ? ${LINE}`, ''].join('\n'),
      );
      const json: string[] = [];
      writePlan({ stdout: { write: (s: string) => json.push(s) } } as unknown as CliIo, plan, 'json');
      const drift = (JSON.parse(json.join('')) as { drift: Record<string, unknown>[] }).drift;
      assert.deepEqual(Object.keys(drift[0]).sort(), [
        'assignmentId',
        'customerTenantId',
        'entry',
        'groupId',
        'message',
        'relationshipId',
        'roles',
      ]);
      assert.equal(drift[0].message, 'Not in the template; left in place (set "exclusive": true on the entry to remove it).');
      assert.deepEqual(planJson(plan).drift, JSON.parse(JSON.stringify(planJson(plan).drift)), 'the JSON form holds plain values only');
    });

    it("carries its reason as a code; the extension's line is the CLI's, translated through its t", () => {
      assert.equal(plan.drift.length, 1);
      const [d] = plan.drift;
      checkCode('drift', d.message, d.messageCode);
      assert.equal(driftLine(d), LINE);
      assert.equal(driftLine(planJson(plan).drift[0]), LINE, 'the JSON form reads the same');
      for (const [lang, bundle] of bundles) {
        const line = driftLine(d, fakeT(bundle));
        assert.doesNotMatch(line, /MISSING/, `${lang}: ${line}`);
        assert.notEqual(line, LINE, `${lang} is translated`);
        assert.ok(line.includes(bundle[d.messageCode.template]), `${lang}: the reason in ${lang}: ${line}`);
      }
    });
  });

  it('a planned assignment that is not ids is refused with a code, by the CLI store too (same English)', async () => {
    const bad = { groupId: 'not-a-guid', roleDefinitionIds: [] };
    const error = invalidPlannedAssignment(bad);
    const TEXT =
      'A planned assignment needs a group id and at least one role template id (GUIDs); got {"groupId":"not-a-guid","roleDefinitionIds":[]}.';
    assert.equal(error.message, TEXT);
    assert.equal(error.kind, 'invalidInput');
    assert.equal(error.messageCodes?.length, 1);
    checkCode('planned assignment', TEXT, error.messageCodes?.[0]);
    const store = new FilePlannedAssignmentStore(join(mkdtempSync(join(tmpdir(), 'gdap-planned-')), 'planned.json'));
    await assert.rejects(
      store.set('r1', [bad]),
      (e: unknown) => isGdapError(e) && e.message === TEXT && e.messageCodes?.[0]?.template === error.messageCodes?.[0]?.template,
    );
  });
});

/** What JSON.parse says about `text` on this Node.js. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('valid JSON');
}
