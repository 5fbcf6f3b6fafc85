import assert from 'node:assert/strict';
import type { JournalRecord } from '../../../src/core/actions/actionTypes';
import { runMutation } from '../../../src/core/actions/mutationPipeline';
import { lockFailedAfterCreate } from '../../../src/core/actions/onboarding';
import { ACTION_LABELS, reconcileInterrupted } from '../../../src/core/actions/reconcile';
import { MUTATION_STRATEGIES } from '../../../src/core/actions/strategies/registry';
import { terminateStrategy } from '../../../src/core/actions/strategies/terminateRelationship';
import type { Relationship } from '../../../src/core/graph/models';
import { GdapError } from '../../../src/core/http/gdapError';
import { english, msg, type Message } from '../../../src/core/messages';
import type { TemplateApplyItem } from '../../../src/core/templates/applyTemplate';
import type { TemplateChange } from '../../../src/core/templates/planner';
import { resultReason } from '../../../src/extension/commands/resultReason';
import { applyItemResult } from '../../../src/extension/templates/applyResults';
import { testBed } from '../actions/fakes/fakeContext';
import { checkMessage, german, inGerman } from './bundleHelpers';

/*
 * The texts of the mutation pipeline, of a template's apply and of the journal's reconciliation are codes
 * with parameters: the CLI's English stays exactly as it was (the golden strings below are the texts the
 * code printed before), each template and each nested one has its de/fr/ja translation, and the extension's
 * report renders them through its translate (here a fake `t` over the real German bundle).
 */

/** The fake service's text of an injected network fault (test/unit/actions/fakes/fakeFaults.ts). */
const service = 'Injected network fault.';

const relationship = (id: string, status: string): Relationship => ({
  type: 'relationship',
  id,
  displayName: 'Contoso GDAP',
  status,
  customer: null,
  roleDefinitionIds: [],
  duration: 'P730D',
  autoExtendDuration: null,
  createdDateTime: null,
  activatedDateTime: null,
  endDateTime: null,
  lastModifiedDateTime: null,
  etag: 'W/"1"',
});

describe('pipeline texts as codes with parameters (src/core/actions/mutationPipeline.ts)', () => {
  it('a target not started before cancelling: the English as before, its message, the German report', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    const controller = new AbortController();
    controller.abort();
    const [result] = await runMutation(bed.ctx({ signal: controller.signal }), terminateStrategy, ['r1'], { wait: false });
    assert.equal(result.errorKind, 'cancelled');
    checkMessage('Cancelled before this target was started.', result.errorMessage);
    assert.equal(result.error, 'Cancelled before this target was started.');
    assert.equal(resultReason(result, inGerman), german['Cancelled before this target was started.']);
    assert.notEqual(resultReason(result, inGerman), result.error, 'the report is not the English text');
  });

  it('cancelled after the intent: the journal keeps the English, the result carries the message', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    const controller = new AbortController();
    const cancelling: typeof terminateStrategy = {
      ...terminateStrategy,
      journalTarget: (id, decision) => {
        controller.abort();
        return terminateStrategy.journalTarget(id, decision);
      },
    };
    const [result] = await runMutation(bed.ctx({ signal: controller.signal }), cancelling, ['r1'], { wait: false });
    checkMessage('Cancelled before the request was sent.', result.errorMessage);
    assert.equal(result.error, 'Cancelled before the request was sent.');
    const outcome = bed.journal.records.find((r) => r.type === 'outcome');
    assert.equal(outcome?.error, 'Cancelled before the request was sent.');
    assert.equal(bed.graph.callsOf('createRequest').length, 0);
  });

  it('outcome unknown, the read failed: the service texts stay as they came inside the translated sentence', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.graph.faults.add('createRequest', { kind: 'network', applied: true });
    bed.graph.getRelationship = () => Promise.reject(new GdapError({ kind: 'throttled', message: 'Too many requests.' }));
    const [result] = await runMutation(bed.ctx(), terminateStrategy, ['r1'], { wait: false });
    const golden = `The outcome is unknown and the request was not re-sent: ${service} (Too many requests.)`;
    const message = checkMessage(golden, result.errorMessage);
    assert.equal(result.error, golden);
    assert.equal(message.template, 'The outcome is unknown and the request was not re-sent: {0} ({1})');
    assert.equal(message.nested, undefined, 'both parts are the service’s text');
    assert.equal(
      resultReason(result, inGerman),
      `Das Ergebnis ist unbekannt, und die Anfrage wurde nicht erneut gesendet: ${service} (Too many requests.)`,
    );
  });

  it('outcome unknown, read back in another state: what the strategy saw is a nested message', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.graph.faults.add('createRequest', { kind: 'network', applied: false });
    bed.graph.getRelationship = (id: string) => Promise.resolve(relationship(id, 'expired'));
    const [result] = await runMutation(bed.ctx(), terminateStrategy, ['r1'], { wait: false });
    const golden = `The outcome is unknown and the request was not re-sent: ${service} (The relationship is now "expired".)`;
    const message = checkMessage(golden, result.errorMessage);
    assert.equal(result.error, golden);
    assert.deepEqual(message.nested?.[1], { template: 'The relationship is now "{0}".', args: ['expired'] });
    assert.equal(
      resultReason(result, inGerman),
      `Das Ergebnis ist unbekannt, und die Anfrage wurde nicht erneut gesendet: ${service} (Die Beziehung ist jetzt „expired“.)`,
    );
  });
});

