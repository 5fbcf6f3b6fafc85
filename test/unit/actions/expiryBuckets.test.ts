import { strict as assert } from 'node:assert';
import { expiryBucketOf, expiryBuckets, expiryReason } from '../../../src/core/actions/expiryBuckets';
import type { RelationshipLike } from '../../../src/core/actions/relationshipFacts';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../../src/core/roles/roleCatalog';

const NOW = new Date('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number): string => new Date(NOW.getTime() + offsetMs).toISOString();
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

function rel(id: string, endOffsetMs: number, extra: Partial<RelationshipLike> = {}): RelationshipLike {
  return { id, status: 'active', endDateTime: at(endOffsetMs), autoExtendDuration: 'PT0S', roleDefinitionIds: [HELPDESK], ...extra };
}

describe('expiry buckets', () => {
  it('puts each relationship that will not extend in the tightest bucket, soonest first', () => {
    const buckets = expiryBuckets(
      [
        rel('in-20-days', 20 * DAY),
        rel('in-3-hours', 3 * HOUR),
        rel('in-1-day-exactly', DAY),
        rel('in-1-day-and-a-minute', DAY + 60_000),
        rel('in-7-days', 7 * DAY),
        rel('in-31-days', 31 * DAY),
        rel('in-2-days', 2 * DAY),
      ],
      NOW,
    );
    assert.deepEqual(
      buckets['1'].map((e) => e.id),
      ['in-3-hours', 'in-1-day-exactly'],
    );
    assert.deepEqual(
      buckets['7'].map((e) => e.id),
      ['in-1-day-and-a-minute', 'in-2-days', 'in-7-days'],
    );
    assert.deepEqual(
      buckets['30'].map((e) => e.id),
      ['in-20-days'],
    );
    assert.deepEqual(buckets.ended30, []);
    assert.equal(buckets['1'][0]?.daysUntilEnd, 1);
    assert.equal(buckets['1'][0]?.reason, 'noAutoExtend');
  });

  it('gives the reason globalAdministrator when GA blocks auto-extend, even with P180D set', () => {
    const ga = rel('ga', 5 * DAY, { autoExtendDuration: 'P180D', roleDefinitionIds: [HELPDESK, GLOBAL_ADMINISTRATOR_ROLE_ID] });
    assert.equal(expiryReason(ga), 'globalAdministrator');
    const buckets = expiryBuckets([ga], NOW);
    assert.equal(buckets['7'][0]?.reason, 'globalAdministrator');
  });

  it('leaves out relationships that renew themselves, and works on the inventory shape (roles)', () => {
    const extending = rel('auto', 2 * DAY, { autoExtendDuration: 'P180D' });
    assert.equal(expiryBucketOf(extending, NOW), null);
    const inventoryShape: RelationshipLike = {
      id: 'inv',
      status: 'active',
      endDateTime: at(2 * DAY),
      autoExtendDuration: 'P180D',
      roles: [{ roleDefinitionId: GLOBAL_ADMINISTRATOR_ROLE_ID }],
    };
    assert.equal(expiryBucketOf(inventoryShape, NOW), '7');
    assert.equal(expiryReason(inventoryShape), 'globalAdministrator');
  });

  it('ended30 holds relationships the calendar ended in the last 30 days, never terminated ones', () => {
    const buckets = expiryBuckets(
      [
        rel('expired-yesterday', -DAY, { status: 'expired' }),
        rel('expiring-now', -HOUR, { status: 'expiring' }),
        rel('active-past-end', -2 * DAY),
        rel('expired-long-ago', -31 * DAY, { status: 'expired' }),
        rel('terminated', -DAY, { status: 'terminated' }),
        rel('terminating', -DAY, { status: 'terminating' }),
      ],
      NOW,
    );
    assert.deepEqual(
      buckets.ended30.map((e) => e.id),
      ['active-past-end', 'expired-yesterday', 'expiring-now'],
    );
    assert.ok(buckets.ended30.every((e) => e.reason === 'noAutoExtend' && e.daysUntilEnd <= 0));
  });

  it('only active relationships are in the ending buckets; no end date is in none', () => {
    assert.equal(expiryBucketOf(rel('pending', DAY, { status: 'approvalPending' }), NOW), null);
    assert.equal(expiryBucketOf({ ...rel('no-end', 0), endDateTime: null }, NOW), null);
  });

  it('withinDays narrows the ending buckets but not ended30', () => {
    const buckets = expiryBuckets([rel('in-5', 5 * DAY), rel('in-20', 20 * DAY), rel('ended', -DAY, { status: 'expired' })], NOW, 7);
    assert.deepEqual(
      buckets['7'].map((e) => e.id),
      ['in-5'],
    );
    assert.deepEqual(buckets['30'], []);
    assert.equal(buckets.ended30.length, 1);
  });
});
