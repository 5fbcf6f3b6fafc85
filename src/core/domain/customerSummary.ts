import { autoExtends, daysUntilEnd, parseApiDate, type RelationshipLike } from '../actions/relationshipFacts';

/**
 * What a partner first asks about a customer, from its relationships: how many in each status, which
 * ends next, which will lapse (active, ends without auto-extend), and where the pending invitations
 * stand. Pure; the tree words it, so this stays free of language and VS Code.
 */

export interface SummaryRelationship extends RelationshipLike {
  readonly displayName: string;
}

export interface StatusCount {
  /** API status string, as sent. */
  readonly status: string;
  readonly count: number;
}

export interface EndingRelationship {
  readonly id: string;
  readonly displayName: string;
  readonly endDateTime: string;
  /** Whole days from `now`, rounded up; 0 once passed. */
  readonly days: number;
}

/** Where an invitation (a relationship not active yet) stands with the customer. */
export type ApprovalState = 'draft' | 'awaitingApproval' | 'approved';

export interface PendingInvitation {
  readonly id: string;
  readonly displayName: string;
  readonly state: ApprovalState;
}

export interface CustomerSummary {
  /** Most frequent first, then by status name; statuses with no relationship are left out. */
  readonly byStatus: readonly StatusCount[];
  /** The active relationship whose end date comes first (auto-extending ones included), or null. */
  readonly nextEnd: EndingRelationship | null;
  /** Active relationships that end without auto-extending, soonest first: access is lost on that date. */
  readonly lapsing: readonly EndingRelationship[];
  readonly pendingInvitations: readonly PendingInvitation[];
}

const APPROVAL_STATES: Readonly<Record<string, ApprovalState>> = {
  created: 'draft',
  approvalPending: 'awaitingApproval',
  approved: 'approved',
  activating: 'approved',
};

function ending(r: SummaryRelationship, now: Date): EndingRelationship | null {
  const days = daysUntilEnd(r, now);
  if (days === null || r.endDateTime === null) {
    return null;
  }
  return { id: r.id, displayName: r.displayName, endDateTime: r.endDateTime, days: Math.max(0, days) };
}

function byEnd(a: EndingRelationship, b: EndingRelationship): number {
  return (parseApiDate(a.endDateTime) ?? 0) - (parseApiDate(b.endDateTime) ?? 0) || a.displayName.localeCompare(b.displayName);
}

export function summarizeCustomer(relationships: readonly SummaryRelationship[], now: Date): CustomerSummary {
  const counts = new Map<string, number>();
  for (const r of relationships) {
    counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  }
  const byStatus = [...counts.entries()]
    .map(([status, count]) => ({ status, count }))
    .sort((a, b) => b.count - a.count || a.status.localeCompare(b.status));

  const active = relationships.filter((r) => r.status === 'active');
  const ends = active.map((r) => ending(r, now)).filter((e): e is EndingRelationship => e !== null);
  ends.sort(byEnd);
  const lapsing = active
    .filter((r) => !autoExtends(r))
    .map((r) => ending(r, now))
    .filter((e): e is EndingRelationship => e !== null)
    .sort(byEnd);

  const pendingInvitations = relationships
    .filter((r) => APPROVAL_STATES[r.status] !== undefined)
    .map((r) => ({ id: r.id, displayName: r.displayName, state: APPROVAL_STATES[r.status] }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));

  return { byStatus, nextEnd: ends[0] ?? null, lapsing, pendingInvitations };
}
