import assert from 'node:assert/strict';
import type { JournalAction, JournalRecord } from '../../../src/core/actions/actionTypes';
import { runMutation } from '../../../src/core/actions/mutationPipeline';
import { MUTATION_STRATEGIES } from '../../../src/core/actions/strategies/registry';
import { terminateStrategy } from '../../../src/core/actions/strategies/terminateRelationship';
import { english, translated } from '../../../src/core/messages';
import { resultReason } from '../../../src/extension/commands/resultReason';
import { testBed } from '../actions/fakes/fakeContext';
import { MemoryJournal } from '../actions/fakes/memoryJournal';
import { InstantClock } from '../actions/fakes/virtualClock';
import { checkMessage, german, inGerman } from './bundleHelpers';

/*
 * Every strategy's own result texts (failed N times, timed out, not reached) and the pipeline's journal
 * failures are codes with parameters: the CLI, its JSON and the journal keep exactly the English they
 * printed before (the golden strings below are what the code gave before), every template has de/fr/ja,
 * and the extension's report renders them through a fake `t` over the real German bundle.
 */

/** Per journal action: failedTimes(3, service), timedOut("pending", 300), timedOut(null, 300), notReached. */
const GOLDEN: Record<JournalAction, readonly [string, string, string, string]> = {
  terminateRelationship: [
    'Terminate failed 3 times: Service unavailable.',
    'Termination was requested but the relationship is still "pending" after 300 s.',
    'Termination was requested but the relationship is still "unknown" after 300 s.',
    'The relationship did not reach terminated.',
  ],
  removeAccessAssignment: [
    'Removal failed 3 times: Service unavailable.',
    'The removal was accepted but the assignment is still "pending" after 300 s.',
    'The removal was accepted but the assignment is still "unknown" after 300 s.',
    'The assignment was not removed.',
  ],
  removeDap: [
    'Removing DAP failed 3 times: Service unavailable.',
    'DAP removal was accepted but the customer still shows DAP on after 300 s.',
    'DAP removal was accepted but the customer still shows DAP on after 300 s.',
    'DAP is still on.',
  ],
  autoExtendOn: [
    'Auto-extend on failed 3 times: Service unavailable.',
    'Auto-extend on was sent but not seen after 300 s (status "pending").',
    'Auto-extend on was sent but not seen after 300 s (status "unknown").',
    'Auto-extend did not turn on.',
  ],
  autoExtendOff: [
    'Auto-extend off failed 3 times: Service unavailable.',
    'Auto-extend off was sent but not seen after 300 s (status "pending").',
    'Auto-extend off was sent but not seen after 300 s (status "unknown").',
    'Auto-extend did not turn off.',
  ],
  removeGlobalAdministrator: [
    'Removing Global Administrator failed 3 times: Service unavailable.',
    'Global Administrator is still being removed after 300 s; refresh later to see the outcome.',
    'Global Administrator is still being removed after 300 s; refresh later to see the outcome.',
    'Global Administrator was not removed.',
  ],
  makeRenewable: [
    'Make renewable failed 3 times: Service unavailable.',
    'Not renewable yet after 300 s (status "pending").',
    'Not renewable yet after 300 s (status "unknown").',
    'The relationship was not made renewable.',
  ],
  renewRelationship: [
    'Renew failed 3 times: Service unavailable.',
    'Renew did not finish in 300 s (status "pending").',
    'Renew did not finish in 300 s (status "unknown").',
    'The relationship was not renewed.',
  ],
  createRelationship: [
    'Create failed 3 times: Service unavailable.',
    'The relationship is still "pending" after 300 s.',
    'The relationship is still "unknown" after 300 s.',
    'The relationship was not created.',
  ],
  lockForApproval: [
    'Lock for approval failed 3 times: Service unavailable.',
    'Lock for approval was requested but the relationship is still "pending" after 300 s.',
    'Lock for approval was requested but the relationship is still "unknown" after 300 s.',
    'The relationship did not reach approvalPending.',
  ],
  deleteRelationship: [
    'Delete failed 3 times: Service unavailable.',
    'The draft is still "pending" after 300 s.',
    'The draft is still "unknown" after 300 s.',
    'The draft was not deleted.',
  ],
  createAccessAssignment: [
    'Assign failed 3 times: Service unavailable.',
    'The assignment is still "pending" after 300 s.',
    'The assignment is still "unknown" after 300 s.',
    'The assignment did not become active.',
  ],
  setAccessAssignmentRoles: [
    'Set roles failed 3 times: Service unavailable.',
    'The roles are not changed yet ("pending") after 300 s.',
    'The roles are not changed yet ("unknown") after 300 s.',
    'The roles did not change.',
  ],
};

