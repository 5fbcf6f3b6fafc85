import * as assert from 'node:assert/strict';
import { summarizeCustomer, type SummaryRelationship } from '../../../../src/core/domain/customerSummary';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../../../src/core/roles/roleCatalog';

const NOW = new Date('2026-01-01T00:00:00Z');

const rel = (id: string, over: Partial<SummaryRelationship> = {}): SummaryRelationship => ({
  id,
  displayName: `Rel ${id}`,
  status: 'active',
  endDateTime: '2026-06-01T00:00:00Z',
  autoExtendDuration: 'PT0S',
  roleDefinitionIds: [],
  ...over,
});

describe('summarizeCustomer', () => {
  it('counts relationships by status, most frequent first', () => {
    const s = summarizeCustomer(
      [rel('a'), rel('b'), rel('c', { status: 'expired' }), rel('d', { status: 'approvalPending' }), rel('e', { status: 'somethingNew' })],
      NOW,
    );
    assert.deepEqual(s.byStatus, [
      { status: 'active', count: 2 },
      { status: 'approvalPending', count: 1 },
      { status: 'expired', count: 1 },
      { status: 'somethingNew', count: 1 },
    ]);
  });

  it('the next end is the earliest active end date, auto-extending ones included', () => {
    const s = summarizeCustomer(
      [
        rel('late', { endDateTime: '2026-09-01T00:00:00Z' }),
        rel('soon', { endDateTime: '2026-01-10T12:00:00Z', autoExtendDuration: 'P180D' }),
        rel('gone', { status: 'expired', endDateTime: '2025-01-01T00:00:00Z' }),
      ],
      NOW,
    );
    assert.deepEqual(s.nextEnd, { id: 'soon', displayName: 'Rel soon', endDateTime: '2026-01-10T12:00:00Z', days: 10 });
  });

  it('lapsing: active relationships without auto-extend, soonest first; Global Administrator never auto-extends', () => {
    const s = summarizeCustomer(
      [
        rel('extends', { autoExtendDuration: 'P180D', endDateTime: '2026-01-05T00:00:00Z' }),
        rel('ga', {
          autoExtendDuration: 'P180D',
          roleDefinitionIds: [GLOBAL_ADMINISTRATOR_ROLE_ID],
          endDateTime: '2026-03-01T00:00:00Z',
        }),
        rel('plain', { endDateTime: '2026-02-01T00:00:00Z' }),
        rel('pending', { status: 'approvalPending', endDateTime: '2026-01-02T00:00:00Z' }),
      ],
      NOW,
    );
    assert.deepEqual(
      s.lapsing.map((e) => [e.id, e.days]),
      [
        ['plain', 31],
        ['ga', 59],
      ],
    );
  });

  it('an end date already passed counts 0 days; no end date, no entry', () => {
    const s = summarizeCustomer([rel('past', { endDateTime: '2025-12-31T00:00:00Z' }), rel('none', { endDateTime: null })], NOW);
    assert.equal(s.nextEnd?.id, 'past');
    assert.equal(s.nextEnd?.days, 0);
    assert.deepEqual(
      s.lapsing.map((e) => e.id),
      ['past'],
    );
  });

  it('invitations by approval state: draft, awaiting approval, approved', () => {
    const s = summarizeCustomer(
      [
        rel('c', { status: 'created', displayName: 'C draft' }),
        rel('a', { status: 'approvalPending', displayName: 'A waiting' }),
        rel('b', { status: 'activating', displayName: 'B activating' }),
        rel('d', { status: 'approved', displayName: 'D approved' }),
        rel('x', { status: 'terminated', displayName: 'X ended' }),
      ],
      NOW,
    );
    assert.deepEqual(
      s.pendingInvitations.map((i) => [i.displayName, i.state]),
      [
        ['A waiting', 'awaitingApproval'],
        ['B activating', 'approved'],
        ['C draft', 'draft'],
        ['D approved', 'approved'],
      ],
    );
  });

  it('a customer with no relationships has an empty summary', () => {
    assert.deepEqual(summarizeCustomer([], NOW), { byStatus: [], nextEnd: null, lapsing: [], pendingInvitations: [] });
  });
});
