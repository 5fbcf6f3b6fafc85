import { strict as assert } from 'node:assert';
import type { ActionContext } from '../../../src/core/actions/actionTypes';
import { planMutation } from '../../../src/core/actions/mutationPipeline';
import { MemoryPlannedAssignmentStore } from '../../../src/core/actions/plannedAssignments';
import {
  autoExtendConfirmation,
  makeRenewableConfirmation,
  removeGlobalAdministratorConfirmation,
  renewConfirmation,
} from '../../../src/core/actions/renewalConfirmations';
import { autoExtendStrategy } from '../../../src/core/actions/strategies/autoExtend';
import { makeRenewableStrategy } from '../../../src/core/actions/strategies/makeRenewable';
import { removeGlobalAdministratorStrategy } from '../../../src/core/actions/strategies/removeGlobalAdministrator';
import { renewStrategy } from '../../../src/core/actions/strategies/renewRelationship';
import { testBed } from './fakes/fakeContext';
import { GA, HELPDESK, RenewalFakeGdap, virtualClock } from './fakes/fakeRenewal';

function bed(): { graph: RenewalFakeGdap; run(): ActionContext } {
  const base = testBed();
  const graph = new RenewalFakeGdap();
  const clock = virtualClock();
  return { graph, run: () => base.ctx({ graph, clock }) };
}

const contoso = { tenantId: 'tenant-c', displayName: 'Contoso' };
const fabrikam = { tenantId: 'tenant-f', displayName: 'Fabrikam' };