/** The fake service's text of an injected network fault (test/unit/actions/fakes/fakeFaults.ts). */
const injected = 'Injected network fault.';

/** A journal whose appends of one record type fail, as a full disk would at that moment. */
class FailingOn extends MemoryJournal {
  constructor(private readonly type: JournalRecord['type']) {
    super();
  }

  override async append(record: JournalRecord): Promise<void> {
    if (record.type === this.type) {
      throw new Error('disk full');
    }
    await super.append(record);
  }
}

describe('strategy texts as codes with parameters (src/core/actions/strategies/*)', () => {
  it('every strategy is in the golden table', () => {
    assert.deepEqual(Object.keys(MUTATION_STRATEGIES).sort(), Object.keys(GOLDEN).sort());
  });

  for (const [action, strategy] of Object.entries(MUTATION_STRATEGIES)) {
    it(`${action}: the English of before, a translation in every language, the service text and status as plain arguments`, () => {
      const [failed, pending, unknown, notReached] = GOLDEN[action as JournalAction];
      const failedMessage = checkMessage(failed, strategy.texts.failedTimes(3, 'Service unavailable.'));
      assert.ok(failedMessage.args.includes('Service unavailable.'), 'the service text is an argument');
      assert.equal(failedMessage.nested, undefined, 'the service text is not translated');
      assert.ok(!failedMessage.template.includes('Service unavailable.'), 'the template is literal');
      const pendingMessage = checkMessage(pending, strategy.texts.timedOut('pending', 300));
      assert.equal(pendingMessage.nested, undefined, 'a status value is not translated');
      checkMessage(unknown, strategy.texts.timedOut(null, 300));
      checkMessage(notReached, strategy.texts.notReached);
      // The German face shows the German template, with the service's text as it came.
      const shown = translated(failedMessage, inGerman);
      assert.equal(shown, german[failedMessage.template].replace('{0}', '3').replace('{1}', 'Service unavailable.'));
      assert.notEqual(shown, failed);
    });
  }

  it('an unknown status reads "unknown" in English and in the face’s language', () => {
    const message = terminateStrategy.texts.timedOut(null, 300);
    assert.equal(english(message), 'Termination was requested but the relationship is still "unknown" after 300 s.');
    assert.equal(
      translated(message, inGerman),
      'Das Beenden wurde angefordert, aber die Beziehung hat nach 300 s noch den Status „unbekannt“.',
    );
  });
});

describe('strategy texts through the pipeline (src/core/actions/mutationPipeline.ts)', () => {
  it('failed three times: the result and the journal keep the English, the report reads German', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    const lost = { kind: 'network', applied: false } as const;
    bed.graph.faults.add('createRequest', lost);
    bed.graph.faults.add('createRequest', lost);
    bed.graph.faults.add('createRequest', lost);
    const [result] = await runMutation(bed.ctx(), terminateStrategy, ['r1'], { wait: false });
    const golden = `Terminate failed 3 times: ${injected}`;
    checkMessage(golden, result.errorMessage);
    assert.equal(result.error, golden);
    assert.equal(bed.journal.records.find((r) => r.type === 'outcome')?.error, golden);
    assert.equal(resultReason(result, inGerman), `Das Beenden ist 3-mal fehlgeschlagen: ${injected}`);
  });

  it('timed out: the English of before, the German report', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.graph.autoAdvance = false;
    const [result] = await runMutation(bed.ctx({ clock: new InstantClock() }), terminateStrategy, ['r1'], {
      pollIntervalMs: 2000,
      timeoutMs: 5 * 60 * 1000,
    });
    assert.equal(result.errorKind, 'timeout');
    const golden = 'Termination was requested but the relationship is still "terminationRequested" after 300 s.';
    checkMessage(golden, result.errorMessage);
    assert.equal(result.error, golden);
    assert.equal(
      resultReason(result, inGerman),
      'Das Beenden wurde angefordert, aber die Beziehung hat nach 300 s noch den Status „terminationRequested“.',
    );
  });

  it('not reached without a poll message: the strategy’s text; with one: the poll’s text as it came', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    const silent: typeof terminateStrategy = { ...terminateStrategy, verdict: () => ({ state: 'failed', status: 'active' }) };
    const [result] = await runMutation(bed.ctx(), silent, ['r1'], { pollIntervalMs: 2000 });
    checkMessage('The relationship did not reach terminated.', result.errorMessage);
    assert.equal(result.error, 'The relationship did not reach terminated.');
    assert.equal(resultReason(result, inGerman), 'Die Beziehung hat den Status „terminated“ nicht erreicht.');

    const bed2 = testBed();
    bed2.graph.addRelationship({ id: 'r1' });
    const said: typeof terminateStrategy = {
      ...terminateStrategy,
      verdict: () => ({ state: 'failed', status: 'active', message: 'Went elsewhere.' }),
    };
    const [other] = await runMutation(bed2.ctx(), said, ['r1'], { pollIntervalMs: 2000 });
    assert.equal(other.error, 'Went elsewhere.');
    assert.equal(other.errorMessage, undefined);
  });
});

