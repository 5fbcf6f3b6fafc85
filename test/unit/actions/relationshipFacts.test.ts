import { strict as assert } from 'node:assert';
import {
  approvalLink,
  autoExtends,
  canRemoveAccessAssignment,
  canTerminate,
  classifyRelationship,
  daysUntilEnd,
  includesGlobalAdministrator,
  isExpiring,
  type RelationshipLike,
} from '../../../src/core/actions/relationshipFacts';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const now = new Date('2026-03-01T00:00:00Z');
const rel = (over: Partial<RelationshipLike>): RelationshipLike => ({
  id: 'r1',
  status: 'active',
  endDateTime: '2027-03-01T00:00:00.1234567Z',
  autoExtendDuration: 'PT0S',
  roleDefinitionIds: [],
  ...over,
});

describe('relationshipFacts', () => {
  it('classifies every documented status, unknown values stay unknown', () => {
    const cases: [string, string][] = [
      ['created', 'pending'],
      ['approvalPending', 'pending'],
      ['approved', 'pending'],
      ['activating', 'pending'],
      ['active', 'active'],
      ['terminationRequested', 'ending'],
      ['terminating', 'ending'],
      ['expiring', 'ending'],
      ['terminated', 'ended'],
      ['expired', 'ended'],
      ['unknownFutureValue', 'unknown'],
      ['somethingNew', 'unknown'],
    ];
    for (const [status, expected] of cases) {
      assert.equal(classifyRelationship(rel({ status }), now), expected, status);
    }
  });

  it('expiringSoon within N days (default 30) unless it auto-extends', () => {
    const soon = rel({ endDateTime: '2026-03-13T00:00:00Z' });
    assert.equal(classifyRelationship(soon, now), 'expiringSoon');
    assert.equal(classifyRelationship(soon, now, 7), 'active');
    assert.equal(classifyRelationship({ ...soon, autoExtendDuration: 'P180D' }, now), 'active');
    assert.equal(daysUntilEnd(soon, now), 12);
    assert.equal(daysUntilEnd(rel({ endDateTime: '2026-03-01T03:00:00Z' }), now), 1);
    assert.equal(daysUntilEnd(rel({ endDateTime: null }), now), null);
    assert.equal(daysUntilEnd(rel({ endDateTime: '' }), now), null);
  });

  it('Global Administrator blocks auto-extend; PT0S and P0D never extend', () => {
    assert.equal(autoExtends(rel({ autoExtendDuration: 'P180D' })), true);
    assert.equal(autoExtends(rel({ autoExtendDuration: 'P0D' })), false);
    assert.equal(autoExtends(rel({ autoExtendDuration: null })), false);
    const withGa = rel({ autoExtendDuration: 'P180D', roleDefinitionIds: [GA.toUpperCase()] });
    assert.equal(includesGlobalAdministrator(withGa), true);
    assert.equal(autoExtends(withGa), false);
    assert.equal(includesGlobalAdministrator({ ...rel({}), roleDefinitionIds: undefined, roles: [{ roleDefinitionId: GA }] }), true);
  });

  it('isExpiring: active, ending within N days (not past), not auto-extending', () => {
    assert.equal(isExpiring(rel({ endDateTime: '2026-03-20T00:00:00Z' }), 30, now), true);
    assert.equal(isExpiring(rel({ endDateTime: '2026-04-20T00:00:00Z' }), 30, now), false);
    assert.equal(isExpiring(rel({ endDateTime: '2026-02-20T00:00:00Z' }), 30, now), false);
    assert.equal(isExpiring(rel({ endDateTime: '2026-03-20T00:00:00Z', autoExtendDuration: 'P180D' }), 30, now), false);
    assert.equal(isExpiring(rel({ endDateTime: '2026-03-20T00:00:00Z', status: 'expiring' }), 30, now), false);
  });

  it('terminate/remove apply only to active; approval link only for approvalPending, with the relationship id', () => {
    assert.equal(canTerminate({ status: 'active' }), true);
    assert.equal(canTerminate({ status: 'approvalPending' }), false);
    assert.equal(canRemoveAccessAssignment({ status: 'active' }), true);
    assert.equal(canRemoveAccessAssignment({ status: 'pending' }), false);
    const id = '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836';
    assert.equal(
      approvalLink({ id, status: 'approvalPending' }),
      `https://admin.cloud.microsoft/?#/partners/invitation/granularAdminRelationships/${id}`,
    );
    assert.equal(approvalLink({ id, status: 'active' }), null);
  });
});
