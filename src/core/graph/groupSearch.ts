import { z } from 'zod';
import { gdapErrorOf } from '../http/gdapError';
import { msg } from '../messages';
import type { CallOptions } from './gdapApi';
import type { GraphRequester } from './graphRequester';
import { parseOrThrow } from './normalise';
import { odataString } from './preconditions';

/** One group found by name in the partner tenant. */
export interface FoundGroup {
  readonly id: string;
  readonly displayName: string;
  /** False for a group that cannot be an access container (docs/onboarding.md §6); the caller refuses it. */
  readonly securityEnabled: boolean;
}

/** Fewer letters match too much of a large directory to be useful; the UI asks for more first. */
export const GROUP_SEARCH_MIN_LENGTH = 2;
/** One page: the user narrows the prefix rather than paging. */
export const GROUP_SEARCH_TOP = 25;

const foundGroupsSchema = z.object({
  value: z.array(
    z.object({
      id: z.string().min(1),
      displayName: z.string().nullable().optional(),
      securityEnabled: z.boolean().nullable().optional(),
    }),
  ),
});

/**
 * The query of a search: security groups whose display name starts with `prefix` (case-insensitive in
 * Microsoft Graph). `startswith` on `displayName` and `eq` on `securityEnabled` are default query
 * capabilities of groups, so neither `ConsistencyLevel: eventual` nor `$count` is sent
 * (https://learn.microsoft.com/graph/aad-advanced-queries). The prefix is an OData string literal:
 * single quotes doubled, then the whole filter percent-encoded.
 */
export function groupSearchPath(prefix: string): string {
  const filter = `securityEnabled eq true and startswith(displayName,${odataString(prefix)})`;
  return `/groups?$filter=${encodeURIComponent(filter)}&$select=id,displayName,securityEnabled&$top=${GROUP_SEARCH_TOP}`;
}

/**
 * Security groups of the partner tenant by name prefix: `GET /groups?$filter=…` through the Graph
 * pipeline (retries, throttling, errors). Needs the same delegated consent as group names
 * (GroupMember.Read.All; Group.Read.All or Directory.Read.All also do). One page of at most 25.
 */
export async function searchSecurityGroups(
  requester: Pick<GraphRequester, 'getOne' | 'base'>,
  prefix: string,
  options: CallOptions = {},
): Promise<FoundGroup[]> {
  const trimmed = prefix.trim();
  if (trimmed.length < GROUP_SEARCH_MIN_LENGTH) {
    throw gdapErrorOf('invalidInput', msg('Type at least {0} letters of the group name to search.', String(GROUP_SEARCH_MIN_LENGTH)));
  }
  const url = `${requester.base}${groupSearchPath(trimmed)}`;
  return requester.getOne(
    url,
    msg('security groups'),
    (raw) =>
      parseOrThrow(foundGroupsSchema, raw, msg('security groups')).value.map((g) => ({
        id: g.id,
        displayName: g.displayName ?? g.id,
        securityEnabled: g.securityEnabled === true,
      })),
    options.signal,
  );
}