describe('journal failures as codes with parameters (mutationPipeline.ts, operationJournal.ts)', () => {
  it('the intent cannot be written: nothing sent, the English of before, the German report', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.journal.failWith = new Error('disk full');
    const [result] = await runMutation(bed.ctx(), terminateStrategy, ['r1'], { wait: false });
    const golden = 'Nothing was sent: the action journal could not be written. disk full';
    checkMessage(golden, result.errorMessage);
    assert.equal(result.error, golden);
    assert.equal(result.outcome, 'failed');
    assert.equal(bed.graph.callsOf('createRequest').length, 0);
    assert.equal(resultReason(result, inGerman), 'Es wurde nichts gesendet: Das Aktionsjournal konnte nicht geschrieben werden. disk full');
  });

  it('a re-send’s step cannot be written: nothing more sent, the English, the German report', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.graph.faults.add('createRequest', { kind: 'network', applied: false });
    const journal = new FailingOn('step');
    const resending: typeof terminateStrategy = {
      ...terminateStrategy,
      reconcile: async (apis, id, decision) => {
        const state = await apis.graph.getRelationship(id);
        return { kind: 'redecided', status: state.status, state, decision: { ...decision, etag: 'W/"new"' }, note: 'New version.' };
      },
    };
    const [result] = await runMutation(bed.ctx({ journal }), resending, ['r1'], { wait: false });
    const golden = `Nothing more was sent: the action journal could not be written. disk full`;
    checkMessage(golden, result.errorMessage);
    assert.equal(result.error, golden);
    assert.equal(bed.graph.callsOf('createRequest').length, 1, 'the re-send was not sent');
    assert.equal(journal.records.find((r) => r.type === 'outcome')?.error, golden);
    assert.equal(
      resultReason(result, inGerman),
      'Es wurde nichts mehr gesendet: Das Aktionsjournal konnte nicht geschrieben werden. disk full',
    );
  });

  it('the outcome cannot be written: done or failed, the result says so in English and in German', async () => {
    const golden = 'The outcome could not be written to the action journal: disk full';
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    const [done] = await runMutation(bed.ctx({ journal: new FailingOn('outcome') }), terminateStrategy, ['r1'], { wait: false });
    assert.equal(done.outcome, 'done');
    checkMessage(golden, done.errorMessage);
    assert.equal(done.error, golden);

    const bed2 = testBed();
    bed2.graph.addRelationship({ id: 'r1' });
    bed2.graph.faults.add('createRequest', { kind: 'invalidInput', applied: false, status: 400 });
    const [failed] = await runMutation(bed2.ctx({ journal: new FailingOn('outcome') }), terminateStrategy, ['r1'], { wait: false });
    assert.equal(failed.outcome, 'failed');
    checkMessage(golden, failed.errorMessage);
    assert.equal(failed.error, golden, 'the journal failure replaces the error');
    assert.equal(resultReason(failed, inGerman), 'Das Ergebnis konnte nicht in das Aktionsjournal geschrieben werden: disk full');
  });
});
