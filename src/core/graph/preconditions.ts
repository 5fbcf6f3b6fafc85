import { GdapError } from '../http/gdapError';
import type { CreateAccessAssignmentInput, CreateRelationshipInput, UpdateRelationshipInput } from './gdapApi';
import type { Relationship } from './models';

/**
 * Client-side preconditions (docs/api-notes.md §2.1, §3.4, §3.5, §4.4, §13): checked before any request so a
 * doomed mutation never reaches the service. Each throws GdapError kind `invalidInput`.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** RFC 3986 unreserved characters: safe in a path segment without encoding. */
const URL_SAFE_ID = /^[A-Za-z0-9._~-]{1,256}$/;

export const AUTO_EXTEND_DURATIONS = ['PT0S', 'P0D', 'P180D'] as const;
export const MAX_DISPLAY_NAME_LENGTH = 50;

function invalid(message: string): GdapError {
  return new GdapError({ kind: 'invalidInput', message });
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function assertGuid(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || !GUID.test(value)) {
    throw invalid(`${what} must be a GUID (got ${JSON.stringify(String(value)).slice(0, 80)}).`);
  }
}

/** Relationship, assignment, request and operation ids are opaque (§2.1, §12.4) but must be non-empty and URL-safe. */
export function assertOpaqueId(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || !URL_SAFE_ID.test(value) || value === '.' || value === '..') {
    throw invalid(
      `${what} must be a non-empty id of letters, digits, '-', '_', '.' or '~' (got ${JSON.stringify(String(value)).slice(0, 80)}).`,
    );
  }
}

export function assertEtag(value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '' || /[\r\n]/.test(value)) {
    throw invalid('An ETag is required (read the item first): changes are sent with If-Match so they never overwrite a newer version.');
  }
}

export function assertDisplayName(value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > MAX_DISPLAY_NAME_LENGTH) {
    throw invalid(`The relationship name must be 1 to ${MAX_DISPLAY_NAME_LENGTH} characters.`);
  }
}

export function assertAutoExtendDuration(value: unknown): asserts value is string {
  if (typeof value !== 'string' || !(AUTO_EXTEND_DURATIONS as readonly string[]).includes(value)) {
    throw invalid(`autoExtendDuration must be one of ${AUTO_EXTEND_DURATIONS.join(', ')} (got ${JSON.stringify(String(value))}).`);
  }
}

/**
 * Nominal length of an ISO-8601 duration in days (Y = 365, M = 30, W = 7), or undefined when the text
 * is not an ISO-8601 duration. P2Y is therefore exactly 730 days, the documented maximum (§2.1).
 */
export function durationDays(value: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value);
  if (m === null || value === 'P' || value.endsWith('T')) {
    return undefined;
  }
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  return y * 365 + mo * 30 + w * 7 + d + h / 24 + mi / 1440 + s / 86400;
}

/** duration must lie between P1D and P2Y inclusive (§2.1). */
export function assertDuration(value: unknown): asserts value is string {
  const days = typeof value === 'string' ? durationDays(value) : undefined;
  if (days === undefined) {
    throw invalid(`duration must be an ISO-8601 duration such as P730D (got ${JSON.stringify(String(value))}).`);
  }
  if (days < 1 || days > 730) {
    throw invalid(`duration must be between P1D and P2Y (730 days) inclusive (got ${String(value)}).`);
  }
}

export function assertRoleIds(value: unknown): asserts value is readonly string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('At least one role is required.');
  }
  for (const id of value) {
    assertGuid(id, 'Each role definition id');
  }
}

export function validateCreateRelationshipInput(input: CreateRelationshipInput): void {
  assertDisplayName(input.displayName);
  assertDuration(input.duration);
  assertRoleIds(input.roleDefinitionIds);
  if (input.autoExtendDuration !== undefined) {
    assertAutoExtendDuration(input.autoExtendDuration);
  }
  if (input.customer !== undefined) {
    assertGuid(input.customer.tenantId, 'The customer tenant id');
  }
}

export function validateUpdateRelationshipInput(input: UpdateRelationshipInput): void {
  const keys = (['displayName', 'duration', 'roleDefinitionIds', 'autoExtendDuration', 'customer'] as const).filter(
    (k) => input[k] !== undefined,
  );
  if (keys.length === 0) {
    throw invalid('Nothing to change: give at least one property to update.');
  }
  if (input.displayName !== undefined) {
    assertDisplayName(input.displayName);
  }
  if (input.duration !== undefined) {
    assertDuration(input.duration);
  }
  if (input.roleDefinitionIds !== undefined) {
    assertRoleIds(input.roleDefinitionIds);
  }
  if (input.autoExtendDuration !== undefined) {
    assertAutoExtendDuration(input.autoExtendDuration);
  }
  if (input.customer !== undefined) {
    assertGuid(input.customer.tenantId, 'The customer tenant id');
  }
}

export function validateCreateAccessAssignmentInput(input: CreateAccessAssignmentInput): void {
  assertGuid(input.securityGroupId, 'The security group id');
  assertRoleIds(input.roleDefinitionIds);
}

/** Terminate is documented only for `active` relationships (§4.3). */
export function assertCanTerminate(relationship: Pick<Relationship, 'status' | 'displayName'>): void {
  if (relationship.status !== 'active') {
    throw invalid(`"${relationship.displayName}" is ${relationship.status}; only an active relationship can be terminated.`);
  }
}

/** Delete is allowed only in `created` (§3.5). */
export function assertCanDelete(relationship: Pick<Relationship, 'status' | 'displayName'>): void {
  if (relationship.status !== 'created') {
    throw invalid(
      `"${relationship.displayName}" is ${relationship.status}; only a relationship in the created state can be deleted (terminate an active one instead).`,
    );
  }
}

/** lockForApproval finalises a `created` relationship (§2.7). */
export function assertCanLockForApproval(relationship: Pick<Relationship, 'status' | 'displayName'>): void {
  if (relationship.status !== 'created') {
    throw invalid(
      `"${relationship.displayName}" is ${relationship.status}; only a relationship in the created state can be locked for approval.`,
    );
  }
}

/** Escapes a value for an OData string literal ('' doubles a quote). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
