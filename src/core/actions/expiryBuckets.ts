import { autoExtends, daysUntilEnd, includesGlobalAdministrator, parseApiDate, type RelationshipLike } from './relationshipFacts';

/*
 * The calendar radar (docs/renewal.md): which relationships will stop granting access by themselves, and
 * how soon. Pure, `now` a parameter, shared by `gdap expiring --bucket` and the extension's radar, badge
 * and notifications. Distinct from the API status `expiring` (the end date has already passed).
 */

/** Why a relationship will not extend by itself: auto-extend is off, or Global Administrator blocks it (docs/api-notes.md §4.1). */
export type ExpiryReason = 'noAutoExtend' | 'globalAdministrator';

/** The buckets, tightest first: ends within 1, 7, 30 days, or ended in the last 30 days. Each relationship is in one at most. */
export const EXPIRY_BUCKETS = ['1', '7', '30', 'ended30'] as const;
export type ExpiryBucketName = (typeof EXPIRY_BUCKETS)[number];

export type ExpiryEntry<R extends RelationshipLike> = R & {
  readonly reason: ExpiryReason;
  /** Whole days until the end, rounded up; 0 or negative once passed (see `daysUntilEnd`). */
  readonly daysUntilEnd: number;
};

export type ExpiryBuckets<R extends RelationshipLike> = Record<ExpiryBucketName, ExpiryEntry<R>[]>;

const DAY_MS = 24 * 60 * 60 * 1000;
const UPPER_BOUNDS: readonly (readonly [ExpiryBucketName, number])[] = [
  ['1', 1],
  ['7', 7],
  ['30', 30],
];
/** Statuses the calendar ends in (docs/api-notes.md §2.7); terminations are not among them. */
const CALENDAR_ENDED = new Set(['expiring', 'expired']);
/** How far back "ended" looks. */
export const ENDED_LOOKBACK_DAYS = 30;

/** The reason a relationship will not extend by itself, or null when it will. */
export function expiryReason(relationship: RelationshipLike): ExpiryReason | null {
  if (autoExtends(relationship)) {
    return null;
  }
  return includesGlobalAdministrator(relationship) ? 'globalAdministrator' : 'noAutoExtend';
}

/**
 * The bucket of one relationship at `now`, or null when it is in none.
 * - Ending buckets: status `active`, will not auto-extend, end date from now to 1 / 7 / 30 days ahead.
 * - `ended30`: end date within the last 30 days and the calendar ended it: status `expiring` or `expired`,
 *   or still `active` with a passed end date (not yet updated). A termination is a choice, not a loss of
 *   access by the calendar: terminated or terminating relationships are never in a bucket.
 */
export function expiryBucketOf(relationship: RelationshipLike, now: Date): ExpiryBucketName | null {
  const end = parseApiDate(relationship.endDateTime);
  if (end === null) {
    return null;
  }
  const remaining = end - now.getTime();
  const extendsItself = expiryReason(relationship) === null;
  if (remaining >= 0) {
    if (relationship.status !== 'active' || extendsItself) {
      return null;
    }
    return UPPER_BOUNDS.find(([, days]) => remaining <= days * DAY_MS)?.[0] ?? null;
  }
  const calendarEnded = CALENDAR_ENDED.has(relationship.status) || (relationship.status === 'active' && !extendsItself);
  return calendarEnded && -remaining <= ENDED_LOOKBACK_DAYS * DAY_MS ? 'ended30' : null;
}

/**
 * Sorts relationships into the expiry buckets, each sorted by end date (soonest first, then id).
 * `withinDays` (default 30) leaves out those ending later than that; `ended30` is unaffected by it.
 */
export function expiryBuckets<R extends RelationshipLike>(
  relationships: Iterable<R>,
  now: Date,
  withinDays: number = 30,
): ExpiryBuckets<R> {
  const buckets: ExpiryBuckets<R> = { '1': [], '7': [], '30': [], ended30: [] };
  for (const r of relationships) {
    const bucket = expiryBucketOf(r, now);
    if (bucket === null) {
      continue;
    }
    const end = parseApiDate(r.endDateTime) as number;
    if (bucket !== 'ended30' && end - now.getTime() > withinDays * DAY_MS) {
      continue;
    }
    buckets[bucket].push({
      ...r,
      // An ended relationship has a reason too: it ended because nothing extended it.
      reason: expiryReason(r) ?? 'noAutoExtend',
      daysUntilEnd: daysUntilEnd(r, now) ?? 0,
    });
  }
  for (const list of Object.values(buckets)) {
    list.sort((a, b) => (parseApiDate(a.endDateTime) ?? 0) - (parseApiDate(b.endDateTime) ?? 0) || a.id.localeCompare(b.id));
  }
  return buckets;
}