describe('apply and create texts as codes with parameters (applyTemplate.ts, onboarding.ts)', () => {
  const created = 'Lock for approval applies only to relationships in "created"; this one is "{0}".';

  it('a created relationship whose lock failed: one text for gdap create and apply, the lock’s reason nested', () => {
    const nested = lockFailedAfterCreate('r1', { error: english(msg(created, 'active')), errorMessage: msg(created, 'active') });
    checkMessage(
      'The relationship was created (r1, still "created") but locking it for approval failed: Lock for approval applies only to relationships in "created"; this one is "active".. Run "gdap lock r1" or delete the draft.',
      nested.errorMessage,
    );
    assert.equal(nested.error, english(nested.errorMessage));
    const shown = translated(nested.errorMessage);
    assert.ok(shown.includes(german[created].replace('{0}', 'active')), shown);
    assert.equal(shown.split('gdap lock r1').length, 2, 'the command keeps its id');

    const plain = lockFailedAfterCreate('r2', { error: 'Service unavailable.' });
    checkMessage(
      'The relationship was created (r2, still "created") but locking it for approval failed: Service unavailable.. Run "gdap lock r2" or delete the draft.',
      plain.errorMessage,
    );
    // A reason whose English differs from its message (a code before it) stays the English the CLI printed.
    const coded = lockFailedAfterCreate('r4', {
      error: `notCreated: ${english(msg(created, 'active'))}`,
      errorMessage: msg(created, 'active'),
    });
    assert.equal(
      coded.error,
      'The relationship was created (r4, still "created") but locking it for approval failed: notCreated: Lock for approval applies only to relationships in "created"; this one is "active".. Run "gdap lock r4" or delete the draft.',
    );
    const none = lockFailedAfterCreate('r3', undefined);
    checkMessage(
      'The relationship was created (r3, still "created") but locking it for approval failed: unknown error. Run "gdap lock r3" or delete the draft.',
      none.errorMessage,
    );
    assert.ok(translated(none.errorMessage).includes(german['unknown error']));
  });

  it('an apply item reads its reason in the display language in the extension’s report', () => {
    const change = {
      action: 'assign',
      customerTenantId: 't1',
      customerName: 'Contoso',
      groupId: 'g1',
      reason: null,
    } as unknown as TemplateChange;
    const reasons = [
      'New since the plan was confirmed; plan again to review it.',
      'Changed since the plan was confirmed; plan again to review it.',
      'Cancelled before this change was started.',
    ];
    for (const reason of reasons) {
      const item: TemplateApplyItem = { change, outcome: 'changed', status: null, error: reason, errorMessage: msg(reason) };
      const result = applyItemResult(item);
      checkMessage(reason, result.errorMessage);
      assert.equal(result.error, reason, 'the log and the CLI keep the English');
      assert.equal(resultReason(result, inGerman), german[reason]);
    }
    // Without a message (a service's own text) the report shows the text as it came.
    const plain = applyItemResult({ change, outcome: 'failed', status: null, error: 'Too many requests.' });
    assert.equal(resultReason(plain, inGerman), 'Too many requests.');
  });
});

