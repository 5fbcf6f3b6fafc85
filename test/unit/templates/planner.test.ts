import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { createdName, managedRelationship, planTemplate } from '../../../src/core/templates/planner';
import { exportTemplate } from '../../../src/core/templates/exportTemplate';
import { parseTemplate, type GdapTemplate } from '../../../src/core/templates/templateModel';
import { assignment, group, inventory, relationship, ROLE, simulateApply, tenant } from './fixtures';

function template(json: unknown): GdapTemplate {
  const r = parseTemplate(JSON.stringify(json));
  if (!r.ok) {
    throw new Error(JSON.stringify(r.problems));
  }
  return r.template;
}

const C1 = tenant(1);
const C2 = tenant(2);
const G1 = group(1);
const G2 = group(2);
const G3 = group(3);

const standard = (extra: object = {}): GdapTemplate =>
  template({
    version: 1,
    relationships: [
      {
        name: 'Standard support',
        customers: [C1],
        autoExtend: true,
        roles: ['Helpdesk Administrator', 'User Administrator'],
        assignments: [
          { group: G1, roles: ['Helpdesk Administrator'] },
          { group: G2, roles: ['User Administrator'] },
        ],
        ...extra,
      },
    ],
  });

describe('template planner', () => {
  it('creates a relationship (uniquely named, with its planned assignments) for a customer without one', () => {
    const inv = inventory([
      { tenantId: C1, relationships: [relationship(C1, 'Standard support (00000001)', [ROLE.globalReader], { status: 'terminated' })] },
    ]);
    const plan = planTemplate(standard(), inv);
    assert.equal(plan.changes.length, 1);
    const [c] = plan.changes;
    assert.equal(c.action, 'create');
    assert.equal(c.relationshipId, null);
    assert.equal(c.reason, null);
    assert.deepEqual(c.after, {
      name: 'Standard support (00000001-2)',
      roles: ['Helpdesk Administrator', 'User Administrator'],
      duration: 'P730D',
      autoExtend: true,
      assignments: [
        { group: G1, roles: ['Helpdesk Administrator'] },
        { group: G2, roles: ['User Administrator'] },
      ],
    });
    assert.deepEqual(plan.summary, { create: 1 });
  });

  it('assigns, changes roles and reports extra assignments as drift; removes them only when exclusive', () => {
    const r = relationship(C1, 'Standard support', [ROLE.helpdesk, ROLE.userAdmin], { autoExtendDuration: 'P180D' });
    const extra = assignment(G3, [ROLE.helpdesk]);
    const wrong = assignment(G2, [ROLE.helpdesk]);
    const inv = inventory([{ tenantId: C1, relationships: [{ ...r, accessAssignments: [wrong, extra] }] }]);
    const plan = planTemplate(standard(), inv);
    assert.deepEqual(
      plan.changes.map((c) => [c.action, c.groupId, c.before, c.after]),
      [
        ['setRoles', G2, { roles: ['Helpdesk Administrator'] }, { roles: ['User Administrator'] }],
        ['assign', G1, null, { roles: ['Helpdesk Administrator'] }],
      ],
    );
    assert.equal(plan.drift.length, 1);
    assert.equal(plan.drift[0].groupId, G3);
    const exclusive = planTemplate(standard({ exclusive: true }), inv);
    assert.deepEqual(
      exclusive.changes.map((c) => c.action),
      ['setRoles', 'assign', 'unassign'],
    );
    assert.equal(exclusive.drift.length, 0);
    // G1 gets Helpdesk Administrator back, so removing G3 loses nothing.
    assert.equal(exclusive.changes[2].lostRoles, undefined);
  });

  it('calls out a removal that takes the last access to a role in the customer', () => {
    const r = relationship(C1, 'Standard support', [ROLE.helpdesk, ROLE.userAdmin, ROLE.exchange], { autoExtendDuration: 'P180D' });
    const inv = inventory([
      {
        tenantId: C1,
        relationships: [
          {
            ...r,
            roles: r.roles,
            accessAssignments: [assignment(G1, [ROLE.helpdesk]), assignment(G2, [ROLE.userAdmin]), assignment(G3, [ROLE.exchange])],
          },
        ],
      },
    ]);
    const t = template({
      version: 1,
      relationships: [
        {
          name: 'Standard support',
          customers: [C1],
          exclusive: true,
          roles: ['Helpdesk Administrator', 'User Administrator', 'Exchange Administrator'],
          assignments: [
            { group: G1, roles: ['Helpdesk Administrator'] },
            { group: G2, roles: ['User Administrator'] },
          ],
        },
      ],
    });
    const plan = planTemplate(t, inv);
    assert.equal(plan.changes.length, 1);
    assert.equal(plan.changes[0].action, 'unassign');
    assert.deepEqual(plan.changes[0].lostRoles, ['Exchange Administrator']);
    assert.match(plan.changes[0].warning ?? '', /last access to Exchange Administrator/);
  });

  it('turns auto-extend on or off only when the entry says so', () => {
    const inv = inventory([{ tenantId: C1, relationships: [relationship(C1, 'Standard support x', [ROLE.helpdesk, ROLE.userAdmin])] }]);
    const on = planTemplate(standard({ assignments: [] }), inv);
    assert.deepEqual(
      on.changes.map((c) => [c.action, c.before, c.after]),
      [['autoExtendOn', 'PT0S', 'P180D']],
    );
    const unmanaged = planTemplate(standard({ assignments: [], autoExtend: undefined }), inv);
    assert.equal(unmanaged.changes.length, 0);
  });

  it('removes Global Administrator in place, then turns auto-extend on; other role changes need a successor', () => {
    const withGa = relationship(C1, 'Standard support', [ROLE.helpdesk, ROLE.userAdmin, ROLE.ga]);
    const plan = planTemplate(standard({ assignments: [] }), inventory([{ tenantId: C1, relationships: [withGa] }]));
    assert.deepEqual(
      plan.changes.map((c) => c.action),
      ['removeGa', 'autoExtendOn'],
    );
    const other = relationship(C1, 'Standard support', [ROLE.helpdesk]);
    const successor = planTemplate(standard(), inventory([{ tenantId: C1, relationships: [other] }]));
    assert.equal(successor.changes.length, 1);
    assert.equal(successor.changes[0].action, 'create');
    assert.equal(successor.changes[0].successorOf, other.id);
    assert.deepEqual(successor.changes[0].before, {
      relationshipId: other.id,
      name: 'Standard support',
      roles: ['Helpdesk Administrator'],
    });
    assert.match(successor.changes[0].warning ?? '', /successor/);
  });

  it('manages the newest active relationship whose name starts with the entry name; pending ones are waited for', () => {
    const older = relationship(C1, 'Standard support A', [ROLE.helpdesk], { activatedDateTime: '2025-01-01T00:00:00Z' });
    const newer = relationship(C1, 'standard SUPPORT B', [ROLE.helpdesk], { activatedDateTime: '2026-01-01T00:00:00Z' });
    const other = relationship(C1, 'Other', [ROLE.helpdesk], { activatedDateTime: '2027-01-01T00:00:00Z' });
    assert.equal(managedRelationship([older, newer, other], 'Standard support')?.id, newer.id);
    const pending = relationship(C1, 'Standard support (00000001)', [ROLE.helpdesk, ROLE.userAdmin], { status: 'approvalPending' });
    const plan = planTemplate(standard(), inventory([{ tenantId: C1, relationships: [pending] }]));
    assert.equal(plan.changes.length, 0);
    assert.deepEqual(
      plan.waiting.map((w) => [w.relationshipId, w.status]),
      [[pending.id, 'approvalPending']],
    );
  });

  it('lists what cannot be done with the reason: a customer that is not the partner’s', () => {
    const plan = planTemplate(standard({ customers: [C2] }), inventory([{ tenantId: C1, relationships: [] }]));
    assert.equal(plan.changes.length, 1);
    assert.equal(plan.changes[0].action, 'create');
    assert.match(plan.changes[0].reason ?? '', /not one of your customers/);
    assert.equal(plan.blocked, 1);
  });

  it('"*" covers every customer with an active relationship, in tenant order', () => {
    const inv = inventory([
      { tenantId: C2, relationships: [relationship(C2, 'Other', [ROLE.helpdesk])] },
      { tenantId: C1, relationships: [relationship(C1, 'Other', [ROLE.helpdesk])] },
      { tenantId: tenant(3), relationships: [relationship(tenant(3), 'Old', [ROLE.helpdesk], { status: 'expired' })] },
    ]);
    const plan = planTemplate(standard({ customers: '*' }), inv);
    assert.deepEqual(
      plan.changes.map((c) => [c.action, c.customerTenantId]),
      [
        ['create', C1],
        ['create', C2],
      ],
    );
  });

  it('makes unique names within one plan and refuses a name that cannot fit', () => {
    assert.equal(createdName('Support', C1, new Set()), 'Support (00000001)');
    assert.equal(createdName('Support', C1, new Set(['support (00000001)', 'support (00000001-2)'])), 'Support (00000001-3)');
    assert.equal(createdName('x'.repeat(45), C1, new Set()), undefined);
  });

  describe('properties', () => {
    const roles = [ROLE.helpdesk, ROLE.userAdmin, ROLE.exchange, ROLE.globalReader];
    const groups = [G1, G2, G3];
    const tenants = [C1, C2, tenant(3)];
    const roleSet = fc.subarray(roles, { minLength: 1 });
    const arbAssignment = fc.record({
      group: fc.constantFrom(...groups),
      roles: roleSet,
      status: fc.constantFrom('active', 'active', 'pending'),
    });
    const arbRelationship = fc.record({
      name: fc.constantFrom('Standard support', 'Standard support (old)', 'standard SUPPORT', 'Other', 'Premium'),
      roles: roleSet,
      ga: fc.boolean(),
      status: fc.constantFrom('active', 'active', 'active', 'approvalPending', 'terminated', 'expired'),
      autoExtend: fc.boolean(),
      assignments: fc.array(arbAssignment, { maxLength: 4 }),
      day: fc.integer({ min: 1, max: 28 }),
    });
    const arbInventory = fc.array(fc.array(arbRelationship, { maxLength: 3 }), { minLength: 3, maxLength: 3 }).map((perCustomer) =>
      inventory(
        perCustomer.map((rels, i) => ({
          tenantId: tenants[i],
          relationships: rels.map((x) => {
            const allRoles = x.ga ? [...x.roles, ROLE.ga] : x.roles;
            const seen = new Set<string>();
            return relationship(tenants[i], x.name, allRoles, {
              status: x.status,
              activatedDateTime: x.status === 'active' ? `2026-01-${String(x.day).padStart(2, '0')}T00:00:00Z` : null,
              autoExtendDuration: x.autoExtend ? 'P180D' : 'PT0S',
              ...(x.status === 'active'
                ? {
                    accessAssignments: x.assignments
                      .filter((a) => !seen.has(a.group) && seen.add(a.group) !== undefined)
                      .map((a) =>
                        assignment(
                          a.group,
                          a.roles.filter((r) => allRoles.includes(r)).length > 0
                            ? a.roles.filter((r) => allRoles.includes(r))
                            : [allRoles[0]],
                          a.status,
                        ),
                      ),
                  }
                : {}),
            });
          }),
        })),
      ),
    );
    const arbTemplate = fc
      .record({
        roles: roleSet,
        customers: fc.oneof(fc.constant('*' as const), fc.subarray(tenants, { minLength: 1 })),
        autoExtend: fc.constantFrom(true, false, undefined),
        exclusive: fc.boolean(),
        assignments: fc.uniqueArray(
          fc.record({ group: fc.constantFrom(...groups), pick: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }) }),
          {
            selector: (a) => a.group,
            maxLength: 3,
          },
        ),
      })
      .map((t) =>
        template({
          version: 1,
          relationships: [
            {
              name: 'Standard support',
              customers: t.customers,
              ...(t.autoExtend !== undefined ? { autoExtend: t.autoExtend } : {}),
              exclusive: t.exclusive,
              roles: t.roles,
              assignments: t.assignments.map((a) => ({
                group: a.group,
                roles: [...new Set(a.pick.map((p) => t.roles[p % t.roles.length]))],
              })),
            },
          ],
        }),
      );

    it('apply(plan(s, t)) then plan again: no changes (before and after the customer approves)', () => {
      fc.assert(
        fc.property(arbInventory, arbTemplate, (inv, t) => {
          const plan = planTemplate(t, inv);
          const actionable = (p: typeof plan): unknown[] =>
            p.changes.filter((c) => c.reason === null).map((c) => [c.action, c.customerTenantId, c.groupId]);
          const blocked = (p: typeof plan): unknown[] =>
            p.changes.filter((c) => c.reason !== null).map((c) => [c.action, c.customerTenantId, c.groupId]);
          const again = planTemplate(t, simulateApply(inv, plan));
          assert.deepEqual(actionable(again), [], JSON.stringify(again.changes));
          // What could not be done is still reported, unchanged; nothing new appears.
          assert.deepEqual(blocked(again), blocked(plan));
          const approved = planTemplate(t, simulateApply(inv, plan, true));
          assert.deepEqual(actionable(approved), [], JSON.stringify(approved.changes));
        }),
        { numRuns: 300 },
      );
    });

    it('is deterministic: the same input gives the same plan, whatever the order the service listed things in', () => {
      fc.assert(
        fc.property(arbInventory, arbTemplate, (inv, t) => {
          const reversed = {
            ...inv,
            customers: [...inv.customers].reverse().map((c) => ({ ...c, relationships: [...c.relationships].reverse() })),
          };
          assert.deepEqual(JSON.stringify(planTemplate(t, inv)), JSON.stringify(planTemplate(t, reversed)));
        }),
        { numRuns: 200 },
      );
    });

    it('export then plan: nothing to change', () => {
      fc.assert(
        fc.property(arbInventory, (inv) => {
          const file = exportTemplate(inv);
          const parsed = parseTemplate(JSON.stringify(file));
          assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
          const plan = planTemplate(parsed.template, inv);
          assert.deepEqual(
            plan.changes.map((c) => [c.action, c.customerTenantId, c.reason]),
            [],
          );
        }),
        { numRuns: 200 },
      );
    });
  });
});
