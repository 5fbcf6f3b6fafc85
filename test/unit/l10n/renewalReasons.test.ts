import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionContext } from '../../../src/core/actions/actionTypes';
import { planMutation, runMutation } from '../../../src/core/actions/mutationPipeline';
import { MemoryPlannedAssignmentStore } from '../../../src/core/actions/plannedAssignments';
import { autoExtendStrategy } from '../../../src/core/actions/strategies/autoExtend';
import { deleteDraftStrategy } from '../../../src/core/actions/strategies/deleteDraft';
import { lockForApprovalStrategy } from '../../../src/core/actions/strategies/lockForApproval';
import { makeRenewableStrategy } from '../../../src/core/actions/strategies/makeRenewable';
import { removeGlobalAdministratorStrategy } from '../../../src/core/actions/strategies/removeGlobalAdministrator';
import { renewStrategy } from '../../../src/core/actions/strategies/renewRelationship';
import { english, type Message } from '../../../src/core/messages';
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
