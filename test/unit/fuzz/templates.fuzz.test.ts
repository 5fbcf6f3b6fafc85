import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { planTemplate } from '../../../src/core/templates/planner';
import { parseTemplate, validateTemplate, type TemplateParseResult } from '../../../src/core/templates/templateModel';
import { group, inventory, relationship, ROLE, tenant } from '../templates/fixtures';
import { bodyTextFrom, payloadFrom } from './mutate';

/*
 * Templates are files people edit by hand: whatever a file holds, parsing gives a list of problems (each
 * with a JSON path and a message) or a template, and planning a template against an inventory gives a
 * plan — never an exception. 10,000 cases in all, against a small fixed inventory so each case is cheap.
 */

const T1 = tenant(1);
const T2 = tenant(2);
const T3 = tenant(3);
const INVENTORY = inventory([
  {
    tenantId: T1,
    relationships: [relationship(T1, 'Support', [ROLE.helpdesk, ROLE.userAdmin]), relationship(T1, 'Audit', [ROLE.globalReader])],
  },
  { tenantId: T2, relationships: [relationship(T2, 'Support Tier 2', [ROLE.helpdesk], { status: 'expired' })] },
  { tenantId: T3, relationships: [relationship(T3, 'Admin', [ROLE.ga, ROLE.exchange])] },
]);
const ROLE_TEXTS = [
  'Helpdesk Administrator',
  'user administrator',
  ROLE.exchange,
  'Global Reader',
  'Global Administrator',
  'Helpdesk Adminstrator',
];
const NAMES = ['Support', 'Audit', 'Admin', 'Standard support', 'Tier 2', ''];

const entryArb = fc.record(
  {
    name: fc.constantFrom(...NAMES),
    customers: fc.oneof(fc.constant('*' as const), fc.subarray([T1, T2, T3, tenant(9)], { minLength: 1 })),
    duration: fc.constantFrom('P730D', 'P90D', 'P1D', 'P2Y', 'P0D', 'P9999D'),
    autoExtend: fc.boolean(),
    roles: fc.subarray(ROLE_TEXTS, { minLength: 1, maxLength: 3 }),
    assignments: fc.array(
      fc.record({ group: fc.constantFrom(group(1), group(2), group(3)), roles: fc.subarray(ROLE_TEXTS, { minLength: 1, maxLength: 2 }) }),
      { maxLength: 2 },
    ),
    exclusive: fc.boolean(),
  },
  { requiredKeys: ['name', 'customers', 'roles'] },
);
const templateArb = fc.array(entryArb, { minLength: 0, maxLength: 3 }).map((relationships) => ({ version: 1, relationships }));

/** A valid example the mutations start from. */
const EXAMPLE = {
  version: 1,
  relationships: [
    {
      name: 'Support',
      customers: [T1, T2],
      roles: ['Helpdesk Administrator', 'User Administrator'],
      assignments: [{ group: group(1), roles: ['Helpdesk Administrator'] }],
    },
    { name: 'Audit', customers: '*', duration: 'P90D', autoExtend: false, roles: ['Global Reader'], exclusive: true },
  ],
};

/** The result is well formed, and a parsed template plans without throwing. */
function checkResult(result: TemplateParseResult): void {
  if (!result.ok) {
    assert.ok(result.problems.length > 0, 'a refused template has at least one problem');
    for (const p of result.problems) {
      assert.equal(typeof p.message, 'string');
      assert.ok(p.message.length > 0);
      assert.ok(p.path.startsWith('$'), p.path);
    }
    return;
  }
  const plan = planTemplate(result.template, INVENTORY);
  for (const c of plan.changes) {
    assert.ok(c.reason === null || (typeof c.reason === 'string' && c.reason.length > 0), 'a change is doable or says why not');
  }
}

describe('templates: any file gives problems or a plan, never an exception (fuzz)', () => {
  // 4 × 2,500 cases: each test stays well within the unit tests' per-test timeout on a loaded machine.
  for (const seed of [20261130, 20261131]) {
    it(`generated templates (valid and not) and mutations of them (seed ${seed})`, () => {
      fc.assert(
        fc.property(
          templateArb.chain((t) => fc.oneof({ weight: 1, arbitrary: fc.constant<unknown>(t) }, { weight: 2, arbitrary: payloadFrom(t) })),
          (value) => checkResult(validateTemplate(value)),
        ),
        { numRuns: 2_500, seed },
      );
    });

    it(`the text of a mutated, truncated or arbitrary template file (seed ${seed})`, () => {
      fc.assert(
        fc.property(bodyTextFrom(EXAMPLE), (text) => checkResult(parseTemplate(text))),
        { numRuns: 2_500, seed },
      );
    });
  }

  it('the example itself parses and plans (the starting point is valid)', () => {
    const r = parseTemplate(JSON.stringify(EXAMPLE));
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    assert.ok(planTemplate(r.template, INVENTORY).changes.length > 0);
  });
});