describe('journal reconciliation texts as codes with parameters (src/core/actions/reconcile.ts)', () => {
  const intent = (operationId: string, action: string, target: JournalRecord['target']): JournalRecord =>
    ({
      time: '2026-01-01T00:00:00.000Z',
      type: 'intent',
      operationId,
      action,
      actor: 'admin',
      cloud: 'global',
      target,
      priorStatus: 'active',
    }) as JournalRecord;

  it('names each action as its strategy’s label does in English', () => {
    for (const [action, strategy] of Object.entries(MUTATION_STRATEGIES)) {
      const label = ACTION_LABELS[action as keyof typeof ACTION_LABELS];
      checkMessage(strategy.label, label);
    }
  });

  it('each summary reads as before in English and in German through the extension’s translate', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1', status: 'terminated', displayName: 'Contoso GDAP' });
    bed.graph.addRelationship({ id: 'r2', status: 'active' });
    const summaries = await reconcileInterrupted(bed.ctx(), [
      intent('op1', 'terminateRelationship', { relationshipId: 'r1', name: 'Contoso GDAP' }),
      intent('op2', 'terminateRelationship', { relationshipId: 'r2' }),
      intent('op3', 'grantFutureThing', { relationshipId: 'r3' }),
    ]);
    const goldens = [
      'Terminate relationship "Contoso GDAP" (r1) was interrupted at 2026-01-01T00:00:00.000Z; it is now "terminated", so the change took effect.',
      'Terminate relationship r2 was interrupted at 2026-01-01T00:00:00.000Z; it is now "active", so the change did not take effect. Run it again if it is still wanted.',
      'grantFutureThing ? was interrupted at 2026-01-01T00:00:00.000Z; its state could not be read ("grantFutureThing" is not an action this version knows). It will be checked again next time.',
    ];
    assert.deepEqual(
      summaries.map((s) => s.message),
      goldens,
    );
    summaries.forEach((s, i) => checkMessage(goldens[i], s.summaryMessage));
    assert.equal(
      translated(summaries[0].summaryMessage),
      'Die Aktion Beziehung beenden „Contoso GDAP“ (r1) wurde um 2026-01-01T00:00:00.000Z unterbrochen; das Ziel ist jetzt „terminated“, die Änderung ist also wirksam geworden.',
    );
    assert.ok(translated(summaries[2].summaryMessage).includes('„grantFutureThing“ ist keine Aktion, die diese Version kennt'));
  });

  it('a journal that cannot be written: the note nests the summary', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1', status: 'terminated' });
    bed.journal.failWith = new Error('disk full');
    const [summary] = await reconcileInterrupted(bed.ctx(), [intent('op1', 'terminateRelationship', { relationshipId: 'r1' })]);
    checkMessage(
      'Terminate relationship r1 was interrupted at 2026-01-01T00:00:00.000Z; it is now "terminated", so the change took effect. (The journal could not be updated: disk full)',
      summary.summaryMessage,
    );
    assert.equal(summary.message, english(summary.summaryMessage));
    assert.match(translated(summary.summaryMessage), /^Die Aktion .*\(Das Aktionsjournal konnte nicht aktualisiert werden: disk full\)$/);
  });
});

function translated(message: Message): string {
  return resultReason({ outcome: 'failed', error: null, errorMessage: message }, inGerman);
}
