/**
 * Domain models produced by the normalisers from parsed Graph records (docs/api-notes.md §2).
 * Enum-valued fields keep the string exactly as the API sent it (evolvable enums, §12.5);
 * use the `classify*` helpers to branch on them. Dates are the API's strings (7-digit fractions
 * kept, `""` mapped to null).
 */

import type { AccessAssignmentStatus, RelationshipStatus } from '../domain/status';

// The status types and their groups live in the domain model, once; re-exported for the graph layer.
export {
  ACCESS_ASSIGNMENT_STATUSES,
  OPERATION_STATUSES,
  RELATIONSHIP_STATUSES,
  REQUEST_STATUSES,
  type AccessAssignmentStatus,
  type OperationStatus,
  type RelationshipStatus,
  type RequestStatus,
} from '../domain/status';

export type RequestAction = 'lockForApproval' | 'approve' | 'terminate' | 'reject';

export interface CustomerParticipant {
  readonly tenantId: string | null;
  readonly displayName: string | null;
}

export interface Relationship {
  /** `resellerRelationship` for `#microsoft.graph.resellerDelegatedAdminRelationship` items. */
  readonly type: 'relationship' | 'resellerRelationship';
  readonly id: string;
  readonly displayName: string;
  /** Verbatim from the API (unknown values kept). */
  readonly status: RelationshipStatus;
  /** Null for relationships created for approval by any customer (no tenant yet). */
  readonly customer: CustomerParticipant | null;
  readonly roleDefinitionIds: readonly string[];
  readonly duration: string | null;
  readonly autoExtendDuration: string | null;
  readonly createdDateTime: string | null;
  readonly activatedDateTime: string | null;
  readonly endDateTime: string | null;
  readonly lastModifiedDateTime: string | null;
  /** `@odata.etag` verbatim, e.g. `W/"JyIw…Jw=="`. */
  readonly etag: string | null;
  readonly indirectProviderTenantId?: string | null;
  readonly isPartnerConsentPending?: boolean | null;
}

export interface AccessContainer {
  readonly accessContainerId: string;
  /** Verbatim (`securityGroup` or a future value). */
  readonly accessContainerType: string;
}

export interface AccessAssignment {
  readonly id: string;
  readonly relationshipId: string;
  /** Verbatim from the API (unknown values kept). */
  readonly status: AccessAssignmentStatus;
  readonly accessContainer: AccessContainer;
  readonly roleDefinitionIds: readonly string[];
  readonly createdDateTime: string | null;
  readonly lastModifiedDateTime: string | null;
  readonly etag: string | null;
}

export interface DelegatedAdminCustomer {
  readonly id: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly etag: string | null;
}

export interface ServiceManagementDetail {
  readonly id: string;
  readonly serviceName: string;
  readonly serviceManagementUrl: string;
}

export interface RelationshipRequest {
  readonly id: string;
  readonly relationshipId: string;
  /** Verbatim; `unknownFutureValue` stands for `reject` unless the Prefer header was sent (§12.6). */
  readonly action: string;
  readonly status: string;
  readonly createdDateTime: string | null;
  readonly lastModifiedDateTime: string | null;
  readonly etag: string | null;
}

export interface RelationshipOperation {
  readonly id: string;
  readonly relationshipId: string;
  readonly operationType: string;
  readonly status: string;
  /** `data` parsed once more (it is a JSON string inside JSON, §12.7); null when absent or unparsable. */
  readonly data: unknown;
  /** `data` exactly as sent. */
  readonly rawData: string | null;
  readonly createdDateTime: string | null;
  readonly lastModifiedDateTime: string | null;
  readonly etag: string | null;
}
