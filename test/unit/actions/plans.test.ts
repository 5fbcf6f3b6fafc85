import { strict as assert } from 'node:assert';
import { planRemoveAssignments, planRemoveDap, planTerminate } from '../../../src/core/actions/plans';
import { testBed } from './fakes/fakeContext';

describe('plans', () => {
  it('planTerminate: names, customer, roles with privileged flag, willAct and reasons; reads only', async () => {
    const bed = testBed();
    bed.graph.addRelationship({
      id: 'r1',
      displayName: 'Contoso GDAP',
      customer: { tenantId: 't1', displayName: 'Contoso' },
      roleDefinitionIds: ['62e90394-69f5-4237-9190-012177145e10', '88d8e3e3-8f55-4a1e-953a-9b9898b8876b'],
    });
    bed.graph.addRelationship({ id: 'r2', status: 'terminated' });
    bed.graph.addRelationship({ id: 'r3', status: 'approvalPending' });
    const plan = await planTerminate(bed.graph, ['r1', 'r2', 'r3', 'missing']);
    assert.deepEqual(
      plan.map((p) => p.willAct),
      [true, false, false, false],
    );
    assert.equal(plan[0]?.customerName, 'Contoso');
    assert.deepEqual(
      plan[0]?.roles.map((r) => [r.name, r.privileged]),
      [
        ['Global Administrator', true],
        ['Directory Readers', false],
      ],
    );
    assert.match(plan[1]?.reason ?? '', /Already terminated/);
    assert.match(plan[2]?.reason ?? '', /approvalPending/);
    assert.equal(plan[3]?.error?.kind, 'notFound');
    assert.equal(bed.graph.mutations().length, 0);
    assert.equal(bed.graph.callsOf('getRelationshipsMany').length, 1);
  });

  it('planRemoveAssignments: group, roles, customer, status and ETag', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1', displayName: 'Contoso GDAP', customer: { tenantId: 't1', displayName: 'Contoso' } });
    const a = bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    const plan = await planRemoveAssignments(bed.graph, [
      { relationshipId: 'r1', assignmentId: 'a1' },
      { relationshipId: 'r1', assignmentId: 'gone' },
    ]);
    assert.equal(plan[0]?.securityGroupId, 'group-a1');
    assert.equal(plan[0]?.etag, a.etag);
    assert.equal(plan[0]?.customerName, 'Contoso');
    assert.equal(plan[0]?.relationshipName, 'Contoso GDAP');
    assert.equal(plan[0]?.willAct, true);
    assert.equal(plan[1]?.willAct, false);
    assert.match(plan[1]?.reason ?? '', /Already removed/);
    assert.equal(bed.graph.mutations().length, 0);
  });

  it('planRemoveDap: DAP state and hasActiveGdap (false warns: no admin access would remain)', async () => {
    const bed = testBed();
    bed.partnerCenter.addCustomer('t1', 'Contoso', true);
    bed.partnerCenter.addCustomer('t2', 'Fabrikam', true);
    bed.partnerCenter.addCustomer('t3', 'Tailspin', false);
    bed.graph.addRelationship({ id: 'r1', customer: { tenantId: 't1', displayName: 'Contoso' } });
    bed.graph.addRelationship({ id: 'r2', status: 'terminated', customer: { tenantId: 't2', displayName: 'Fabrikam' } });
    const plan = await planRemoveDap(bed.graph, bed.partnerCenter, ['t1', 't2', 't3']);
    assert.deepEqual(
      plan.map((p) => [p.tenantId, p.companyName, p.allowDelegatedAccess, p.hasActiveGdap, p.willAct]),
      [
        ['t1', 'Contoso', true, true, true],
        ['t2', 'Fabrikam', true, false, true],
        ['t3', 'Tailspin', false, false, false],
      ],
    );
    assert.equal(bed.partnerCenter.patches().length, 0);
  });

  it('planRemoveDap for many customers reads the relationships in one pass', async () => {
    const bed = testBed();
    const ids = Array.from({ length: 15 }, (_, i) => `t${i}`);
    ids.forEach((id, i) => {
      bed.partnerCenter.addCustomer(id, `C${i}`, true);
      bed.graph.addRelationship({
        id: `r${i}`,
        status: i % 2 === 0 ? 'active' : 'expired',
        customer: { tenantId: id, displayName: `C${i}` },
      });
    });
    const plan = await planRemoveDap(bed.graph, bed.partnerCenter, ids);
    assert.equal(bed.graph.callsOf('listRelationships').length, 1);
    assert.deepEqual(
      plan.map((p) => p.hasActiveGdap),
      ids.map((_, i) => i % 2 === 0),
    );
  });
});
