import type { AccessAssignment, Relationship } from '../graph/models';
import type { GdapErrorKind } from '../http/gdapError';
import { domainRoles, type DomainRole } from './roles';
import type { AccessAssignmentStatus, RelationshipStatus } from './status';

/*
 * The domain model: what the tree, the start-up cache and the actions hold. Built from the Graph models
 * with roles resolved (name, privileged flag) and ETags kept, so an action can act on exactly the version
 * shown. The CLI's JSON and CSV are projections of it (./projection.ts), never its source.
 */

export type { DomainRole } from './roles';

export interface DomainAccessAssignment {
  readonly id: string;
  /** Absent in data cached before the domain model kept it. */
  readonly relationshipId?: string;
  /** As the API sent it (unknown values kept). */
  readonly status: AccessAssignmentStatus;
  readonly accessContainer: { readonly accessContainerId: string; readonly accessContainerType: string };
  readonly roles: readonly DomainRole[];
  readonly createdDateTime: string | null;
  readonly lastModifiedDateTime: string | null;
  /** `@odata.etag` as read; null when the service sent none, absent in data cached before ETags were kept. */
  readonly etag?: string | null;
}

export interface DomainRelationship {
  readonly id: string;
  readonly displayName: string;
  /** As the API sent it (unknown values kept). */
  readonly status: RelationshipStatus;
  readonly createdDateTime: string | null;
  readonly activatedDateTime: string | null;
  readonly endDateTime: string | null;
  readonly duration: string | null;
  readonly autoExtendDuration: string | null;
  readonly customer: { readonly tenantId: string | null; readonly displayName: string | null };
  readonly roles: readonly DomainRole[];
  /** `@odata.etag` as read; null when the service sent none (or a cache written before ETags were kept). */
  readonly etag?: string | null;
  /** Present only when assignments were requested, for `active`/`expiring` relationships that loaded. */
  readonly accessAssignments?: readonly DomainAccessAssignment[];
  /** Present only when loading this relationship's assignments failed. */
  readonly accessAssignmentsError?: { readonly kind: GdapErrorKind; readonly message: string };
}

export function domainAccessAssignment(a: AccessAssignment): DomainAccessAssignment {
  return {
    id: a.id,
    relationshipId: a.relationshipId,
    status: a.status,
    accessContainer: { accessContainerId: a.accessContainer.accessContainerId, accessContainerType: a.accessContainer.accessContainerType },
    roles: domainRoles(a.roleDefinitionIds),
    createdDateTime: a.createdDateTime,
    lastModifiedDateTime: a.lastModifiedDateTime,
    etag: a.etag,
  };
}

/** What a relationship's assignment read gave: its assignments, or why they could not be read. */
export type LoadedAssignments =
  | { readonly accessAssignments: readonly DomainAccessAssignment[] }
  | { readonly accessAssignmentsError: { readonly kind: GdapErrorKind; readonly message: string } };

/** The domain relationship, with what its assignment read gave when there was one (one object, no copy). */
export function domainRelationship(r: Relationship, loaded?: LoadedAssignments): DomainRelationship {
  const d: { -readonly [K in keyof DomainRelationship]: DomainRelationship[K] } = {
    id: r.id,
    displayName: r.displayName,
    status: r.status,
    createdDateTime: r.createdDateTime,
    activatedDateTime: r.activatedDateTime,
    endDateTime: r.endDateTime,
    duration: r.duration,
    autoExtendDuration: r.autoExtendDuration,
    customer: { tenantId: r.customer?.tenantId ?? null, displayName: r.customer?.displayName ?? null },
    roles: domainRoles(r.roleDefinitionIds),
    etag: r.etag,
  };
  if (loaded !== undefined) {
    if ('accessAssignments' in loaded) {
      d.accessAssignments = loaded.accessAssignments;
    } else {
      d.accessAssignmentsError = loaded.accessAssignmentsError;
    }
  }
  return d;
}
