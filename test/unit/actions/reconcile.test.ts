import { strict as assert } from 'node:assert';
import type { JournalRecord } from '../../../src/core/actions/actionTypes';
import { findInterrupted } from '../../../src/core/actions/journal';
import { reconcileInterrupted } from '../../../src/core/actions/reconcile';
import { testBed } from './fakes/fakeContext';

const intent = (operationId: string, action: JournalRecord['action'], target: JournalRecord['target']): JournalRecord => ({
  time: '2026-01-01T00:00:00.000Z',
  type: 'intent',
  operationId,
  action,
  actor: 'admin',
  cloud: 'global',
  target,
  priorStatus: 'active',
});

describe('reconcileInterrupted', () => {
  it('re-reads each target, appends a reconciled record, and explains the result', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1', status: 'terminated', displayName: 'Contoso GDAP' });
    bed.graph.addRelationship({ id: 'r2', status: 'active' });
    bed.partnerCenter.addCustomer('t1', 'Fabrikam', false);
    const interrupted = [
      intent('op1', 'terminateRelationship', { relationshipId: 'r1', name: 'Contoso GDAP' }),
      intent('op2', 'terminateRelationship', { relationshipId: 'r2' }),
      intent('op3', 'removeAccessAssignment', { relationshipId: 'r1', assignmentId: 'gone' }),
      intent('op4', 'removeDap', { customerTenantId: 't1' }),
    ];
    const summaries = await reconcileInterrupted(bed.ctx(), interrupted);
    assert.deepEqual(
      summaries.map((s) => [s.operationId, s.state, s.reachedEndState]),
      [
        ['op1', 'terminated', true],
        ['op2', 'active', false],
        ['op3', 'gone', true],
        ['op4', 'dapOff', true],
      ],
    );
    assert.match(summaries[0]?.message ?? '', /Contoso GDAP.*terminated.*took effect/);
    assert.match(summaries[1]?.message ?? '', /did not take effect/);
    const reconciled = bed.journal.records.filter((r) => r.type === 'reconciled');
    assert.equal(reconciled.length, 4);
    assert.deepEqual(findInterrupted([...interrupted, ...bed.journal.records]), []);
    assert.equal(bed.graph.mutations().length + bed.partnerCenter.patches().length, 0, 'reconciling only reads');
  });

  it('leaves a target it cannot read for next time', async () => {
    const bed = testBed();
    bed.partnerCenter.faults.add('getCustomer', { kind: 'network', applied: false });
    const interrupted = [intent('op1', 'removeDap', { customerTenantId: 't1' })];
    const summaries = await reconcileInterrupted(bed.ctx(), interrupted);
    assert.equal(summaries[0]?.state, null);
    assert.match(summaries[0]?.message ?? '', /checked again next time/);
    assert.equal(bed.journal.records.length, 0);
  });

  it('leaves an action this version does not know (a newer version wrote it) unread and unreconciled', async () => {
    const bed = testBed();
    const foreign = {
      ...intent('op1', 'terminateRelationship', { relationshipId: 'r1' }),
      action: 'grantFutureThing',
    } as unknown as JournalRecord;
    const summaries = await reconcileInterrupted(bed.ctx(), [foreign]);
    assert.equal(summaries[0]?.state, null);
    assert.match(summaries[0]?.message ?? '', /not an action this version knows.*checked again next time/);
    assert.equal(bed.journal.records.length, 0);
    assert.equal(bed.graph.calls.length, 0);
  });
});
