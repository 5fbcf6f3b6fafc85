import { strict as assert } from 'node:assert';
import { createAccessAssignmentStrategy } from '../../../src/core/actions/strategies/createAccessAssignment';
import { deleteDraftStrategy } from '../../../src/core/actions/strategies/deleteDraft';
import { lockForApprovalStrategy } from '../../../src/core/actions/strategies/lockForApproval';
import { setAssignmentRolesStrategy } from '../../../src/core/actions/strategies/setAssignmentRoles';
import type { AccessAssignment, Relationship } from '../../../src/core/graph/models';
import { GdapError } from '../../../src/core/http/gdapError';

/* The pure decisions of the grant-side strategies: what each does, or why not, for every kind of state. */

const READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const GROUP = '0f0e0d0c-0b0a-4908-8706-050403020100';

const rel = (status: string, extra: Partial<Relationship> = {}): Relationship => ({
  type: 'relationship',
  id: 'r1',
  displayName: 'Contoso',
  status,
  customer: null,
  roleDefinitionIds: [READER, HELPDESK],
  duration: 'P730D',
  autoExtendDuration: null,
  createdDateTime: null,
  activatedDateTime: null,
  endDateTime: null,
  lastModifiedDateTime: null,
  etag: 'W/"1"',
  ...extra,
});
const asg = (status: string, roles: string[], extra: Partial<AccessAssignment> = {}): AccessAssignment => ({
  id: 'a1',
  relationshipId: 'r1',
  status,
  accessContainer: { accessContainerId: GROUP, accessContainerType: 'securityGroup' },
  roleDefinitionIds: roles,
  createdDateTime: null,
  lastModifiedDateTime: null,
  etag: 'W/"a"',
  ...extra,
});
const notFound = { ok: false as const, error: new GdapError({ kind: 'notFound', message: 'gone' }) };

describe('grant-side decisions', () => {
  it('lock: acts on created, alreadyDone from approvalPending on, skips terminated, fails unreadable', () => {
    assert.equal(lockForApprovalStrategy.decide('r1', { ok: true, value: rel('created') }, undefined).kind, 'act');
    for (const s of ['approvalPending', 'approved', 'activating', 'active']) {
      assert.equal(lockForApprovalStrategy.decide('r1', { ok: true, value: rel(s) }, undefined).kind, 'alreadyDone', s);
    }
    const t = lockForApprovalStrategy.decide('r1', { ok: true, value: rel('terminated') }, undefined);
    assert.equal(t.kind, 'skip');
    assert.match(t.plan.reason ?? '', /only to relationships in "created"/);
    const u = lockForApprovalStrategy.decide('r1', notFound, undefined);
    assert.ok(u.kind === 'skip' && u.outcome === 'failed');
  });

  it('delete: acts on created with an ETag only; every other status is skipped with the reason', () => {
    const d = deleteDraftStrategy.decide('r1', { ok: true, value: rel('created') }, undefined);
    assert.ok(d.kind === 'act' && d.etag === 'W/"1"');
    const noEtag = deleteDraftStrategy.decide('r1', { ok: true, value: rel('created', { etag: null }) }, undefined);
    assert.ok(noEtag.kind === 'skip' && noEtag.outcome === 'failed');
    const active = deleteDraftStrategy.decide('r1', { ok: true, value: rel('active') }, undefined);
    assert.ok(active.kind === 'skip' && active.outcome === 'skipped');
    assert.match(active.error, /terminate it instead/);
  });

  it('assign: refuses roles not held, skips inactive, recognises the same assignment, points to set-roles', () => {
    const s = createAccessAssignmentStrategy();
    const t = { relationshipId: 'r1', groupId: GROUP, roleDefinitionIds: [READER] };
    const state = (r: Relationship, a: AccessAssignment[]) => ({
      ok: true as const,
      value: { relationship: r, assignments: a, groupId: GROUP },
    });
    const lacking = s.decide({ ...t, roleDefinitionIds: [USER_ADMIN] }, state(rel('active'), []), undefined);
    assert.ok(lacking.kind === 'skip' && lacking.outcome === 'failed');
    assert.match(lacking.error, /does not hold User Administrator/);
    assert.ok(s.decide(t, state(rel('approvalPending'), []), undefined).kind === 'skip');
    assert.equal(s.decide(t, state(rel('active'), []), undefined).kind, 'act');
    const same = s.decide(t, state(rel('active'), [asg('pending', [READER])]), undefined);
    assert.ok(same.kind === 'alreadyDone' && same.inFlight);
    const other = s.decide(t, state(rel('active'), [asg('active', [HELPDESK])]), undefined);
    assert.ok(other.kind === 'skip');
    assert.match(other.error, /set-roles/);
    assert.equal(s.decide(t, state(rel('active'), [asg('deleted', [HELPDESK])]), undefined).kind, 'act');
  });

  it('set roles: acts with the ETag, alreadyDone on the same set, refuses roles not held, skips a pending assignment', () => {
    const t = { relationshipId: 'r1', assignmentId: 'a1', roleDefinitionIds: [HELPDESK] };
    const state = (r: Relationship, a: AccessAssignment) => ({
      ok: true as const,
      value: { relationship: r, assignment: a, wanted: t.roleDefinitionIds },
    });
    const act = setAssignmentRolesStrategy.decide(t, state(rel('active'), asg('active', [READER])), undefined);
    assert.ok(act.kind === 'act' && act.etag === 'W/"a"');
    assert.deepEqual(
      act.plan.currentRoles.map((r) => r.name),
      ['Global Reader'],
    );
    assert.equal(setAssignmentRolesStrategy.decide(t, state(rel('active'), asg('active', [HELPDESK])), undefined).kind, 'alreadyDone');
    const lacking = setAssignmentRolesStrategy.decide(
      { ...t, roleDefinitionIds: [USER_ADMIN] },
      state(rel('active'), asg('active', [READER])),
      undefined,
    );
    assert.ok(lacking.kind === 'skip' && lacking.outcome === 'failed');
    assert.equal(setAssignmentRolesStrategy.decide(t, state(rel('active'), asg('pending', [READER])), undefined).kind, 'skip');
  });
});
