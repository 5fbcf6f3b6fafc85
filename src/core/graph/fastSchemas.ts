import type { AccessAssignment, CustomerParticipant, DelegatedAdminCustomer, Relationship } from './models';
import { RESELLER_RELATIONSHIP_TYPE, UNKNOWN_STATUS } from './schemas';

/**
 * Hand-written validators for the hot shapes of an inventory (list pages, `$batch` answers,
 * relationships, access assignments, customers): at 10,000 customers zod's generic object parsing was
 * most of the client's CPU and garbage. Each one accepts a strict subset of what its zod schema in
 * schemas.ts accepts and builds the same result in one pass; anything it does not recognise returns
 * `undefined`, and the caller then parses with the zod schema, which stays the one definition of the
 * shape and the one source of error messages. So every response still crosses a validator
 * (docs/architecture.md §3); only the common, well-formed case is cheaper.
 */

type Json = Record<string, unknown>;

/** Sentinel for "not recognised here": the caller falls back to the zod schema. */
const NO = Symbol('fallback');

/** A plain object as JSON.parse makes them (zod's object type; arrays and other prototypes fall back). */
function plainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** `optionalString` of schemas.ts: string kept, null or absent → null. */
function optionalString(v: unknown): string | null | typeof NO {
  if (typeof v === 'string') {
    return v;
  }
  return v === undefined || v === null ? null : NO;
}

/** `dateTimeSchema` of schemas.ts: `""`, blank, null or absent → null; any other string verbatim. */
function dateTime(v: unknown): string | null | typeof NO {
  if (typeof v === 'string') {
    return v.trim() === '' ? null : v;
  }
  return v === undefined || v === null ? null : NO;
}

/** `statusSchema` of schemas.ts: string kept, null or absent → UNKNOWN_STATUS. */
function status(v: unknown): string | typeof NO {
  if (typeof v === 'string') {
    return v;
  }
  return v === undefined || v === null ? UNKNOWN_STATUS : NO;
}

function nonEmptyString(v: unknown): string | typeof NO {
  return typeof v === 'string' && v.length > 0 ? v : NO;
}

/** `accessDetails` (nullish → no roles) reduced to its role definition ids. */
function roleDefinitionIds(v: unknown): string[] | typeof NO {
  if (v === undefined || v === null) {
    return [];
  }
  if (!plainObject(v)) {
    return NO;
  }
  const roles = v['unifiedRoles'];
  if (roles === undefined || roles === null) {
    return [];
  }
  if (!Array.isArray(roles)) {
    return NO;
  }
  const ids = new Array<string>(roles.length);
  for (let i = 0; i < roles.length; i++) {
    const role: unknown = roles[i];
    if (!plainObject(role) || typeof role['roleDefinitionId'] !== 'string') {
      return NO;
    }
    ids[i] = role['roleDefinitionId'];
  }
  return ids;
}

function customerParticipant(v: unknown): CustomerParticipant | null | typeof NO {
  if (v === undefined || v === null) {
    return null;
  }
  if (!plainObject(v)) {
    return NO;
  }
  const tenantId = optionalString(v['tenantId']);
  const displayName = optionalString(v['displayName']);
  return tenantId === NO || displayName === NO ? NO : { tenantId, displayName };
}

/** A relationship (or reseller relationship, by `@odata.type`) as `normaliseRelationship` makes it. */
export function fastRelationship(raw: unknown): Relationship | undefined {
  if (!plainObject(raw)) {
    return undefined;
  }
  const odataType = raw['@odata.type'];
  if (odataType !== undefined && typeof odataType !== 'string') {
    return undefined;
  }
  const etag = optionalString(raw['@odata.etag']);
  const id = nonEmptyString(raw['id']);
  const displayName = raw['displayName'];
  const st = status(raw['status']);
  const customer = customerParticipant(raw['customer']);
  const roles = roleDefinitionIds(raw['accessDetails']);
  const duration = optionalString(raw['duration']);
  const autoExtendDuration = optionalString(raw['autoExtendDuration']);
  const createdDateTime = dateTime(raw['createdDateTime']);
  const activatedDateTime = dateTime(raw['activatedDateTime']);
  const endDateTime = dateTime(raw['endDateTime']);
  const lastModifiedDateTime = dateTime(raw['lastModifiedDateTime']);
  if (
    etag === NO ||
    id === NO ||
    typeof displayName !== 'string' ||
    st === NO ||
    customer === NO ||
    roles === NO ||
    duration === NO ||
    autoExtendDuration === NO ||
    createdDateTime === NO ||
    activatedDateTime === NO ||
    endDateTime === NO ||
    lastModifiedDateTime === NO
  ) {
    return undefined;
  }
  const reseller = odataType === RESELLER_RELATIONSHIP_TYPE;
  const indirectProviderTenantId = reseller ? optionalString(raw['indirectProviderTenantId']) : null;
  const pending = reseller ? raw['isPartnerConsentPending'] : undefined;
  if (indirectProviderTenantId === NO || (pending !== undefined && pending !== null && typeof pending !== 'boolean')) {
    return undefined;
  }
  // Same fields in the same order as normalise.ts builds them, in one object (no spread copy).
  const relationship: { -readonly [K in keyof Relationship]: Relationship[K] } = {
    id,
    displayName,
    status: st,
    customer,
    roleDefinitionIds: roles,
    duration,
    autoExtendDuration,
    createdDateTime,
    activatedDateTime,
    endDateTime,
    lastModifiedDateTime,
    etag,
    type: reseller ? 'resellerRelationship' : 'relationship',
  };
  if (reseller) {
    relationship.indirectProviderTenantId = indirectProviderTenantId;
    relationship.isPartnerConsentPending = pending ?? null;
  }
  return relationship;
}

