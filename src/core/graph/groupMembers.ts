import { z } from 'zod';
import type { CallOptions } from './gdapApi';
import type { GraphPager } from './graphPager';
import { msg } from '../messages';
import { parseOrThrow } from './normalise';
import { assertGuid } from './preconditions';

/** One member of a partner security group, as the Access Matrix shows it (names only). */
export interface GroupMember {
  readonly id: string;
  /** The member's display name; null when the directory has none. */
  readonly displayName: string | null;
  /** Users only; null for nested groups, devices and service principals. */
  readonly userPrincipalName: string | null;
  /** `user`, `group`, `servicePrincipal`, … from `@odata.type`; `unknown` when absent. */
  readonly kind: string;
}

// transitiveMembers answers directory objects of several types: only what is shown is read, the rest ignored.
const groupMemberSchema = z
  .object({
    '@odata.type': z.string().optional(),
    id: z.string().min(1),
    displayName: z.string().nullish(),
    userPrincipalName: z.string().nullish(),
  })
  .passthrough();

/** A `transitiveMembers` item as a GroupMember; a malformed item is `invalidResponse`. */
export function normaliseGroupMember(raw: unknown): GroupMember {
  const m = parseOrThrow(groupMemberSchema, raw, msg('a group member'));
  const type = m['@odata.type'];
  return {
    id: m.id,
    displayName: m.displayName ?? null,
    userPrincipalName: m.userPrincipalName ?? null,
    kind: type === undefined ? 'unknown' : type.replace(/^#?microsoft\.graph\./, ''),
  };
}

/** The path of the first page (the pager adds `$top`). */
export function groupMembersPath(groupId: string): string {
  return `/groups/${encodeURIComponent(groupId)}/transitiveMembers`;
}

/**
 * Every member of a security group, nested groups' members included:
 * `GET /groups/{id}/transitiveMembers?$top=…&$select=id,displayName,userPrincipalName`, following
 * `@odata.nextLink` (https://learn.microsoft.com/graph/api/group-list-transitivemembers). Same delegated
 * consent as group names (GroupMember.Read.All; Group.Read.All or Directory.Read.All also do): without it
 * the read fails with kind `forbidden`.
 */
export async function listGroupMembers(
  pager: GraphPager,
  base: string,
  groupId: string,
  options: CallOptions = {},
): Promise<GroupMember[]> {
  assertGuid(groupId, 'The security group id');
  const url = pager.withTop(`${base}${groupMembersPath(groupId)}`, ['$select=id,displayName,userPrincipalName']);
  return pager.collect(url, msg('group members'), normaliseGroupMember, options.signal);
}
