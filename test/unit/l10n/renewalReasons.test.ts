import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionContext } from '../../../src/core/actions/actionTypes';
import { planMutation, runMutation } from '../../../src/core/actions/mutationPipeline';
import type { Decision, PlanItemBase } from '../../../src/core/actions/mutationStrategy';
import { MemoryPlannedAssignmentStore } from '../../../src/core/actions/plannedAssignments';
import { autoExtendStrategy } from '../../../src/core/actions/strategies/autoExtend';
import { createAccessAssignmentStrategy } from '../../../src/core/actions/strategies/createAccessAssignment';
import { createRelationshipStrategy } from '../../../src/core/actions/strategies/createRelationship';
import { deleteDraftStrategy } from '../../../src/core/actions/strategies/deleteDraft';
import { lockForApprovalStrategy } from '../../../src/core/actions/strategies/lockForApproval';
import { makeRenewableStrategy } from '../../../src/core/actions/strategies/makeRenewable';
import { removeGlobalAdministratorStrategy } from '../../../src/core/actions/strategies/removeGlobalAdministrator';
import { renewStrategy } from '../../../src/core/actions/strategies/renewRelationship';
import { setAssignmentRolesStrategy } from '../../../src/core/actions/strategies/setAssignmentRoles';
import type { AccessAssignment, Relationship } from '../../../src/core/graph/models';
import { GdapError } from '../../../src/core/http/gdapError';
import { english, msg, translated, type Message } from '../../../src/core/messages';
import { testBed } from '../actions/fakes/fakeContext';
import { GA, HELPDESK, RenewalFakeGdap, virtualClock } from '../actions/fakes/fakeRenewal';