/** An access assignment as `normaliseAccessAssignment` makes it. */
export function fastAccessAssignment(raw: unknown, relationshipId: string): AccessAssignment | undefined {
  if (!plainObject(raw)) {
    return undefined;
  }
  const etag = optionalString(raw['@odata.etag']);
  const id = nonEmptyString(raw['id']);
  const st = status(raw['status']);
  const container = raw['accessContainer'];
  const roles = roleDefinitionIds(raw['accessDetails']);
  const createdDateTime = dateTime(raw['createdDateTime']);
  const lastModifiedDateTime = dateTime(raw['lastModifiedDateTime']);
  if (
    etag === NO ||
    id === NO ||
    st === NO ||
    !plainObject(container) ||
    typeof container['accessContainerId'] !== 'string' ||
    typeof container['accessContainerType'] !== 'string' ||
    roles === NO ||
    createdDateTime === NO ||
    lastModifiedDateTime === NO
  ) {
    return undefined;
  }
  return {
    id,
    relationshipId,
    status: st,
    accessContainer: { accessContainerId: container['accessContainerId'], accessContainerType: container['accessContainerType'] },
    roleDefinitionIds: roles,
    createdDateTime,
    lastModifiedDateTime,
    etag,
  };
}

/** A delegated-admin customer as `normaliseCustomer` makes it. */
export function fastCustomer(raw: unknown): DelegatedAdminCustomer | undefined {
  if (!plainObject(raw)) {
    return undefined;
  }
  const etag = optionalString(raw['@odata.etag']);
  const id = nonEmptyString(raw['id']);
  const tenantId = optionalString(raw['tenantId']);
  const displayName = optionalString(raw['displayName']);
  if (etag === NO || id === NO || tenantId === NO || displayName === NO) {
    return undefined;
  }
  return { id, tenantId: tenantId ?? id, displayName: displayName ?? '', etag };
}

/** A collection page (`collectionSchema`): its items (not copied) and nextLink. */
export interface FastPage {
  readonly value: readonly unknown[];
  readonly '@odata.nextLink'?: string;
}

export function fastCollection(raw: unknown): FastPage | undefined {
  if (!plainObject(raw) || !Array.isArray(raw['value'])) {
    return undefined;
  }
  const next = raw['@odata.nextLink'];
  if (next === undefined) {
    return { value: raw['value'] };
  }
  return typeof next === 'string' && next.length > 0 ? { value: raw['value'], '@odata.nextLink': next } : undefined;
}

/** One answer of a `$batch` response (`batchResponseSchema`). */
export interface FastBatchItem {
  readonly id: string;
  readonly status: number;
  readonly headers?: Record<string, unknown> | null;
  readonly body?: unknown;
}

export function fastBatchResponse(raw: unknown): { readonly responses: readonly FastBatchItem[] } | undefined {
  if (!plainObject(raw)) {
    return undefined;
  }
  const responses = raw['responses'];
  if (!Array.isArray(responses)) {
    return undefined;
  }
  for (const r of responses as unknown[]) {
    if (!plainObject(r) || typeof r['id'] !== 'string' || !Number.isInteger(r['status'])) {
      return undefined;
    }
    const headers = r['headers'];
    if (headers !== undefined && headers !== null && !plainObject(headers)) {
      return undefined;
    }
  }
  return { responses: responses as FastBatchItem[] };
}
