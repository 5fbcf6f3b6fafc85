import type { z } from 'zod';
import { gdapErrorOf } from '../http/gdapError';
import { msg, type Message } from '../messages';
import type {
  AccessAssignment,
  DelegatedAdminCustomer,
  Relationship,
  RelationshipOperation,
  RelationshipRequest,
  ServiceManagementDetail,
} from './models';
import { fastAccessAssignment, fastCollection, fastCustomer, fastRelationship, type FastPage } from './fastSchemas';
import {
  accessAssignmentSchema,
  customerSchema,
  isResellerRelationshipRecord,
  operationSchema,
  relationshipSchema,
  requestSchema,
  resellerRelationshipSchema,
  collectionSchema,
  serviceManagementDetailSchema,
} from './schemas';

/** A collection page: the hand-written check for the usual shape, the zod schema (and its message) otherwise. */
export function parseCollection(raw: unknown, what: Message): FastPage {
  return fastCollection(raw) ?? parseOrThrow(collectionSchema, raw, what);
}

/**
 * Parses with `schema`; a mismatch becomes GdapError kind `invalidResponse` (never a raw zod error). `what` names
 * the body as a message (`msg('a relationship')`) so that the error reads in the face's language; a plain string
 * stays as it is.
 */
export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, raw: unknown, what: Message | string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) {
    return result.data as z.output<S>;
  }
  const issue = result.error.issues[0];
  // zod's own issue text stays a plain argument (English, like a service's text).
  const message =
    issue === undefined
      ? msg('Microsoft Graph sent {0} in an unexpected shape.', what)
      : msg('Microsoft Graph sent {0} in an unexpected shape ({1}: {2}).', what, issue.path.join('.') || 'body', issue.message);
  throw gdapErrorOf('invalidResponse', message, { cause: result.error });
}

export function normaliseRelationship(raw: unknown): Relationship {
  // The hot path (fastSchemas.ts): same result as below for the shapes it recognises, zod for the rest.
  return fastRelationship(raw) ?? normaliseRelationshipWithZod(raw);
}

/** The zod definition of normaliseRelationship (the fallback, and the reference the fast path is tested against). */
export function normaliseRelationshipWithZod(raw: unknown): Relationship {
  // @odata.type dispatch (docs/api-notes.md §2.2, §12.11): reseller items add two properties to the base shape.
  if (isResellerRelationshipRecord(raw)) {
    const r = parseOrThrow(resellerRelationshipSchema, raw, msg('a reseller relationship'));
    return {
      ...relationshipFields(r),
      type: 'resellerRelationship',
      indirectProviderTenantId: r.indirectProviderTenantId,
      isPartnerConsentPending: r.isPartnerConsentPending,
    };
  }
  return { ...relationshipFields(parseOrThrow(relationshipSchema, raw, msg('a relationship'))), type: 'relationship' };
}

function relationshipFields(r: z.infer<typeof relationshipSchema>): Omit<Relationship, 'type'> {
  return {
    id: r.id,
    displayName: r.displayName,
    status: r.status,
    customer: r.customer,
    roleDefinitionIds: r.accessDetails.unifiedRoles.map((u) => u.roleDefinitionId),
    duration: r.duration,
    autoExtendDuration: r.autoExtendDuration,
    createdDateTime: r.createdDateTime,
    activatedDateTime: r.activatedDateTime,
    endDateTime: r.endDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
    etag: r['@odata.etag'],
  };
}

export function normaliseAccessAssignment(raw: unknown, relationshipId: string): AccessAssignment {
  return fastAccessAssignment(raw, relationshipId) ?? normaliseAccessAssignmentWithZod(raw, relationshipId);
}

/** The zod definition of normaliseAccessAssignment (fallback and test reference). */
export function normaliseAccessAssignmentWithZod(raw: unknown, relationshipId: string): AccessAssignment {
  const r = parseOrThrow(accessAssignmentSchema, raw, msg('an access assignment'));
  return {
    id: r.id,
    relationshipId,
    status: r.status,
    accessContainer: { accessContainerId: r.accessContainer.accessContainerId, accessContainerType: r.accessContainer.accessContainerType },
    roleDefinitionIds: r.accessDetails.unifiedRoles.map((u) => u.roleDefinitionId),
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
    etag: r['@odata.etag'],
  };
}

export function normaliseCustomer(raw: unknown): DelegatedAdminCustomer {
  return fastCustomer(raw) ?? normaliseCustomerWithZod(raw);
}

/** The zod definition of normaliseCustomer (fallback and test reference). */
export function normaliseCustomerWithZod(raw: unknown): DelegatedAdminCustomer {
  const r = parseOrThrow(customerSchema, raw, msg('a customer'));
  return { id: r.id, tenantId: r.tenantId ?? r.id, displayName: r.displayName ?? '', etag: r['@odata.etag'] };
}

export function normaliseServiceManagementDetail(raw: unknown): ServiceManagementDetail {
  const r = parseOrThrow(serviceManagementDetailSchema, raw, msg('a service management detail'));
  return { id: r.id, serviceName: r.serviceName ?? '', serviceManagementUrl: r.serviceManagementUrl ?? '' };
}

/** `data` is JSON inside a JSON string (§12.7); an unparsable value is kept raw and `data` is null. */
export function parseOperationData(raw: string | null): unknown {
  if (raw === null || raw.trim() === '') {
    return null;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

export function normaliseOperation(raw: unknown, relationshipId: string): RelationshipOperation {
  const r = parseOrThrow(operationSchema, raw, msg('an operation'));
  return {
    id: r.id,
    relationshipId,
    operationType: r.operationType,
    status: r.status,
    data: parseOperationData(r.data),
    rawData: r.data,
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
    etag: r['@odata.etag'],
  };
}

export function normaliseRequest(raw: unknown, relationshipId: string): RelationshipRequest {
  const r = parseOrThrow(requestSchema, raw, msg('a relationship request'));
  return {
    id: r.id,
    relationshipId,
    action: r.action,
    status: r.status,
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
    etag: r['@odata.etag'],
  };
}
