/**
 * Typed statuses of the domain model and the groups every layer branches on, defined once.
 *
 * The API's enums are evolvable (docs/api-notes.md §12.5): a value this build does not know must survive
 * reading, caching and printing unchanged. Each status type is therefore the known literals plus
 * `(string & {})`, which keeps editor completion for the known ones and still accepts any string.
 */

export const RELATIONSHIP_STATUSES = [
  'created',
  'approvalPending',
  'approved',
  'activating',
  'active',
  'expiring',
  'expired',
  'terminationRequested',
  'terminating',
  'terminated',
] as const;
export type KnownRelationshipStatus = (typeof RELATIONSHIP_STATUSES)[number];
export type RelationshipStatus = KnownRelationshipStatus | (string & {});

export const ACCESS_ASSIGNMENT_STATUSES = ['pending', 'active', 'deleting', 'deleted', 'error'] as const;
export type KnownAccessAssignmentStatus = (typeof ACCESS_ASSIGNMENT_STATUSES)[number];
export type AccessAssignmentStatus = KnownAccessAssignmentStatus | (string & {});

export const OPERATION_STATUSES = ['notStarted', 'running', 'succeeded', 'failed'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const REQUEST_STATUSES = ['created', 'pending', 'succeeded', 'failed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** DAP state words (Partner Center `allowDelegatedAccess`, docs/api-notes.md §8.3) used where a status is expected. */
export type DapStatus = 'dapOn' | 'dapOff';

/** Relationship status groups. Every "is it pending / ending / ended" question in the code asks these. */
export const RELATIONSHIP_STATUS_GROUPS = {
  /** Not yet active: still being set up or waiting for the customer (docs/api-notes.md §2.7). */
  pending: ['created', 'approvalPending', 'approved', 'activating'],
  /** On the way out: still grants access for now. */
  ending: ['terminationRequested', 'terminating', 'expiring'],
  /** Over: grants nothing. */
  ended: ['terminated', 'expired'],
  /** A terminate request was accepted and the service is carrying it out (docs/api-notes.md §4.3). */
  terminateInFlight: ['terminationRequested', 'terminating'],
  /** Access assignments exist and can be listed (active, or still active while ending). */
  withAssignments: ['active', 'expiring', 'terminationRequested', 'terminating'],
} as const satisfies Record<string, readonly KnownRelationshipStatus[]>;
export type RelationshipStatusGroupName = keyof typeof RELATIONSHIP_STATUS_GROUPS;

/** Access assignment status groups. */
export const ACCESS_ASSIGNMENT_STATUS_GROUPS = {
  /** The removal was accepted or is complete (docs/api-notes.md §3.13, §14.4). */
  removing: ['deleting', 'deleted'],
} as const satisfies Record<string, readonly KnownAccessAssignmentStatus[]>;

export function isRelationshipStatusIn(group: RelationshipStatusGroupName, status: string | null | undefined): boolean {
  return status !== null && status !== undefined && (RELATIONSHIP_STATUS_GROUPS[group] as readonly string[]).includes(status);
}

export function isAccessAssignmentStatusIn(
  group: keyof typeof ACCESS_ASSIGNMENT_STATUS_GROUPS,
  status: string | null | undefined,
): boolean {
  return status !== null && status !== undefined && (ACCESS_ASSIGNMENT_STATUS_GROUPS[group] as readonly string[]).includes(status);
}

/** The coarse class of a relationship status; `unknown` for a value this build does not know. */
export type RelationshipStatusClass = 'active' | 'pending' | 'ending' | 'ended' | 'unknown';

export function classifyRelationshipStatus(status: string): RelationshipStatusClass {
  if (status === 'active') {
    return 'active';
  }
  if (isRelationshipStatusIn('pending', status)) {
    return 'pending';
  }
  if (isRelationshipStatusIn('ending', status)) {
    return 'ending';
  }
  if (isRelationshipStatusIn('ended', status)) {
    return 'ended';
  }
  return 'unknown';
}

export function isKnownRelationshipStatus(status: string): status is KnownRelationshipStatus {
  return (RELATIONSHIP_STATUSES as readonly string[]).includes(status);
}

export function isKnownAccessAssignmentStatus(status: string): status is KnownAccessAssignmentStatus {
  return (ACCESS_ASSIGNMENT_STATUSES as readonly string[]).includes(status);
}
