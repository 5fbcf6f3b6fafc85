import { strict as assert } from 'node:assert';
import { removeAccessAssignments } from '../../../src/core/actions/removeAccessAssignments';
import { assertPaired, testBed } from './fakes/fakeContext';

const fast = { pollIntervalMs: 5, timeoutMs: 2000 };
const t = (assignmentId: string, relationshipId = 'r1') => ({ relationshipId, assignmentId });

describe('removeAccessAssignments', () => {
  it('deletes with the fresh ETag, journals the pair, and reports gone', async () => {
    const bed = testBed();
    const a = bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    const results = await removeAccessAssignments(bed.ctx(), [{ ...t('a1'), name: 'Helpdesk group' }], fast);
    assert.deepEqual(results, [{ id: 'r1/a1', name: 'Helpdesk group', outcome: 'done', status: 'deleted', error: null }]);
    const del = bed.graph.callsOf('deleteAccessAssignment');
    assert.equal(del.length, 1);
    assert.equal(del[0]?.args[2], a.etag);
    const intent = bed.journal.records[0];
    assert.equal(intent?.priorEtag, a.etag);
    assert.equal(intent?.target.assignmentId, 'a1');
    assertPaired(bed.journal);
  });

  it('waits through deleting until the assignment is gone', async () => {
    const bed = testBed();
    bed.graph.deleteMode = 'deleting';
    bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    const results = await removeAccessAssignments(bed.ctx(), [t('a1')], fast);
    assert.equal(results[0]?.outcome, 'done');
    assert.equal(results[0]?.status, 'deleted');
    assert.ok(bed.graph.callsOf('getAccessAssignmentsMany').length >= 2, 'polled with batched reads');
  });

  it('a missing or deleted assignment is alreadyDone; a pending one is skipped; nothing is sent', async () => {
    const bed = testBed();
    bed.graph.addAssignment({ id: 'd', relationshipId: 'r1', status: 'deleted' });
    bed.graph.addAssignment({ id: 'p', relationshipId: 'r1', status: 'pending' });
    const results = await removeAccessAssignments(bed.ctx(), [t('missing'), t('d'), t('p')], fast);
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['alreadyDone', 'alreadyDone', 'skipped'],
    );
    assert.equal(bed.graph.mutations().length, 0);
    assert.equal(bed.journal.records.length, 0);
  });

  it('a 412 re-reads and reports preconditionFailed saying it changed since it was read', async () => {
    const bed = testBed();
    bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    // Someone changes it between our read and our DELETE.
    const original = bed.graph.deleteAccessAssignment.bind(bed.graph);
    bed.graph.deleteAccessAssignment = (r, a, etag, o) => {
      const current = bed.graph.assignments.get(`${r}/${a}`);
      if (current !== undefined) {
        bed.graph.assignments.set(`${r}/${a}`, { ...current, etag: bed.graph.nextEtag() });
      }
      return original(r, a, etag, o);
    };
    const results = await removeAccessAssignments(bed.ctx(), [t('a1')], fast);
    assert.equal(results[0]?.outcome, 'failed');
    assert.equal(results[0]?.errorKind, 'preconditionFailed');
    assert.match(results[0]?.error ?? '', /changed since it was read/);
    assert.equal(results[0]?.status, 'active');
    assert.ok(bed.graph.assignments.has('r1/a1'), 'nothing removed');
    assert.equal(bed.graph.callsOf('deleteAccessAssignment').length, 1);
    assertPaired(bed.journal);
  });

  it('a lost DELETE response that was applied is confirmed by reading (404) and not re-sent', async () => {
    const bed = testBed();
    bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    bed.graph.faults.add('deleteAccessAssignment', { kind: 'network', applied: true });
    const results = await removeAccessAssignments(bed.ctx(), [t('a1')], fast);
    assert.equal(results[0]?.outcome, 'done');
    assert.equal(bed.graph.callsOf('deleteAccessAssignment').length, 1);
    assertPaired(bed.journal);
  });

  it('an ambiguous DELETE that was not applied is re-sent with the same ETag', async () => {
    const bed = testBed();
    const a = bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    bed.graph.faults.add('deleteAccessAssignment', { kind: 'timeout', applied: false });
    const results = await removeAccessAssignments(bed.ctx(), [t('a1')], fast);
    assert.equal(results[0]?.outcome, 'done');
    const calls = bed.graph.callsOf('deleteAccessAssignment');
    assert.equal(calls.length, 2);
    assert.ok(calls.every((c) => c.args[2] === a.etag));
  });

  it('a 404 from the DELETE itself means done', async () => {
    const bed = testBed();
    bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    const original = bed.graph.deleteAccessAssignment.bind(bed.graph);
    bed.graph.deleteAccessAssignment = async (r, a, etag, o) => {
      bed.graph.assignments.delete(`${r}/${a}`);
      return original(r, a, etag, o);
    };
    const results = await removeAccessAssignments(bed.ctx(), [t('a1')], fast);
    assert.equal(results[0]?.outcome, 'done');
    assert.equal(results[0]?.status, 'deleted');
  });

  it('many targets: bounded concurrency, order kept, one failure does not stop the others', async () => {
    const bed = testBed();
    const targets = Array.from({ length: 10 }, (_, i) => t(`a${i}`, `r${i % 3}`));
    targets.forEach((x) => bed.graph.addAssignment({ id: x.assignmentId, relationshipId: x.relationshipId }));
    bed.graph.faults.add('deleteAccessAssignment', { kind: 'forbidden', applied: false, status: 403 });
    bed.graph.mutationDelayMs = 5;
    const results = await removeAccessAssignments(bed.ctx({ concurrency: 4 }), targets, fast);
    assert.deepEqual(
      results.map((r) => r.id),
      targets.map((x) => `${x.relationshipId}/${x.assignmentId}`),
    );
    assert.equal(results.filter((r) => r.outcome === 'failed').length, 1);
    assert.equal(results.filter((r) => r.outcome === 'done').length, 9);
    assert.ok(bed.graph.maxInFlightMutations <= 4);
    assert.equal(bed.graph.callsOf('getAccessAssignment').length, 0, 'reads are batched');
    assert.equal(assertPaired(bed.journal).intents, 10);
  });
});
