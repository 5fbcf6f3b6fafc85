import { GLOBAL_ADMINISTRATOR_ROLE_ID, ROLE_CATALOG } from '../core/roles/roleCatalog';
import { ApiError } from './apiTypes';
import type { RelationshipRecord, RelationshipStatus } from './model';

// Request-body validation and state preconditions that need no store (docs/api-notes.md §2, §4, §6).

/** Entra marks these "Do not use"/service-only (docs/api-notes.md §10): refused by the emulator (an assumption). */
const REFUSED_ROLES = new Set(ROLE_CATALOG.filter((r) => r.notForPartners === true).map((r) => r.id));
const AUTO_EXTEND_VALUES = new Set(['PT0S', 'P0D', 'P180D']);
export const GUIDISH = /^[0-9a-fA-F-]{8,64}$/;

export function asObject(v: unknown, name = 'request body'): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ApiError(400, 'badRequest', `The ${name} must be a JSON object.`);
  }
  return v as Record<string, unknown>;
}

export function allowOnly(o: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k) && !k.startsWith('@odata.')) {
      throw new ApiError(400, 'badRequest', `The property '${k}' does not exist or cannot be set here.`);
    }
  }
}

/** ISO-8601 duration in days (Y = 365, M = 30, W = 7); must be P1D..P2Y (docs/api-notes.md §2.1). */
export function durationDays(v: string): number {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(v);
  if (m === null || v === 'P') {
    return NaN;
  }
  return Number(m[1] ?? 0) * 365 + Number(m[2] ?? 0) * 30 + Number(m[3] ?? 0) * 7 + Number(m[4] ?? 0);
}

export function validDuration(v: unknown): string {
  const days = typeof v === 'string' ? durationDays(v) : NaN;
  if (!(days >= 1 && days <= 730)) {
    throw new ApiError(400, 'badRequest', 'duration is required and must be an ISO 8601 duration between P1D and P2Y.');
  }
  return v as string;
}

export function validAutoExtend(v: unknown): string {
  if (typeof v !== 'string' || !AUTO_EXTEND_VALUES.has(v)) {
    throw new ApiError(400, 'badRequest', 'autoExtendDuration must be PT0S, P0D or P180D.');
  }
  return v;
}

export function validRoles(v: unknown): string[] {
  const d = asObject(v, 'accessDetails');
  allowOnly(d, ['unifiedRoles']);
  const list = d.unifiedRoles;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ApiError(400, 'badRequest', 'accessDetails.unifiedRoles must list at least one role.');
  }
  const roles: string[] = [];
  for (const item of list) {
    const id = (item as { roleDefinitionId?: unknown } | null)?.roleDefinitionId;
    if (typeof id !== 'string' || !GUIDISH.test(id)) {
      throw new ApiError(400, 'badRequest', 'Each unifiedRoles item needs a roleDefinitionId.');
    }
    if (REFUSED_ROLES.has(id)) {
      throw new ApiError(400, 'badRequest', `The role '${id}' cannot be used in a delegated admin relationship.`);
    }
    if (!roles.includes(id)) {
      roles.push(id);
    }
  }
  return roles;
}

export function checkAutoExtendWithGa(roles: string[], autoExtend: string): void {
  if (autoExtend === 'P180D' && roles.includes(GLOBAL_ADMINISTRATOR_ROLE_ID)) {
    throw new ApiError(400, 'badRequest', 'Relationships that include the Global Administrator role cannot be auto-extended.');
  }
}

export function checkSubset(roles: string[], allowed: string[]): void {
  const missing = roles.filter((r) => !allowed.includes(r));
  if (missing.length > 0) {
    throw new ApiError(400, 'badRequest', `The roles ${missing.join(', ')} are not part of the relationship's access details.`);
  }
}

export function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export function requireStatus(rel: RelationshipRecord, status: RelationshipStatus, action: string): void {
  if (rel.status !== status) {
    throw new ApiError(400, 'badRequest', `The action '${action}' needs a relationship in status '${status}'; it is '${rel.status}'.`);
  }
}

export function requireReseller(rel: RelationshipRecord, action: string): void {
  if (!rel.reseller || rel.status !== 'approvalPending') {
    throw new ApiError(400, 'badRequest', `The action '${action}' applies only to a reseller relationship in status 'approvalPending'.`);
  }
}

/** docs/api-notes.md §6: If-Match is required (400 when missing) and must carry the current ETag (412). */
export function checkIfMatch(header: string | undefined, etag: string): void {
  if (header === undefined || header.trim() === '') {
    throw new ApiError(400, 'badRequest', 'The If-Match header is required for this request.');
  }
  const strip = (s: string): string => s.trim().replace(/^W\//, '');
  const want = strip(etag);
  const ok = header.split(',').some((h) => h.trim() === '*' || strip(h) === want);
  if (!ok) {
    throw new ApiError(412, 'resourceModified', 'The If-Match ETag does not match the current version of the resource.');
  }
}
