import { strict as assert } from 'node:assert';
import { terminateRelationships } from '../../../src/core/actions/terminateRelationships';
import { assertPaired, testBed } from './fakes/fakeContext';
import { InstantClock } from './fakes/virtualClock';

const fast = { pollIntervalMs: 5, timeoutMs: 2000 };

describe('terminateRelationships', () => {
  it('terminates an active relationship, journals intent then outcome, and waits for terminated', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1', displayName: 'Contoso GDAP' });
    const results = await terminateRelationships(bed.ctx(), ['r1'], fast);
    assert.deepEqual(results, [{ id: 'r1', name: 'Contoso GDAP', outcome: 'done', status: 'terminated', error: null }]);
    assert.equal(bed.graph.callsOf('createRequest').length, 1);
    assert.equal(bed.graph.relationships.get('r1')?.status, 'terminated');
    const [intent, outcome] = bed.journal.records;
    assert.equal(intent?.type, 'intent');
    assert.equal(intent?.priorStatus, 'active');
    assert.match(intent?.priorEtag ?? '', /^W\/"etag-/);
    assert.equal(intent?.actor, 'Partner Admin (admin@partner.example)');
    assert.equal(intent?.cloud, 'global');
    assert.equal(intent?.target.relationshipId, 'r1');
    assert.equal(intent?.target.name, 'Contoso GDAP');
    assert.equal(outcome?.type, 'outcome');
    assert.equal(outcome?.outcome, 'done');
    assert.deepEqual(
      bed.items.map((i) => i.outcome),
      ['done'],
    );
    assert.ok(bed.progress.some((p) => p.status === 'terminating'));
  });

  it('sends nothing for terminated (alreadyDone) and non-active (skipped) relationships', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'gone', status: 'terminated' });
    bed.graph.addRelationship({ id: 'pending', status: 'approvalPending' });
    bed.graph.addRelationship({ id: 'old', status: 'expired' });
    const results = await terminateRelationships(bed.ctx(), ['gone', 'pending', 'old'], fast);
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['alreadyDone', 'skipped', 'skipped'],
    );
    assert.match(results[1]?.error ?? '', /only to active.*approvalPending/);
    assert.equal(bed.graph.mutations().length, 0);
    assert.equal(bed.journal.records.length, 0);
  });

  it('waits on in-flight terminations without sending anything and reports alreadyDone', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1', status: 'terminating' });
    const results = await terminateRelationships(bed.ctx(), ['r1'], fast);
    assert.equal(results[0]?.outcome, 'alreadyDone');
    assert.equal(results[0]?.status, 'terminated');
    assert.equal(bed.graph.mutations().length, 0);
  });

  it('with wait:false reports done as soon as the request is accepted', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    const results = await terminateRelationships(bed.ctx(), ['r1'], { wait: false });
    assert.equal(results[0]?.outcome, 'done');
    assert.equal(results[0]?.status, 'terminationRequested');
    assert.equal(bed.graph.callsOf('getRelationshipsMany').length, 1, 'only the initial batched read');
  });

  it('a lost response that WAS applied is reconciled by reading and never re-sent', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.graph.faults.add('createRequest', { kind: 'network', applied: true });
    const results = await terminateRelationships(bed.ctx(), ['r1'], fast);
    assert.equal(results[0]?.outcome, 'done');
    assert.equal(results[0]?.status, 'terminated');
    assert.equal(bed.graph.callsOf('createRequest').length, 1, 'the POST is not sent again');
    assert.equal(bed.graph.requests.get('r1')?.length, 1);
    const outcome = bed.journal.records.find((r) => r.type === 'outcome');
    assert.match(outcome?.note ?? '', /reading showed it was applied/);
    assertPaired(bed.journal);
  });

  it('an applied POST is recognised from the request list even when the status still reads active', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.graph.faults.add('createRequest', { kind: 'timeout', applied: true });
    // The service accepted the request but has not moved the relationship yet.
    const original = bed.graph.createRequest.bind(bed.graph);
    bed.graph.createRequest = async (id, action, options) => {
      try {
        return await original(id, action, options);
      } finally {
        const r = bed.graph.relationships.get(id);
        if (r !== undefined) {
          bed.graph.relationships.set(id, { ...r, status: 'active' });
        }
      }
    };
    const results = await terminateRelationships(bed.ctx(), ['r1'], { wait: false });
    assert.equal(results[0]?.outcome, 'done');
    assert.equal(bed.graph.callsOf('createRequest').length, 1);
    assert.equal(bed.graph.callsOf('listRequests').length, 1);
  });

  it('an ambiguous failure that was NOT applied is sent again after reading, once', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.graph.faults.add('createRequest', { kind: 'network', applied: false });
    const results = await terminateRelationships(bed.ctx(), ['r1'], fast);
    assert.equal(results[0]?.outcome, 'done');
    assert.equal(bed.graph.callsOf('createRequest').length, 2);
    assert.equal(bed.graph.requests.get('r1')?.length, 1, 'applied exactly once');
    assertPaired(bed.journal);
  });

  it('does not re-send when the reconciling read fails: outcome unknown, reported failed', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.graph.faults.add('createRequest', { kind: 'network', applied: true });
    bed.graph.getRelationship = () => Promise.reject(new Error('read failed'));
    const results = await terminateRelationships(bed.ctx(), ['r1'], { wait: false });
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(results[0]?.error ?? '', /outcome is unknown/);
    assert.equal(bed.graph.callsOf('createRequest').length, 1);
    assert.equal(assertPaired(bed.journal).outcomes, 1);
  });

  it('a definite failure (429 after retries) is reported with its request id in the journal', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.graph.addRelationship({ id: 'r2' });
    bed.graph.faults.add('createRequest', { kind: 'throttled', applied: false, status: 429, requestId: 'req-429' });
    const results = await terminateRelationships(bed.ctx({ concurrency: 1 }), ['r1', 'r2'], fast);
    assert.equal(results[0]?.outcome, 'failed');
    assert.equal(results[0]?.errorKind, 'throttled');
    assert.equal(results[1]?.outcome, 'done', 'one failing target never stops the others');
    const failedOutcome = bed.journal.records.find((r) => r.type === 'outcome' && r.target.relationshipId === 'r1');
    assert.equal(failedOutcome?.requestId, 'req-429');
    assert.equal(failedOutcome?.clientRequestId, 'client-req-injected');
    assert.equal(bed.graph.callsOf('createRequest').length, 2);
    assertPaired(bed.journal);
  });

  it('reports a missing relationship as failed and sends nothing', async () => {
    const bed = testBed();
    const results = await terminateRelationships(bed.ctx(), ['nope'], fast);
    assert.equal(results[0]?.outcome, 'failed');
    assert.equal(results[0]?.errorKind, 'notFound');
    assert.equal(bed.graph.mutations().length, 0);
  });

  it('times out per target when the relationship stays terminating (five minutes of virtual time)', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.graph.autoAdvance = false;
    const clock = new InstantClock();
    const results = await terminateRelationships(bed.ctx({ clock }), ['r1'], { pollIntervalMs: 2000, timeoutMs: 5 * 60 * 1000 });
    assert.equal(results[0]?.outcome, 'failed');
    assert.equal(results[0]?.errorKind, 'timeout');
    assert.equal(results[0]?.status, 'terminationRequested');
    assert.match(results[0]?.error ?? '', /after 300 s/);
    assert.equal(clock.slept.length, 150, 'one batched poll every 2 s for 5 minutes');
  });

  it('polls many targets together through batched reads', async () => {
    const bed = testBed();
    const ids = Array.from({ length: 30 }, (_, i) => `r${i}`);
    ids.forEach((id) => bed.graph.addRelationship({ id }));
    const results = await terminateRelationships(bed.ctx({ concurrency: 30 }), ids, { pollIntervalMs: 20, timeoutMs: 2000 });
    assert.ok(results.every((r) => r.outcome === 'done' && r.status === 'terminated'));
    assert.equal(bed.graph.callsOf('getRelationship').length, 0, 'no per-target polling');
    const polls = bed.graph.callsOf('getRelationshipsMany');
    assert.ok(polls.length <= 4, `polls: ${polls.length}`);
    assert.ok(
      polls.slice(1).some((c) => (c.args[0] as string[]).length > 1),
      'a poll covers several targets',
    );
  });

  it('keeps at most ctx.concurrency mutations in flight', async () => {
    const bed = testBed();
    const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
    ids.forEach((id) => bed.graph.addRelationship({ id }));
    bed.graph.mutationDelayMs = 10;
    const results = await terminateRelationships(bed.ctx({ concurrency: 3 }), ids, { wait: false });
    assert.equal(results.length, 12);
    assert.equal(bed.graph.maxInFlightMutations, 3);
  });

  it('cancellation: targets not started are failed/cancelled, started ones finish with an outcome', async () => {
    const bed = testBed();
    const ids = Array.from({ length: 6 }, (_, i) => `r${i}`);
    ids.forEach((id) => bed.graph.addRelationship({ id }));
    bed.graph.mutationDelayMs = 20;
    const controller = new AbortController();
    const ctx = bed.ctx({ concurrency: 2, signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    const results = await terminateRelationships(ctx, ids, fast);
    const done = results.filter((r) => r.outcome === 'done');
    const cancelled = results.filter((r) => r.errorKind === 'cancelled');
    assert.equal(done.length, 2, 'the two in flight finished');
    assert.equal(cancelled.length, 4);
    assert.equal(bed.graph.callsOf('createRequest').length, 2);
    assert.equal(assertPaired(bed.journal).intents, 2);
  });

  it('a repeated id is acted on once', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    const results = await terminateRelationships(bed.ctx(), ['r1', 'r1'], fast);
    assert.equal(results.length, 2);
    assert.equal(bed.graph.callsOf('createRequest').length, 1);
  });

  it('sends nothing when the intent cannot be journalled', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1' });
    bed.journal.failWith = new Error('disk full');
    const results = await terminateRelationships(bed.ctx(), ['r1'], fast);
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(results[0]?.error ?? '', /Nothing was sent/);
    assert.equal(bed.graph.mutations().length, 0);
  });
});
