import { strict as assert } from 'node:assert';
import {
  formatMessage,
  nothingToDoMessage,
  removeAssignmentConfirmation,
  removeDapConfirmation,
  terminateConfirmation,
  type Translate,
} from '../../../src/core/actions/confirmations';
import { planRemoveAssignments, planRemoveDap, planTerminate } from '../../../src/core/actions/plans';
import { testBed } from './fakes/fakeContext';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe('confirmations (one renderer for the modal and the terminal)', () => {
  it('formatMessage fills placeholders in order and leaves unknown ones', () => {
    assert.equal(formatMessage('{0} of {1} ({2})', 1, 'three'), '1 of three ({2})');
  });

  it('terminate, one relationship: its name once, the customer, every role that ends', async () => {
    const bed = testBed();
    bed.graph.addRelationship({
      id: 'r1',
      displayName: 'Contoso GDAP',
      customer: { tenantId: 't1', displayName: 'Contoso' },
      roleDefinitionIds: [GA, READERS],
    });
    const c = terminateConfirmation(await planTerminate(bed.graph, ['r1']));
    assert.equal(c.message, 'Terminate the GDAP relationship "Contoso GDAP" with Contoso?');
    assert.equal(occurrences(`${c.message}\n${c.detail}`, 'Contoso GDAP'), 1, 'the name appears once');
    assert.match(c.detail, /Roles that end: Global Administrator, Directory Readers/);
    assert.match(c.detail, /this relationship grants ends/);
    assert.equal(c.acting, 1);
    assert.equal(c.typeToConfirm, 'Contoso');
  });

  it('terminate, several: the plural message, one line per acted-on target, the others with their reason', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1', displayName: 'A', customer: { tenantId: 't1', displayName: 'Contoso' } });
    bed.graph.addRelationship({ id: 'r2', displayName: 'B', customer: { tenantId: 't2', displayName: 'Fabrikam' } });
    bed.graph.addRelationship({ id: 'r3', displayName: 'C', status: 'terminated' });
    const c = terminateConfirmation(await planTerminate(bed.graph, ['r1', 'r2', 'r3', 'r1']));
    assert.equal(c.message, 'Terminate 2 GDAP relationships (Contoso, Fabrikam)?');
    assert.match(c.detail, /these relationships grant ends/);
    assert.match(c.detail, /^• A \(Contoso\): Directory Readers$/m);
    assert.match(c.detail, /^• B \(Fabrikam\): Directory Readers$/m);
    assert.match(c.detail, /Nothing will be sent for:\n• C \(Customer r3\): Directory Readers — Already terminated\.$/);
    assert.deepEqual(
      c.items.map((i) => [i.id, i.willAct]),
      [
        ['r1', true],
        ['r2', true],
        ['r3', false],
      ],
    );
    assert.equal(c.typeToConfirm, '2');
  });

  it('passes every message through the given translate function', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1', displayName: 'A' });
    const seen: string[] = [];
    const translate: Translate = (message, ...args) => {
      seen.push(message);
      return formatMessage(message, ...args);
    };
    terminateConfirmation(await planTerminate(bed.graph, ['r1']), { translate });
    assert.ok(seen.includes('Terminate the GDAP relationship "{0}" with {1}?'));
    assert.ok(seen.includes('Terminate'));
  });

  it('nothing to do: a notice that names the target and says why', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1', displayName: 'Old', status: 'expired', customer: { tenantId: 't', displayName: 'Tailspin' } });
    const c = terminateConfirmation(await planTerminate(bed.graph, ['r1']));
    assert.equal(c.acting, 0);
    assert.match(nothingToDoMessage(c), /^Nothing to do for Old \(Tailspin\): .*only to active.*"expired"/);
  });

  it('remove assignment: the group name when known, else its id; a changed assignment says so', async () => {
    const bed = testBed();
    bed.graph.addRelationship({ id: 'r1', displayName: 'Contoso GDAP', customer: { tenantId: 't1', displayName: 'Contoso' } });
    bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    const plan = await planRemoveAssignments(bed.graph, [{ relationshipId: 'r1', assignmentId: 'a1' }]);
    const plain = removeAssignmentConfirmation(plan);
    assert.equal(plain.message, 'Remove the access of Security group group-a1 in Contoso?');
    assert.doesNotMatch(plain.detail, /changed since it was read/);
    const named = removeAssignmentConfirmation(plan, { groupName: () => 'Helpdesk agents', changedSinceShown: true });
    assert.equal(named.message, 'Remove the access of Helpdesk agents in Contoso?');
    assert.match(named.detail, /^The assignment changed since it was read; this is what it holds now\./);
    assert.match(named.detail, /relationship "Contoso GDAP"/);
  });

  it('remove DAP: a customer left without GDAP is warned about and must be typed', async () => {
    const bed = testBed();
    bed.partnerCenter.addCustomer('t1', 'Contoso', true);
    bed.partnerCenter.addCustomer('t2', 'Fabrikam', true);
    bed.graph.addRelationship({ id: 'r1', customer: { tenantId: 't1', displayName: 'Contoso' } });
    // Working access through GDAP needs an active assignment too (the Remove DAP guard).
    bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    const one = removeDapConfirmation(await planRemoveDap(bed.graph, bed.partnerCenter, ['t2']));
    assert.equal(one.message, 'Remove legacy DAP (delegated admin privileges) for Fabrikam?');
    assert.match(one.detail, /WARNING: Fabrikam has no active GDAP relationship/);
    assert.equal(one.mustType, true);
    assert.equal(one.typeToConfirm, 'Fabrikam');
    const both = removeDapConfirmation(await planRemoveDap(bed.graph, bed.partnerCenter, ['t1', 't2']));
    assert.equal(both.message, 'Remove legacy DAP for 2 customers?');
    assert.match(both.detail, /^• Contoso$/m);
    assert.match(both.consequence, /WARNING: Fabrikam has no active GDAP/);
    const safe = removeDapConfirmation(await planRemoveDap(bed.graph, bed.partnerCenter, ['t1']));
    assert.equal(safe.mustType, false);
  });
});
