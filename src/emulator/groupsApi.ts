import { ApiError, type ApiRequest, type ApiResponse } from './apiTypes';
import { applyQuery, nextLinkFor, option, selectFields } from './odata';
import type { EmulatorStore } from './store';
import type { Principal } from './tokens';

/** Any of these lets a caller read a group of its own tenant (Graph permissions reference, "Get group"). */
export const GROUP_READ_PERMISSIONS = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
];

const PREFIX = '/v1.0/groups/';

export function isGroupsPath(path: string): boolean {
  return path.startsWith(PREFIX) || path === '/v1.0/groups';
}

/**
 * `GET /v1.0/groups/{id}` for the partner's security groups (the access containers of the data set), so
 * clients can show a group's name instead of its id. Needs a token whose `scp`/`roles` hold one of
 * GROUP_READ_PERMISSIONS (403 `Authorization_RequestDenied` otherwise). Admin Agents membership does not
 * matter: the groups are the partner's own directory objects.
 */
export function handleGroups(req: ApiRequest, store: EmulatorStore, principal: Principal, baseUrl: string, pageSize: number): ApiResponse {
  const seg = req.path
    .slice(PREFIX.length)
    .replace(/\/$/, '')
    .split('/')
    .map((s) => decodeURIComponent(s));
  const members = seg.length === 2 && seg[1] === 'transitiveMembers';
  if (req.path === '/v1.0/groups' || (seg.length !== 1 && !members) || seg[0] === '') {
    // Listing groups or other navigations is not emulated: only reads by id and transitiveMembers.
    throw new ApiError(400, 'BadRequest', `Resource not found for the segment '${seg[seg.length - 1] || 'groups'}'.`);
  }
  if (req.method.toUpperCase() !== 'GET') {
    throw new ApiError(405, 'methodNotAllowed', `The method ${req.method} is not allowed on this resource.`);
  }
  if (!GROUP_READ_PERMISSIONS.some((p) => principal.permissions.has(p))) {
    throw new ApiError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  const id = seg[0];
  const group = store.securityGroups.find((g) => g.id.toLowerCase() === id.toLowerCase());
  if (group === undefined) {
    throw new ApiError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  if (members) {
    return transitiveMembers(req, store, group.id, baseUrl, pageSize);
  }
  const full: Record<string, unknown> = {
    id: group.id,
    displayName: group.displayName,
    description: null,
    mailEnabled: false,
    mailNickname: group.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    securityEnabled: true,
    groupTypes: [],
    visibility: null,
  };
  const select = req.query.get('$select');
  let body: Record<string, unknown> = full;
  let context = `${baseUrl}/v1.0/$metadata#groups/$entity`;
  if (select !== null) {
    const fields = select
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    for (const f of fields) {
      if (!(f in full)) {
        throw new ApiError(400, 'Request_BadRequest', `Could not find a property named '${f}' on type 'microsoft.graph.group'.`);
      }
    }
    body = selectFields(full, fields);
    context = `${baseUrl}/v1.0/$metadata#groups(${fields.join(',')})/$entity`;
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { '@odata.context': context, ...body } };
}

const MEMBER_RULES = { filterable: [], orderable: [], queryable: true };

/**
 * `GET /v1.0/groups/{id}/transitiveMembers`: the group's users (nested groups are already flattened in the
 * data set), paged with `@odata.nextLink` like the GDAP lists; `$top` (1..300), `$select`, `$count` honoured.
 */
function transitiveMembers(req: ApiRequest, store: EmulatorStore, groupId: string, baseUrl: string, pageSize: number): ApiResponse {
  const users = store.groupMembers.get(groupId) ?? [];
  const page = applyQuery(
    {
      all: () => users,
      render: (u) => ({
        '@odata.type': '#microsoft.graph.user',
        id: u.id,
        displayName: u.displayName,
        userPrincipalName: u.userPrincipalName,
      }),
    },
    req.query,
    MEMBER_RULES,
    pageSize,
  );
  const body: Record<string, unknown> = { '@odata.context': `${baseUrl}/v1.0/$metadata#directoryObjects` };
  if (option(req.query, '$count') === 'true') {
    body['@odata.count'] = page.count;
  }
  if (page.nextSkipToken !== undefined) {
    body['@odata.nextLink'] = nextLinkFor(baseUrl, req.path, req.query, page.nextSkipToken);
  }
  body.value = page.value;
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}
