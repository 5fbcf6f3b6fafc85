import { strict as assert } from 'node:assert';
import {
  assignConfirmation,
  createConfirmation,
  deleteDraftConfirmation,
  lockConfirmation,
  setRolesConfirmation,
} from '../../../src/core/actions/onboardingConfirmations';
import { domainRoles } from '../../../src/core/domain/roles';
import type { CreatePlanItem } from '../../../src/core/actions/strategies/createRelationship';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const GROUP = '0f0e0d0c-0b0a-4908-8706-050403020100';

function createItem(over: Partial<CreatePlanItem> = {}): CreatePlanItem {
  return {
    name: 'Contoso onboarding',
    customerTenantId: 'c0ffee00-0000-4000-8000-000000000001',
    customerName: 'Contoso',
    duration: 'P730D',
    autoExtendDuration: 'P180D',
    roles: domainRoles([READER]),
    willAct: true,
    reason: null,
    ...over,
  };
}

describe('onboarding confirmations', () => {
  it('create: names the relationship and the customer, duration in days, auto-extend, roles and the lock', () => {
    const c = createConfirmation([createItem()], { lock: true, plannedAssignments: 2 });
    assert.equal(c.message, 'Create the GDAP relationship "Contoso onboarding" with Contoso?');
    assert.match(c.detail, /Duration: 730 days/);
    assert.match(c.detail, /Auto-extend: every 180 days/);
    assert.match(c.detail, /Roles: Global Reader/);
    assert.match(c.detail, /locked for approval/);
    assert.match(c.detail, /2 group assignments are kept/);
    assert.equal(c.acting, 1);
    assert.equal(c.confirmLabel, 'Create');
  });

  it('create: an invitation for any customer, a draft without lock, GA marked privileged, one planned assignment', () => {
    const c = createConfirmation(
      [createItem({ customerTenantId: null, customerName: null, autoExtendDuration: null, roles: domainRoles([GA]) })],
      {
        lock: false,
        plannedAssignments: 1,
      },
    );
    assert.equal(c.message, 'Create the GDAP relationship "Contoso onboarding" for any customer?');
    assert.match(c.detail, /Auto-extend: off/);
    assert.match(c.detail, /Privileged roles are requested/);
    assert.match(c.detail, /created as a draft/);
    assert.match(c.detail, /1 group assignment is kept/);
  });

  it('create: a refused plan (name in use) sends nothing and says why', () => {
    const c = createConfirmation([createItem({ willAct: false, reason: 'A relationship named "Contoso onboarding" already exists' })], {
      lock: true,
    });
    assert.equal(c.acting, 0);
    assert.equal(c.message, 'Nothing can be created.');
    assert.match(c.detail, /Nothing will be sent for:\n• Contoso onboarding \(Contoso\): Global Reader — A relationship named/);
  });

  it('lock and delete: one by name, several counted and listed, the others with their reason', () => {
    const one = lockConfirmation([{ id: 'r1', name: 'Draft A', status: 'created', customerTenantId: null, willAct: true, reason: null }]);
    assert.equal(one.message, 'Lock the relationship "Draft A" for approval?');
    assert.match(one.detail, /90 days/);
    const many = deleteDraftConfirmation([
      { id: 'r1', name: 'Draft A', status: 'created', willAct: true, reason: null },
      { id: 'r2', name: 'Draft B', status: 'created', willAct: true, reason: null },
      { id: 'r3', name: 'Live', status: 'active', willAct: false, reason: 'Only drafts can be deleted.' },
    ]);
    assert.equal(many.message, 'Delete 2 draft relationships?');
    assert.match(many.detail, /• Draft A\n• Draft B/);
    assert.match(many.detail, /• Live — Only drafts can be deleted\./);
    assert.equal(many.acting, 2);
  });

  it('assign: the group by name when known, the relationship and the roles', () => {
    const c = assignConfirmation(
      [
        {
          relationshipId: 'r1',
          relationshipName: 'Contoso GDAP',
          groupId: GROUP,
          roles: domainRoles([READER, HELPDESK]),
          status: 'active',
          willAct: true,
          reason: null,
        },
      ],
      { groupName: (id) => (id === GROUP ? 'Tier 1 Helpdesk' : undefined) },
    );
    assert.equal(c.message, 'Give Tier 1 Helpdesk access through "Contoso GDAP"?');
    assert.match(c.detail, /Roles: Global Reader, Helpdesk Administrator/);
    const unnamed = assignConfirmation([
      {
        relationshipId: 'r1',
        relationshipName: null,
        groupId: GROUP,
        roles: domainRoles([READER]),
        status: 'active',
        willAct: true,
        reason: null,
      },
    ]);
    assert.equal(unnamed.message, `Give Security group ${GROUP} access through "r1"?`);
  });

  it('set roles: what is added and what is removed; after a 412 it says the assignment changed', () => {
    const item = {
      relationshipId: 'r1',
      assignmentId: 'a1',
      relationshipName: 'Contoso GDAP',
      groupId: GROUP,
      status: 'active',
      currentRoles: domainRoles([READER]),
      newRoles: domainRoles([HELPDESK]),
      willAct: true,
      reason: null,
    };
    const c = setRolesConfirmation([item]);
    assert.match(c.message, /^Change the roles of Security group .* in "Contoso GDAP"\?$/);
    assert.match(c.detail, /Roles added: Helpdesk Administrator\nRoles removed: Global Reader/);
    const again = setRolesConfirmation([item], { changedSinceShown: true });
    assert.match(again.detail, /Someone else changed this assignment/);
  });
});