describe('renewal confirmations (from real plans)', () => {
  it('auto-extend on, one target: names it and its customer; Global Administrator is listed as not sent with the reason', async () => {
    const b = bed();
    b.graph.addRelationship({ id: 'r1', displayName: 'Contoso admins', customer: contoso });
    b.graph.addRelationship({ id: 'ga', displayName: 'Contoso GA', customer: contoso, roleDefinitionIds: [HELPDESK, GA] });
    const plan = await planMutation(b.run(), autoExtendStrategy(true), ['r1', 'ga']);
    const c = autoExtendConfirmation(plan, true);
    assert.equal(c.message, 'Turn on auto-extend for the GDAP relationship "Contoso admins" with Contoso?');
    assert.equal(c.acting, 1);
    assert.equal(c.confirmLabel, 'Turn On Auto-Extend');
    assert.equal(c.typeToConfirm, 'Contoso');
    assert.match(c.detail, /extends itself by 180 days/);
    assert.match(
      c.detail,
      /Nothing will be sent for:\n• Contoso GA \(Contoso\) — Global Administrator blocks auto-extend: use Make Renewable/,
    );
    assert.doesNotMatch(c.detail, /ga\b/, 'no ids where a name is known');
  });

  it('auto-extend off, several targets: counts them, lists each, and says what ends; already off is left alone', async () => {
    const b = bed();
    b.graph.addRelationship({ id: 'a', displayName: 'A', customer: contoso, autoExtendDuration: 'P180D' });
    b.graph.addRelationship({ id: 'b', displayName: 'B', customer: fabrikam, autoExtendDuration: 'P180D' });
    b.graph.addRelationship({ id: 'c', displayName: 'C', customer: fabrikam });
    const c = autoExtendConfirmation(await planMutation(b.run(), autoExtendStrategy(false), ['a', 'b', 'c']), false);
    assert.equal(c.message, 'Turn off auto-extend for 2 GDAP relationships (Contoso, Fabrikam)?');
    assert.equal(c.typeToConfirm, '2');
    assert.match(c.detail, /They then end on their end dates/);
    assert.match(c.detail, /• A \(Contoso\)\n• B \(Fabrikam\)/);
    assert.match(c.detail, /• C \(Fabrikam\) — auto-extend is already off/);
  });

  it('remove Global Administrator names every assignment granting it and what happens to each, with group names when known', async () => {
    const b = bed();
    b.graph.addRelationship({ id: 'r1', displayName: 'Contoso admins', customer: contoso, roleDefinitionIds: [HELPDESK, GA] });
    b.graph.addAssignment({ id: 'a-both', relationshipId: 'r1', roleDefinitionIds: [HELPDESK, GA] });
    b.graph.addAssignment({ id: 'a-ga', relationshipId: 'r1', roleDefinitionIds: [GA] });
    b.graph.addAssignment({ id: 'a-other', relationshipId: 'r1', roleDefinitionIds: [HELPDESK] });
    const plan = await planMutation(b.run(), removeGlobalAdministratorStrategy, ['r1']);
    const c = removeGlobalAdministratorConfirmation(plan, { groupName: (id) => (id === 'group-a-both' ? 'Helpdesk team' : undefined) });
    assert.equal(c.message, 'Remove Global Administrator from the GDAP relationship "Contoso admins" with Contoso?');
    assert.match(c.detail, /keeps these roles: Helpdesk Administrator\./);
    assert.match(c.detail, /• Helpdesk team: stops granting Global Administrator; keeps Helpdesk Administrator/);
    assert.match(c.detail, /• Security group group-a-ga: granted only Global Administrator: it grants nothing afterwards/);
    assert.doesNotMatch(c.detail, /group-a-other/, 'an assignment without Global Administrator is not named');
  });

  it('remove Global Administrator on one without it: nothing to confirm, and the reason says why', async () => {
    const b = bed();
    b.graph.addRelationship({ id: 'r1', displayName: 'Plain', customer: contoso });
    const c = removeGlobalAdministratorConfirmation(await planMutation(b.run(), removeGlobalAdministratorStrategy, ['r1']));
    assert.equal(c.acting, 0);
    assert.equal(c.items[0]?.reason, 'Global Administrator is not among its roles');
  });

  it('make renewable on a multi-selection: each says its steps; Global Administrator assignments are named under theirs', async () => {
    const b = bed();
    b.graph.addRelationship({ id: 'ga', displayName: 'With GA', customer: contoso, roleDefinitionIds: [HELPDESK, GA] });
    b.graph.addAssignment({ id: 'a1', relationshipId: 'ga', roleDefinitionIds: [GA] });
    b.graph.addRelationship({ id: 'plain', displayName: 'Plain', customer: fabrikam });
    b.graph.addRelationship({ id: 'done', displayName: 'Done', customer: fabrikam, autoExtendDuration: 'P180D' });
    const c = makeRenewableConfirmation(await planMutation(b.run(), makeRenewableStrategy, ['ga', 'plain', 'done']));
    assert.equal(c.message, 'Make 2 GDAP relationships renew themselves (Contoso, Fabrikam)?');
    assert.match(c.detail, /^Where Global Administrator is among the roles it is removed first/);
    assert.match(
      c.detail,
      /• With GA \(Contoso\): removes Global Administrator, then turns on auto-extend\n {4}– Security group group-a1: granted only/,
    );
    assert.match(c.detail, /• Plain \(Fabrikam\): turns on auto-extend/);
    assert.match(c.detail, /• Done \(Fabrikam\) — it already renews itself/);
  });

  it('renew: the successor by name, its roles and the access assignments kept for approval', async () => {
    const b = bed();
    b.graph.addRelationship({
      id: 'old',
      displayName: 'Contoso admins',
      status: 'active',
      customer: contoso,
      roleDefinitionIds: [HELPDESK],
      duration: 'P365D',
    });
    b.graph.addAssignment({ id: 'a1', relationshipId: 'old', roleDefinitionIds: [HELPDESK] });
    const plan = await planMutation(b.run(), renewStrategy({ store: new MemoryPlannedAssignmentStore() }), ['old']);
    const c = renewConfirmation(plan);
    assert.equal(c.message, 'Renew the GDAP relationship "Contoso admins" with Contoso?');
    assert.match(c.detail, /A new relationship "Contoso admins \(renewal\)" is created/);
    assert.match(c.detail, /Roles: Helpdesk Administrator\n1 access assignment kept to grant once approved/);
    assert.equal(c.confirmLabel, 'Renew');
  });

  it('make renewable without Global Administrator anywhere says only that auto-extend is turned on', async () => {
    const b = bed();
    b.graph.addRelationship({ id: 'a', displayName: 'A', customer: contoso });
    b.graph.addRelationship({ id: 'b', displayName: 'B', customer: contoso });
    const c = makeRenewableConfirmation(await planMutation(b.run(), makeRenewableStrategy, ['a', 'b']));
    assert.match(c.detail, /^Auto-extend is turned on for each/);
    assert.doesNotMatch(c.detail, /Global Administrator/);
  });

  it('after a 412 the question says the targets changed since they were read', async () => {
    const b = bed();
    b.graph.addRelationship({ id: 'r1', displayName: 'X', customer: contoso });
    const c = autoExtendConfirmation(await planMutation(b.run(), autoExtendStrategy(true), ['r1']), true, { changedSinceShown: true });
    assert.match(c.detail, /^The relationship changed since it was read/);
  });
});
