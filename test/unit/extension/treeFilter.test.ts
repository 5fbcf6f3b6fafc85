import { strict as assert } from 'node:assert';
import type { InventoryRelationship } from '../../../src/core/actions/inventory';
import { relationshipMatches } from '../../../src/extension/tree/treeFilter';

const now = new Date('2026-06-01T00:00:00Z');
const rel: InventoryRelationship = {
  id: 'ABC-123',
  displayName: 'Contoso Support',
  status: 'active',
  createdDateTime: null,
  activatedDateTime: null,
  endDateTime: '2027-06-01T00:00:00Z',
  duration: 'P730D',
  autoExtendDuration: null,
  customer: { tenantId: 'T-9', displayName: 'Contoso Ltd' },
  roles: [],
};
const text = (t: string): { text: string; status: 'all' } => ({ text: t, status: 'all' });

describe('tree filter', () => {
  it('matches the name, id, customer name and tenant id, ignoring case', () => {
    for (const t of ['support', 'abc-1', 'LTD', 't-9', 'Contoso']) {
      assert.equal(relationshipMatches(rel, text(t), now, 30), true, t);
    }
    assert.equal(relationshipMatches(rel, text('fabrikam'), now, 30), false);
  });

  it('never matches across two fields', () => {
    assert.equal(relationshipMatches(rel, text('supportabc'), now, 30), false);
    assert.equal(relationshipMatches(rel, text('support\u0000abc'), now, 30), false);
  });

  it('a reloaded relationship (a new object) is matched by its new name', () => {
    assert.equal(relationshipMatches(rel, text('renamed'), now, 30), false);
    assert.equal(relationshipMatches({ ...rel, displayName: 'Renamed' }, text('renamed'), now, 30), true);
  });

  it('the status filter applies before the text', () => {
    assert.equal(relationshipMatches(rel, { text: 'contoso', status: 'active' }, now, 30), true);
    assert.equal(relationshipMatches(rel, { text: 'contoso', status: 'ended' }, now, 30), false);
  });
});
