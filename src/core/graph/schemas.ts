import { z } from 'zod';

/**
 * zod schemas for the Graph GDAP resources (docs/api-notes.md §2), tolerant exactly where the docs are:
 * - unknown properties are ignored (zod's default strip);
 * - evolvable enums are plain strings, kept verbatim (§12.5, §12.6) and classified by models.ts users;
 * - DateTimeOffset values: `""` becomes null (§12.1), 7-digit fractions are kept as strings (§12.2);
 * - nullability is undocumented (§2), so read-only and optional properties accept null or absence;
 * - `@odata.etag` kept verbatim (§12.13); `@odata.type` drives the reseller dispatch (§12.11).
 * This module never throws: callers use `safeParse` and map failures to kind `invalidResponse`.
 */

/** DateTimeOffset: `""`/null/absent -> null; any other string kept verbatim. */
export const dateTimeSchema = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v));

const optionalString = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v === undefined ? null : v));

const etagSchema = optionalString;

/**
 * What a missing or null `status` becomes: Graph's own "unknown" member of its evolvable enums
 * (docs/api-notes.md §12.5). The item is kept and classified as unknown, instead of one odd record
 * failing the whole page it came in.
 */
export const UNKNOWN_STATUS = 'unknownFutureValue';

/** An evolvable-enum status, kept verbatim; null or absent becomes UNKNOWN_STATUS. */
const statusSchema = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => v ?? UNKNOWN_STATUS);

export const unifiedRoleSchema = z.object({ roleDefinitionId: z.string() });

export const accessDetailsSchema = z.object({
  unifiedRoles: z
    .array(unifiedRoleSchema)
    .nullish()
    .transform((v) => v ?? []),
});

export const accessContainerSchema = z.object({
  accessContainerId: z.string(),
  /** Evolvable enum (`securityGroup`, `unknownFutureValue`, …). */
  accessContainerType: z.string(),
});

export const customerParticipantSchema = z.object({
  tenantId: optionalString,
  displayName: optionalString,
});

const relationshipBase = {
  '@odata.type': z.string().optional(),
  '@odata.etag': etagSchema,
  id: z.string().min(1),
  displayName: z.string(),
  /** Evolvable enum delegatedAdminRelationshipStatus; null → UNKNOWN_STATUS. */
  status: statusSchema,
  customer: customerParticipantSchema.nullish().transform((v) => v ?? null),
  accessDetails: accessDetailsSchema.nullish().transform((v) => v ?? { unifiedRoles: [] }),
  duration: optionalString,
  autoExtendDuration: optionalString,
  createdDateTime: dateTimeSchema,
  activatedDateTime: dateTimeSchema,
  endDateTime: dateTimeSchema,
  lastModifiedDateTime: dateTimeSchema,
};

export const relationshipSchema = z.object(relationshipBase);

export const resellerRelationshipSchema = z.object({
  ...relationshipBase,
  indirectProviderTenantId: optionalString,
  isPartnerConsentPending: z
    .boolean()
    .nullish()
    .transform((v) => v ?? null),
});

export const RESELLER_RELATIONSHIP_TYPE = '#microsoft.graph.resellerDelegatedAdminRelationship';

/** True when an item must be read as a resellerDelegatedAdminRelationship (§2.2). */
export function isResellerRelationshipRecord(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)['@odata.type'] === RESELLER_RELATIONSHIP_TYPE;
}

export const customerSchema = z.object({
  '@odata.etag': etagSchema,
  id: z.string().min(1),
  tenantId: optionalString,
  displayName: optionalString,
});

/** A directory group read with `$select=id,displayName` (security-group names for access assignments). */
export const groupNameSchema = z.object({
  id: z.string().min(1),
  displayName: optionalString,
});

export const serviceManagementDetailSchema = z.object({
  id: z.string().min(1),
  serviceName: optionalString,
  serviceManagementUrl: optionalString,
});

export const accessAssignmentSchema = z.object({
  '@odata.etag': etagSchema,
  // Not always a GUID (§12.4): opaque.
  id: z.string().min(1),
  /** Evolvable enum delegatedAdminAccessAssignmentStatus; null → UNKNOWN_STATUS. */
  status: statusSchema,
  accessContainer: accessContainerSchema,
  accessDetails: accessDetailsSchema.nullish().transform((v) => v ?? { unifiedRoles: [] }),
  createdDateTime: dateTimeSchema,
  lastModifiedDateTime: dateTimeSchema,
});

export const operationSchema = z.object({
  '@odata.etag': etagSchema,
  id: z.string().min(1),
  operationType: z.string(),
  status: z.string(),
  /** A JSON string inside JSON (§12.7), parsed by the normaliser. */
  data: optionalString,
  createdDateTime: dateTimeSchema,
  lastModifiedDateTime: dateTimeSchema,
});

export const requestSchema = z.object({
  '@odata.etag': etagSchema,
  id: z.string().min(1),
  /** `unknownFutureValue` stands for `reject` without the Prefer header (§12.6). */
  action: z.string(),
  status: z.string(),
  createdDateTime: dateTimeSchema,
  lastModifiedDateTime: dateTimeSchema,
});

/** A collection page: items are validated one by one by the caller's item schema. */
export const collectionSchema = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().min(1).optional(),
});

/** Graph JSON batch response (docs/api-notes.md §9.3). */
export const batchResponseSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.unknown()).nullish(),
      body: z.unknown().optional(),
    }),
  ),
});

export type RelationshipRecord = z.infer<typeof resellerRelationshipSchema>;
export type AccessAssignmentRecord = z.infer<typeof accessAssignmentSchema>;
export type CustomerRecord = z.infer<typeof customerSchema>;
export type ServiceManagementDetailRecord = z.infer<typeof serviceManagementDetailSchema>;
export type OperationRecord = z.infer<typeof operationSchema>;
export type RequestRecord = z.infer<typeof requestSchema>;
