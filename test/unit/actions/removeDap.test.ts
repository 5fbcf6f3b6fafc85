import { strict as assert } from 'node:assert';
import { removeDap } from '../../../src/core/actions/removeDap';
import { assertPaired, testBed } from './fakes/fakeContext';

const fast = { pollIntervalMs: 5, timeoutMs: 500 };

describe('removeDap', () => {
  it('removes DAP, journals request ids, and reports dapOff', async () => {
    const bed = testBed();
    bed.partnerCenter.addCustomer('t1', 'Contoso', true);
    const results = await removeDap(bed.ctx(), ['t1'], fast);
    assert.deepEqual(results, [{ id: 't1', name: 'Contoso', outcome: 'done', status: 'dapOff', error: null }]);
    const outcome = bed.journal.records.find((r) => r.type === 'outcome');
    assert.equal(outcome?.requestId, 'pc-req-1');
    assert.equal(bed.journal.records[0]?.priorStatus, 'dapOn');
    assertPaired(bed.journal);
  });

  it('DAP already off: alreadyDone, nothing sent; unknown state: failed, nothing sent', async () => {
    const bed = testBed();
    bed.partnerCenter.addCustomer('off', 'Fabrikam', false);
    bed.partnerCenter.addCustomer('unknown', 'Tailspin', null);
    const results = await removeDap(bed.ctx(), ['off', 'unknown', 'missing'], fast);
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['alreadyDone', 'failed', 'failed'],
    );
    assert.equal(results[2]?.errorKind, 'notFound');
    assert.equal(bed.partnerCenter.patches().length, 0);
    assert.equal(bed.journal.records.length, 0);
  });

  it('a lost PATCH response that was applied is reconciled by reading, not re-sent', async () => {
    const bed = testBed();
    bed.partnerCenter.addCustomer('t1', 'Contoso', true);
    bed.partnerCenter.faults.add('removeDap', { kind: 'network', applied: true });
    const results = await removeDap(bed.ctx(), ['t1'], fast);
    assert.equal(results[0]?.outcome, 'done');
    assert.equal(bed.partnerCenter.patches().length, 1);
    assertPaired(bed.journal);
  });

  it('a failure that was not applied is re-sent after reading DAP still on', async () => {
    const bed = testBed();
    bed.partnerCenter.addCustomer('t1', 'Contoso', true);
    bed.partnerCenter.faults.add('removeDap', { kind: 'server', applied: false, status: 503 });
    const results = await removeDap(bed.ctx(), ['t1'], fast);
    assert.equal(results[0]?.outcome, 'done');
    assert.equal(bed.partnerCenter.patches().length, 2);
  });

  it('a definite refusal is failed without a second send', async () => {
    const bed = testBed();
    bed.partnerCenter.addCustomer('t1', 'Contoso', true);
    bed.partnerCenter.faults.add('removeDap', { kind: 'forbidden', applied: false, status: 403 });
    const results = await removeDap(bed.ctx(), ['t1'], fast);
    assert.equal(results[0]?.outcome, 'failed');
    assert.equal(results[0]?.errorKind, 'forbidden');
    assert.equal(bed.partnerCenter.patches().length, 1);
    assertPaired(bed.journal);
  });
});
