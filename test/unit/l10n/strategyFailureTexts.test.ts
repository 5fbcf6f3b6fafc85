import assert from 'node:assert/strict';
import { describeError, errorText } from '../../../src/core/actions/errorFacts';
import { runMutation } from '../../../src/core/actions/mutationPipeline';
import { changedMeanwhile, failedVerdict } from '../../../src/core/actions/mutationStrategy';
import { terminateStrategy } from '../../../src/core/actions/strategies/terminateRelationship';
import { errorFromResponse, markAmbiguous } from '../../../src/core/http/errorMapping';
import { GdapError } from '../../../src/core/http/gdapError';
import { english, msg, translated } from '../../../src/core/messages';
import { resultReason } from '../../../src/extension/commands/resultReason';
import { testBed } from '../actions/fakes/fakeContext';
import { checkMessage, inGerman } from './bundleHelpers';

/*
 * The strategies' poll verdicts ("went to … instead of terminated"), their "changed since it was read"
 * reconciliations and the errors they throw are codes with parameters, and an error's own codes (an HTTP
 * status, a network failure) travel into "… failed N times: {1}" and "The outcome is unknown…": the CLI
 * keeps exactly the English of before (golden strings below), the extension reads all of it translated.
 */

const observedStatus = (status: string): Parameters<typeof terminateStrategy.verdict>[0] =>
  ({ ok: true, value: { id: 'r1', status } }) as unknown as Parameters<typeof terminateStrategy.verdict>[0];

describe('strategy failures as codes with parameters', () => {
  it('a poll verdict keeps its English and carries its code', () => {
    const went = terminateStrategy.verdict(observedStatus('active'));
    assert.equal(went.state, 'failed');
    assert.equal(went.message, 'The relationship went to "active" instead of terminated.');
    checkMessage('The relationship went to "active" instead of terminated.', went.messageCode);
    const gone = terminateStrategy.verdict({
      ok: false,
      error: new GdapError({ kind: 'notFound', message: 'Not found.' }),
    } as unknown as Parameters<typeof terminateStrategy.verdict>[0]);
    assert.equal(gone.message, 'The relationship disappeared while it was terminating.');
    checkMessage('The relationship disappeared while it was terminating.', gone.messageCode);
    const changed = changedMeanwhile('active', msg('Auto-extend is not on.'));
    assert.deepEqual([changed.kind, changed.message], ['changed', 'Auto-extend is not on.']);
    assert.equal(failedVerdict(null, msg('Auto-extend is not on.')).message, 'Auto-extend is not on.');
  });

  it("an error's codes travel with its facts only when they read as its English", () => {
    const forbidden = errorFromResponse(
      { status: 403, headers: {}, body: JSON.stringify({ error: { code: 'Forbidden', message: 'nope' } }) },
      { service: 'graph' },
    );
    const facts = describeError(forbidden);
    assert.ok(facts.messageCode !== undefined, 'an HTTP status has its code');
    assert.equal(english(facts.messageCode), facts.message);
    assert.equal(errorText(facts), facts.messageCode);
    // Two codes (the status and "it may have been carried out") read as one line, as the English joins them.
    const ambiguous = describeError(markAmbiguous(forbidden));
    assert.equal(english(ambiguous.messageCode ?? msg('none')), ambiguous.message);
    // A code that does not say what the message says is dropped: the English is what both faces show.
    const odd = describeError(
      new GdapError({ kind: 'conflict', message: 'Something else.', messageCodes: [msg('Auto-extend is not on.')] }),
    );
    assert.equal(odd.messageCode, undefined);
    assert.equal(errorText(odd), 'Something else.');
  });

  it('the poll verdict and an HTTP refusal reach the report in German; the CLI English is unchanged', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    const went: typeof terminateStrategy = { ...terminateStrategy, verdict: () => terminateStrategy.verdict(observedStatus('active')) };
    const [result] = await runMutation(bed.ctx(), went, ['r1'], { pollIntervalMs: 2000 });
    assert.equal(result.error, 'The relationship went to "active" instead of terminated.');
    assert.equal(resultReason(result, inGerman), 'Die Beziehung wechselte zu "active" statt zu terminated.');

    const forbidden = errorFromResponse({ status: 403, headers: {}, body: '' }, { service: 'graph' });
    const text = terminateStrategy.texts.failedTimes(1, errorText(describeError(forbidden)));
    assert.equal(english(text), `Terminate failed 1 times: ${forbidden.message}`);
    const german = translated(text, inGerman);
    assert.ok(!german.includes(forbidden.message), `the status text is translated too: ${german}`);
    assert.match(german, /^Das Beenden ist 1-mal fehlgeschlagen: /);
  });
});