const ROOT = join(__dirname, '..', '..', '..');
const bundles = (['de', 'fr', 'ja'] as const).map(
  (lang) => [lang, JSON.parse(readFileSync(join(ROOT, 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, string>] as const,
);

function context(): { graph: RenewalFakeGdap; run(): ActionContext } {
  const base = testBed();
  const graph = new RenewalFakeGdap();
  graph.addRelationship({ id: 'ga', roleDefinitionIds: [HELPDESK, GA] });
  graph.addRelationship({ id: 'gaOnly', roleDefinitionIds: [GA] });
  graph.addRelationship({ id: 'pending', status: 'approvalPending' });
  graph.addRelationship({ id: 'terminated', status: 'terminated' });
  graph.addRelationship({ id: 'renews', autoExtendDuration: 'P180D' });
  const clock = virtualClock();
  return { graph, run: () => base.ctx({ graph, clock }) };
}

/** The reason reads the same in English as before, and has a translation in every language. */
function checkReason(where: string, reason: string | null, message: Message | null | undefined): void {
  assert.ok(reason !== null && message !== undefined && message !== null, `${where}: a reason with its message`);
  assert.equal(english(message), reason, where);
  for (const [lang, bundle] of bundles) {
    assert.equal(typeof bundle[message.template], 'string', `${where}: ${lang} has ${message.template}`);
  }
}

describe('renewal and draft reasons as codes with parameters', () => {
  it('every plan item that will not act carries its reason as a message with translations', async () => {
    const ids = ['ga', 'gaOnly', 'pending', 'terminated', 'renews', 'missing'];
    const strategies = [
      ['auto-extend on', autoExtendStrategy(true)],
      ['auto-extend off', autoExtendStrategy(false)],
      ['make-renewable', makeRenewableStrategy],
      ['remove-ga', removeGlobalAdministratorStrategy],
      ['renew without GA', renewStrategy({ store: new MemoryPlannedAssignmentStore(), withoutGlobalAdministrator: true })],
    ] as const;
    let checked = 0;
    for (const [name, strategy] of strategies) {
      const c = context();
      const plan = await planMutation(c.run(), strategy as Parameters<typeof planMutation>[1], ids);
      for (const p of plan.filter((x) => !x.willAct)) {
        checkReason(`${name} ${JSON.stringify(p.reason)}`, p.reason, p.reasonMessage);
        checked += 1;
      }
    }
    assert.ok(checked >= 15, `${checked} reasons checked`);
  });

  it('lock for approval and delete draft: each reason that will not act, with translations', async () => {
    const c = context();
    c.graph.addRelationship({ id: 'draft', status: 'created' });
    const ids = ['draft', 'pending', 'terminated', 'renews', 'missing'];
    const lock = await planMutation(c.run(), lockForApprovalStrategy, ids);
    const drop = await planMutation(c.run(), deleteDraftStrategy, ids);
    const refused = [...lock, ...drop].filter((p) => !p.willAct && p.error === undefined);
    assert.equal(refused.length, 6, 'pending, terminated and active, for each');
    for (const p of refused) {
      checkReason(`${p.id} ${JSON.stringify(p.reason)}`, p.reason, p.reasonMessage);
    }
  });

  it('a skipped result carries its reason as errorMessage; the CLI error text keeps the code first', async () => {
    const c = context();
    const results = await runMutation(c.run(), autoExtendStrategy(true), ['ga', 'pending'], { pollIntervalMs: 1000, timeoutMs: 60_000 });
    assert.deepEqual(
      results.map((r) => [r.outcome, r.error]),
      [
        [
          'skipped',
          'globalAdministrator: Global Administrator is among its roles, which blocks auto-extend; remove it first (gdap make-renewable does both).',
        ],
        ['skipped', 'notActive: Auto-extend can be changed only on active relationships; this one is "approvalPending".'],
      ],
    );
    assert.deepEqual(results[1].errorMessage, {
      template: 'Auto-extend can be changed only on active relationships; this one is "{0}".',
      args: ['approvalPending'],
    });
  });
});

describe('create, assign and set-roles reasons as codes with parameters', () => {
  const READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
  const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
  const GROUP = '0f0e0d0c-0b0a-4908-8706-050403020100';
  const CUSTOMER = '11111111-2222-4333-8444-555555555555';
  const rel = (status: string, extra: Partial<Relationship> = {}): Relationship => ({
    type: 'relationship',
    id: 'r1',
    displayName: 'Contoso',
    status,
    customer: null,
    roleDefinitionIds: [READER, HELPDESK],
    duration: 'P730D',
    autoExtendDuration: null,
    createdDateTime: null,
    activatedDateTime: null,
    endDateTime: null,
    lastModifiedDateTime: null,
    etag: 'W/"1"',
    ...extra,
  });
  const asg = (status: string, roles: string[], extra: Partial<AccessAssignment> = {}): AccessAssignment => ({
    id: 'a1',
    relationshipId: 'r1',
    status,
    accessContainer: { accessContainerId: GROUP, accessContainerType: 'securityGroup' },
    roleDefinitionIds: roles,
    createdDateTime: null,
    lastModifiedDateTime: null,
    etag: 'W/"a"',
    ...extra,
  });
  const notFound = { ok: false as const, error: new GdapError({ kind: 'notFound', message: 'gone' }) };
  const throttled = { ok: false as const, error: new GdapError({ kind: 'throttled', message: 'Too many requests.' }) };

  /** Every decision that will not act: its reason in English exactly as the CLI printed it before, with translations. */
  function check(decisions: readonly (readonly [Decision<PlanItemBase>, string])[]): void {
    for (const [d, golden] of decisions) {
      assert.equal(d.plan.willAct, false, golden);
      checkReason(golden, d.plan.reason, d.plan.reasonMessage);
      assert.equal(d.plan.reason, golden);
      if (d.kind === 'skip' && d.errorMessage !== undefined) {
        assert.equal(english(d.errorMessage), d.error, golden);
        checkReason(golden, d.error, d.errorMessage);
      }
    }
  }

  it('create: a name in use, a tenant that is no customer, an unreadable list', () => {
    const s = createRelationshipStrategy();
    const t = {
      displayName: 'Contoso',
      duration: 'P730D',
      roleDefinitionIds: [READER],
      customerTenantId: CUSTOMER,
      autoExtendDuration: null,
    } as const;
    const taken = s.decide(t, { ok: true, value: { existing: rel('active'), customer: undefined } }, undefined);
    const stranger = s.decide(t, { ok: true, value: { existing: null, customer: null } }, undefined);
    check([
      [taken, 'A relationship named "Contoso" already exists (r1, active); choose another name.'],
      [stranger, `${CUSTOMER} is not one of your customers; check the tenant id or leave --customer out.`],
      [s.decide(t, notFound, undefined), 'Relationship list not found.'],
      [s.decide(t, throttled, undefined), 'Could not be read: Too many requests.'],
    ]);
    assert.ok(taken.kind === 'skip' && taken.error === taken.plan.reason);
  });

  it('assign: roles not held, an inactive relationship, the same or another assignment, unreadable', () => {
    const s = createAccessAssignmentStrategy();
    const t = { relationshipId: 'r1', groupId: GROUP, roleDefinitionIds: [READER] };
    const state = (r: Relationship, a: AccessAssignment[]) => ({
      ok: true as const,
      value: { relationship: r, assignments: a, groupId: GROUP },
    });
    const lacking = s.decide({ ...t, roleDefinitionIds: [USER_ADMIN] }, state(rel('active'), []), undefined);
    check([
      [lacking, 'The relationship does not hold User Administrator; an assignment can only use roles of its relationship.'],
      [
        s.decide(t, state(rel('approvalPending'), []), undefined),
        'Groups can be assigned only on an active relationship; this one is "approvalPending".',
      ],
      [s.decide(t, state(rel('active'), [asg('active', [READER])]), undefined), 'The group already has these roles (assignment a1).'],
      [
        s.decide(t, state(rel('active'), [asg('active', [HELPDESK])]), undefined),
        'The group already has an assignment with other roles (a1); change it with set-roles instead.',
      ],
      [s.decide(t, notFound, undefined), 'Relationship not found.'],
    ]);
    const gone = s.decide(t, notFound, undefined);
    assert.ok(gone.kind === 'skip');
    assert.equal(gone.error, 'Relationship not found: gone');
    assert.deepEqual(gone.errorMessage, { template: 'Relationship not found: {0}', args: ['gone'] });
    const busy = s.decide(t, throttled, undefined);
    assert.ok(busy.kind === 'skip');
    assert.equal(busy.error, 'Too many requests.', "the service's own message, as before");
    assert.equal(busy.errorMessage, undefined);
  });

  it('set roles: roles not held, the same roles, no version, an inactive assignment, unreadable', () => {
    const t = { relationshipId: 'r1', assignmentId: 'a1', roleDefinitionIds: [HELPDESK] };
    const state = (r: Relationship, a: AccessAssignment) => ({
      ok: true as const,
      value: { relationship: r, assignment: a, wanted: t.roleDefinitionIds },
    });
    const decide = setAssignmentRolesStrategy.decide.bind(setAssignmentRolesStrategy);
    check([
      [
        decide({ ...t, roleDefinitionIds: [USER_ADMIN] }, state(rel('active'), asg('active', [READER])), undefined),
        'The relationship does not hold User Administrator; an assignment can only use roles of its relationship.',
      ],
      [decide(t, state(rel('active'), asg('active', [HELPDESK])), undefined), 'It already has exactly these roles.'],
      [
        decide(t, state(rel('active'), asg('active', [READER], { etag: null })), undefined),
        'The service sent no version (ETag) for it; refresh and try again.',
      ],
      [
        decide(t, state(rel('active'), asg('pending', [READER])), undefined),
        'Roles can be changed only on an active assignment of an active relationship (assignment "pending", relationship "active").',
      ],
      [decide(t, notFound, undefined), 'Relationship or access assignment not found.'],
    ]);
  });

  it('lock and delete draft: a relationship that is gone reads in every language', () => {
    check([
      [lockForApprovalStrategy.decide('r1', notFound, undefined), 'Relationship not found.'],
      [deleteDraftStrategy.decide('r1', notFound, undefined), 'Relationship not found.'],
    ]);
  });
});

describe('"changed meanwhile" as a code with parameters', () => {
  it('a target that no longer applies after a 412 fails with the reason inside, in English as before and translated', async () => {
    const c = context();
    c.graph.addRelationship({ id: 'plain' });
    const original = c.graph.updateRelationship.bind(c.graph);
    let first = true;
    c.graph.updateRelationship = (id, etag, input, o) => {
      if (first) {
        // Someone else terminates it between the read and the send: the send meets a new version (412).
        first = false;
        const r = c.graph.relationships.get(id) as Relationship;
        c.graph.relationships.set(id, { ...r, status: 'terminated', etag: c.graph.nextEtag() });
      }
      return original(id, etag, input, o);
    };
    const [result] = await runMutation(c.run(), makeRenewableStrategy, ['plain'], { pollIntervalMs: 1000, timeoutMs: 60_000 });
    assert.equal(result.outcome, 'failed');
    assert.equal(
      result.error,
      'The relationship changed meanwhile: Only an active relationship can be made renewable; this one is "terminated".',
    );
    assert.ok(result.errorMessage !== undefined);
    checkReason('changed meanwhile', result.error, result.errorMessage);
    const inner = result.errorMessage.nested?.[0];
    assert.ok(inner);
    checkReason('the reason inside', 'Only an active relationship can be made renewable; this one is "terminated".', inner);
    const de = bundles[0][1];
    const german = translated(result.errorMessage, (template, ...args) => english(msg(de[template] ?? template, ...args)));
    assert.equal(
      german,
      `${de['The relationship changed meanwhile: {0}']?.replace('{0}', '')}${de[inner.template]?.replace('{0}', 'terminated')}`,
    );
    assert.doesNotMatch(german, /changed meanwhile|Only an active/, 'both parts are German');
  });
});
