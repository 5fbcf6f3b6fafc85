import { classifyRelationshipStatus } from '../domain/status';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../roles/roleCatalog';
import { removeAssignmentEligibility } from './strategies/removeAccessAssignment';
import { terminateEligibility } from './strategies/terminateRelationship';

/**
 * Pure facts about a relationship, shared by the tree (icons, descriptions, menus) and the CLI
 * (`expiring`, inventory). Works on the Graph model (`roleDefinitionIds`) and on the inventory shape
 * (`roles`), so both faces classify exactly alike. `now` is always a parameter: these are testable.
 */
export interface RelationshipLike {
  readonly id: string;
  readonly status: string;
  readonly endDateTime: string | null;
  readonly autoExtendDuration: string | null;
  readonly roleDefinitionIds?: readonly string[];
  readonly roles?: readonly { readonly roleDefinitionId: string }[];
}

export type RelationshipDisplayState = 'active' | 'expiringSoon' | 'pending' | 'ending' | 'ended' | 'unknown';

export const DEFAULT_EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The display bucket of a relationship: drives the icon, colour and filter. Unknown enum values stay `unknown` (§12.5). */
export function classifyRelationship(
  relationship: RelationshipLike,
  now: Date,
  expiryWarningDays: number = DEFAULT_EXPIRY_WARNING_DAYS,
): RelationshipDisplayState {
  const statusClass = classifyRelationshipStatus(relationship.status);
  if (statusClass === 'active') {
    return isExpiring(relationship, expiryWarningDays, now) ? 'expiringSoon' : 'active';
  }
  return statusClass;
}

/** Milliseconds since epoch of an API date string (7-digit fractions are fine for Date.parse), or null. */
export function parseApiDate(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Whole days until `endDateTime`, rounded up (a relationship ending in 3 hours "ends in 1 day");
 * 0 or negative once passed; null when there is no end date.
 */
export function daysUntilEnd(relationship: Pick<RelationshipLike, 'endDateTime'>, now: Date): number | null {
  const end = parseApiDate(relationship.endDateTime);
  if (end === null) {
    return null;
  }
  return Math.ceil((end - now.getTime()) / DAY_MS);
}

function roleIds(relationship: RelationshipLike): string[] {
  if (relationship.roleDefinitionIds !== undefined) {
    return [...relationship.roleDefinitionIds];
  }
  return (relationship.roles ?? []).map((r) => r.roleDefinitionId);
}

/** Global Administrator is in the relationship's roles; it blocks auto-extend (docs/api-notes.md §4.1). */
export function includesGlobalAdministrator(relationship: RelationshipLike): boolean {
  return roleIds(relationship).some((id) => id.toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE_ID);
}

/**
 * The relationship rolls its end date forward by 180 days at expiry (docs/api-notes.md §2.1: `P180D` is the only
 * extending value; `PT0S`/`P0D` mean no). A relationship carrying Global Administrator cannot auto-extend
 * (§4.1), whatever the field says.
 */
export function autoExtends(relationship: RelationshipLike): boolean {
  return isAutoExtendOn(relationship) && !includesGlobalAdministrator(relationship);
}

/** The auto-extend field asks for extension (`P180D`), whether or not Global Administrator blocks it. */
export function isAutoExtendOn(relationship: Pick<RelationshipLike, 'autoExtendDuration'>): boolean {
  return (relationship.autoExtendDuration ?? '').trim().toUpperCase() === AUTO_EXTEND_ON;
}

/** `autoExtendDuration` values the renewal mutations send (docs/api-notes.md §2.1). */
export const AUTO_EXTEND_ON = 'P180D';
export const AUTO_EXTEND_OFF = 'PT0S';

/** Terminate applies only to `active` relationships (docs/api-notes.md §2.7, §4.3): the terminate strategy's own decision. */
export function canTerminate(relationship: Pick<RelationshipLike, 'status'>): boolean {
  return terminateEligibility(relationship.status).kind === 'act';
}

/** Removing an access assignment applies only to `active` assignments: the remove strategy's own decision. */
export function canRemoveAccessAssignment(assignment: { readonly status: string }): boolean {
  return removeAssignmentEligibility(assignment.status).kind === 'act';
}

/**
 * Customer approval link for an `approvalPending` relationship, else null. docs/api-notes.md §4.2: the doc text
 * says "request id" but its example is the relationship id, which is what works. The host is the Microsoft 365
 * admin center's current one, `admin.cloud.microsoft` (docs/api-notes.md §15, docs/onboarding.md §3); the older
 * `admin.microsoft.com/AdminPortal/Home#/…` form still redirects there.
 */
export function approvalLink(relationship: Pick<RelationshipLike, 'id' | 'status'>): string | null {
  if (relationship.status !== 'approvalPending') {
    return null;
  }
  return `https://admin.cloud.microsoft/?#/partners/invitation/granularAdminRelationships/${encodeURIComponent(relationship.id)}`;
}

/**
 * For `gdap expiring`: active, ends within `days` days from `now` (not already past), and will not
 * auto-extend.
 */
export function isExpiring(relationship: RelationshipLike, days: number, now: Date): boolean {
  if (relationship.status !== 'active' || autoExtends(relationship)) {
    return false;
  }
  const end = parseApiDate(relationship.endDateTime);
  if (end === null) {
    return false;
  }
  const remaining = end - now.getTime();
  return remaining >= 0 && remaining <= days * DAY_MS;
}
