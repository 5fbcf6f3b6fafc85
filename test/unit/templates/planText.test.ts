import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatMessage, type Translate } from '../../../src/core/actions/confirmations';
import { english, type Message } from '../../../src/core/messages';
import { changeJson, changeLine, summaryText } from '../../../src/core/templates/planOutput';
import { planTemplate, type TemplateChange } from '../../../src/core/templates/planner';
import { parseTemplate } from '../../../src/core/templates/templateModel';
import { assignment, group, inventory, relationship, ROLE, tenant } from './fixtures';

const ROOT = join(__dirname, '..', '..', '..');
const bundles = (['de', 'fr', 'ja'] as const).map(
  (lang) => [lang, JSON.parse(readFileSync(join(ROOT, 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, string>] as const,
);

/** A `t` in one language that records every template it is asked for. */
function recording(bundle: Record<string, string>, asked: Set<string>): Translate {
  return (template, ...args) => {
    asked.add(template);
    return formatMessage(bundle[template] ?? `MISSING ${template}`, ...args);
  };
}

function checkMessage(where: string, text: string | null | undefined, message: Message | null | undefined): void {
  assert.ok(text !== null && text !== undefined && message !== null && message !== undefined, `${where}: text with its message`);
  assert.equal(english(message), text, where);
  for (const [lang, bundle] of bundles) {
    assert.equal(typeof bundle[message.template], 'string', `${where}: ${lang} has ${message.template}`);
  }
}

/* The plan's words: the CLI's English is fixed (golden lines); the extension's come from the same templates, translated. */

const T = '11111111-2222-4333-8444-555555555555';
const G = '0f0e0d0c-0b0a-4908-8706-050403020100';
const base = { customerTenantId: T, customerName: 'Contoso', entry: 'contoso', groupId: null, operation: { kind: 'none' } } as const;
const changes: TemplateChange[] = [
  {
    ...base,
    action: 'create',
    relationshipId: null,
    before: null,
    after: { name: 'Contoso GDAP', roles: ['Global Reader'] },
    reason: null,
  },
  {
    ...base,
    customerName: null,
    action: 'create',
    relationshipId: null,
    before: null,
    after: { name: 'Contoso GDAP (renewal)', roles: ['Global Reader', 'Helpdesk Administrator'] },
    successorOf: 'r0',
    reason: null,
    warning:
      'Roles cannot change on an existing relationship: a successor is created; "Contoso GDAP" keeps its access until it ends or is terminated.',
  },
  { ...base, action: 'assign', relationshipId: 'r1', groupId: G, before: null, after: { roles: ['Global Reader'] }, reason: null },
  {
    ...base,
    action: 'setRoles',
    relationshipId: 'r1',
    groupId: G,
    before: { roles: [] },
    after: { roles: ['Global Reader'] },
    reason: 'The assignment is "pending"; roles can be changed only on an active one. Plan again later.',
  },
  { ...base, action: 'unassign', relationshipId: 'r1', groupId: G, before: { roles: ['Global Reader'] }, after: null, reason: null },
  { ...base, action: 'removeGa', relationshipId: 'r1', before: null, after: null, reason: null },
  { ...base, action: 'autoExtendOn', relationshipId: 'r1', before: null, after: 'P180D', reason: null },
  { ...base, action: 'autoExtendOff', relationshipId: 'r1', before: 'P180D', after: 'PT0S', reason: null },
];

const GOLDEN = [
  `[contoso] Contoso (${T}): create "Contoso GDAP" with Global Reader`,
  `[contoso] ${T}: create "Contoso GDAP (renewal)" with Global Reader, Helpdesk Administrator (successor of r0) — Roles cannot change on an existing relationship: a successor is created; "Contoso GDAP" keeps its access until it ends or is terminated.`,
  `[contoso] Contoso (${T}): assign group ${G}: Global Reader on r1`,
  `[contoso] Contoso (${T}): set roles of group ${G}: no roles → Global Reader on r1 — cannot: The assignment is "pending"; roles can be changed only on an active one. Plan again later.`,
  `[contoso] Contoso (${T}): remove group ${G} (Global Reader) on r1`,
  `[contoso] Contoso (${T}): remove Global Administrator on r1`,
  `[contoso] Contoso (${T}): auto-extend off → P180D on r1`,
  `[contoso] Contoso (${T}): auto-extend P180D → PT0S on r1`,
];

describe('template plan texts', () => {
  it('the CLI lines and summary read exactly as before (golden)', () => {
    assert.deepEqual(
      changes.map((c) => changeLine(c)),
      GOLDEN,
    );
    assert.deepEqual(
      changes.map((c) => changeLine(changeJson(c))),
      GOLDEN,
      'the JSON form prints the same',
    );
    assert.equal(
      summaryText({ create: 2, removeGa: 1, autoExtendOn: 1, autoExtendOff: 1, setRoles: 1, assign: 1, unassign: 1 }),
      'create 2, removeGa 1, autoExtendOn 1, autoExtendOff 1, setRoles 1, assign 1, unassign 1',
    );
  });

  it('the extension renders every line and the summary through its translations, in every language', () => {
    const summary = { create: 2, removeGa: 1, autoExtendOn: 1, autoExtendOff: 1, setRoles: 1, assign: 1, unassign: 1 };
    for (const [lang, bundle] of bundles) {
      const asked = new Set<string>();
      const t = recording(bundle, asked);
      const lines = changes.map((c) => changeLine(c, t));
      const text = [...lines, summaryText(summary, t)].join('\n');
      assert.doesNotMatch(text, /MISSING/, `${lang}: ${[...asked].filter((m) => bundle[m] === undefined).join(' | ')}`);
      assert.ok(asked.size >= 15, `${lang}: ${asked.size} messages asked`);
      lines.forEach((line, i) => assert.notEqual(line, GOLDEN[i], `${lang}: line ${i} is translated`));
    }
  });

  it('the planner gives every reason and warning as a message with translations', () => {
    const [c1, c2, c3] = [tenant(1), tenant(2), tenant(3)];
    const [g1, g2] = [group(1), group(2)];
    const parsed = parseTemplate(
      JSON.stringify({
        version: 1,
        relationships: [
          {
            name: 'Standard support',
            customers: [c1, c2, c3, tenant(9)],
            roles: ['Helpdesk Administrator'],
            assignments: [
              { group: g1, roles: ['Helpdesk Administrator'] },
              { group: g2, roles: ['Helpdesk Administrator'] },
            ],
          },
        ],
      }),
    );
    assert.ok(parsed.ok);
    const inv = inventory([
      // c1: one group still pending with other roles (its roles cannot be set yet)
      {
        tenantId: c1,
        relationships: [
          relationship(c1, 'Standard support', [ROLE.helpdesk], { accessAssignments: [assignment(g1, [ROLE.userAdmin], 'pending')] }),
        ],
      },
      // c2: assignments that could not be read; c3: other roles, so a successor is created
      { tenantId: c2, relationships: [relationship(c2, 'Standard support', [ROLE.helpdesk], { accessAssignments: undefined })] },
      { tenantId: c3, relationships: [relationship(c3, 'Standard support', [ROLE.userAdmin])] },
    ]);
    const plan = planTemplate(parsed.template, inv);
    const blocked = plan.changes.filter((c) => c.reason !== null);
    const warned = plan.changes.filter((c) => c.warning !== undefined);
    assert.ok(blocked.length >= 3, JSON.stringify(blocked.map((c) => c.reason)));
    assert.ok(warned.length >= 1, JSON.stringify(plan.changes.map((c) => [c.action, c.warning])));
    for (const c of blocked) {
      checkMessage(`${c.action} ${c.customerTenantId}`, c.reason, c.reasonMessage);
    }
    for (const c of warned) {
      checkMessage(`${c.action} ${c.customerTenantId}`, c.warning, c.warningMessage);
    }
    assert.ok(
      plan.changes.every((c) => !('reasonMessage' in changeJson(c)) && !('warningMessage' in changeJson(c))),
      'the JSON (the CLI, "copy as JSON") is as before',
    );
  });
});
