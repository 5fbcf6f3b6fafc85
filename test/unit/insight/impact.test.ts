import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { Inventory } from '../../../src/core/actions/inventory';
import { accessImpact, DAP_GROUP_ID, impactPairKey, type ImpactTarget } from '../../../src/core/insight/impact';
import { assignment, customer, GA, HELPDESK, inventory, READER, relationship, USER_ADMIN } from './build';

const T1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const G1 = '11111111-0000-4000-8000-00000000000a';
const G2 = '22222222-0000-4000-8000-00000000000b';

function state(): Inventory {
  return inventory([
    customer(T1, 'Alpha Inc', [
      relationship('r-1', {
        name: 'Alpha Helpdesk',
        roles: [HELPDESK, READER, GA],
        assignments: [assignment('a-1', G1, [HELPDESK, READER]), assignment('a-2', G2, [GA])],
      }),
      relationship('r-2', { name: 'MLT Default', roles: [HELPDESK], assignments: [assignment('a-3', G1, [HELPDESK])] }),
      relationship('r-3', { name: 'Ended', status: 'terminated', roles: [READER], assignments: [assignment('a-4', G1, [READER])] }),
    ]),
  ]);
}

describe('access impact: what a change takes away, and what is kept through something else', () => {
  it('terminating a relationship: the group loses what only it granted, keeps what another still grants', () => {
    const [impact] = accessImpact(state(), [{ kind: 'terminateRelationship', relationshipId: 'r-1' }], {
      groups: { names: new Map([[G1, 'Helpdesk Agents']]) },
    });
    assert.equal(impact.customerTenantId, T1);
    assert.deepEqual(
      impact.lost.map((l) => [l.groupName, l.roleName]),
      [
        ['Helpdesk Agents', 'Directory Readers'],
        [null, 'Global Administrator'],
      ],
    );
    assert.deepEqual(impact.keptThrough, [
      {
        groupId: G1,
        groupName: 'Helpdesk Agents',
        roleDefinitionId: HELPDESK,
        roleName: 'Helpdesk Administrator',
        relationshipId: 'r-2',
        relationshipName: 'MLT Default',
      },
    ]);
  });

  it('all targets go together: terminating both relationships keeps nothing', () => {
    const [impact] = accessImpact(state(), [
      { kind: 'terminateRelationship', relationshipId: 'r-1' },
      { kind: 'removeAssignment', relationshipId: 'r-2', assignmentId: 'a-3' },
    ]);
    assert.equal(impact.keptThrough.length, 0);
    assert.equal(impact.lost.length, 3);
  });

  it('GA removed from the relationship, an assignment narrowed, an ended relationship touched', () => {
    const [ga] = accessImpact(state(), [{ kind: 'removeRelationshipRoles', relationshipId: 'r-1', roleDefinitionIds: [GA] }]);
    assert.deepEqual(
      ga.lost.map((l) => [l.groupId, l.roleDefinitionId]),
      [[G2, GA]],
    );
    const [narrowed] = accessImpact(state(), [
      { kind: 'setAssignmentRoles', relationshipId: 'r-1', assignmentId: 'a-1', roleDefinitionIds: [READER] },
    ]);
    assert.deepEqual(narrowed.lost, []);
    assert.deepEqual(
      narrowed.keptThrough.map((k) => [k.roleName, k.relationshipName]),
      [['Helpdesk Administrator', 'MLT Default']],
    );
    assert.deepEqual(accessImpact(state(), [{ kind: 'terminateRelationship', relationshipId: 'r-3' }]), []);
  });

  it('removing DAP: Global Administrator of the agents group, kept only while GDAP still grants it', () => {
    const [kept] = accessImpact(state(), [{ kind: 'removeDap', customerTenantId: T1 }]);
    assert.deepEqual(kept.lost, []);
    assert.deepEqual(
      kept.keptThrough.map((k) => [k.groupId, k.roleDefinitionId, k.relationshipId]),
      [[DAP_GROUP_ID, GA, 'r-1']],
    );
    const [lost] = accessImpact(state(), [
      { kind: 'removeDap', customerTenantId: T1 },
      { kind: 'removeRelationshipRoles', relationshipId: 'r-1', roleDefinitionIds: [GA] },
    ]);
    assert.deepEqual(lost.lost.map(impactPairKey).sort(), [`${DAP_GROUP_ID.toLowerCase()}|${GA}`, `${G2}|${GA}`].sort());
  });

  it('property: lost ∪ keptThrough is exactly what the targets grant, and the two are disjoint', () => {
    const roleIds = [GA, HELPDESK, READER, USER_ADMIN];
    const groupIds = [G1, G2, '33333333-0000-4000-8000-00000000000c'];
    const tenants = [T1, 'bbbbbbbb-0000-4000-8000-000000000002'];
    const assignmentArb = fc.record({
      group: fc.constantFrom(...groupIds),
      roles: fc.subarray(roleIds, { minLength: 1 }),
      status: fc.constantFrom('active', 'active', 'deleted', 'error'),
    });
    const relationshipArb = fc.record({
      tenant: fc.constantFrom(...tenants),
      status: fc.constantFrom('active', 'active', 'terminated', 'approvalPending'),
      assignments: fc.array(assignmentArb, { maxLength: 3 }),
    });
    const world = fc.array(relationshipArb, { minLength: 1, maxLength: 6 }).chain((rels) => {
      const inv = inventory(
        tenants.map((t, ti) =>
          customer(
            t,
            `Customer ${ti}`,
            rels.flatMap((r, ri) =>
              r.tenant !== t
                ? []
                : [
                    relationship(`r-${ri}`, {
                      status: r.status,
                      roles: roleIds,
                      assignments: r.assignments.map((a, ai) => assignment(`a-${ri}-${ai}`, a.group, a.roles, a.status)),
                    }),
                  ],
            ),
          ),
        ),
      );
      const relIds = rels.map((_, ri) => `r-${ri}`);
      const asgIds = rels.flatMap((r, ri) => r.assignments.map((_, ai) => [`r-${ri}`, `a-${ri}-${ai}`] as const));
      const target: fc.Arbitrary<ImpactTarget> = fc.oneof(
        fc.constantFrom(...relIds).map((relationshipId): ImpactTarget => ({ kind: 'terminateRelationship', relationshipId })),
        fc
          .record({ rel: fc.constantFrom(...relIds), roles: fc.subarray(roleIds) })
          .map((x): ImpactTarget => ({ kind: 'removeRelationshipRoles', relationshipId: x.rel, roleDefinitionIds: x.roles })),
        fc.constantFrom(...tenants).map((customerTenantId): ImpactTarget => ({ kind: 'removeDap', customerTenantId })),
        ...(asgIds.length === 0
          ? []
          : [
              fc
                .constantFrom(...asgIds)
                .map(([relationshipId, assignmentId]): ImpactTarget => ({ kind: 'removeAssignment', relationshipId, assignmentId })),
              fc.record({ a: fc.constantFrom(...asgIds), roles: fc.subarray(roleIds) }).map((x): ImpactTarget => ({
                kind: 'setAssignmentRoles',
                relationshipId: x.a[0],
                assignmentId: x.a[1],
                roleDefinitionIds: x.roles,
              })),
            ]),
      );
      return fc.tuple(fc.constant(rels), fc.constant(inv), fc.array(target, { minLength: 1, maxLength: 4 }));
    });

    fc.assert(
      fc.property(world, ([rels, inv, targets]) => {
        // The oracle, written from the raw generated state rather than from the inventory helpers.
        const expected = new Map<string, Set<string>>();
        rels.forEach((r, ri) => {
          if (r.status !== 'active') {
            return;
          }
          r.assignments.forEach((a, ai) => {
            if (a.status !== 'active') {
              return;
            }
            for (const role of a.roles) {
              const taken = targets.some(
                (t) =>
                  (t.kind === 'terminateRelationship' && t.relationshipId === `r-${ri}`) ||
                  (t.kind === 'removeAssignment' && t.relationshipId === `r-${ri}` && t.assignmentId === `a-${ri}-${ai}`) ||
                  (t.kind === 'removeRelationshipRoles' && t.relationshipId === `r-${ri}` && t.roleDefinitionIds.includes(role)) ||
                  (t.kind === 'setAssignmentRoles' &&
                    t.relationshipId === `r-${ri}` &&
                    t.assignmentId === `a-${ri}-${ai}` &&
                    !t.roleDefinitionIds.includes(role)),
              );
              if (taken) {
                const set = expected.get(r.tenant) ?? new Set<string>();
                set.add(`${a.group}|${role}`);
                expected.set(r.tenant, set);
              }
            }
          });
        });
        for (const t of targets) {
          if (t.kind === 'removeDap') {
            const set = expected.get(t.customerTenantId) ?? new Set<string>();
            set.add(`${DAP_GROUP_ID.toLowerCase()}|${GA}`);
            expected.set(t.customerTenantId, set);
          }
        }

        const impacts = accessImpact(inv, targets);
        assert.deepEqual(impacts.map((i) => i.customerTenantId).sort(), [...expected.keys()].sort());
        for (const impact of impacts) {
          const lost = impact.lost.map(impactPairKey);
          const kept = impact.keptThrough.map(impactPairKey);
          assert.equal(new Set([...lost, ...kept]).size, lost.length + kept.length, 'disjoint, no duplicates');
          assert.deepEqual([...lost, ...kept].sort(), [...(expected.get(impact.customerTenantId) ?? [])].sort());
          // Every "kept through" names an active relationship of that customer that really still grants it.
          for (const k of impact.keptThrough) {
            const ri = Number(k.relationshipId.slice(2));
            assert.equal(rels[ri].status, 'active');
            assert.equal(rels[ri].tenant, impact.customerTenantId);
            const stillGrants = rels[ri].assignments.some(
              (a, ai) =>
                a.status === 'active' &&
                (k.groupId === DAP_GROUP_ID || a.group === k.groupId) &&
                a.roles.includes(k.roleDefinitionId) &&
                !targets.some(
                  (t) =>
                    (t.kind === 'terminateRelationship' && t.relationshipId === k.relationshipId) ||
                    (t.kind === 'removeAssignment' && t.relationshipId === k.relationshipId && t.assignmentId === `a-${ri}-${ai}`) ||
                    (t.kind === 'removeRelationshipRoles' &&
                      t.relationshipId === k.relationshipId &&
                      t.roleDefinitionIds.includes(k.roleDefinitionId)) ||
                    (t.kind === 'setAssignmentRoles' &&
                      t.relationshipId === k.relationshipId &&
                      t.assignmentId === `a-${ri}-${ai}` &&
                      !t.roleDefinitionIds.includes(k.roleDefinitionId)),
                ),
            );
            assert.ok(stillGrants, `${k.relationshipId} still grants ${k.roleDefinitionId} to ${k.groupId}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
